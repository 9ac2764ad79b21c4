"""Bringing in a watched channel's past (``/feedback watch #channel since 30d``).

One durable job per channel (``backfills``): the runner (bot/server/backfills.py, in the
worker process) or ``earshot watch --since`` claims it with a lease, reads
``conversations.history`` page by page, newest first, paced for the whole workspace
(bot.domain.workspace.pacing) and honouring 429 Retry-After, and hears each message as a
watched channel would (bot.domain.capture.hearing) with its original time and without a
mark. After each page the cursor and the counts are stored in one statement: a process
killed mid-job is taken over from that cursor when its lease runs out, and a page done
twice adds nothing (a remark's key is its message).

Only top-level messages are read: thread replies would cost a ``conversations.replies``
call per thread, and calls are what limits a backfill (a person's replies are not remarks
in a watched channel either; an app's replies in its own thread are heard live only).
Progress goes to the admin's DM in one message updated in place
every BACKFILL_PROGRESS_PAGES pages; the summary replaces it at the end. The last page also
ends the job, whose lease is kept until the summary is out: a process stopped before that
leaves the summary to the one that takes the job over. A stop is heeded at safe points
(before a page, waiting for a slot or a retry): the job hands its lease back (``Stopped``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging
import os
import re
import socket
import uuid
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.acting import Asker, require_admin
from bot.domain.capture.app_posts import own_of
from bot.domain.capture.edits import apply_edit, forget_message
from bot.domain.capture.hearing import Heard, Policy, hear
from bot.domain.capture.slack_reads import permalink
from bot.domain.processes.starter import ensure_workspace
from bot.domain.services import Services
from bot.domain.workspace.pacing import HISTORY, Limiter, Pace, history_pace, retry_after
from bot.slack import sources as render
from bot.slack.text import ts_to_datetime
from storage.db import transaction
from storage.models import Backfill, MessageChange
from storage.repositories import WorkspaceRepository
from storage.repositories.sources import BackfillRepository, MessageChangeRepository

log = logging.getLogger(__name__)

POSTING = "posting"  # progress_ts while the first progress message is being posted
# Errors after which reading on cannot work: the admin is told why.
FATAL = {"not_in_channel": "I'm no longer in the channel (invite me back, then ask again).",
         "channel_not_found": "the channel is gone or out of my reach.",
         "is_archived": "the channel was archived.",
         "missing_scope": "my installation lacks a history scope; reinstall me.",
         "invalid_auth": "Slack refused my token.", "token_revoked": "Slack refused my token.",
         "account_inactive": "Slack refused my token."}
MAX_TRANSIENT = 8
CHANGES_MARGIN = dt.timedelta(seconds=60)
UNWATCHED = "the channel was unwatched (`/feedback unwatch`)."
SAY_ATTEMPTS = 3  # a progress message or the summary: tries when Slack answers 429


def _lease(services: Services) -> dt.timedelta:
    return dt.timedelta(seconds=services.settings.backfill_lease_seconds)


def owner_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Requested:
    job: Backfill
    started: bool  # False: a backfill of the channel is already under way
    estimate: str


async def request(services: Services, *, team_id: str, channel_id: str, by: str, days: int,
                  asker: Asker | None = None) -> Requested:
    """Ask for ``days`` of the channel's history (the runner does the work). Admins only."""
    await require_admin(asker, team_id)
    now = services.clock()
    values = {"requested_by": by, "oldest": now - dt.timedelta(days=days),
              "latest_ts": f"{now.timestamp():.6f}"}
    async with transaction(services.sessions) as session:
        await ensure_workspace(session, team_id)
        job, started = await BackfillRepository(session).request(team_id, channel_id=channel_id, values=values)
    pace = history_pace(services.settings)
    log.info("backfill: team=%s channel=%s days=%s by=%s new=%s", team_id, channel_id, days, by, started)
    return Requested(job, started, render.estimate(pace.per_minute, pace.page_size, pace.limited))


async def claim_next(services: Services, *, owner: str,
                     except_teams: frozenset[str] = frozenset()) -> int | None:
    """Claim the oldest job nobody holds (none of ``except_teams``'); None: there is none."""
    now = services.clock()
    async with transaction(services.sessions) as session:
        repo = BackfillRepository(session)
        for job_id in await repo.claimable(now, except_teams=except_teams):
            if await repo.claim(job_id, owner=owner, now=now, until=now + _lease(services)):
                return job_id
    return None


async def claim(services: Services, job_id: int, *, owner: str) -> bool:
    now = services.clock()
    async with transaction(services.sessions) as session:
        return await BackfillRepository(session).claim(job_id, owner=owner, now=now, until=now + _lease(services))


async def job(services: Services, job_id: int) -> Backfill | None:
    async with services.sessions() as session:
        return await BackfillRepository(session).by_id(job_id)


class Lost(Exception):
    """Another process took the job over (our lease ran out)."""


class Stopped(Exception):
    """The process is stopping, and the job is at a safe point: it hands its lease back."""


async def _nap(stop: asyncio.Event | None, seconds: float) -> None:
    """Sleep ``seconds``; raise Stopped as soon as ``stop`` is set (a sleep is a safe point)."""
    stop = stop or asyncio.Event()  # none: never set, a plain sleep
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await stop.wait()
    if stop.is_set():
        raise Stopped()


@dataclass
class _Run:
    services: Services
    client: AsyncWebClient
    job: Backfill
    owner: str
    limiter: Limiter
    pace: Pace
    started: dt.datetime
    link_pattern: tuple[str, str] | None = None  # (prefix, suffix) of the channel's permalinks
    reached: dt.datetime | None = None  # the oldest message read so far
    resumed_from: dt.datetime | None = None  # where this process took the job up
    stop: asyncio.Event | None = None  # set when the process stops (heeded at safe points)

    def check_stop(self) -> None:
        if self.stop is not None and self.stop.is_set():
            raise Stopped()

    async def save(self, **values: Any) -> None:
        async with transaction(self.services.sessions) as session:
            if not await BackfillRepository(session).save(self.job.id, owner=self.owner, **values):
                raise Lost()
            fresh = await BackfillRepository(session).by_id(self.job.id)
        assert fresh is not None
        self.job = fresh


async def run(services: Services, client: AsyncWebClient, job_id: int, *, owner: str,
              limiter: Limiter | None = None, stop: asyncio.Event | None = None) -> Backfill | None:
    """Work through a claimed job to its end; None when it was lost, or handed back (``stop``)."""
    current = await job(services, job_id)
    if current is None or current.lease_owner != owner:
        return None
    pace = history_pace(services.settings)
    r = _Run(services, client, current, owner, limiter or Limiter(
        services.sessions, team_id=current.team_id, method=HISTORY, pace=pace,
        sleep=functools.partial(_nap, stop)), pace, services.clock(),
        reached=current.reached_at, resumed_from=current.reached_at, stop=stop)
    try:
        if current.status in ("done", "failed"):  # a process stopped before its summary went out
            return await _summarise(r)
        return await _pages(r)
    except Lost:
        log.info("backfill: job=%s taken over by another process", job_id)
        return None
    except Stopped:
        with contextlib.suppress(Lost):  # expired at once: the next process takes it up
            await r.save(lease_until=services.clock())
        log.info("backfill: job=%s handed back by the stop after %s pages", job_id, r.job.pages)
        return None


async def _pages(r: _Run) -> Backfill:
    services, j = r.services, r.job
    own = await own_of(r.client)
    oldest_ts = f"{r.job.oldest.timestamp():.6f}"
    transient = 0
    if not r.job.progress_ts and not r.job.pages:
        # Posted before the first page, so even a one-page channel's summary replaces a
        # progress message (chat.update) instead of arriving as a second message.
        await _progress(r)
    while True:
        r.check_stop()  # a safe point: the last page and its cursor are stored
        await r.save(lease_until=services.clock() + _lease(services))
        # Read before each page: an unwatched channel stops its history (a wrong channel
        # given by mistake), and a changed ``bots`` setting applies from the next page.
        async with services.sessions() as session:
            row = await WorkspaceRepository(session).watched_channel(j.team_id, j.channel_id)
        if row is None:
            return await _finish(r, error=UNWATCHED)
        policy = Policy(bots=row.bots, names=list(row.bot_names or []))
        await r.limiter.wait()
        # A deletion or edit noted from here on may postdate what the page says (a margin
        # for clocks of other processes): the page is checked against them when filed.
        asked = services.clock() - CHANGES_MARGIN
        try:
            res = await r.client.conversations_history(
                channel=j.channel_id, oldest=oldest_ts, latest=r.job.latest_ts, inclusive=True,
                limit=r.pace.page_size, cursor=r.job.cursor or None)
        except SlackApiError as e:
            if e.response.status_code == 429:
                await r.limiter.hold(retry_after(e.response.headers))
                continue
            error = str(e.response.get("error") or "")
            if error in FATAL:
                return await _finish(r, error=FATAL[error])
            transient += 1
        except (aiohttp.ClientError, TimeoutError) as e:
            log.warning("backfill: job=%s history call failed: %s", j.id, type(e).__name__)
            transient += 1
        else:
            transient = 0
            done = await _page(r, res.data if isinstance(res.data, dict) else {}, policy, own, asked)
            if done:
                return await _summarise(r)
            if r.job.pages % services.settings.backfill_progress_pages == 0:
                await _progress(r)
            continue
        if transient > MAX_TRANSIENT:
            return await _finish(r, error="Slack kept failing; ask again later to resume.")
        await _nap(r.stop, min(60, 2 ** transient))


async def _page(r: _Run, data: dict[str, Any], policy: Policy, own: Any, asked: dt.datetime) -> bool:
    """Hear one page's messages; store the counts and the next cursor. True when it was the last.

    A message deleted since the page was asked for is not filed, and one deleted or edited
    while the page is being filed is then removed or updated (the event's own handler found
    no remark yet): the event wins either way (MessageChange, noted by bot.domain.capture.edits)."""
    counts = {"fetched": 0, "captured": 0, "skipped": 0, "known": 0, "other": 0}
    messages = [m for m in data.get("messages") or [] if isinstance(m, dict)]
    gone = {ts for ts, c in (await _changes(r, asked)).items() if c.deleted}
    captured: set[str] = set()
    for msg in messages:
        counts["fetched"] += 1
        ts = str(msg.get("ts") or "")
        if ts in gone:
            counts["other"] += 1
            continue
        heard = await hear(r.services, r.client, team_id=r.job.team_id, channel_id=r.job.channel_id,
                           msg=msg, policy=policy, own=own, permalink=await _permalink(r, ts), mark=False,
                           backfill_id=r.job.id)
        key = {Heard.CAPTURED: "captured", Heard.KNOWN: "known", Heard.SKIPPED: "skipped"}.get(heard.heard, "other")
        counts[key] += 1
        if heard.heard is Heard.CAPTURED:
            captured.add(ts)
    for ts, change in (await _changes(r, asked)).items():
        if change.deleted:
            if await forget_message(r.services, team_id=r.job.team_id, channel_id=r.job.channel_id, ts=ts) \
                    and ts in captured:
                counts["captured"] -= 1
                counts["other"] += 1
        elif change.text:
            await apply_edit(r.services, team_id=r.job.team_id, channel_id=r.job.channel_id, ts=ts,
                             text=change.text)
    cursor = ((data.get("response_metadata") or {}).get("next_cursor")) or None
    last = not (data.get("has_more") and cursor)
    if messages:
        r.reached = ts_to_datetime(min((str(m.get("ts")) for m in messages), key=float))
    async with transaction(r.services.sessions) as session:
        repo = BackfillRepository(session)
        # The last page ends the job in the same statement: no cursor of None left on a running job.
        if not await repo.add_counts(r.job.id, owner=r.owner, cursor=cursor, reached_at=r.reached,
                                     lease_until=r.services.clock() + _lease(r.services),
                                     finished_at=r.services.clock() if last else None, **counts):
            raise Lost()
        fresh = await repo.by_id(r.job.id)
    assert fresh is not None
    r.job = fresh
    return last


_PERMALINK = re.compile(r"^(https://[^\s?#]+/archives/[A-Z0-9]+/p)(\d{16})$")


async def _permalink(r: _Run, ts: str) -> str | None:
    """A message's permalink: asked once, then built the same way for the channel's other
    messages (``.../archives/<channel>/p<ts without the dot>``), sparing a call per message."""
    if r.link_pattern is not None and re.fullmatch(r"\d{10}\.\d{6}", ts):
        return f"{r.link_pattern[0]}{ts.replace('.', '')}"
    link = await permalink(r.client, r.job.channel_id, ts)
    m = _PERMALINK.match(link or "")
    if m and m.group(2) == ts.replace(".", ""):
        r.link_pattern = (m.group(1), "")
    return link


async def _changes(r: _Run, since: dt.datetime) -> dict[str, MessageChange]:
    async with r.services.sessions() as session:
        return await MessageChangeRepository(session).since(r.job.team_id, r.job.channel_id, since=since)


def window_share(job: Backfill, reached: dt.datetime | None) -> float:
    """How much of the job's window is read, by the oldest message reached (newest first)."""
    latest = ts_to_datetime(job.latest_ts)
    span = (latest - job.oldest).total_seconds()
    if reached is None or span <= 0:
        return 0.0
    return min(1.0, max(0.0, (latest - reached).total_seconds() / span))


def _share(r: _Run) -> tuple[float, float | None]:
    """How much of the window is read, and minutes left at this process's pace (what was
    read before a resume counts in the share, not in the pace)."""
    share = window_share(r.job, r.reached)
    before = window_share(r.job, r.resumed_from)
    elapsed = (r.services.clock() - r.started).total_seconds() / 60
    done_here = share - before
    left = elapsed * (1 - share) / done_here if done_here > 0.02 else None
    return share, left


async def _progress(r: _Run) -> None:
    share, left = _share(r)
    j = r.job
    await _say(r, render.backfill_progress(
        j.channel_id, fetched=j.fetched, captured=j.captured, skipped=j.skipped, known=j.known,
        reached=r.reached, oldest=j.oldest, done_share=share, minutes_left=left))


async def _finish(r: _Run, *, error: str) -> Backfill:
    now = r.services.clock()
    await r.save(status="failed", finished_at=now, lease_until=now + _lease(r.services), error=error[:255])
    return await _summarise(r)


async def _summarise(r: _Run) -> Backfill:
    """The job is stored as ended, its lease kept: forget its noted changes, send the summary,
    then release the lease (cut short before, the process taking the job over does this)."""
    async with transaction(r.services.sessions) as session:
        await MessageChangeRepository(session).clear(r.job.team_id, r.job.channel_id)
    j = r.job
    now = r.services.clock()
    took = ((j.finished_at or now) - (j.started_at or now)).total_seconds() / 60
    await _say(r, render.backfill_summary(
        j.channel_id, fetched=j.fetched, captured=j.captured, skipped=j.skipped, known=j.known,
        other=j.other, minutes=took, oldest=j.oldest, error=j.error))
    await r.save(lease_until=None)
    j = r.job
    log.info("backfill: job=%s team=%s channel=%s %s: fetched=%s captured=%s skipped=%s known=%s",
             j.id, j.team_id, j.channel_id, j.status, j.fetched, j.captured, j.skipped, j.known)
    return j


async def _say(r: _Run, message: dict[str, Any]) -> None:
    """The progress message in the requester's DM, posted once and updated in place.

    The runner's client does not retry by itself, so a 429 here waits its Retry-After and
    tries again (a few times); a first post that still fails clears its ``POSTING`` mark,
    so the next update, or the summary, posts it instead of being dropped for good."""
    j = r.job
    if not j.requested_by.startswith(("U", "W")) or j.progress_ts == POSTING:
        return  # asked from the terminal; or a post cut short by a crash (never twice)
    for attempt in range(SAY_ATTEMPTS):
        try:
            await _post_or_update(r, message)
            return
        except SlackApiError as e:
            limited = e.response.status_code == 429
            log.warning("backfill: job=%s progress message failed: %s", j.id, e.response.get("error"))
            if r.job.progress_ts == POSTING:
                await r.save(progress_ts=None)
            if not limited or attempt + 1 == SAY_ATTEMPTS:
                return
            await _nap(r.stop, min(60.0, retry_after(e.response.headers)))


async def _post_or_update(r: _Run, message: dict[str, Any]) -> None:
    j = r.job
    if j.progress_ts and j.progress_channel:
        await r.client.chat_update(channel=j.progress_channel, ts=j.progress_ts, **message)
        return
    await r.save(progress_ts=POSTING)
    opened = await r.client.conversations_open(users=j.requested_by)
    channel = str((opened.get("channel") or {}).get("id") or "")
    posted = await r.client.chat_postMessage(channel=channel, **message)
    await r.save(progress_channel=channel, progress_ts=str(posted.get("ts") or ""))
