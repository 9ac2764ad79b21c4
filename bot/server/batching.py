"""Group commit, the shape the durable inbox and the intake API's writers share: callers
await ``submit()``; a background task takes whatever arrived while the previous batch was
written (up to ``max_batch``) and hands it to ``_flush``, which settles every future once
its batch has committed, so an answer means stored. Not started (CLI, some tests), or
stopping, a submit writes on the caller's task."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.server.background import Background

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    def __init__(self, *, max_batch: int, name: str) -> None:
        self._max_batch = max_batch
        # None asks the writer to stop once it has stored what came before it.
        self._queue: asyncio.Queue[tuple[T, asyncio.Future[R]] | None] = asyncio.Queue()
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
            self._queue.put_nowait(None)  # the writer stores everything before it, then ends
        await self._loop.stop(grace=grace)

    async def submit(self, item: T) -> R:
        fut: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        if not self.batching:
            await self._flush([(item, fut)])
        else:
            self._queue.put_nowait((item, fut))
        return await fut

    async def _writer(self) -> None:
        while True:
            batch: list[tuple[T, asyncio.Future[R]]] = []
            stopping = False
            item = await self._queue.get()
            while True:
                if item is None:
                    stopping = True
                    break
                batch.append(item)
                if len(batch) >= self._max_batch or self._queue.empty():
                    break
                item = self._queue.get_nowait()
            if batch:
                await self._flush(batch)
            if stopping:
                return

    async def _flush(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        raise NotImplementedError


class KeptConnection:
    """A PostgreSQL connection in autocommit that a writer keeps between batches, so no pool
    checkout, ping, ``BEGIN`` or ``COMMIT`` travels per batch. ``idle_ping`` (seconds): after
    a pause that long, check it before use (under load, no ping travels)."""

    def __init__(self, engine: AsyncEngine, *, name: str, idle_ping: float | None = None) -> None:
        self._engine, self._name, self._idle_ping = engine, name, idle_ping
        self._conn: AsyncConnection | None = None
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

    async def drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:  # already broken: the pool discards it
                log.debug("%s: closing a broken connection failed", self._name, exc_info=True)
