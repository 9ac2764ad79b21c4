"""Tell process owners about new complaints: at most one DM per owner per hour.

The scheduler runs ``send_owner_alerts`` every few minutes. It finds complaints filed
(or corrected) onto an owned process by querying remarks, queues one alert row per
remark and owner (idempotent), and sends each owner whose last summary is over an hour
old one DM with everything pending. The hourly limit is enforced in SQL, so several
clock processes cannot both send. Owners turn it off with ``/feedback alerts off``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.alerts.batches import send_batches
from bot.domain.services import Services
from bot.domain.workspace.clients import Clients
from bot.slack.alerts import alert_message
from storage.db import transaction
from storage.repositories.owner_alerts import OwnerAlertRepository

log = logging.getLogger(__name__)

GAP = dt.timedelta(hours=1)
LOOKBACK = dt.timedelta(days=1)


@dataclass(frozen=True)
class AlertRun:
    queued: int
    sent: dict[str, int]  # "team:user" -> complaints summarised


async def send_owner_alerts(
    services: Services, clients: Clients, *, now: Callable[[], dt.datetime] | None = None,
) -> AlertRun:
    clock = now or services.clock
    at = clock()
    async with transaction(services.sessions) as session:
        queued = await OwnerAlertRepository(session).enqueue_new_complaints(since=at - LOOKBACK, now=at)
    sent = await send_batches(services, clients, OwnerAlertRepository, at=at, gap=GAP,
                              render=alert_message, what="owner alerts")
    return AlertRun(queued=queued, sent=sent)


async def set_owner_alerts(services: Services, team_id: str, user_id: str, *, on: bool) -> None:
    async with transaction(services.sessions) as session:
        repo = OwnerAlertRepository(session)
        await repo.set_alerts(team_id, user_id, on=on)
        if not on:
            await repo.drop_pending(team_id, user_id, now=services.clock())
