"""Acknowledging intake API remarks sent with ``Prefer: respond-async``, in group commits.

Like the Slack inbox (bot/server/inbox.py), each request awaits its place in a batch that
one commit writes: the batch's tokens (remembered by hash; a SELECT only for new ones),
the named processes (looked up once per workspace, only when a request names one), then
one write that spends each token's per-minute budget and stores the requests within it as
inbox deliveries for the worker, all or nothing (storage/repositories/api_intake.py). A
request's answer (202, 401, 403, 429, or 422 for an unknown process) is known only once
that write has committed, so a 202 means stored.

On PostgreSQL the write is one statement on a connection the writer keeps (autocommit: the
server answers once the commit is flushed), so a batch is one round trip, with no pool
checkout, ping, BEGIN or COMMIT; a batch whose tokens this process knows and that names no
process sends it through asyncpg itself (prepared, no SQLAlchemy session), the rest through
a session on that connection. A batch whose write fails, the connection lost with it,
is answered 503 (the statement is atomic: nothing of it is kept, unless the connection
dropped after the commit, which cannot be told apart); the next batch opens a new
connection. On SQLite (a file), a batch whose tokens this process knows and that names no
process is written on a connection the writer keeps outside the pool: its statements and
its durable commit in one trip to the driver's thread, with no session, pool checkout or
reset (three trips before); any other batch goes through the pooled session. The two are
serialised by SQLite's write lock (busy_timeout), as the writes of `earshot worker` are.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import aiosqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.services import Services
from bot.domain.workspace import api_tokens
from bot.server.batching import GroupCommit, KeptConnection
from storage.db import is_sqlite, open_sqlite, sqlite_file, transaction
from storage.models import utcnow
from storage.repositories import ApiTokenRepository, ProcessRepository
from storage.repositories.api_intake import ApiIntakeRepository, Row, store_pg, store_sqlite
from storage.repositories.processes import name_key

log = logging.getLogger(__name__)

API_REMARK = "earshot_api_remark"  # the stored payload's type, for the worker
API_KIND = "api"  # the inbox rows' kind (the worker holds them during a burst: worker.Hold)


class Pending(NamedTuple):  # a tuple: one is made per request, and a tuple is cheapest
    token: str
    body: str  # the remark's JSON text, checked (incoming.parse)
    process: str | None
    key: str | None  # the remark's key when it has an external id; else one per delivery


@dataclass(frozen=True)
class Answer:
    status: Literal[202, 401, 403, 422, 429]
    retry_after: int = 0


# Every answer but a 429 is the same each time: made once.
ACCEPTED, UNAUTHORISED, FORBIDDEN, UNKNOWN_PROCESS = Answer(202), Answer(401), Answer(403), Answer(422)

# Up to 2 ms (and half a commit's time) for the senders a commit answered to send again, so
# their next requests share one flush of the disk (docs/api.md, Throughput).
LINGER = 0.002
IDLE_PING = 30.0  # seconds: a kept connection idle longer is pinged first (a restart while idle)


def batch_draw() -> str:
    """The first 28 of a delivery key's 32 hex digits, one draw a batch (the request's place
    in the batch is the last 4): the time in microseconds, then 60 random bits. Each key is
    still unique (a clash needs two batches in the same microsecond drawing the same 60
    bits), and keys now grow: each batch's rows go to the right-hand end of the inbox's
    unique index on (team_id, delivery_key), a page or two a commit, where wholly random
    keys each landed on a page of their own (a page written to the log per row: about half
    the rows' CPU in SQLite, and a B-tree's random pages on PostgreSQL too; docs/api.md,
    Throughput)."""
    return f"{time.time_ns() // 1000:013x}{secrets.randbits(60):015x}"


class Acceptor(GroupCommit[Pending, Answer]):
    def __init__(self, services: Services, *, max_batch: int = 500) -> None:
        super().__init__(max_batch=max_batch, name="api-acceptor", linger=LINGER)
        self._sessions: async_sessionmaker[AsyncSession] = services.sessions
        # PostgreSQL only: SQLite's pool is one connection, which the writer must not keep.
        self._engine = None if is_sqlite(services.engine) else services.engine
        self._kept = (
            None if self._engine is None
            else KeptConnection(self._engine, name="api", idle_ping=IDLE_PING)
        )
        self._dialect = services.engine.dialect
        self._file = sqlite_file(services.engine)  # SQLite: the file the writer's own connection opens
        self._own: aiosqlite.Connection | None = None
        self.on_stored: list[Any] = []  # callbacks after a batch is committed (wake the worker)
        self.tokens = api_tokens.TokenCache()  # shared with the default (filed) path

    async def accept(self, item: Pending) -> Answer:
        return await self.submit(item)

    async def stop(self, *, grace: float = 0.0) -> None:
        await super().stop(grace=grace)
        await self._drop_connection()
        await self._drop_own()

    async def _flush(self, batch: list[tuple[Pending, asyncio.Future[Answer]]]) -> None:
        try:
            answers = await self._store([item for item, _ in batch])
        except Exception as e:
            log.exception("api: could not store %d accepted remarks", len(batch))
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(e)
            return
        for callback in self.on_stored:
            callback()
        for (_, fut), answer in zip(batch, answers, strict=True):
            if not fut.done():
                fut.set_result(answer)

    async def _store(self, items: list[Pending]) -> list[Answer]:
        if self._engine is None or self._kept is None:
            if self._file is not None and self.batching:
                done = await self._store_own(items)
                if done is not None:
                    return done
            async with transaction(self._sessions) as session:
                return await self._write(session, items)
        if not self.batching:  # on the caller's task, maybe beside others: a connection of its own
            async with self._engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                async with AsyncSession(bind=conn) as session:
                    return await self._write(session, items)
        try:
            done = await self._store_raw(self._kept, items)
            if done is not None:
                return done
            async with AsyncSession(bind=await self._kept.get()) as session:
                return await self._write(session, items)
        except BaseException:
            # Lost, or left mid-statement: a new one for the next batch. The statement is
            # atomic, so this batch is wholly stored or not at all; it is answered 503.
            await self._drop_connection()
            raise

    def _cached(self, items: list[Pending], now: dt.datetime) -> api_tokens.Batch | None:
        """The batch's tokens as this process knows them, or None when the batch needs a
        read first (a token not seen yet, a process named): the session's path takes it."""
        batch = api_tokens.recall_cached(self.tokens, [i.token for i in items], now=now)
        if batch is None or any(i.process and k is not None for i, k in zip(items, batch.known, strict=True)):
            return None
        return batch

    async def _store_own(self, items: list[Pending]) -> list[Answer] | None:
        """SQLite: the batch on the writer's own connection, or None when it needs a read
        first (a token this process has not seen, a process named) or the connection cannot
        be opened: then the pooled session takes it."""
        now = utcnow()
        batch = self._cached(items, now)
        if batch is None:
            return None
        if self._own is None:
            assert self._file is not None
            try:
                self._own = await open_sqlite(self._file, yielding=True)
            except Exception:
                log.warning("api: could not open the acceptor's SQLite connection; using the pool", exc_info=True)
                return None
        rows, stored = self._rows(items, batch, {}, now)
        try:
            used = await store_sqlite(self._own, self._dialect, window=batch.window, spends=batch.spends,
                                      touch=batch.touch, rows=rows, kind=API_KIND, at=now)
        except BaseException:
            await self._drop_own()  # rolled back whole: answered 503; the next batch reopens it
            raise
        return self._answers(batch, used, stored, now)

    async def _store_raw(self, kept: KeptConnection, items: list[Pending]) -> list[Answer] | None:
        """PostgreSQL: the batch's statement sent by asyncpg's connection under ``kept``'s
        itself, or None when it needs a read first (as ``_store_own``): then the session
        takes it. The same statement, in autocommit, as through the session."""
        now = utcnow()
        batch = self._cached(items, now)
        if batch is None:
            return None
        raw = await kept.driver()
        rows, stored = self._rows(items, batch, {}, now)
        used = await store_pg(raw, window=batch.window, spends=batch.spends, touch=batch.touch,
                              rows=rows, kind=API_KIND, at=now)
        return self._answers(batch, used, stored, now)

    async def _write(self, session: AsyncSession, items: list[Pending]) -> list[Answer]:
        now = utcnow()
        batch = await api_tokens.recall(ApiTokenRepository(session), self.tokens, [i.token for i in items], now=now)
        names: dict[str, set[str]] = {}
        for item, k in zip(items, batch.known, strict=True):
            if k is not None and item.process and api_tokens.WRITE in k.scopes and k.team_id not in names:
                names[k.team_id] = {p.name_key for p in await ProcessRepository(session).list(k.team_id)}
        rows, stored = self._rows(items, batch, names, now)
        used = await ApiIntakeRepository(session).spend_and_store(
            window=batch.window, spends=batch.spends, touch=batch.touch, rows=rows, kind=API_KIND, at=now)
        return self._answers(batch, used, stored, now)

    @staticmethod
    def _rows(items: list[Pending], batch: api_tokens.Batch, names: dict[str, set[str]],
              now: dt.datetime) -> tuple[list[Row], list[bool]]:
        """The inbox rows of the batch's storable requests, and per request whether it is one."""
        rows: list[Row] = []
        stored: list[bool] = []  # per request: whether it is one of ``rows``
        received = json.dumps(now.isoformat())
        draw = batch_draw()
        # Per token of the batch: the payload's fields before "key", and its cap (Batch.cap).
        heads: dict[int, tuple[str, int]] = {}
        for i, (item, k, rank) in enumerate(zip(items, batch.known, batch.ranks, strict=True)):
            ok = (k is not None and api_tokens.WRITE in k.scopes
                  and (not item.process or name_key(item.process) in names[k.team_id]))
            stored.append(ok)
            if k is not None and ok:
                delivery = f"api:{draw}{i:04x}"
                head = heads.get(k.id)
                if head is None:
                    head = heads[k.id] = (
                        f'{{"type":{json.dumps(API_REMARK)},"team_id":{json.dumps(k.team_id)},'
                        f'"capturer":{json.dumps(f"api:{k.name}")},"key":"',
                        batch.cap(k))
                # The same JSON json.dumps(..., separators=(",", ":")) made, with the checked
                # text in as it came (not decoded and encoded again). The key is quoted as it
                # is: "ext:" or "api:" and hex digits (intake.key_of, or the delivery's), nothing to escape.
                body = f'{head[0]}{item.key or delivery}","received_at":{received},"body":{item.body}}}'
                rows.append(Row(k.id, rank, head[1], k.team_id, delivery, body))
        return rows, stored

    def _answers(self, batch: api_tokens.Batch, used: dict[int, int], stored: list[bool],
                 now: dt.datetime) -> list[Answer]:
        answers: list[Answer] = []
        for v, ok in zip(api_tokens.settle(self.tokens, batch, used, now=now), stored, strict=True):
            if v is None:
                answers.append(UNAUTHORISED)
            elif isinstance(v, api_tokens.Limited):
                answers.append(Answer(429, v.retry_after))
            elif isinstance(v, api_tokens.Forbidden):  # a read-only token
                answers.append(FORBIDDEN)
            elif not ok:
                answers.append(UNKNOWN_PROCESS)
            else:
                answers.append(ACCEPTED)
        return answers

    async def _drop_own(self) -> None:
        own, self._own = self._own, None
        if own is not None:
            try:
                await own.close()
            except Exception:
                log.debug("api: closing the acceptor's SQLite connection failed", exc_info=True)

    async def _drop_connection(self) -> None:
        if self._kept is not None:
            await self._kept.drop()
