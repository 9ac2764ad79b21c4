"""Group commit, the shape the intake API's writers share: callers await ``submit()``; a
background task takes whatever arrived while the previous batch was written (up to
``max_batch``) and hands it to ``_flush``, which settles every future once its batch has
committed, so an answer means stored. Not started (CLI, some tests), a submit writes on the
caller's task."""

from __future__ import annotations

import asyncio
from typing import Generic, TypeVar

from bot.server.background import Background

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    def __init__(self, *, max_batch: int, name: str) -> None:
        self._max_batch = max_batch
        self._queue: asyncio.Queue[tuple[T, asyncio.Future[R]]] = asyncio.Queue()
        self._loop = Background(self._writer, name=name)

    async def start(self) -> None:
        await self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def submit(self, item: T) -> R:
        fut: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        if not self._loop.running:
            await self._flush([(item, fut)])
        else:
            await self._queue.put((item, fut))
        return await fut

    async def _writer(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            await self._flush(batch)

    async def _flush(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        raise NotImplementedError
