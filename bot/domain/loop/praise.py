"""Praise is part of the loop: a weekly note to each process owner with the praise their
processes got (with quotes), and *Thank the team*, which posts the quotes once to a channel
or a person the owner picks.

Both are claimed before they are posted (``loop_claims``: kind ``praise`` keyed by owner and
ISO week, kind ``thanks`` keyed by process and digest period), so restarts, retries and
several processes send each at most once. Owners turn the notes off with
``/feedback praise off`` or the button on the note, like the complaint alerts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.loop.permissions import Actor, owns_process
from bot.domain.services import Services
from bot.domain.workspace.clients import Clients, client_for
from bot.slack import loop as ui
from bot.slack.mrkdwn import channel, md, mention
from storage.db import transaction
from storage.models import Remark
from storage.repositories import ProcessRepository
from storage.repositories.loop import LoopClaimRepository

log = logging.getLogger(__name__)

NOTE, THANKS = "praise", "thanks"
THANK_WINDOW = dt.timedelta(weeks=4)  # the digest's Consolidate looks at 4 periods
MAX_QUOTES = 5
CANNOT_POST = {"not_in_channel": "Earshot is not in {channel}: invite it (`/invite @Earshot`) and try again.",
               "channel_not_found": "Earshot cannot see {channel} (a private channel it is not in?).",
               "is_archived": "{channel} is archived."}


class PraiseProblem(Exception):
    """Something to tell the person privately."""


def last_week(now: dt.datetime) -> tuple[dt.datetime, dt.datetime, str]:
    """The ISO week before the one ``now`` is in: [Monday 00:00 UTC, next Monday), and its label."""
    today = now.astimezone(dt.UTC).date()
    end = dt.datetime.combine(today - dt.timedelta(days=today.weekday()), dt.time(), tzinfo=dt.UTC)
    start = end - dt.timedelta(days=7)
    return start, end, week_label(start)


def week_label(at: dt.datetime) -> str:
    """The ISO week ``at`` falls in, as the *Thank the team* buttons name it (``2026-W49``)."""
    year, week, _ = at.astimezone(dt.UTC).isocalendar()
    return f"{year}-W{week:02d}"


async def offered_periods(services: Services, team_id: str, now: dt.datetime) -> set[str]:
    """The periods a *Thank the team* button can name now: this week and last (the preview,
    the weekly praise note) and those of digests posted within THANK_WINDOW. A form naming
    any other period was not drawn by Earshot: thanks are one per process and period, so a
    made-up period would let the same thanks be sent again."""
    async with services.sessions() as session:
        starts = await LoopClaimRepository(session).digest_periods(team_id, since=now - THANK_WINDOW)
    return {week_label(now), week_label(now - dt.timedelta(days=7)), *(week_label(s) for s in starts)}


async def send_praise_notes(services: Services, clients: Clients, *,
                            now: dt.datetime | None = None) -> dict[str, int]:
    """Each process owner whose processes were praised last week gets one note (claimed per
    owner and week). Returns "team:user" -> praise remarks in the note."""
    start, end, week = last_week(now or services.clock())
    async with services.sessions() as session:
        rows = await LoopClaimRepository(session).praise_for_owners(start, end)
    grouped: dict[tuple[str, str], dict[int, ui.PraisedProcess]] = defaultdict(dict)
    for row in rows:
        procs = grouped[(row.team_id, row.owner_user_id)]
        entry = procs.setdefault(row.process_id, ui.PraisedProcess(row.process_id, row.process_name, []))
        entry.remarks.append(row.remark)
    sent: dict[str, int] = {}
    for (team_id, owner), procs in grouped.items():
        key = f"{owner}:{week}"
        client = await client_for(clients, team_id)
        if client is None:  # no usable token (uninstalled meanwhile): nothing claimed
            continue
        async with transaction(services.sessions) as session:
            repo = LoopClaimRepository(session)
            if not await repo.wants_praise_notes(team_id, owner):
                continue
            if not await repo.claim(team_id, NOTE, key, by=None, at=services.clock()):
                continue  # told already (a restart, another process)
        processes = sorted(procs.values(), key=lambda p: (-len(p.remarks), p.name))
        try:
            await client.chat_postMessage(channel=owner, **ui.praise_note(week, processes))
        except (SlackApiError, TimeoutError, aiohttp.ClientError, OSError) as e:
            log.warning("praise: team=%s note to %s failed: %s", team_id, owner, e)
            async with transaction(services.sessions) as session:
                await LoopClaimRepository(session).mark(team_id, NOTE, key, error=str(e))
            continue
        async with transaction(services.sessions) as session:
            await LoopClaimRepository(session).mark(team_id, NOTE, key, sent_at=services.clock())
        sent[f"{team_id}:{owner}"] = sum(len(p.remarks) for p in processes)
    if sent:
        log.info("praise: %d weekly notes sent for %s", len(sent), week)
    return sent


async def set_praise_notes(services: Services, team_id: str, user_id: str, *, on: bool) -> None:
    async with transaction(services.sessions) as session:
        await LoopClaimRepository(session).set_praise_notes(team_id, user_id, on=on)


@dataclass(frozen=True)
class ThankDraft:
    process_id: int
    process_name: str
    period: str
    quotes: list[Remark]


async def thank_draft(services: Services, client: AsyncWebClient, team_id: str, process_id: int,
                      period: str, *, by: str) -> ThankDraft:
    """What the *Thank the team* modal shows. Raises PraiseProblem (not allowed, sent already)."""
    now = services.clock()
    async with services.sessions() as session:
        process = await ProcessRepository(session).get(team_id, process_id)
        repo = LoopClaimRepository(session)
        sent = await repo.get(team_id, THANKS, f"{process_id}:{period}")
        quotes = await repo.praise_of(team_id, process_id, since=now - THANK_WINDOW, until=now,
                                      limit=MAX_QUOTES) if process else []
    if process is None or process.archived:
        raise PraiseProblem("That process no longer exists.")
    if not await owns_process(Actor(services, client, team_id, by), process):
        owner = mention(process.owner_user_id) if process.owner_user_id else "nobody yet"
        raise PraiseProblem(md(":lock: Only the process owner ({}) and admins can thank the team "
                               "behind {} from Earshot.", owner, process.name))
    if period not in await offered_periods(services, team_id, now):
        raise PraiseProblem("That button is out of date (or was not one of Earshot's): use *Thank the "
                            "team* in the latest digest or praise note.")
    if sent is not None:
        raise PraiseProblem(md("Thanks for *{}* were sent already for this period{}.", process.name,
                               md(" by {}", mention(sent.claimed_by)) if sent.claimed_by else ""))
    if not quotes:
        raise PraiseProblem(md("No praise for *{}* in the last 4 weeks to pass on.", process.name))
    return ThankDraft(process.id, process.name, period, quotes)


async def send_thanks(services: Services, client: AsyncWebClient, team_id: str, form: ui.ThankForm,
                      *, by: str) -> str:
    """Post the thanks once; returns the private note for the sender. Raises PraiseProblem."""
    if form.process_id is None or not form.period:
        raise PraiseProblem("This form expired; press *Thank the team* again.")
    if bool(form.channel) == bool(form.user):
        raise PraiseProblem("Pick a channel or a person (one of them).")
    if not form.note:
        raise PraiseProblem("Write a line of thanks first.")
    draft = await thank_draft(services, client, team_id, form.process_id, form.period, by=by)
    key = f"{draft.process_id}:{draft.period}"
    async with transaction(services.sessions) as session:
        if not await LoopClaimRepository(session).claim(team_id, THANKS, key, by=by, at=services.clock()):
            raise PraiseProblem(md("Thanks for *{}* were sent already for this period.", draft.process_name))
    target = form.channel or form.user or ""
    try:
        await client.chat_postMessage(channel=target, **ui.thank_post(draft.process_name, form.note,
                                                                      draft.quotes, by=by))
    except (SlackApiError, TimeoutError, aiohttp.ClientError, OSError) as e:
        error = str(e.response.get("error")) if isinstance(e, SlackApiError) else type(e).__name__
        async with transaction(services.sessions) as session:
            await LoopClaimRepository(session).release(team_id, THANKS, key)  # nothing was posted
        log.warning("praise: team=%s thanks for process %s to %s failed: %s", team_id,
                    draft.process_id, target, error)
        raise PraiseProblem(md(CANNOT_POST.get(error, "Slack refused the post ({error}); nothing was sent."),
                               channel=channel(target), error=error)) from e
    async with transaction(services.sessions) as session:
        await LoopClaimRepository(session).mark(team_id, THANKS, key, sent_at=services.clock())
    where = channel(form.channel) if form.channel else mention(form.user)
    return md(":tada: Thanks for *{}* sent to {}, with {} quotes.", draft.process_name, where, len(draft.quotes))
