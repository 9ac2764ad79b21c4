"""Pure functions that pull a remark out of any Slack payload shape.

Shapes handled (see tests/unit/test_slack_text.py for real examples): a plain message,
a thread reply, a forwarded/shared message whose text lives in ``attachments`` (and its
``message_blocks``), rich-text ``blocks`` with no ``text``, edits (``message_changed``
puts the new message in ``event.message``) and bot messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_TEXT = 40_000  # Slack's own limit for a message


@dataclass(frozen=True)
class Original:
    """The message a remark is about: where it lives and what it said."""

    channel_id: str
    ts: str
    text: str
    user_id: str | None
    team_id: str | None
    thread_ts: str | None = None
    permalink: str | None = None


def is_bot_message(msg: dict[str, Any]) -> bool:
    return bool(msg.get("bot_id") or msg.get("subtype") == "bot_message" or msg.get("bot_profile"))


def message_text(msg: dict[str, Any]) -> str:
    """The human text of a message: ``text``, else its rich-text blocks."""
    text = msg.get("text")
    if isinstance(text, str) and text.strip():
        return text[:MAX_TEXT]
    return blocks_text(msg.get("blocks"))[:MAX_TEXT]


def blocks_text(blocks: Any) -> str:
    """Flatten rich_text / section blocks back into Slack's mrkdwn-ish text form."""
    if not isinstance(blocks, list):
        return ""
    out: list[str] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "rich_text":
            out.append("".join(_rich(el) for el in block.get("elements") or []))
        elif block.get("type") in ("section", "header", "context"):
            txt = block.get("text")
            if isinstance(txt, dict) and isinstance(txt.get("text"), str):
                out.append(txt["text"])
            for el in block.get("elements") or []:
                if isinstance(el, dict) and isinstance(el.get("text"), str):
                    out.append(el["text"])
    return "\n".join(s for s in out if s).strip()


def _rich(el: Any) -> str:
    if not isinstance(el, dict):
        return ""
    kind = el.get("type")
    if kind in ("rich_text_section", "rich_text_preformatted", "rich_text_quote"):
        return "".join(_rich(e) for e in el.get("elements") or [])
    if kind == "rich_text_list":
        return "\n".join("• " + _rich(e) for e in el.get("elements") or []) + "\n"
    if kind == "text":
        return str(el.get("text", ""))
    if kind == "link":
        url, label = el.get("url", ""), el.get("text")
        return f"<{url}|{label}>" if label else f"<{url}>"
    if kind == "user":
        return f"<@{el.get('user_id', '')}>"
    if kind == "channel":
        return f"<#{el.get('channel_id', '')}>"
    if kind == "usergroup":
        return f"<!subteam^{el.get('usergroup_id', '')}>"
    if kind == "broadcast":
        return f"<!{el.get('range', 'here')}>"
    if kind == "emoji":
        return f":{el.get('name', '')}:"
    return ""


def shared_original(msg: dict[str, Any]) -> Original | None:
    """The original message inside a forward/share, or None if ``msg`` is not a forward."""
    for att in msg.get("attachments") or []:
        if not isinstance(att, dict) or not (att.get("is_share") or att.get("is_msg_unfurl")):
            continue
        channel, ts = att.get("channel_id"), att.get("ts")
        if not channel or not ts:
            continue
        text = att.get("text") if isinstance(att.get("text"), str) else ""
        if not text.strip():
            for mb in att.get("message_blocks") or []:
                if isinstance(mb, dict):
                    text = blocks_text((mb.get("message") or {}).get("blocks"))
                    if text:
                        break
        if not text.strip():
            text = att.get("fallback") or ""
        return Original(
            channel_id=str(channel),
            ts=str(ts),
            text=str(text)[:MAX_TEXT],
            user_id=att.get("author_id"),
            team_id=att.get("channel_team") or att.get("author_team"),
            permalink=att.get("from_url"),
        )
    return None


_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_SUBTEAM = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>")


def readable(text: str, users: dict[str, str] | None = None) -> str:
    """Slack markup rendered for a reader who is not in Slack (terminal, CSV).

    Inside Slack, the stored text is shown as is: Slack renders its own markup.
    """
    users = users or {}
    text = _MENTION.sub(lambda m: "@" + users.get(m.group(1), m.group(1)), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = _SUBTEAM.sub(lambda m: "@" + (m.group(1) or "group"), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters without splitting Slack markup, marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    open_at = cut.rfind("<")
    if open_at > cut.rfind(">"):
        cut = cut[:open_at]
    return cut.rstrip() + "…"


def ts_to_datetime(ts: str):  # noqa: ANN201 - returns datetime
    import datetime as dt

    try:
        return dt.datetime.fromtimestamp(float(ts), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return dt.datetime.now(dt.UTC)
