"""Runs channel backfills (bot.domain.capture.backfill) in the worker process: claims one
job at a time with a lease, so however many processes run, each job has one reader."""

from __future__ import annotations

import asyncio
import logging

from bot.domain.capture import backfill
from bot.domain.services import Services
from bot.domain.workspace.clients import SlackClients
from bot.server.background import Background

log = logging.getLogger(__name__)


class BackfillRunner:
    def __init__(self, services: Services, *, every_seconds: float | None = None) -> None:
        self._services = services
        self._every = every_seconds or services.settings.backfill_poll_seconds
        self._owner = backfill.owner_id()
        # The runner answers a 429 itself (sharing the Retry-After with every process), so its
        # clients do not retry on their own.
        self._clients: SlackClients = services.clients.without_retries()
        self._loop = Background(self._run, name="backfills")

    async def start(self) -> None:
        await self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def run_once(self) -> bool:
        """Claim one job and work it to its end; False when there was none."""
        job_id = await backfill.claim_next(self._services, owner=self._owner)
        if job_id is None:
            return False
        job = await backfill.job(self._services, job_id)
        assert job is not None
        client = await self._clients.for_team(job.team_id)
        if client is None:
            return True  # not installed any more: its lease runs out, nothing is read
        await backfill.run(self._services, client, job_id, owner=self._owner)
        return True

    async def _run(self) -> None:
        while True:
            try:
                while await self.run_once():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("backfills: pass failed")
            await asyncio.sleep(self._every)
