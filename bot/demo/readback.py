"""Reading back what the demo did: what the bot showed people (from the stand-in's call
log) and the remarks it filed (from the database), in a form the demo can print."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from bot.demo.render import Names
from bot.domain.services import Services
from bot.fakeslack import FakeSlack, Workspace
from bot.slack.text import as_dict
from storage.repositories import ProcessRepository, RemarkRepository


@dataclass
class Shown:
    """Something the bot showed a person in Slack during a step."""

    kind: str  # "ephemeral", "reply", "update", "modal", "message", "dm"
    user: str | None
    channel: str | None
    message: dict[str, Any]


def shown_since(fake: FakeSlack, mark: int, delivery: Any) -> list[Shown]:
    """What the bot showed people since call ``mark``, and the delivery's own reply."""
    out: list[Shown] = []
    for call in fake.calls[mark:]:
        p = call.params
        if not call.ok:
            continue
        if call.method == "chat.postEphemeral":
            out.append(Shown("ephemeral", p.get("user"), p.get("channel"), message_of(p)))
        elif call.method == "response_url":
            out.append(Shown("update" if p.get("replace_original") else "reply", None, None, message_of(p)))
        elif call.method == "chat.postMessage":
            channel = str(p.get("channel", ""))
            kind = "dm" if channel.startswith(("D", "U")) else "message"
            out.append(Shown(kind, None, channel, message_of(p)))
        elif call.method == "views.open":
            view = as_dict(p.get("view"))
            out.append(Shown("modal", None, None, {"blocks": view.get("blocks", []),
                                                   "text": (view.get("title") or {}).get("text", "")}))
    if delivery is not None and getattr(delivery, "status", 0) == 200:
        body = delivery.json()
        if isinstance(body, dict) and (body.get("blocks") or body.get("text")):
            out.insert(0, Shown("reply", None, None, body))
    return out


async def remark_rows(services: Services, state: Workspace, team_id: str) -> list[dict[str, Any]]:
    """Every remark the bot filed, readable (for the CSV and the summary)."""
    out: list[dict[str, Any]] = []
    async with services.sessions() as session:
        processes = {p.id: p.name for p in await ProcessRepository(session).list(
            team_id, include_archived=True)}
        repo = RemarkRepository(session)
        for r in await repo.all(team_id):
            captures = await repo.captures(team_id, r.id)
            out.append({
                "id": r.id,
                "said_at": _iso(r.said_at),
                "process": processes.get(r.process_id, "") if r.process_id else "",
                "process_decided_by": _name(state, r.process_decided_by) or (
                    f"auto ({round((r.process_confidence or 0) * 100)}%)" if r.process_id else ""),
                "sentiment": r.sentiment,
                "sentiment_decided_by": _name(state, r.sentiment_decided_by) or "auto",
                "customer": r.customer or "",
                "said_by": _name(state, r.author_user_id) or "",
                "captured_by": ", ".join(dict.fromkeys(_name(state, c.user_id) or c.user_id
                                                       for c in captures)),
                "routes": ", ".join(dict.fromkeys(c.route for c in captures)),
                "endorsements": r.endorsements,
                "channel": "#" + state.channels[r.channel_id].name
                if r.channel_id in state.channels else "",
                "text": r.text,
                "permalink": r.permalink or "",
            })
    return out


def names(state: Workspace) -> Names:
    """Display names of the stand-in's people and channels, for what the demo prints."""
    users = {u.id: u.real_name for u in state.users.values()}
    users[state.bot_user_id] = "Earshot"
    channels = {c.id: c.name for c in state.channels.values() if not c.is_im}
    channels.update({c.id: "Earshot (DM)" for c in state.channels.values() if c.is_im})
    return Names(users, channels)


def option_value(blocks: list[dict[str, Any]], action_id: str, label: str) -> str:
    """The value of the option labelled ``label`` in the select ``action_id``."""
    for block in blocks:
        elements = list(block.get("elements") or [])
        for key in ("element", "accessory"):
            if isinstance(block.get(key), dict):
                elements.append(block[key])
        for el in elements:
            if el.get("action_id") != action_id:
                continue
            options = list(el.get("options") or [])
            for group in el.get("option_groups") or []:
                options += group.get("options", [])
            for opt in options:
                if (opt.get("text") or {}).get("text", "").casefold() == label.casefold():
                    return str(opt["value"])
    raise LookupError(f"no option {label!r} in {action_id}")


def message_of(params: dict[str, Any]) -> dict[str, Any]:
    blocks = params.get("blocks")
    if isinstance(blocks, str):

        try:
            blocks = json.loads(blocks)
        except ValueError:
            blocks = None
    return {"text": params.get("text", ""), "blocks": blocks if isinstance(blocks, list) else []}


def digest_posts(fake: FakeSlack, channel: str) -> list[Any]:
    return [c for c in fake.calls_to("chat.postMessage") if c.ok and c.params.get("channel") == channel]


def _name(state: Workspace, user_id: str | None) -> str | None:
    if not user_id:
        return None
    u = state.users.get(user_id)
    return u.real_name if u else user_id


def _iso(at: dt.datetime | None) -> str:
    if at is None:
        return ""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
