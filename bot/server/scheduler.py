"""The clock: APScheduler jobs that post weekly digests and batch owner alerts.

* One cron job per workspace, in the workspace's time zone (APScheduler's CronTrigger
  is DST-correct: 09:00 stays 09:00 local).
* A poll job (every DIGEST_POLL_SECONDS, default 30 s) re-reads the workspaces table,
  so schedule changes made in Slack take effect without a restart, and catches up:
  any workspace whose latest slot passed within the grace window (DIGEST_GRACE_HOURS)
  without a finished digest gets it now (marked late when over 15 minutes behind).
* An owner-alert job batches complaint DMs (at most one per owner per hour).
* A retention job (every RETENTION_POLL_SECONDS, default hourly) drops the text of remarks
  older than REMARK_TEXT_RETENTION_DAYS, purges workspaces uninstalled more than
  UNINSTALL_GRACE_DAYS ago, and forgets tracker deliveries past their replay window and
  modal replies past Slack's 30 minutes.
* A CRM sync job (every CRM_SYNC_MINUTES, default 6 hours; 0 turns it off) brings each
  workspace's customer registry in step with its HubSpot or Salesforce (docs/customers.md).
* A heartbeat job writes the ``clock`` row of ``heartbeats`` every minute, so
  ``earshot doctor`` can tell whether a clock is running.

Running several of these (``earshot clock`` processes, ``earshot serve``, which runs one unless
--no-clock) is safe: every post is claimed in the database first (``digest_runs``, the alert
queues, ``loop_claims``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.digest.build import schedule_of
from bot.digest.periods import due_period
from bot.digest.post import DigestPoster
from bot.domain.alerts.customers import send_customer_alerts
from bot.domain.alerts.owners import send_owner_alerts
from bot.domain.capture import hearing
from bot.domain.customers.crm.clock import sync_due
from bot.domain.loop import improvements, praise, trackers, verdict_events
from bot.domain.privacy import retention
from bot.domain.services import Services
from bot.domain.workspace import replies
from bot.domain.workspace.clients import Clients
from bot.settings.crm import CrmConfigError, sync_minutes
from storage.models import Workspace, utcnow
from storage.repositories.digests import CLAIMED, RETRY, DigestRepository

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 60
CLOCK_HEARTBEAT = "clock"

CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def build_digest_client(services: Services) -> Clients:
    """Each workspace's Web API client without automatic retries: the poster retries itself,
    after checking the channel for an earlier post, so a retry can never post twice. In
    single-token mode that is the one client (what tests hand to per-team functions)."""
    clients = services.clients.without_retries()
    return clients if services.settings.oauth else clients.client(services.settings.bot_token)


def offset_clock(services: Services) -> Callable[[], dt.datetime]:
    offset = dt.timedelta(seconds=services.settings.clock_offset_seconds)
    if not offset:
        return services.clock
    return lambda: services.clock() + offset


def is_scheduled(ws: Workspace) -> bool:
    return bool(ws.digest_enabled and ws.digest_channel_id)


class DigestScheduler:
    def __init__(
        self,
        services: Services,
        client: Clients | None = None,
        *,
        poster: DigestPoster | None = None,
        now: Callable[[], dt.datetime] | None = None,
        poll_seconds: float | None = None,
        alert_seconds: float | None = None,
    ) -> None:
        self.services = services
        self.client = client or build_digest_client(services)
        self.now = now or offset_clock(services)
        self.poster = poster or DigestPoster(services, self.client, now=self.now)
        self.poll_seconds = poll_seconds or services.settings.digest_poll_seconds
        self.alert_seconds = alert_seconds or services.settings.owner_alert_poll_seconds
        self.grace = dt.timedelta(hours=services.settings.digest_grace_hours)
        self._signatures: dict[str, tuple[Any, ...]] = {}
        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)
        self._running: set[asyncio.Task[Any]] = set()

    # Lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        soon = utcnow()
        self.scheduler.add_job(self._tracked(self.poll), "interval", seconds=self.poll_seconds,
                               id="digest-poll", next_run_time=soon, max_instances=1, coalesce=True)
        self.scheduler.add_job(self._tracked(self.owner_alerts), "interval",
                               seconds=self.alert_seconds, id="owner-alerts", next_run_time=soon,
                               max_instances=1, coalesce=True)
        self.scheduler.add_job(self._tracked(self.retention), "interval",
                               seconds=self.services.settings.retention_poll_seconds,
                               id="retention", next_run_time=soon, max_instances=1, coalesce=True)
        self.crm_every = self._crm_every()
        if self.crm_every:
            # Checked more often than it runs: a restart does not push a due sync back a period.
            self.scheduler.add_job(self._tracked(self.crm_sync), "interval",
                                   seconds=min(self.crm_every.total_seconds(), 300.0), id="crm-sync",
                                   next_run_time=soon, max_instances=1, coalesce=True)
        self.scheduler.add_job(self._tracked(self.heartbeat), "interval", seconds=HEARTBEAT_SECONDS,
                               id="heartbeat", next_run_time=soon, max_instances=1, coalesce=True)
        self.scheduler.start()
        log.info("scheduler: started (poll every %ss, grace %s)", self.poll_seconds, self.grace)

    async def stop(self, *, grace: float = 10.0) -> None:
        """Start no job more, let the jobs running finish (a digest being posted, alerts being
        sent: up to ``grace`` seconds), then stop; APScheduler cancels what is left."""
        if not self.scheduler.running:
            return
        self.scheduler.pause()
        running = {t for t in self._running if not t.done()}
        if running:
            await asyncio.wait(running, timeout=grace)
        self.scheduler.shutdown(wait=False)

    def _tracked(self, job: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[None]]:
        """``job`` as APScheduler runs it, known while it runs so a stop can wait for it."""

        async def run(*args: Any) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._running.add(task)
            try:
                await job(*args)
            finally:
                self._running.discard(task)

        run.__name__ = run.__qualname__ = getattr(job, "__name__", "job")
        return run

    # Jobs ---------------------------------------------------------------------------------

    async def poll(self) -> None:
        """Reload schedules that changed, then post anything due within the grace window."""
        try:
            async with self.services.sessions() as session:
                workspaces = await DigestRepository(session).schedules()
            self.sync(workspaces)
            await self.catch_up(workspaces)
        except Exception:
            log.exception("scheduler: poll failed")

    def sync(self, workspaces: list[Workspace]) -> None:
        """Keep one cron job per scheduled workspace, matching its current settings."""
        seen = set()
        for ws in workspaces:
            if not is_scheduled(ws):
                continue
            seen.add(ws.team_id)
            schedule = schedule_of(ws, self.services.settings.default_timezone)
            signature = (schedule.weekday, schedule.time, schedule.tz.key)
            if self._signatures.get(ws.team_id) == signature:
                continue
            hour, minute = (int(x) for x in schedule.time.split(":"))
            self.scheduler.add_job(
                self._tracked(self.slot),
                CronTrigger(day_of_week=CRON_DAYS[schedule.weekday], hour=hour, minute=minute,
                            timezone=schedule.tz),
                args=[ws.team_id], id=f"digest:{ws.team_id}", replace_existing=True,
                misfire_grace_time=int(self.grace.total_seconds()) or 1, coalesce=True,
                max_instances=1,
            )
            self._signatures[ws.team_id] = signature
            log.info("scheduler: team=%s digest every %s %s %s", ws.team_id,
                     CRON_DAYS[schedule.weekday], schedule.time, schedule.tz.key)
        for team_id in list(self._signatures):
            if team_id not in seen:
                self._signatures.pop(team_id)
                if self.scheduler.get_job(f"digest:{team_id}"):
                    self.scheduler.remove_job(f"digest:{team_id}")
                log.info("scheduler: team=%s digest unscheduled", team_id)

    async def catch_up(self, workspaces: list[Workspace]) -> list[Any]:
        """Post every due period that has no finished run yet (within the grace window)."""
        outcomes = []
        now = self.now()
        for ws in workspaces:
            if not is_scheduled(ws):
                continue
            period = due_period(schedule_of(ws, self.services.settings.default_timezone), now)
            assert period.slot is not None
            if now - period.slot > self.grace:
                continue
            async with self.services.sessions() as session:
                run = await DigestRepository(session).run(ws.team_id, period.start_at)
            if run is not None and not (
                run.status in (CLAIMED, RETRY) and (run.lease_until is None or run.lease_until <= now)
            ):
                continue  # finished, failed for good, or someone is on it
            outcomes.append(await self._post(ws.team_id))
        return outcomes

    async def slot(self, team_id: str) -> None:
        """The cron job: this workspace's slot has come."""
        await self._post(team_id)

    async def _post(self, team_id: str) -> Any:
        try:
            if await retention.is_uninstalled(self.services.sessions, team_id):
                log.info("scheduler: team=%s is uninstalled; no digest", team_id)
                return None
            outcome = await self.poster.post(team_id)
        except Exception:
            log.exception("scheduler: digest for team=%s failed", team_id)
            return None
        if outcome.status != "busy":
            log.info("scheduler: team=%s period=%s %s%s", team_id, outcome.period.key,
                     outcome.status, " (late)" if outcome.late else "")
        return outcome

    async def owner_alerts(self) -> None:
        try:
            await send_owner_alerts(self.services, self.client, now=self.now)
        except Exception:
            log.exception("scheduler: owner alerts failed")
        try:
            await send_customer_alerts(self.services, self.client, now=self.now)
        except Exception:
            log.exception("scheduler: customer alerts failed")
        try:
            await improvements.tell_pending(self.services, self.client)
        except Exception:
            log.exception("scheduler: improvement updates failed")
        try:
            # Where the verdicts are computed: "it worked" DMs, once per person and improvement.
            await improvements.tell_verdicts(self.services, self.client, now=self.now())
        except Exception:
            log.exception("scheduler: improvement verdict updates failed")
        try:
            await verdict_events.emit_settled(self.services, now=self.now())
        except Exception:
            log.exception("scheduler: improvement verdict webhooks failed")
        try:
            await praise.send_praise_notes(self.services, self.client, now=self.now())
        except Exception:
            log.exception("scheduler: praise notes failed")

    async def retention(self) -> None:
        """Drop expired remark text, then purge workspaces past their uninstall grace."""
        settings = self.services.settings
        try:
            await retention.expire_text(self.services.sessions,
                                      retention_days=settings.remark_text_retention_days, now=self.now())
            await retention.purge_due(self.services.sessions, grace_days=settings.uninstall_grace_days,
                                    now=self.now())
            # Watched channels' skipped examples keep customer text for two weeks only.
            await hearing.drop_old_examples(self.services, now=self.now())
        except Exception:
            log.exception("scheduler: retention failed")
        try:
            await trackers.prune_deliveries(self.services, now=self.now())
            await replies.prune(self.services, now=self.now())
        except Exception:
            log.exception("scheduler: pruning deliveries and replies failed")

    def _crm_every(self) -> dt.timedelta | None:
        try:
            minutes = sync_minutes()
        except CrmConfigError as e:
            log.error("scheduler: %s; no CRM sync", e)
            return None
        return dt.timedelta(minutes=minutes) if minutes else None

    async def crm_sync(self) -> None:
        assert self.crm_every is not None
        try:
            await sync_due(self.services, self.services.clients, now=utcnow(), every=self.crm_every)
        except Exception:
            log.exception("scheduler: CRM sync failed")

    async def heartbeat(self) -> None:
        try:
            await retention.heartbeat(self.services.sessions, CLOCK_HEARTBEAT, now=utcnow())
        except Exception:
            log.exception("scheduler: heartbeat failed")
