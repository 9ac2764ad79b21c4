"""Sends what captures still owe Slack (bot.domain.workspace.outbox) on a timer: retries after a
Slack error, and whatever a process that died left claimed."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.domain.services import Services
from bot.domain.workspace import outbox
from bot.server.background import Background

log = logging.getLogger(__name__)


class OwedSender:
    def __init__(self, services: Services, *, every_seconds: float = 5.0) -> None:
        self._services = services
        self._every = every_seconds
        self._stopping = asyncio.Event()
        self._loop = Background(self._run, name="owed-effects")

    async def start(self) -> None:
        self._stopping.clear()
        await self._loop.start()

    async def stop(self, *, grace: float = 5.0) -> None:
        """Claim nothing more; a pass in flight finishes its calls and records them (up to
        ``grace`` seconds), so nothing it sent is sent again."""
        self._stopping.set()
        await self._loop.stop(grace=grace)

    async def run_once(self) -> int:
        return await outbox.send_due(self._services, self._services.clients.for_team)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                while not self._stopping.is_set() and await self.run_once():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("owed effects: pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._every)
