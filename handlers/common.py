"""Small pieces several listeners share: the services in the context, private notes."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.capture.requests import Captured, NotCaptured
from bot.domain.services import Services
from bot.slack import blocks, texts

log = logging.getLogger(__name__)

SERVICES = "earshot_services"


def services_of(context: AsyncBoltContext | dict[str, Any]) -> Services:
    """The Services the app put in every request's context (bot.server.bolt_app)."""
    services = context[SERVICES]
    assert isinstance(services, Services)
    return services


async def ack_live(ack: AsyncAck, context: AsyncBoltContext) -> Services | None:
    """Acknowledge a click; its services, or None when the delivery is replayed from the
    inbox after the live moment passed (its trigger_id is stale: no view can open)."""
    services = services_of(context)
    await ack()
    return services if context.get("earshot_live", True) else None


async def tell_privately(client: AsyncWebClient, *, channel: str, user: str, text: str,
                         thread_ts: str | None = None) -> None:
    """A short private note to ``user``; failures are logged, never raised."""
    try:
        await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts,
                                        **blocks.notice(text))
    except SlackApiError as e:
        log.warning("notice: ephemeral to %s in %s failed: %s", user, channel, e.response.get("error"))


def already_filed(filed: Captured) -> str:
    """What a capturer is told when they file the same message again."""
    return (f":inbox_tray: You had already filed this message; it has "
            f"{filed.remark.endorsements} capture(s).")


def busy(services: Services, outcome: NotCaptured) -> str:
    """What a capturer is told when their reads waiting for Slack's limit are at the cap."""
    next_at = outcome.next_at or services.clock()
    return texts.reads_waiting(outcome.waiting, (next_at - services.clock()).total_seconds())
