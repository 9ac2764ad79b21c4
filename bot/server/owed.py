"""Sends what captures still owe Slack (bot.domain.workspace.outbox) on a timer: retries after a
Slack error, and whatever a process that died left claimed."""

from __future__ import annotations

import asyncio
import logging

from bot.domain.services import Services
from bot.domain.workspace import outbox
from bot.server.background import Background

log = logging.getLogger(__name__)


class OwedSender:
    def __init__(self, services: Services, *, every_seconds: float = 5.0) -> None:
        self._services = services
        self._every = every_seconds
        self._loop = Background(self._run, name="owed-effects")

    async def start(self) -> None:
        await self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def run_once(self) -> int:
        return await outbox.send_due(self._services, self._services.clients.for_team)

    async def _run(self) -> None:
        while True:
            try:
                while await self.run_once():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("owed effects: pass failed")
            await asyncio.sleep(self._every)
