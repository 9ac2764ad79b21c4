"""A coroutine that runs for the life of the bot, started once and stopped on shutdown."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any


class Background:
    def __init__(self, run: Callable[[], Coroutine[Any, Any, None]], *, name: str) -> None:
        self._run = run
        self._name = name
        self._task: asyncio.Task[None] | None = None

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
