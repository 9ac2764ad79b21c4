"""``hooks out test``: a ping through the outbound webhook outbox.

A ping is a ``webhook.test`` delivery row like any event: signed, retried with backoff and
the same ``webhook-id``, deleted after its 2xx (so taken at most once on success). It goes
to a paused subscription too, so a fixed receiver can be checked before ``resume``, and it
is never dropped by the paused cap. The admin who asked in Slack is told, through the Slack
outbox (so once), its first failure and its success; from the terminal the command waits
for the first attempt."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from bot.domain.services import Services
from bot.domain.workspace import outbox
from bot.domain.workspace.hooks_sign import new_msg_id
from bot.slack.mrkdwn import md
from storage.models import PING_EVENT, WebhookDelivery, WebhookSubscription
from storage.repositories.effects import Owed
from storage.repositories.webhooks import WebhookRepository


@dataclass(frozen=True)
class Pinged:
    subscription: WebhookSubscription
    msg_id: str
    delivery_id: int | None  # None: queued by an earlier run of the same command, and gone


@dataclass(frozen=True)
class Outcome:
    error: str | None  # None: the receiver took it
    attempts: int
    took_ms: float | None  # None when another process sent it


async def queue(
    services: Services,
    repo: WebhookRepository,
    sub: WebhookSubscription,
    *,
    reply_channel: str | None = None,
    reply_user: str | None = None,
    request: str | None = None,
) -> Pinged:
    """Owe ``sub`` a ping, in the caller's transaction. ``request`` (the slash command's
    ``trigger_id``) makes a redo of the same command (the inbox's replay after a crash) find
    the ping it queued instead of queuing a second one."""
    now = services.clock()
    msg_id = new_msg_id()
    key = f"{PING_EVENT}:{request or msg_id}"[:160]
    await repo.enqueue(
        [
            {
                "team_id": sub.team_id,
                "subscription_id": sub.id,
                "msg_id": msg_id,
                "event_type": PING_EVENT,
                "event_key": key,
                "order_key": f"ping:{msg_id}",  # waits for nothing, blocks nothing
                "remark_id": None,
                "data": json.dumps({"subscription_id": sub.id, "team_id": sub.team_id}),
                "text": None,
                "created_at": now,
                "attempts": 0,
                "next_at": now,
                "give_up_at": now + dt.timedelta(hours=services.settings.webhooks_give_up_hours),
                "reply_channel": reply_channel,
                "reply_user": reply_user,
            }
        ]
    )
    found = await repo.by_event_key(sub.id, key)
    if found is None:  # the redo of a command whose ping went out already
        return Pinged(sub, msg_id, None)
    return Pinged(sub, found[1], found[0])


def told(
    d: WebhookDelivery,
    sub: WebhookSubscription,
    error: str | None,
    took_ms: float,
    *,
    gave_up: bool,
) -> Owed | None:
    """What the admin who asked for a ping hears about this attempt: its success, its first
    failure, or that it was given up; nothing for a retry that failed again."""
    if d.event_type != PING_EVENT or not d.reply_user:
        return None
    if error is None:
        key, text = (
            "ok",
            md(
                ":white_check_mark: `{}` took the signed test event `{}` in {} ms (attempt {}).",
                sub.url,
                d.msg_id,
                round(took_ms),
                d.attempts,
            ),
        )
    elif gave_up:
        key, text = (
            "end",
            md(
                ":x: `{}` never took the test event `{}` ({} attempts; last: {}); given up.",
                sub.url,
                d.msg_id,
                d.attempts,
                error,
            ),
        )
    elif d.attempts == 1:
        key, text = (
            "fail",
            md(
                ":x: `{}` did not take the test event `{}`: {}. It is retried like any event, "
                "with the same `webhook-id`; you'll hear here when it is taken.",
                sub.url,
                d.msg_id,
                error,
            ),
        )
    else:
        return None
    return Owed(
        d.team_id,
        f"hookping:{d.id}:{key}",
        outbox.EPHEMERAL,
        {"channel": d.reply_channel, "user": d.reply_user, "dm_fallback": True, "text": str(text)},
    )
