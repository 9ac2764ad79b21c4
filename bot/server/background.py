"""A coroutine that runs for the life of the bot, started once and stopped on shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)


class Background:
    def __init__(self, run: Callable[[], Coroutine[Any, Any, None]], *, name: str) -> None:
        self._run = run
        self._name = name
        self._task: asyncio.Task[None] | None = None

    @property
    def name(self) -> str:
        return self._name

    @property
    def running(self) -> bool:
        return self._task is not None

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=self._name)

    async def stop(self, *, grace: float = 0.0) -> None:
        """Give the coroutine ``grace`` seconds to return by itself (its owner asked it to
        stop), then cancel it."""
        if self._task is None:
            return
        if grace > 0:
            await asyncio.wait({self._task}, timeout=grace)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None


class Passes:
    """Runs ``run_once`` until a pass finds nothing to do, then waits ``every`` seconds, for
    the life of the bot. A failed pass is logged and the next one tries again. ``stop`` claims
    nothing more and lets a pass in flight record what it did (up to ``grace`` seconds), so
    what it sent is not sent again."""

    def __init__(self, *, every: float, name: str) -> None:
        self._every = every
        self._stopping = asyncio.Event()
        self._loop = Background(self._run, name=name)

    async def run_once(self) -> int:
        """Do what is due; how much (0: nothing, wait for the next tick)."""
        raise NotImplementedError

    async def start(self) -> None:
        self._stopping.clear()
        await self._loop.start()

    async def stop(self, *, grace: float = 5.0) -> None:
        self._stopping.set()
        await self._loop.stop(grace=grace)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                while not self._stopping.is_set() and await self.run_once():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s: pass failed", self._loop.name)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._every)
