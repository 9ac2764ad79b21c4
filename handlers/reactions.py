"""Reaction capture: a capture emoji on a message files it; removing it withdraws."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.capture import record
from bot.domain.capture.requests import ReplyTo, Request, Route, SlackMessage
from bot.domain.workspace import outbox
from handlers.common import busy, services_of, tell_privately


async def capture_emoji_on_a_message(event: dict[str, Any], context: AsyncBoltContext) -> bool:
    """Matcher: one of the capture emoji, on a message, by a person other than the bot."""
    item = event.get("item")
    return (event.get("reaction") in services_of(context).settings.capture_emoji_set
            and isinstance(item, dict) and item.get("type") == "message"
            and isinstance(item.get("channel"), str) and isinstance(item.get("ts"), str)
            and isinstance(event.get("user"), str) and event["user"] != context.bot_user_id
            and bool(context.team_id))


async def on_reaction_added(event: dict[str, Any], client: AsyncWebClient,
                            context: AsyncBoltContext) -> None:
    services, item = services_of(context), event["item"]
    assert context.team_id is not None  # the matcher checked
    outcome = await record.capture(services, client, Request(
        team_id=context.team_id, capturer=event["user"], route=Route.REACTION,
        source=SlackMessage(item["channel"], item["ts"]), reply=ReplyTo(channel_id=item["channel"]),
        enterprise_id=context.enterprise_id,
    ))
    # Unreadable, or a bot's message: nothing to say (the reaction is the person's own).
    if isinstance(outcome, record.Captured):
        await outbox.send(services, client, outcome.owed)
    elif outcome.reason == "busy":  # too many of theirs wait for Slack's limit: say so
        await tell_privately(client, channel=item["channel"], user=event["user"],
                             text=busy(services, outcome))


async def on_reaction_removed(event: dict[str, Any], client: AsyncWebClient,
                              context: AsyncBoltContext) -> None:
    assert context.team_id is not None  # the matcher checked
    await record.withdraw(services_of(context), client, team_id=context.team_id,
                           user=event["user"], route=Route.REACTION,
                           channel_id=event["item"]["channel"], ts=event["item"]["ts"])


def register(app: AsyncApp) -> None:
    app.event("reaction_added", matchers=[capture_emoji_on_a_message])(on_reaction_added)
    app.event("reaction_removed", matchers=[capture_emoji_on_a_message])(on_reaction_removed)
