"""Tell process owners about new complaints: at most one DM per owner per hour.

The scheduler runs ``send_owner_alerts`` every few minutes. It finds complaints filed
(or corrected) onto an owned process by querying remarks, queues one alert row per
remark and owner (idempotent), and sends each owner whose last summary is over an hour
old one DM with everything pending. The hourly limit is enforced in SQL, so several
clock processes cannot both send. Owners turn it off with ``/feedback alerts off``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.domain.alerts.batches import Run, queue_and_send
from bot.domain.services import Services
from bot.domain.workspace.clients import Clients
from bot.slack.alerts import alert_message
from storage.db import transaction
from storage.repositories.owner_alerts import OwnerAlertRepository

GAP = dt.timedelta(hours=1)
LOOKBACK = dt.timedelta(days=1)

AlertRun = Run  # queued, and "team:user" -> complaints summarised


async def send_owner_alerts(
    services: Services, clients: Clients, *, now: Callable[[], dt.datetime] | None = None,
) -> AlertRun:
    return await queue_and_send(services, clients, OwnerAlertRepository, now=now, gap=GAP,
                                lookback=LOOKBACK, render=alert_message, what="owner alerts")


async def set_owner_alerts(services: Services, team_id: str, user_id: str, *, on: bool) -> None:
    async with transaction(services.sessions) as session:
        repo = OwnerAlertRepository(session)
        await repo.set_alerts(team_id, user_id, on=on)
        if not on:
            await repo.drop_pending(team_id, user_id, now=services.clock())
