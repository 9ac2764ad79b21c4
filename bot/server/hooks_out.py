"""Sends outbound webhooks (bot.domain.workspace.hooks_send) on a timer, in the worker
process: what is due, retries, and what a process that died left leased."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.domain.services import Services
from bot.domain.workspace.hooks_send import Sender
from bot.server.background import Background

log = logging.getLogger(__name__)


class HookSender:
    def __init__(self, services: Services) -> None:
        self.sender = Sender(services)
        self._every = services.settings.webhooks_poll_seconds
        self._stopping = asyncio.Event()
        self._loop = Background(self._run, name="webhooks-out")

    async def start(self) -> None:
        self._stopping.clear()
        await self._loop.start()

    async def stop(self, *, grace: float = 5.0) -> None:
        """Claim nothing more; a pass in flight records its outcomes (up to ``grace`` seconds),
        so what it sent is not sent again."""
        self._stopping.set()
        await self._loop.stop(grace=grace)
        await self.sender.close()

    async def run_once(self) -> int:
        return await self.sender.run_once()

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                while not self._stopping.is_set() and await self.run_once():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("webhooks: pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._every)
