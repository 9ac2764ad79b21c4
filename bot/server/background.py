"""A coroutine that runs for the life of the bot, started once and stopped on shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

# How long a stop waits for a task it cancelled: the cancel lands at the task's next await,
# so it ends at once unless it ignores the cancel. A stop is never held up past this.
CANCEL_WAIT_SECONDS = 1.0


async def wait_set(event: asyncio.Event, seconds: float) -> bool:
    """Wait up to ``seconds`` for ``event``; whether it is set.

    Not ``asyncio.wait_for(event.wait(), ...)``: on Python 3.11, a cancel that lands as the
    event is set is swallowed there (the wait's result is returned instead: bpo-42130, mended in 3.12), so
    a loop cancelled at that moment runs on and the stop awaiting it never returns."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await event.wait()
    return event.is_set()


async def cut_short(tasks: set[asyncio.Task[Any]], *, what: str, warn: bool = True) -> None:
    """Cancel ``tasks`` (their grace is spent; ``warn``: say which) and wait for them, a
    bounded time: a task that ignores its cancel is left behind, with a warning, instead of
    holding up the stop."""
    for task in tasks:
        if not task.done():
            if warn:
                log.warning("%s: %s cut short by the stop (redone after its lease)", what, task.get_name())
            task.cancel()
    if not tasks:
        return
    ended, left = await asyncio.wait(tasks, timeout=CANCEL_WAIT_SECONDS)
    for task in ended:
        if not task.cancelled() and task.exception() is not None:
            log.error("%s: %s failed", what, task.get_name(), exc_info=task.exception())
    for task in left:
        log.warning("%s: %s did not end %.1fs after its cancel; left behind", what, task.get_name(),
                    CANCEL_WAIT_SECONDS)


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
        stop), then cancel it; returns within ``grace`` and CANCEL_WAIT_SECONDS, whatever
        the coroutine does. (Not ``await task`` under ``suppress(CancelledError)``: that
        waits for ever on a task that ignores its cancel, and swallows the caller's own.)"""
        task, self._task = self._task, None
        if task is None:
            return
        if grace > 0:
            await asyncio.wait({task}, timeout=grace)
        # A loop idle between passes is cancelled as a matter of course: no warning for it.
        await cut_short({task}, what=self._name, warn=False)


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
            await wait_set(self._stopping, self._every)
