"""Pacing a workspace's calls of one rate-limited Slack method across every process.

``conversations.history`` is Tier 3 (50+ calls a minute per workspace) for an app a
company installs itself or one from the Marketplace; for an app distributed commercially
outside the Marketplace, Slack allows 1 call a minute and 15 messages a call
(docs.slack.dev/reference/methods/conversations.history, rate limits of May 29, 2025).
SLACK_HISTORY_TIER says which applies.

One budget per workspace and method, shared by everything that reads messages: the slots
live in the database (``rate_slots``), so every process's calls together stay within it,
and a 429's Retry-After holds them all back. Two kinds of caller take turns:

- a capture a person asked for (reaction, shortcut, forward, mention: ``Pacer``) reserves
  the next slot, ahead of any backfill, and waits for it in the limited mode (in Tier 3,
  which tolerates bursts, it only waits out a Retry-After);
- a backfill (``Limiter``) only takes a slot that is free at that moment, never one ahead,
  so it yields to every reserved capture; in Tier 3 it also keeps to 40 of the 50 calls.

A capture waits in its process only up to ``INLINE_WAIT``: a slot further ahead (the
limited mode's minute, a long Retry-After) is kept for it in ``rate_reservations`` and it
raises ``RateLimited`` with the slot's time, so the worker hands its stored delivery back
to be run again then, and is free meanwhile for other workspaces and other events. Run
again, the capture finds its slot kept (it never loses its place in the queue).

A capture that still meets a 429 (another app's calls, a Slack hiccup) waits Retry-After
and tries again; past ``CAPTURE_TRIES`` it raises ``RateLimited`` too, so its delivery is
retried later by the inbox instead of being filed as unreadable. Either way its turn is
kept under its holder, in Tier 3 too (where it holds no place, only the mark): the run
handed back knows it was (``Pacer.resumed``), so a capture checks its reaction is still
there before filing.

In the limited mode a person may keep at most ``WAITING_PER_PERSON`` slots waiting at once
(reactions, mentions, form submissions: anything that names its ``person``): one minute a
slot, a person reacting to many messages, or submitting many forms (crafted view ids
too), would otherwise hold the workspace's reads for everyone for as many minutes. Past
the cap ``turn`` takes no slot and raises ``TooManyWaiting``, saying how many are waiting
and when the next goes, so the person is told instead.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from storage.db import transaction
from storage.models import utcnow
from storage.repositories.sources import RateRepository

HISTORY = "conversations.history"
REPLIES = "conversations.replies"
TIER3_PER_MINUTE = 40.0  # of Slack's 50: the rest is left to live captures
TIER3_BUDGET = 50.0  # Slack's Tier 3, per workspace and method
LIMITED_PER_MINUTE = 1.0
CAPTURE_TRIES = 4  # a capture's calls of one method, 429s included, before the inbox retries it
# Seconds a capture waits for its slot while holding a worker; a later slot hands the
# delivery back (RateLimited) to be run again at the slot's time.
INLINE_WAIT = 2.0
# Slots one person may keep waiting at once in a workspace (the limited mode: 3 minutes).
WAITING_PER_PERSON = 3


class RateLimited(Exception):
    """No Slack call now: the slot is further off than a caller should wait, or Slack kept
    answering 429. ``until``: when to try again (its stored delivery is run again then)."""

    def __init__(self, message: str, *, until: dt.datetime) -> None:
        super().__init__(message)
        self.until = until


class TooManyWaiting(Exception):
    """The person already keeps ``waiting`` slots (WAITING_PER_PERSON): this read took none.
    ``next_at``: when the first of theirs goes."""

    def __init__(self, *, waiting: int, next_at: dt.datetime) -> None:
        super().__init__(f"{waiting} reads of this person waiting; the next at {next_at.isoformat()}")
        self.waiting, self.next_at = waiting, next_at


@dataclass(frozen=True)
class Pace:
    per_minute: float
    page_size: int  # messages a call (Slack: up to 999, 200 advised; 15 in the limited mode)
    limited: bool

    @property
    def interval(self) -> dt.timedelta:
        return dt.timedelta(seconds=60.0 / self.per_minute)

    def minutes_for(self, messages: int) -> int:
        """Minutes of calls to read ``messages`` (at least one call)."""
        calls = max(1, math.ceil(messages / self.page_size))
        return max(1, math.ceil((calls - 1) / self.per_minute))


def history_pace(settings: Settings) -> Pace:
    limited = settings.slack_history_tier == "limited"
    per_minute = settings.backfill_calls_per_minute or (LIMITED_PER_MINUTE if limited else TIER3_PER_MINUTE)
    return Pace(per_minute=per_minute, page_size=15 if limited else 200, limited=limited)


def capture_pace(settings: Settings) -> Pace:
    """The whole budget (a capture may use what a backfill leaves; BACKFILL_CALLS_PER_MINUTE,
    set for tests and benches, stands for the budget as well)."""
    limited = settings.slack_history_tier == "limited"
    per_minute = settings.backfill_calls_per_minute or (LIMITED_PER_MINUTE if limited else TIER3_BUDGET)
    return Pace(per_minute=per_minute, page_size=1, limited=limited)


def retry_after(headers: Any) -> float:
    """Seconds from a 429's Retry-After header (1 when it is missing or unreadable)."""
    for key, value in dict(headers or {}).items():
        if str(key).lower() == "retry-after":
            try:
                return float(value[0] if isinstance(value, list) else value)
            except (TypeError, ValueError):
                break
    return 1.0


def without_429_retries(client: AsyncWebClient) -> AsyncWebClient:
    """The same client (token, session, base URL) without the SDK's rate-limit retries, for
    a paced call: its 429 comes back at once instead of the SDK sleeping out Retry-After
    (up to a minute in the limited mode, three times) while the call holds a worker and
    other processes, not knowing, call again: the pacer holds them all back instead."""
    handlers = [h for h in client.retry_handlers if not isinstance(h, AsyncRateLimitErrorRetryHandler)]
    if len(handlers) == len(client.retry_handlers):
        return client
    paced = copy.copy(client)
    paced.retry_handlers = handlers
    return paced


class Limiter:
    """Waits for this process's turn at one workspace's method (see the module docstring).
    ``clock`` and ``sleep`` are the real ones except in the bench (a simulated clock)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, team_id: str, method: str,
                 pace: Pace, clock: Callable[[], dt.datetime] = utcnow,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._sessions, self.team_id, self.method = sessions, team_id, method
        self.pace, self._clock, self._sleep = pace, clock, sleep

    async def wait(self) -> None:
        """Until a slot is free now, which this process then takes (captures go first)."""
        while True:
            async with transaction(self._sessions) as session:
                free_at = await RateRepository(session).take_free(
                    self.team_id, self.method, now=self._clock(), interval=self.pace.interval)
            if free_at is None:
                return
            await self._sleep(max(0.001, (free_at - self._clock()).total_seconds()))

    async def hold(self, retry_after: float) -> None:
        """Slack answered 429: nobody calls again before Retry-After has passed."""
        until = self._clock() + dt.timedelta(seconds=max(1.0, retry_after))
        async with transaction(self._sessions) as session:
            await RateRepository(session).block(self.team_id, self.method, until=until)


class Pacer:
    """A capture's turn at one workspace's budget (see the module docstring).

    ``holder`` names the caller across runs (a capture's request, a form's view): with it, a
    slot further off than ``wait_up_to`` seconds is kept for it and ``turn`` raises
    ``RateLimited`` (run again then, it finds the slot kept); without one, ``turn`` waits.
    ``person``: who asked (a Slack user); their slots kept at once are capped
    (WAITING_PER_PERSON), so the holder begins with them (``@U123:``) to be counted."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, team_id: str, pace: Pace,
                 holder: str | None = None, person: str | None = None, wait_up_to: float | None = None,
                 tries: int = CAPTURE_TRIES, clock: Callable[[], dt.datetime] = utcnow,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._sessions, self.team_id, self.pace = sessions, team_id, pace
        self.person = (person or None) and person[:64]
        if holder and self.person:
            holder = f"{self._mine}{holder}"
        self.holder = (holder or None) and holder[:200]
        self.wait_up_to = INLINE_WAIT if wait_up_to is None else wait_up_to  # read now: the bench sets it
        self.tries = tries  # calls of one method, 429s included, before RateLimited
        self.resumed = False  # a turn used the slot kept for this holder: a run handed back
        self.held: dt.datetime | None = None  # until when the last 429 held every caller back
        self._clock, self._sleep = clock, sleep

    async def turn(self, method: str) -> None:
        """Reserve the next slot of ``method`` (ahead of any backfill) and wait for it, or
        keep it and raise ``RateLimited`` when it is too far off (see the class)."""
        now = self._clock()
        async with transaction(self._sessions) as session:
            repo = RateRepository(session)
            kept = await repo.reserved(self.team_id, method, self.holder) if self.holder else None
            slot = kept or await repo.take(self.team_id, method, now=now, interval=self.pace.interval)
            blocked = await repo.blocked_until(self.team_id, method) or now
            # Tier 3 tolerates bursts: only a Retry-After is waited out there. A Retry-After
            # that came after a slot was kept pushes the slot back too.
            until = max(slot, blocked) if self.pace.limited else max(now, blocked)
            later = self.holder is not None and (until - now).total_seconds() > self.wait_up_to
            if later:
                assert self.holder is not None
                if kept is None:
                    # Raised here, the slot just taken is rolled back with the transaction.
                    await self._within_cap(repo, now)
                # The limited mode: its place in the queue, kept for its next run. Tier 3
                # keeps no queue, but the mark tells that run it was handed back (resumed).
                await repo.keep(self.team_id, method, self.holder, at=until, now=now)
            elif kept is not None:
                await repo.used(self.team_id, method, self.holder or "")
                self.resumed = True
        if later:
            raise RateLimited(f"{method}: next slot at {until.isoformat()}", until=until)
        delay = (until - self._clock()).total_seconds()
        if delay > 0:
            await self._sleep(delay)

    async def hand_back(self, method: str) -> dt.datetime:
        """The 429s outlasted this run's tries: when to run it again (after the Retry-After;
        the limited mode: at the next slot from then, kept for it, as ``turn`` keeps one),
        marked so that run knows it was handed back (``resumed``)."""
        now = self._clock()
        until = max(self.held or now, now)
        if self.holder is None:
            return until
        async with transaction(self._sessions) as session:
            repo = RateRepository(session)
            if self.pace.limited and await repo.reserved(self.team_id, method, self.holder) is None:
                await self._within_cap(repo, now)
                until = max(until, await repo.take(self.team_id, method, now=now,
                                                   interval=self.pace.interval))
            await repo.keep(self.team_id, method, self.holder, at=until, now=now)
        return until

    @property
    def _mine(self) -> str:
        return f"@{self.person}:"

    async def _within_cap(self, repo: RateRepository, now: dt.datetime) -> None:
        """Raise ``TooManyWaiting`` when the person keeps WAITING_PER_PERSON slots still ahead
        (the limited mode; Tier 3 keeps no place, only a mark). A slot whose time has come
        holds nobody back any more, so it no longer counts."""
        if not (self.pace.limited and self.person):
            return
        waiting, next_at = await repo.waiting(self.team_id, self._mine, after=now)
        if waiting >= WAITING_PER_PERSON and next_at is not None:
            raise TooManyWaiting(waiting=waiting, next_at=next_at)

    async def free_now(self, method: str) -> bool:
        """A turn now or never (False: the caller goes without the read). For a check that
        may be skipped (is this message still there?), which must not wait: in the limited
        mode it takes only a slot free at once, as a backfill does, never one reserved for a
        capture; in Tier 3, which tolerates bursts, it goes unless a Retry-After holds."""
        now = self._clock()
        async with transaction(self._sessions) as session:
            repo = RateRepository(session)
            if self.pace.limited:
                return await repo.take_free(self.team_id, method, now=now, interval=self.pace.interval) is None
            blocked = await repo.blocked_until(self.team_id, method)
            if blocked is not None and blocked > now:
                return False
            await repo.take(self.team_id, method, now=now, interval=self.pace.interval)
            return True

    async def call(self, client: AsyncWebClient, method: str, **params: Any) -> Any:
        """One call of ``method`` (its turn taken), without the SDK's own 429 retries: a 429
        holds every caller back for its Retry-After (``held``: until when) and is raised."""
        try:
            return await getattr(without_429_retries(client), method.replace(".", "_"))(**params)
        except SlackApiError as e:
            if e.response.status_code == 429:
                self.held = await self.hold(method, retry_after(e.response.headers))
            raise

    async def hold(self, method: str, retry_after: float) -> dt.datetime:
        """Slack answered 429: hold every caller back for Retry-After (returns until when)."""
        until = self._clock() + dt.timedelta(seconds=max(1.0, retry_after))
        async with transaction(self._sessions) as session:
            await RateRepository(session).block(self.team_id, method, until=until)
        return until
