"""While acknowledged intake remarks (``Prefer: respond-async``) arrive fast, the worker
holds their filing, up to ``API_ASYNC_MAX_LAG_SECONDS`` after each arrived, so a burst is
acknowledged first (bot/server/worker.py, ``Hold``); Slack's deliveries are run meanwhile,
and every stored remark is filed exactly once, across a restart too. Over HTTP against the
running app, its worker inline.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy import func, select

from bot.server.intake_hold import Hold
from storage.models import Delivery, Remark
from tests.conftest import settled, start_bot
from tests.e2e.queries import ALICE, count
from tests.e2e.test_intake_ack_batches import made, remark, wave

LAG = 1.5  # seconds: the stated bound, short for the test


async def stream(bot: Any, tok: str, *, seconds: float, start: int = 0, size: int = 40,
                 every: float = 0.15) -> list[int]:
    """Waves of ``size`` remarks, one every ``every`` seconds, for ``seconds``: a burst that
    never lets the intake go quiet."""
    statuses: list[int] = []
    n = start
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        statuses += [s for s, _ in await wave(bot, [(tok, remark(n + i)) for i in range(size)])]
        n += size
        await asyncio.sleep(every)
    return statuses


async def filed_once(db: Any, answered: int) -> None:
    """Every acknowledged remark is one remark, and its delivery finished."""
    async with db() as s:
        remarks = await s.scalar(select(func.count()).select_from(Remark))
        texts = await s.scalar(select(func.count(func.distinct(Remark.text))))
    assert (remarks, texts) == (answered, answered)
    assert await count(db, Delivery, Delivery.kind == "api", Delivery.done_at.is_(None)) == 0


async def test_a_burst_is_filed_within_the_lag_bound_and_slack_runs_meanwhile(settings, db, fake):
    running, stop = await start_bot(settings.model_copy(update={"api_async_max_lag_seconds": LAG}))
    try:
        tok = await made(db, "zendesk", rate=100_000)
        sim = fake.simulator(running.url)
        # A lone remark is not held (and the classifier is loaded before the burst).
        assert [s for s, _ in await wave(running, [(tok, remark(-1))])] == [202]
        await settled(running, timeout=30)
        async with db() as s:
            lone, lone_remark = await s.scalar(select(Delivery.id)), await s.scalar(select(Remark.id))
        assert lone_remark is not None

        async def slack_midway() -> None:
            await asyncio.sleep(0.4)
            await sim.open_home(ALICE)  # an event for the worker, mid-burst

        statuses, _ = await asyncio.gather(stream(running, tok, seconds=LAG + 4.0), slack_midway())
        assert set(statuses) == {202}
        await settled(running, timeout=60)
        async with db() as s:
            burst = (Delivery.kind == "api", Delivery.id != lone)
            first_in, last_in = (await s.execute(select(func.min(Delivery.received_at), func.max(Delivery.received_at))
                                                 .where(*burst))).one()
            filed = sorted((await s.scalars(select(Remark.created_at).where(Remark.id != lone_remark))).all())
            home = (await s.scalars(select(Delivery).where(Delivery.kind == "event"))).one()
        # The acceptor may commit a wave's first requests as a batch of their own, fewer
        # than a burst (Hold.burst), which is filed at once: only a short head, not the burst.
        young = [t for t in filed if (t - first_in).total_seconds() < LAG - 0.2]
        assert len(young) < Hold.burst, len(young)
        first_filed = filed[len(young)]
        held = (first_filed - first_in).total_seconds()
        # Nothing more was filed while the burst was young; the bound, not the burst's end,
        # ended the hold: the rest was filed from about LAG after it came, the burst still on.
        assert held <= LAG + 3.0, held
        assert first_filed < last_in
        # Slack's delivery did not wait for the hold.
        assert home.done_at is not None and home.done_at < first_filed
        await filed_once(db, len(statuses) + 1)
    finally:
        await stop()


async def test_a_held_burst_survives_a_restart_and_is_filed_once(settings, db):
    quick = settings.model_copy(update={"api_async_max_lag_seconds": LAG})
    running, stop = await start_bot(quick)
    tok = await made(db, "zendesk", rate=100_000)
    try:
        statuses = await stream(running, tok, seconds=0.5)
        assert set(statuses) == {202}
        # Stopped while holding: stored, none filed but (at most) a head of a wave that
        # the acceptor committed as a batch of its own, fewer than a burst (see above).
        assert await count(db, Remark) < Hold.burst
    finally:
        await stop()
    assert await count(db, Delivery, Delivery.kind == "api", Delivery.done_at.is_(None)) == len(statuses)
    running, stop = await start_bot(quick)
    try:
        more = await stream(running, tok, seconds=0.3, start=len(statuses))
        await settled(running, timeout=60)
        await filed_once(db, len(statuses) + len(more))
    finally:
        await stop()
