"""Runs channel backfills (bot.domain.capture.backfill) in the worker process: claims jobs
with a lease, so however many processes run, each job has one reader.

One job per workspace at a time, several workspaces side by side (up to ``MAX_JOBS``): a
job spends nearly all its time waiting for its workspace's next slot (the limited mode:
a minute a page, hours for a long channel), and Slack's limits are per workspace. Run one
at a time to its end, one workspace's backfill held up every other workspace's for as long.
Two jobs of one workspace would only share its one budget, so they take turns instead.

A stop claims nothing more and asks each job to stop at its next safe point (between pages,
or in its wait for a rate slot), where it hands its lease back; a job finishing its summary
is let finish. What is still running when the grace is spent is cancelled, and taken up
again after its lease from its saved cursor (or, a finished job, to send its summary)."""

from __future__ import annotations

import asyncio
import logging

from bot.domain.capture import backfill
from bot.domain.services import Services
from bot.domain.workspace.clients import SlackClients
from bot.server.background import Background, cut_short, wait_set

log = logging.getLogger(__name__)

MAX_JOBS = 8  # jobs one process reads at once (each in another workspace)


class BackfillRunner:
    def __init__(self, services: Services, *, every_seconds: float | None = None) -> None:
        self._services = services
        self._every = every_seconds or services.settings.backfill_poll_seconds
        self._owner = backfill.owner_id()
        # The runner answers a 429 itself (sharing the Retry-After with every process), so its
        # clients do not retry on their own.
        self._clients: SlackClients = services.clients.without_retries()
        self._loop = Background(self._run, name="backfills")
        self._jobs: dict[asyncio.Task[None], str] = {}  # running here: the job's workspace
        self._wake = asyncio.Event()  # a job ended (claim the next without waiting a tick), or a stop
        self._stopping = asyncio.Event()  # seen by the loop and by every job at its safe points

    async def start(self) -> None:
        self._stopping.clear()
        await self._loop.start()

    async def stop(self, *, grace: float = 5.0) -> None:
        """Stop within ``grace`` seconds (and a short bound): claim nothing more, let each
        job reach a safe point and hand its lease back, then cancel what is left."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        self._stopping.set()
        self._wake.set()
        await self._loop.stop(grace=grace)  # the loop ends at once: it sees the stop
        jobs = set(self._jobs)
        if jobs:
            await asyncio.wait(jobs, timeout=max(0.0, deadline - loop.time()))
        await cut_short({t for t in jobs if not t.done()}, what="backfills")
        self._jobs.clear()

    async def _work(self, job_id: int) -> None:
        job = await backfill.job(self._services, job_id)
        assert job is not None
        client = await self._clients.for_team(job.team_id)
        if client is None:
            return  # not installed any more: its lease runs out, nothing is read
        await backfill.run(self._services, client, job_id, owner=self._owner, stop=self._stopping)

    async def start_due(self) -> int:
        """Start every job that may run now (one per workspace, up to MAX_JOBS); how many."""
        started = 0
        while len(self._jobs) < MAX_JOBS and not self._stopping.is_set():
            busy = frozenset(self._jobs.values())
            job_id = await backfill.claim_next(self._services, owner=self._owner, except_teams=busy)
            if job_id is None:
                break
            job = await backfill.job(self._services, job_id)
            assert job is not None
            task = asyncio.create_task(self._guarded(job_id), name=f"backfill-{job_id}")
            self._jobs[task] = job.team_id
            task.add_done_callback(self._done)
            started += 1
        return started

    async def _guarded(self, job_id: int) -> None:
        try:
            await self._work(job_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("backfills: job %s failed", job_id)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._jobs.pop(task, None)
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()  # before the pass: a job ending during it is not missed
            try:
                await self.start_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("backfills: pass failed")
            if not self._stopping.is_set():
                await wait_set(self._wake, self._every)
