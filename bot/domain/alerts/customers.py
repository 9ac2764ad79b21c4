"""Tell account owners when their customers' remarks are captured: at most one DM a day.

The scheduler runs ``send_customer_alerts`` with the owner alerts. It queues one row per
new remark of a registered customer with an account owner (idempotent), then, per owner,
claims everything pending in one statement that refuses when a note went out within the
last day, and only then posts: claim before post, so nobody is told twice, even with
several clock processes. Owners opt out with ``/feedback customer alerts off``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.domain.alerts.batches import Run, queue_and_send
from bot.domain.services import Services
from bot.domain.workspace.clients import Clients
from bot.slack.alerts import customer_alert_message
from storage.repositories.customer_alerts import CustomerAlertRepository

GAP = dt.timedelta(days=1)
LOOKBACK = dt.timedelta(days=1)

CustomerAlertRun = Run  # queued, and "team:user" -> remarks told


async def send_customer_alerts(services: Services, clients: Clients, *,
                               now: Callable[[], dt.datetime] | None = None) -> CustomerAlertRun:
    return await queue_and_send(services, clients, CustomerAlertRepository, now=now, gap=GAP,
                                lookback=LOOKBACK, render=customer_alert_message, what="customer alerts")
