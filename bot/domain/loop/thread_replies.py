"""Replies in the threads of an improvement's remarks ("This was fixed: …"), only on the
owner's explicit submit after a preview, at most once per message.

Each reply is claimed (``loop_claims``, kind ``reply``, key ``<improvement>:<remark>``) and
owed (the owed-effects outbox) in one transaction before it is posted, so a second click, a
Slack retry or a second process posts nothing more, and a process that dies after the claim
leaves the reply owed for the outbox's sweep. A message the bot can no longer reach (deleted,
the bot removed from the channel, the channel archived or gone) is skipped and the claim
given back, so it can be replied to if it becomes reachable again; the owner is told which
were skipped and why.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.loop.permissions import Actor, ImprovementProblem, check_manage
from bot.domain.services import Services
from bot.domain.workspace import outbox
from bot.domain.workspace.pacing import (
    REPLIES,
    Pacer,
    capture_pace,
)
from bot.slack import loop as ui
from storage.db import transaction
from storage.models import Improvement, Remark
from storage.repositories import ProcessRepository
from storage.repositories.effects import Owed
from storage.repositories.improvements import ImprovementRepository
from storage.repositories.loop import LoopClaimRepository

log = logging.getLogger(__name__)

KIND = "reply"
NETWORK = (TimeoutError, aiohttp.ClientError, OSError)


@dataclass(frozen=True)
class Preview:
    improvement: Improvement
    process_name: str
    targets: list[ui.Target]
    already: list[Remark]


@dataclass(frozen=True)
class Outcome:
    improvement: Improvement
    posted: list[Remark]
    queued: list[Remark]  # owed: Slack was unavailable, the outbox retries
    already: list[Remark]
    skipped: list[tuple[Remark, str]]


def _key(improvement_id: int, remark_id: int) -> str:
    return f"{improvement_id}:{remark_id}"


async def _load(services: Services, client: AsyncWebClient, team_id: str, improvement_id: int,
                by: str) -> tuple[Improvement, str, list[Remark], set[str]]:
    async with services.sessions() as session:
        repo = ImprovementRepository(session)
        imp = await repo.get(team_id, improvement_id)
        process = await ProcessRepository(session).get(team_id, imp.process_id) if imp else None
        remarks = await repo.remarks(team_id, improvement_id) if imp else []
        done = await LoopClaimRepository(session).claimed(
            team_id, KIND, [_key(improvement_id, r.id) for r in remarks])
    if imp is None:
        raise ImprovementProblem("That improvement no longer exists.")
    await check_manage(Actor(services, client, team_id, by), imp, process,
                       "reply in the customers' threads", improvement_owner_first=True)
    if imp.status != "shipped":
        raise ImprovementProblem("Replies in the threads are for shipped improvements; mark it shipped first.")
    if not remarks:
        raise ImprovementProblem("It addresses no remarks (any more): there is no thread to reply in. "
                                 "*Edit* it to add some.")
    return imp, process.name if process else "a process", remarks, done


async def _channel_problems(client: AsyncWebClient, channels: Sequence[str]) -> dict[str, tuple[str | None, bool]]:
    """channel -> (why it cannot be replied in, or None; whether it is a Slack Connect channel)."""
    out: dict[str, tuple[str | None, bool]] = {}
    for channel in channels:
        try:
            info = (await client.conversations_info(channel=channel)).get("channel") or {}
        except SlackApiError as e:
            out[channel] = (str(e.response.get("error") or "channel_not_found"), False)
            continue
        except NETWORK:
            out[channel] = (None, False)  # find out on submit
            continue
        connect = bool(info.get("is_ext_shared") or info.get("is_shared"))
        out[channel] = ("is_archived" if info.get("is_archived") else None, connect)
    return out


async def preview(services: Services, client: AsyncWebClient, team_id: str, improvement_id: int, *,
                  by: str) -> Preview:
    """What *Post replies* would do. Raises ImprovementProblem (not allowed, not shipped, ...)."""
    imp, name, remarks, done = await _load(services, client, team_id, improvement_id, by)
    already = [r for r in remarks if _key(imp.id, r.id) in done]
    todo = [r for r in remarks if _key(imp.id, r.id) not in done]
    channels = await _channel_problems(client, sorted({r.channel_id for r in todo if r.channel_id}))
    targets = []
    for r in todo:
        if not (r.channel_id and r.message_ts):
            targets.append(ui.Target(r, "no_message", False))
            continue
        problem, connect = channels.get(r.channel_id, (None, False))
        targets.append(ui.Target(r, problem, connect or bool(r.author_team_id and r.author_team_id != team_id)))
    return Preview(imp, name, targets, already)


async def _reachable(client: AsyncWebClient, r: Remark, pacer: Pacer) -> str | None:
    """None if the message is still there for the bot (or unknown), else why not.

    The check takes a ``conversations.replies`` slot only when one is free at once (one per
    remark would otherwise spend the workspace's budget, one call a minute in the limited
    mode, ahead of the captures people ask for); without one, the outbox finds out."""
    if not await pacer.free_now(REPLIES):
        return None  # let the outbox try
    try:
        await pacer.call(client, REPLIES, channel=r.channel_id or "", ts=r.message_ts or "", limit=1)
    except SlackApiError as e:
        if e.response.status_code == 429:  # not a reason to skip the remark (everyone is held back)
            return None
        return str(e.response.get("error") or "unknown")
    except NETWORK:
        return None  # let the outbox try
    return None


async def post(services: Services, client: AsyncWebClient, team_id: str, improvement_id: int, *,
               by: str, text: str) -> Outcome:
    """The owner's submit: one reply in the thread of each addressed message not replied to yet."""
    text = text.strip()
    if not text:
        raise ImprovementProblem("Write the reply first.")
    if len(text) > ui.REPLY_LIMIT:
        raise ImprovementProblem(f"The reply can be at most {ui.REPLY_LIMIT} characters.")
    imp, _name, remarks, done = await _load(services, client, team_id, improvement_id, by)
    already = [r for r in remarks if _key(imp.id, r.id) in done]
    skipped: list[tuple[Remark, str]] = []
    owed: list[Owed] = []
    by_key: dict[str, Remark] = {}
    pacer = Pacer(services.sessions, team_id=team_id, pace=capture_pace(services.settings))
    for r in remarks:
        key = _key(imp.id, r.id)
        if key in done:
            continue
        if not (r.channel_id and r.message_ts):
            skipped.append((r, "no_message"))
            continue
        problem = await _reachable(client, r, pacer)
        if problem:
            skipped.append((r, problem))
            continue
        async with transaction(services.sessions) as session:
            if not await LoopClaimRepository(session).claim(team_id, KIND, key, by=by, at=services.clock()):
                already.append(r)  # a second click, a retry or another process got there first
                continue
            effect = Owed(team_id, f"{KIND}:{key}", "chat.postMessage",
                          {"channel": r.channel_id, "thread_ts": r.thread_ts or r.message_ts,
                           **ui.thread_reply(text)})
            await outbox.owe(services, session, [effect])
        owed.append(effect)
        by_key[effect.key] = r
    report: dict[str, str | None] = {}
    await outbox.send(services, client, owed, report=report)
    posted: list[Remark] = []
    queued: list[Remark] = []
    async with transaction(services.sessions) as session:
        claims = LoopClaimRepository(session)
        for effect in owed:
            r = by_key[effect.key]
            error = report.get(effect.key)
            if error is None:
                posted.append(r)
                await claims.mark(team_id, KIND, _key(imp.id, r.id), sent_at=services.clock())
            elif error.startswith("later:"):
                queued.append(r)
            else:
                skipped.append((r, error))
                await claims.release(team_id, KIND, _key(imp.id, r.id))
    log.info("thread replies: team=%s #%d posted=%d queued=%d already=%d skipped=%d by %s", team_id,
             imp.id, len(posted), len(queued), len(already), len(skipped), by)
    return Outcome(imp, posted, queued, already, skipped)
