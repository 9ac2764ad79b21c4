"""``@Earshot`` in a thread files the thread's parent message.

The rest of the mention text is the capturer's note. Slack sends both an ``app_mention``
and a ``message`` event for the same text; only this listener acts on it (the message
listener skips messages that mention the bot), and the post is claimed in the database with
its capture, so a retry or a redo of it, by any process, adds nothing and says nothing
twice (docs/durability.md). A mention whose message forwards another files the forwarded
original; a mention anywhere else gets a short how-to.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.capture import record
from bot.domain.capture.requests import ReplyTo, Request, Route, SlackMessage
from bot.domain.workspace import outbox
from bot.slack import texts
from bot.slack.limits import NOTE_CHARS
from bot.slack.text import is_bot_message, is_thread_reply, without_mention
from handlers.common import already_filed, busy, services_of, tell_privately
from handlers.messages import file_forward, forwarded, own_of

REFUSALS = {"unreadable": texts.UNREADABLE, "bot_message": texts.BOT_PARENT,
            "no_text": texts.PARENT_NO_TEXT}


async def by_a_person(event: dict[str, Any], context: AsyncBoltContext) -> bool:
    """Matcher: a person's mention (not a bot's, not our own), with a channel and a ts."""
    return (isinstance(event.get("user"), str) and event["user"] != context.bot_user_id
            and isinstance(event.get("channel"), str) and bool(event.get("ts"))
            and not is_bot_message(event) and bool(context.team_id))


async def on_mention(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient,
                     context: AsyncBoltContext) -> None:
    services, team_id = services_of(context), context.team_id or ""
    user, channel, ts = event["user"], event["channel"], str(event["ts"])
    note = without_mention(event.get("text"), context.bot_user_id)[:NOTE_CHARS] or None
    thread_ts = event.get("thread_ts") if is_thread_reply(event) else None

    shared = await forwarded(client, event, own_of(context, body), include_unfurls=False)
    if shared is not None:
        await file_forward(client, context, original=shared, forwarder=user, channel=channel,
                           message_ts=ts, note=note, thread_ts=thread_ts)
        return
    if thread_ts is None:
        await tell_privately(client, channel=channel, user=user,
                             text=texts.mention_howto(services.settings.main_capture_emoji))
        return
    outcome = await record.capture(services, client, Request(
        team_id=team_id, capturer=user, route=Route.MENTION, source=SlackMessage(channel, thread_ts),
        note=note, reply=ReplyTo(channel_id=channel, thread_ts=thread_ts),
        enterprise_id=context.enterprise_id, post=record.message_key(channel, ts),
    ))
    if isinstance(outcome, record.NotCaptured):
        await tell_privately(client, channel=channel, user=user, thread_ts=thread_ts,
                             text=busy(services, outcome) if outcome.reason == "busy"
                             else REFUSALS[outcome.reason])
    elif outcome.capture_created or outcome.owed or outcome.repeat:
        await outbox.send(services, client, outcome.owed)
    else:
        await tell_privately(client, channel=channel, user=user, thread_ts=thread_ts,
                             text=already_filed(outcome))


def register(app: AsyncApp) -> None:
    app.event("app_mention", matchers=[by_a_person])(on_mention)
