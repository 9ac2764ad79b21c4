"""The digest's combined reads (headline in one statement, quotes ranked in one query)
give exactly what counting the remarks and captures in Python gives."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from storage.db import transaction
from storage.models import Capture, Remark
from storage.repositories import RemarkRepository
from storage.repositories.digests import DigestRepository
from tests.e2e import digest_support as ds

START = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
END = START + dt.timedelta(days=7)
USERS = [f"U0USER{n:04d}" for n in range(12)]


async def test_headline_and_quotes_match_a_plain_count(db):
    await ds.workspace(db)
    pids = [await ds.process(db, name) for name in ("Billing", "Support", "Onboarding")]
    rnd = random.Random(11)
    async with transaction(db) as s:
        repo = RemarkRepository(s)
        for n in range(150):
            at = START + dt.timedelta(hours=rnd.randrange(-24 * 7, 24 * 14))  # before, in, after
            r, _ = await repo.upsert(
                ds.TEAM, source_key=f"k{n}", said_at=at, process_id=rnd.choice([None, *pids]),
                sentiment=rnd.choice(["praise", "complaint", "neutral"]),
                text=rnd.choice(["", "short", "a longer remark", "the longest remark of them all"]),
                customer=rnd.choice([None, "Acme", "Globex", "Initech", "Umbrella"]),
            )
            for user in rnd.sample(USERS, rnd.randint(1, 3)):
                await repo.add_capture(ds.TEAM, remark_id=r.id, user_id=user, route="reaction",
                                       at=at + dt.timedelta(hours=rnd.randrange(48)))
    async with db() as s:
        remarks = (await s.scalars(select(Remark))).all()
        captures = (await s.scalars(select(Capture))).all()
        digests = DigestRepository(s)
        capturers, customers, unfiled = await digests.headline(ds.TEAM, START, END)
        wanted = [(pids[0], "complaint"), (pids[1], "complaint"), (pids[2], "praise")]
        quotes = await digests.quotes(ds.TEAM, wanted, START, END, per=3)
        assert await digests.quotes(ds.TEAM, [], START, END) == []

    def within(at: dt.datetime) -> bool:
        return START <= at < END

    assert capturers == len({c.user_id for c in captures if within(c.created_at)})
    assert customers == len({r.customer for r in remarks if within(r.said_at) and r.customer})
    assert unfiled == sum(1 for r in remarks if r.process_id is None)
    expected = []
    for pid, sentiment in wanted:
        pool = [r for r in remarks if r.process_id == pid and r.sentiment == sentiment
                and within(r.said_at) and r.text]
        pool.sort(key=lambda r: (-r.endorsements, -len(r.text), -r.id))
        expected += [r.id for r in pool[:3]]
    assert sorted(q.remark_id for q in quotes) == sorted(expected)
    for q in quotes:  # best first within each pair
        same = [x.remark_id for x in quotes if (x.process_id, x.sentiment) == (q.process_id, q.sentiment)]
        assert same == [i for i in expected if i in same]
