"""Group commit, the shape the durable inbox and the intake API's writers share: callers
await ``submit()``; a background task takes whatever arrived while the previous batch was
written (up to ``max_batch``) and hands it to ``_flush``, which settles every future once
its batch has committed, so an answer means stored. Not started (CLI, some tests), or
stopping, a submit writes on the caller's task."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.server.background import Background

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """``linger`` (seconds, 0: off): how long the writer may wait, after a commit, for the
    senders that commit answered, besides the requests that came during it, before it
    starts the next one (never more than half that commit's time). Senders that wait for
    their answer send the next request when it comes, spread over a fraction of a
    millisecond; a writer that starts at once commits the first few alone and makes the
    rest wait for two flushes of the disk."""

    def __init__(self, *, max_batch: int, name: str, linger: float = 0.0) -> None:
        self._max_batch = max_batch
        self._linger = linger
        # A deque and one wake-up future, not an asyncio.Queue: a put and a get on the Queue
        # cost ~2.5 us a request (its getters, its unfinished-task Event), the deque ~0.2.
        # None asks the writer to stop once it has stored what came before it.
        self._pending: deque[tuple[T, asyncio.Future[R]] | None] = deque()
        self._wake: asyncio.Future[None] | None = None  # set while the writer waits for work
        self._want = 1  # how many pending wake the writer
        self._loop = Background(self._writer, name=name)
        self._closing = False

    @property
    def batching(self) -> bool:
        """Whether a submit joins the writer's next batch (started, not stopping)."""
        return self._loop.running and not self._closing

    async def start(self) -> None:
        self._closing = False
        await self._loop.start()

    async def stop(self, *, grace: float = 0.0) -> None:
        """Store what is queued (up to ``grace`` seconds), then stop: what was submitted
        before is still answered as stored."""
        if self._loop.running:
            self._closing = True  # from now on a late submit() stores on its own task
            self._put(None)  # the writer stores everything before it, then ends
        await self._loop.stop(grace=grace)

    async def submit(self, item: T) -> R:
        fut: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        if not self.batching:
            await self._flush([(item, fut)])
        else:
            self._put((item, fut))
        return await fut

    def _put(self, entry: tuple[T, asyncio.Future[R]] | None) -> None:
        self._pending.append(entry)
        wake = self._wake
        if wake is not None and (entry is None or len(self._pending) >= self._want) and not wake.done():
            wake.set_result(None)

    async def _wait(self, want: int, timeout: float | None) -> None:
        """Until ``want`` are pending (or a stop), at most ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        self._want, self._wake = want, loop.create_future()
        timer = None if timeout is None else loop.call_later(timeout, _settle, self._wake)
        try:
            await self._wake
        finally:
            self._wake, self._want = None, 1
            if timer is not None:
                timer.cancel()

    async def _writer(self) -> None:
        loop = asyncio.get_running_loop()
        pending = self._pending
        # The last batch: its senders and those waiting when it ended; its time; its end.
        senders, took, ended = 0, 0.0, 0.0
        while True:
            if not pending:
                await self._wait(1, None)
            want = min(senders, self._max_batch)
            if self._linger and len(pending) < want and None not in pending:
                # Only right after a commit: its senders are still about to send again.
                left = min(self._linger, took / 2) - (loop.time() - ended)
                if left > 0:
                    await self._wait(want, left)
            batch: list[tuple[T, asyncio.Future[R]]] = []
            stopping = False
            while pending and len(batch) < self._max_batch:
                entry = pending.popleft()
                if entry is None:
                    stopping = True
                    break
                batch.append(entry)
            if batch:
                started = loop.time()
                await self._flush(batch)
                ended = loop.time()
                senders, took = len(batch) + len(pending), ended - started
            if stopping:
                return

    async def _flush(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        raise NotImplementedError


def _settle(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)


class KeptConnection:
    """A PostgreSQL connection in autocommit that a writer keeps between batches, so no pool
    checkout, ping, ``BEGIN`` or ``COMMIT`` travels per batch. ``idle_ping`` (seconds): after
    a pause that long, check it before use (under load, no ping travels)."""

    def __init__(self, engine: AsyncEngine, *, name: str, idle_ping: float | None = None) -> None:
        self._engine, self._name, self._idle_ping = engine, name, idle_ping
        self._conn: AsyncConnection | None = None
        self._driver: Any = None  # the driver's own connection under _conn, once looked up
        self._used_at = 0.0

    async def get(self) -> AsyncConnection:
        idle = time.monotonic() - self._used_at
        if self._conn is not None and self._idle_ping is not None and idle > self._idle_ping:
            try:
                await self._conn.exec_driver_sql("SELECT 1")
                await self._conn.rollback()
            except Exception:
                log.info("%s: the kept connection was lost while idle; opening a new one", self._name)
                await self.drop()
        if self._conn is None:
            conn = await self._engine.connect()
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            self._conn = conn
        self._used_at = time.monotonic()
        return self._conn

    async def driver(self) -> Any:
        """The driver's own connection (asyncpg's) under ``get()``'s, looked up once a
        connection: SQLAlchemy's ``get_raw_connection()`` goes through a greenlet each call."""
        conn = await self.get()
        if self._driver is None:
            self._driver = (await conn.get_raw_connection()).driver_connection
        return self._driver

    async def drop(self) -> None:
        conn, self._conn, self._driver = self._conn, None, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:  # already broken: the pool discards it
                log.debug("%s: closing a broken connection failed", self._name, exc_info=True)
