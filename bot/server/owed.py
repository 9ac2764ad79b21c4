"""Sends what captures still owe Slack (bot.domain.workspace.outbox) on a timer: retries after a
Slack error, and whatever a process that died left claimed."""

from __future__ import annotations

from bot.domain.services import Services
from bot.domain.workspace import outbox
from bot.server.background import Passes


class OwedSender(Passes):
    def __init__(self, services: Services, *, every_seconds: float = 5.0) -> None:
        super().__init__(every=every_seconds, name="owed-effects")
        self._services = services

    async def run_once(self) -> int:
        return await outbox.send_due(self._services, self._services.clients.for_team)
