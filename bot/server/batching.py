"""Group commit, the shape the durable inbox and the intake API's writers share: callers
await ``submit()``; a background task takes whatever arrived while the previous batch was
written (up to ``max_batch``) and hands it to ``_flush``, which settles every future once
its batch has committed, so an answer means stored. Not started (CLI, some tests), or
stopping, a submit writes on the caller's task."""

from __future__ import annotations

import asyncio
from typing import Generic, TypeVar

from bot.server.background import Background

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
