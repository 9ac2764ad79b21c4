"""Turns at a workspace's paced budget (bot.domain.workspace.pacing.Pacer) on the real
database, with a simulated clock: a slot too far off is kept for its holder, who comes back
for it without losing its place; a check that may be skipped never waits."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.workspace.pacing import HISTORY, Pace, Pacer, RateLimited
from storage.db import transaction
from storage.repositories.sources import RateRepository

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
LIMITED = Pace(per_minute=1.0, page_size=1, limited=True)
TIER3 = Pace(per_minute=50.0, page_size=1, limited=False)


class Clock:
    def __init__(self) -> None:
        self.now = T0
        self.slept: list[float] = []

    def __call__(self) -> dt.datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += dt.timedelta(seconds=seconds)


def pacer(db, clock: Clock, pace: Pace, holder: str | None) -> Pacer:
    return Pacer(db, team_id="T1", pace=pace, holder=holder, clock=clock, sleep=clock.sleep)


async def test_a_slot_too_far_off_is_kept_for_its_holder_who_keeps_its_place(db):
    clock = Clock()
    await pacer(db, clock, LIMITED, "reaction:U1:C1:1.0").turn(HISTORY)  # the slot now: goes
    with pytest.raises(RateLimited) as second:
        await pacer(db, clock, LIMITED, "reaction:U2:C1:2.0").turn(HISTORY)
    with pytest.raises(RateLimited) as third:
        await pacer(db, clock, LIMITED, "reaction:U3:C1:3.0").turn(HISTORY)
    assert (second.value.until, third.value.until) == (T0 + dt.timedelta(minutes=1), T0 + dt.timedelta(minutes=2))
    # Run again too early, the second keeps its slot: it takes no other, and the third's stays.
    clock.now = T0 + dt.timedelta(seconds=30)
    with pytest.raises(RateLimited) as early:
        await pacer(db, clock, LIMITED, "reaction:U2:C1:2.0").turn(HISTORY)
    assert early.value.until == T0 + dt.timedelta(minutes=1)
    clock.now = T0 + dt.timedelta(seconds=59)  # within INLINE_WAIT of its slot: waits for it
    await pacer(db, clock, LIMITED, "reaction:U2:C1:2.0").turn(HISTORY)
    assert clock.now == T0 + dt.timedelta(minutes=1)
    async with db() as session:
        repo = RateRepository(session)
        assert await repo.reserved("T1", HISTORY, "reaction:U2:C1:2.0") is None  # used
        assert await repo.reserved("T1", HISTORY, "reaction:U3:C1:3.0") == T0 + dt.timedelta(minutes=2)
    # A backfill only takes a slot nobody reserved: the next is after the third capture's.
    async with transaction(db) as session:
        free_at = await RateRepository(session).take_free("T1", HISTORY, now=clock.now,
                                                          interval=LIMITED.interval)
    assert free_at == T0 + dt.timedelta(minutes=3)


async def test_without_a_holder_the_turn_waits(db):
    clock = Clock()
    await pacer(db, clock, LIMITED, None).turn(HISTORY)
    await pacer(db, clock, LIMITED, None).turn(HISTORY)
    assert clock.slept == [60.0]


async def test_tier3_hands_back_only_for_a_long_retry_after(db):
    clock = Clock()
    first = pacer(db, clock, TIER3, "mention:U1:C1:1.0")
    await first.turn(HISTORY)
    await pacer(db, clock, TIER3, "mention:U2:C1:2.0").turn(HISTORY)  # a burst: no wait
    assert clock.slept == []
    await first.hold(HISTORY, 1.0)  # a short Retry-After is waited out in the worker
    await pacer(db, clock, TIER3, "mention:U3:C1:3.0").turn(HISTORY)
    assert clock.slept == [1.0]
    await first.hold(HISTORY, 30.0)
    with pytest.raises(RateLimited) as held:
        await pacer(db, clock, TIER3, "mention:U4:C1:4.0").turn(HISTORY)
    assert held.value.until == clock.now + dt.timedelta(seconds=30)


async def test_a_check_that_may_be_skipped_never_waits_nor_takes_a_reserved_slot(db):
    clock = Clock()
    await pacer(db, clock, LIMITED, "a").turn(HISTORY)  # a capture takes the slot now
    with pytest.raises(RateLimited):  # another reserves the next one, a minute on
        await pacer(db, clock, LIMITED, "b").turn(HISTORY)
    assert await pacer(db, clock, LIMITED, None).free_now(HISTORY) is False
    clock.now = T0 + dt.timedelta(minutes=2)  # past the reserved slot: free again
    assert await pacer(db, clock, LIMITED, None).free_now(HISTORY) is True
    tier3 = pacer(db, clock, TIER3, None)
    assert await tier3.free_now("conversations.replies") is True
    await tier3.hold("conversations.replies", 10.0)
    assert await tier3.free_now("conversations.replies") is False
    assert clock.slept == []
