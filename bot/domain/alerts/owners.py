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
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.domain.alerts.batches import send_batches
from bot.domain.services import Services
from bot.domain.workspace.clients import Clients
from bot.slack.improvements import start_button
from bot.slack.text import truncate
from storage.db import transaction
from storage.repositories.owner_alerts import AlertItem, OwnerAlertRepository

log = logging.getLogger(__name__)

GAP = dt.timedelta(hours=1)
LOOKBACK = dt.timedelta(days=1)
ACTION_ALERTS_OFF = "owner_alerts_off"
MAX_ITEMS = 10


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


def alert_message(items: Sequence[AlertItem]) -> dict[str, Any]:
    by_process: dict[str, list[AlertItem]] = defaultdict(list)
    for item in items:
        by_process[item.process_name].append(item)
    n = len(items)
    names = ", ".join(f"*{name}*" for name in by_process)
    head = f":red_circle: {n} new complaint{'s' if n != 1 else ''} about {names}, which you own:"
    lines = []
    for item in items[:MAX_ITEMS]:
        who = f"*{item.customer}*" if item.customer else (
            f"<@{item.author_user_id}>" if item.author_user_id else "a customer")
        link = f" · <{item.permalink}|view>" if item.permalink else ""
        text = truncate(" ".join(item.text.split()) or "(no text)", 200)
        lines.append(f"> {text}\n— {who} · {item.process_name}{link}")
    if n > MAX_ITEMS:
        lines.append(f"…and {n - MAX_ITEMS} more. See them in the weekly digest.")
    body = truncate(head + "\n" + "\n".join(lines), 3000)
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=body)),
        ContextBlock(elements=[MarkdownTextObject(
            text="You get at most one of these an hour. Turn them off with `/feedback alerts off`.")]),
        ActionsBlock(elements=[
            # One per process (at most 5): the improvement form, prefilled with its complaints.
            *[start_button(pid, f"Improve {name}") for pid, name in
              list(dict.fromkeys((i.process_id, i.process_name) for i in items))[:5]],
            ButtonElement(action_id=ACTION_ALERTS_OFF, text="Turn off these DMs", value="off")]),
    ]
    return {"text": head.replace("*", ""), "blocks": [b.to_dict() for b in blocks]}


async def set_owner_alerts(services: Services, team_id: str, user_id: str, *, on: bool) -> None:
    async with transaction(services.sessions) as session:
        repo = OwnerAlertRepository(session)
        await repo.set_alerts(team_id, user_id, on=on)
        if not on:
            await repo.drop_pending(team_id, user_id, now=services.clock())
