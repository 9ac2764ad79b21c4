"""The daily roll-up the digest reads is kept exactly in step with the remarks it counts,
through every write: new remark, endorsement, correction of process or sentiment,
withdrawn capture, deletion, and the app's own correction and undo paths."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select

from bot.domain.filing.corrections import correct_process, correct_sentiment, undo_capture
from bot.domain.services import Services
from storage.db import transaction
from storage.models import Remark, RemarkDaily
from storage.repositories import RemarkRepository
from tests.e2e import digest_support as ds

T0 = dt.datetime(2025, 3, 3, 12, tzinfo=dt.UTC)


async def rollup(db) -> dict:
    async with db() as s:
        rows = (await s.execute(select(RemarkDaily.day, RemarkDaily.process_id, RemarkDaily.sentiment,
                                       RemarkDaily.remarks, RemarkDaily.endorsements))).all()
    return {(d, p, se): (r, e) for d, p, se, r, e in rows if r or e}


async def recomputed(db) -> dict:
    async with db() as s:
        rows = (await s.execute(select(Remark.said_at, Remark.process_id, Remark.sentiment,
                                       Remark.endorsements))).all()
    out: dict = {}
    for said, pid, sentiment, endorsements in rows:
        key = (said.astimezone(dt.UTC).date(), pid or 0, sentiment)
        r, e = out.get(key, (0, 0))
        out[key] = (r + 1, e + endorsements)
    return out


async def test_rollup_matches_remarks_through_random_writes(db):
    await ds.workspace(db)
    pids = [await ds.process(db, name) for name in ("Billing", "Support", "Onboarding")]
    rnd = random.Random(5)
    ids: list[int] = []
    for step in range(120):
        op = rnd.random()
        async with transaction(db) as s:
            repo = RemarkRepository(s)
            if op < 0.35 or not ids:
                at = T0 + dt.timedelta(hours=rnd.randrange(24 * 14))
                r, _ = await repo.upsert(ds.TEAM, source_key=f"k{step}", said_at=at,
                                         process_id=rnd.choice([None, *pids]),
                                         sentiment=rnd.choice(["praise", "complaint", "neutral"]))
                await repo.add_capture(ds.TEAM, remark_id=r.id, user_id=ds.ALICE, route="reaction")
                ids.append(r.id)
            elif op < 0.55:
                await repo.add_capture(ds.TEAM, remark_id=rnd.choice(ids), user_id=rnd.choice(ds.CAPTURERS),
                                       route=rnd.choice(["reaction", "forward"]))
            elif op < 0.75:
                remark = await repo.get(ds.TEAM, rnd.choice(ids))
                if remark:
                    await repo.update_fields(remark, process_id=rnd.choice([None, *pids]),
                                             sentiment=rnd.choice(["praise", "complaint"]))
            elif op < 0.9:
                rid = rnd.choice(ids)
                _, gone = await repo.withdraw_capture(ds.TEAM, remark_id=rid,
                                                      user_id=rnd.choice(ds.CAPTURERS))
                if gone:
                    ids.remove(rid)
            else:
                rid = rnd.choice(ids)
                await repo.delete(ds.TEAM, rid)
                ids.remove(rid)
        if step % 20 == 19:
            assert await rollup(db) == await recomputed(db), step
    assert await rollup(db) == await recomputed(db)
    async with db() as s:
        assert await s.scalar(select(func.count()).select_from(Remark)) > 10


async def test_app_corrections_and_undo_move_the_counts(settings, db):
    services = Services.create(settings)
    try:
        await ds.workspace(db)
        billing = await ds.process(db, "Billing")
        rid = await ds.remark(db, process_id=None, sentiment="neutral", at=T0, captures=2)
        await correct_process(services, team_id=ds.TEAM, remark_id=rid, process_id=billing, by=ds.BOB)
        await correct_sentiment(services, team_id=ds.TEAM, remark_id=rid, sentiment="complaint", by=ds.BOB)
        assert await rollup(db) == {(T0.date(), billing, "complaint"): (1, 2)}
        await undo_capture(services, team_id=ds.TEAM, remark_id=rid, user_id=ds.BOB)
        assert await rollup(db) == {(T0.date(), billing, "complaint"): (1, 1)}
        await undo_capture(services, team_id=ds.TEAM, remark_id=rid, user_id=ds.ALICE)
        assert await rollup(db) == {} == await recomputed(db)
    finally:
        await services.close()
