"""What the outbound webhook tests share besides their fixtures (conftest.py): the bot's
settings for quick retries, an admin adding a webhook in Slack, and reads of the outbox."""

from __future__ import annotations

import re

from sqlalchemy import select

from storage.models import WebhookDelivery, WebhookSubscription
from tests.e2e.queries import ALICE, SUPPORT
from tests.e2e.webhooks.hook_receiver import Receiver

FAST = {
    "webhooks_allow_http": True,
    "webhooks_allow_private": True,
    "webhooks_retry_seconds": 0.05,
    "webhooks_poll_seconds": 0.05,
    "webhooks_timeout_seconds": 1.0,
    "webhooks_pause_after_failures": 3,
}


async def add(
    slack, receiver: Receiver, path: str, events: str = "remark.created"
) -> tuple[int, str]:
    """An admin's signed `/feedback hooks out add` for ``receiver``'s ``path``: (id, secret)."""
    text = (
        await slack.slash(ALICE, SUPPORT, f"hooks out add {receiver.base}{path} {events}")
    ).json()["text"]
    secret = re.search(r"whsec_[A-Za-z0-9+/=]+", text)
    number = re.search(r"#(\d+)", text)
    assert secret and number, text
    receiver.secrets[path] = secret.group(0)
    return int(number.group(1)), secret.group(0)


async def deliveries(db) -> list[WebhookDelivery]:
    async with db() as s:
        return list((await s.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))).all())


async def subscription(db, sub_id: int) -> WebhookSubscription:
    async with db() as s:
        sub = await s.get(WebhookSubscription, sub_id, populate_existing=True)
    assert sub is not None
    return sub
