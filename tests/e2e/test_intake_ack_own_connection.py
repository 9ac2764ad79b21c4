"""The acknowledged path's batches on the acceptor's own connection, over HTTP against the
running app: once this process knows a batch's tokens (and it names no process), the batch
takes no connection from the pool (on SQLite its statements and durable commit run on a
connection the writer keeps; PostgreSQL keeps one already), and answers as before: stored
before the 202, a revocation and the rate limit seen at once, an unknown process a 422.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bot.domain.workspace import api_tokens
from storage.models import utcnow
from tests.conftest import start_bot
from tests.e2e.queries import TEAM
from tests.e2e.test_intake_ack_batches import made, one_minute, remark, stored, wave


async def test_bursts_with_known_tokens_take_no_pooled_connection_and_keep_every_answer(settings, db):
    # No worker in the process (as under `earshot serve` with WORKER=separate): nothing but
    # the acceptor uses the pool while the bursts run.
    running, stop = await start_bot(settings.model_copy(update={"worker": "separate"}))
    try:
        tok, small = await made(db, "zendesk"), await made(db, "small", rate=3)
        await one_minute()
        first = await wave(running, [(tok, remark(i)) for i in range(4)] + [(small, remark(10))])
        assert [s for s, _ in first] == [202] * 5  # both tokens are now known to the process
        checkouts: list[Any] = []
        pool = running.runtime.services.engine.sync_engine.pool

        def checked_out(*_: Any) -> None:
            checkouts.append(1)

        event.listen(pool, "checkout", checked_out)
        try:
            second = await wave(running, [(tok, remark(20 + i)) for i in range(12)]
                                + [(small, remark(40 + i)) for i in range(4)])
            assert checkouts == []  # every batch on the acceptor's own connection
            assert sorted(s for s, _ in second[12:]) == [202, 202, 429, 429]  # 3 a minute: 1 spent before
            assert [s for s, _ in second[:12]] == [202] * 12
            assert await stored(db) == 5 + 14  # committed before the answers
            await api_tokens.revoke(db, TEAM, "zendesk", at=utcnow())
            third = await wave(running, [(tok, remark(60 + i)) for i in range(3)])
            assert [s for s, _ in third] == [401] * 3  # the rate upsert reads the revocation
            assert checkouts == []
        finally:
            event.remove(pool, "checkout", checked_out)
        # A batch naming a process reads the processes first: through the pool, as before.
        named = await wave(running, [(small, remark(80, process="No such process"))])
        assert [s for s, _ in named] == [429]  # small's budget is spent this minute
        other = await made(db, "other")
        await wave(running, [(other, remark(90))])  # known now
        named = await wave(running, [(other, remark(91, process="No such process")),
                                     (other, remark(92))])
        assert [s for s, _ in named] == [422, 202]
        assert await stored(db) == 5 + 14 + 2
    finally:
        await stop()
