"""The intake API's acknowledged path (``Prefer: respond-async``) under concurrent requests,
over HTTP against the running app: each group commit spends the tokens' budgets and stores
the requests within them together, all or nothing (bot/server/api/accept.py).

Requests are shaped as Zendesk's webhook with bearer-token authentication sends them (a JSON
body, Content-Type: application/json, Authorization: Bearer;
https://support.zendesk.com/hc/en-us/articles/4408839108378) plus RFC 7240's Prefer header.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select, text

from bot.domain.workspace import api_tokens
from storage.db import is_sqlite
from storage.models import ApiRate, ApiToken, Delivery, Remark, utcnow
from tests.conftest import settled
from tests.e2e.queries import TEAM, count

Answer = tuple[int, dict[str, str]]


async def made(db: Any, name: str, *, rate: int = 600, scopes: str | None = None) -> str:
    return (await api_tokens.create(db, TEAM, name, by="U0ALICE001", at=utcnow(), rate_per_minute=rate,
                                    scopes=scopes)).token


async def wave(bot: Any, sends: list[tuple[str, dict[str, Any]]]) -> list[Answer]:
    """Every request at once, on one client's connections (as a helpdesk burst arrives)."""
    async with aiohttp.ClientSession() as http:
        async def one(tok: str, body: dict[str, Any]) -> Answer:
            async with http.post(f"{bot.base_url}/api/v1/remarks", json=body,
                                 headers={"Authorization": f"Bearer {tok}", "Prefer": "respond-async"}) as r:
                await r.read()
                return r.status, dict(r.headers)
        return list(await asyncio.gather(*(one(tok, body) for tok, body in sends)))


def remark(i: int, **more: Any) -> dict[str, Any]:
    return {"text": f"Ticket {i}: the export times out", "source": "zendesk", "external_id": f"Z-{i}", **more}


async def stored(db: Any) -> int:
    return await count(db, Delivery, Delivery.kind == "api")


async def spent(db: Any, name: str) -> int:
    async with db() as s:
        used = await s.scalar(select(ApiRate.used).join(ApiToken, ApiToken.id == ApiRate.token_id)
                              .where(ApiToken.name == name, ApiToken.revoked_at.is_(None)))
    return int(used or 0)


async def one_minute() -> None:
    """Start where the rest of the test fits in one rate window (a fixed minute)."""
    left = 60 - time.time() % 60
    if left < 10:
        await asyncio.sleep(left + 0.1)


async def test_a_burst_of_mixed_requests_is_answered_each_by_its_own_check(bot, db):
    small = await made(db, "small", rate=4)
    big = await made(db, "big")
    reader = await made(db, "reader", scopes="read")
    await one_minute()
    sends = ([(small, remark(i)) for i in range(10)] + [(big, remark(100 + i)) for i in range(4)]
             + [(big, remark(200 + i, process="Nope")) for i in range(2)]
             + [(reader, remark(300 + i)) for i in range(3)] + [("esk_" + "n" * 43, remark(400 + i)) for i in range(2)])
    order = [sends[i] for i in sorted(range(len(sends)), key=lambda i: (i * 7) % len(sends))]  # interleaved
    answers = dict(zip((body["external_id"] for _, body in order), await wave(bot, order), strict=True))
    small_status = sorted(answers[f"Z-{i}"][0] for i in range(10))
    assert small_status == [202] * 4 + [429] * 6
    assert all(int(h["Retry-After"]) >= 1 for s, h in answers.values() if s == 429)
    assert [answers[f"Z-{100 + i}"][0] for i in range(4)] == [202] * 4
    assert [answers[f"Z-{200 + i}"][0] for i in range(2)] == [422] * 2
    assert [answers[f"Z-{300 + i}"][0] for i in range(3)] == [403] * 3
    assert [answers[f"Z-{400 + i}"][0] for i in range(2)] == [401] * 2
    # Only what was answered 202 is stored; every authenticated request spent its budget.
    assert await stored(db) == 8
    assert (await spent(db, "small"), await spent(db, "big"), await spent(db, "reader")) == (10, 6, 3)
    await settled(bot)
    assert await count(db, Remark) == 8
    # Past its budget the token stays refused, alone or in a crowd.
    assert [s for s, _ in await wave(bot, [(small, remark(500 + i)) for i in range(3)])] == [429] * 3
    assert await stored(db) == 8


async def test_a_token_revoked_between_bursts_is_refused_at_once_and_its_neighbours_are_not(bot, db):
    gone, kept = await made(db, "gone"), await made(db, "kept")
    first = await wave(bot, [(gone, remark(i)) for i in range(5)] + [(kept, remark(10 + i)) for i in range(5)])
    assert [s for s, _ in first] == [202] * 10  # the process now remembers both tokens
    await api_tokens.revoke(db, TEAM, "gone", at=utcnow())
    second = await wave(bot, [(gone, remark(20 + i)) if i % 2 else (kept, remark(30 + i)) for i in range(10)])
    assert [s for s, _ in second] == [202 if i % 2 == 0 else 401 for i in range(10)]
    assert await stored(db) == 15


async def test_a_burst_the_database_refuses_is_503_and_spends_nothing(bot, db, settings):
    tok = await made(db, "zendesk")
    await one_minute()
    assert [s for s, _ in await wave(bot, [(tok, remark(0))])] == [202]
    refuse, allow = _refusing(settings.database_url)
    async with db() as session, session.begin():
        for statement in refuse:
            await session.execute(text(statement))
    try:
        answers = await wave(bot, [(tok, remark(1 + i)) for i in range(6)])
    finally:
        async with db() as session, session.begin():
            for statement in allow:
                await session.execute(text(statement))
    assert [s for s, _ in answers] == [503] * 6
    assert all(h["Retry-After"] == "1" for _, h in answers)
    # The rate spend and the rows commit together or not at all.
    assert (await stored(db), await spent(db, "zendesk")) == (1, 1)
    assert [s for s, _ in await wave(bot, [(tok, remark(10 + i)) for i in range(4)])] == [202] * 4
    assert (await stored(db), await spent(db, "zendesk")) == (5, 5)


async def test_a_dropped_connection_fails_its_batch_with_503_and_the_next_one_reconnects(bot, db, settings):
    if is_sqlite(settings.database_url):
        pytest.skip("PostgreSQL: the acceptor keeps a connection of its own")
    tok = await made(db, "zendesk")
    await one_minute()
    answers = await wave(bot, [(tok, remark(i)) for i in range(5)])
    async with db() as session:  # what a server restart or a failover does to the bot
        await session.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    after = [await wave(bot, [(tok, remark(10 * w + i)) for i in range(5)]) for w in range(1, 5)]
    statuses = [s for s, _ in answers] + [s for w in after for s, _ in w]
    assert set(statuses) <= {202, 503}
    assert 503 in [s for s, _ in after[0]]  # the batch on the lost connection
    assert all(h["Retry-After"] == "1" for w in after for s, h in w if s == 503)
    assert [s for s, _ in after[-1]] == [202] * 5  # a new connection took over
    accepted = statuses.count(202)
    assert (await stored(db), await spent(db, "zendesk")) == (accepted, accepted)  # nothing half-written


def _refusing(database_url: str) -> tuple[list[str], list[str]]:
    """Statements that make every INSERT into deliveries fail, and that undo it."""
    if is_sqlite(database_url):
        return (["CREATE TRIGGER refuse_deliveries BEFORE INSERT ON deliveries "
                 "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"], ["DROP TRIGGER refuse_deliveries"])
    return (["CREATE FUNCTION refuse_deliveries() RETURNS trigger LANGUAGE plpgsql AS "
             "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
             "CREATE TRIGGER refuse_deliveries BEFORE INSERT ON deliveries "
             "FOR EACH ROW EXECUTE FUNCTION refuse_deliveries()"],
            ["DROP TRIGGER refuse_deliveries ON deliveries", "DROP FUNCTION refuse_deliveries()"])
