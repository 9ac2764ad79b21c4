"""The acknowledged path's batches go to the database driver itself, over HTTP against the
running app: once this process knows a burst's tokens (and it names no process), no batch
is sent through SQLAlchemy (SQLite: the acceptor's own aiosqlite connection; PostgreSQL: the
kept connection's asyncpg connection, the same one statement), and every answer is as
before: stored before the 202, the rate limit and a revocation seen at once, an unknown
process a 422 (that batch reads first, through the session). It fails on PostgreSQL before
the batch went to asyncpg directly.

Requests are shaped as in test_intake_ack_batches (Zendesk's webhook with bearer-token
authentication, plus RFC 7240's Prefer header).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bot.domain.workspace import api_tokens
from storage.models import utcnow
from tests.conftest import start_bot
from tests.e2e.queries import TEAM
from tests.e2e.test_intake_ack_batches import made, one_minute, remark, spent, stored, wave


async def test_known_tokens_bursts_reach_the_driver_without_sqlalchemy_and_keep_every_answer(settings, db):
    running, stop = await start_bot(settings.model_copy(update={"worker": "separate"}))
    sync_engine = running.runtime.services.engine.sync_engine
    inserts: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "INSERT INTO deliveries" in statement:
            inserts.append(statement)

    try:
        tok, small = await made(db, "zendesk"), await made(db, "small", rate=3)
        await one_minute()
        first = await wave(running, [(tok, remark(i)) for i in range(4)] + [(small, remark(10))])
        assert [s for s, _ in first] == [202] * 5  # both tokens are now known to the process
        event.listen(sync_engine, "before_cursor_execute", seen)
        try:
            second = await wave(running, [(tok, remark(20 + i)) for i in range(12)]
                                + [(small, remark(40 + i)) for i in range(4)])
            assert inserts == []  # every batch sent by the driver itself
            assert [s for s, _ in second[:12]] == [202] * 12
            assert sorted(s for s, _ in second[12:]) == [202, 202, 429, 429]  # 3 a minute: 1 spent before
            assert all(h["Retry-After"].isdigit() for s, h in second if s == 429)
            assert await stored(db) == 5 + 14  # committed before the answers
            assert (await spent(db, "zendesk"), await spent(db, "small")) == (16, 5)  # refused ones count too
            await api_tokens.revoke(db, TEAM, "zendesk", at=utcnow())
            third = await wave(running, [(tok, remark(60 + i)) for i in range(3)])
            assert [s for s, _ in third] == [401] * 3  # the statement reads the revocation
            assert inserts == []
            # A batch naming a process reads the processes first: through the session.
            other = await made(db, "other")
            await wave(running, [(other, remark(90))])  # known now
            named = await wave(running, [(other, remark(91, process="No such process"))])
            assert [s for s, _ in named] == [422]
        finally:
            event.remove(sync_engine, "before_cursor_execute", seen)
        assert await stored(db) == 5 + 14 + 1
    finally:
        await stop()
