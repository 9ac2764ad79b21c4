"""Pacing a workspace's calls of one rate-limited Slack method across every process.

``conversations.history`` is Tier 3 (50+ calls a minute per workspace) for an app a
company installs itself or one from the Marketplace; for an app distributed commercially
outside the Marketplace, Slack allows 1 call a minute and 15 messages a call
(docs.slack.dev/reference/methods/conversations.history, rate limits of May 29, 2025).
SLACK_HISTORY_TIER says which applies. Backfills use 40 of Tier 3's 50 calls a minute, so
a capture by reaction (which reads the message with the same method) still gets through.

The slots live in the database (``rate_slots``): two processes backfilling the same
workspace share one pace, and a 429's Retry-After holds them all back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from storage.db import transaction
from storage.models import utcnow
from storage.repositories.sources import RateRepository

HISTORY = "conversations.history"
TIER3_PER_MINUTE = 40.0  # of Slack's 50: the rest is left to live captures
LIMITED_PER_MINUTE = 1.0


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


class Limiter:
    """Waits for this process's turn at one workspace's method (see the module docstring).
    ``clock`` and ``sleep`` are the real ones except in the bench (a simulated clock)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, team_id: str, method: str,
                 pace: Pace, clock: Callable[[], dt.datetime] = utcnow,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._sessions, self.team_id, self.method = sessions, team_id, method
        self.pace, self._clock, self._sleep = pace, clock, sleep

    async def wait(self) -> None:
        async with transaction(self._sessions) as session:
            slot = await RateRepository(session).take(self.team_id, self.method, now=self._clock(),
                                                      interval=self.pace.interval)
        delay = (slot - self._clock()).total_seconds()
        if delay > 0:
            await self._sleep(delay)

    async def hold(self, retry_after: float) -> None:
        """Slack answered 429: nobody calls again before Retry-After has passed."""
        until = self._clock() + dt.timedelta(seconds=max(1.0, retry_after))
        async with transaction(self._sessions) as session:
            await RateRepository(session).block(self.team_id, self.method, until=until)
