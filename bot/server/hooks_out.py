"""Sends outbound webhooks (bot.domain.workspace.hooks_send) on a timer, in the worker
process: what is due, retries, and what a process that died left leased."""

from __future__ import annotations

from bot.domain.services import Services
from bot.domain.workspace.hooks_send import Sender
from bot.server.background import Passes


class HookSender(Passes):
    def __init__(self, services: Services) -> None:
        super().__init__(every=services.settings.webhooks_poll_seconds, name="webhooks-out")
        self.sender = Sender(services)

    async def stop(self, *, grace: float = 5.0) -> None:
        await super().stop(grace=grace)
        await self.sender.close()

    async def run_once(self) -> int:
        return await self.sender.run_once()
