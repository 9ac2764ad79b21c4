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
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.domain.alerts.batches import send_batches
from bot.domain.services import Services
from bot.domain.workspace.clients import Clients
from bot.slack.text import truncate
from storage.db import transaction
from storage.repositories.customer_alerts import CustomerAlertItem, CustomerAlertRepository

log = logging.getLogger(__name__)

GAP = dt.timedelta(days=1)
LOOKBACK = dt.timedelta(days=1)
MAX_ITEMS = 10
_ICON = {"complaint": ":red_circle:", "praise": ":large_green_circle:", "suggestion": ":bulb:"}


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


def customer_alert_message(items: Sequence[CustomerAlertItem]) -> dict[str, Any]:
    by_customer: dict[str, list[CustomerAlertItem]] = defaultdict(list)
    for item in items:
        by_customer[item.customer].append(item)
    n = len(items)
    names = ", ".join(f"*{name}*" for name in by_customer)
    head = f":office: {n} new remark{'s' if n != 1 else ''} from {names}, whose account you own:"
    lines = []
    for item in items[:MAX_ITEMS]:
        link = f" · <{item.permalink}|view>" if item.permalink else ""
        text = truncate(" ".join(item.text.split()) or "(no text)", 200)
        lines.append(f"{_ICON.get(item.sentiment, ':white_circle:')} {text}\n— *{item.customer}*{link}")
    if n > MAX_ITEMS:
        lines.append(f"…and {n - MAX_ITEMS} more. See them in the weekly digest.")
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=truncate(head + "\n" + "\n".join(lines), 3000))),
        ContextBlock(elements=[MarkdownTextObject(
            text="At most one of these a day. Turn them off with `/feedback customer alerts off`.")]),
    ]
    return {"text": head.replace("*", ""), "blocks": [b.to_dict() for b in blocks]}
