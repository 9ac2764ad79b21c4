"""Tell account owners when their customers' remarks are captured: at most one DM a day.

The scheduler runs ``send_customer_alerts`` with the owner alerts. It queues one row per
new remark of a registered customer with an account owner (idempotent), then, per owner,
claims everything pending in one statement that refuses when a note went out within the
last day, and only then posts: claim before post, so nobody is told twice, even with
several clock processes. Owners opt out with ``/feedback customer alerts off``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.alerts.batches import send_batches
from bot.domain.services import Services
from bot.domain.workspace.clients import Clients
from bot.slack.alerts import customer_alert_message
from storage.db import transaction
from storage.repositories.customer_alerts import CustomerAlertRepository

log = logging.getLogger(__name__)

GAP = dt.timedelta(days=1)
LOOKBACK = dt.timedelta(days=1)


@dataclass(frozen=True)
class CustomerAlertRun:
    queued: int
    sent: dict[str, int]  # "team:user" -> remarks told


async def send_customer_alerts(services: Services, clients: Clients, *,
                               now: Callable[[], dt.datetime] | None = None) -> CustomerAlertRun:
    at = (now or services.clock)()
    async with transaction(services.sessions) as session:
        queued = await CustomerAlertRepository(session).enqueue(since=at - LOOKBACK, now=at)
    sent = await send_batches(services, clients, CustomerAlertRepository, at=at, gap=GAP,
                              render=customer_alert_message, what="customer alerts")
    return CustomerAlertRun(queued=queued, sent=sent)
