"""Captures filed at once share their themes correctly: a burst of reactions on messages
that say nearly the same thing is worked through by the inbox worker eight at a time, and
every placement reads the themes as the one before it left them. On PostgreSQL, captures
placing at once used to lock theme and remark rows in different orders (a merge moves
members while another capture writes a sum): one was cancelled as a deadlock victim and its
delivery retried after a backoff, and two that read a theme's sum together kept only one
addition. (SQLite runs one transaction at a time: the same assertions hold there.)
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from bot.domain.filing import themes
from storage.models import Delivery, Remark, Theme
from tests.conftest import eventually
from tests.e2e.queries import count
from tests.e2e.test_graceful_stop import capturers, react_all

BURST = 24
# Three ways of saying each of two things: placements seed, join and merge themes at once.
SAID = [
    "the invoice is missing our VAT number again",
    "invoices still come without the VAT number on them",
    "no VAT number printed on the invoice, finance rejected it",
    "the refund for the cancelled order took three weeks to arrive",
    "still waiting on the refund for a cancelled order, weeks now",
    "refund of a cancelled order is late again",
]


async def test_a_burst_of_captures_places_every_remark_once_without_a_retry(fake, bot, db):
    users = capturers(fake, BURST)
    await react_all(fake, bot.url, users, [f"[Billing] {SAID[i % len(SAID)]}" for i in range(BURST)])

    async def filed() -> bool:
        return await count(db, Delivery, Delivery.done_at.is_(None)) == 0

    await eventually(filed, timeout=60)
    async with db() as s:
        deliveries = (await s.scalars(select(Delivery))).all()
        remarks = (await s.scalars(select(Remark))).all()
        stored = (await s.scalars(select(Theme))).all()
    # Each delivery ran once, and none failed (a deadlock victim is retried after a backoff).
    assert [(d.attempts, d.last_error) for d in deliveries] == [(1, None)] * BURST
    assert len(remarks) == BURST
    placed = [r for r in remarks if r.theme_id is not None]  # those the classifier filed
    assert len(placed) > BURST // 2
    # Each theme's centroid is the sum of its members' vectors: no placement's addition lost.
    members: dict[int, list[np.ndarray]] = {}
    for r in placed:
        vec = themes.vector(r.text)
        assert vec is not None
        members.setdefault(r.theme_id, []).append(vec)
    assert {t.id for t in stored} == set(members)
    for t in stored:
        centroid = np.frombuffer(t.centroid, dtype=np.float32)
        assert np.allclose(centroid, np.sum(members[t.id], axis=0), atol=1e-3), (t.id, len(members[t.id]))
