"""``@Earshot`` in a thread files the thread's parent message.

The rest of the mention text is the capturer's note. Slack sends both an ``app_mention``
and a ``message`` event for the same text; only this listener acts on it (the message
listener skips messages that mention the bot), so the capturer hears back once. A mention
whose message forwards another files the forwarded original; a mention anywhere else
gets a short how-to.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.capture import (
    endorse_existing,
    fetch_message,
    file_original,
    message_key,
    original_of,
)
from bot.domain.customers import customer_for
from bot.domain.services import Services
from bot.slack.text import (
    is_bot_message,
    is_thread_reply,
    message_text,
    shared_original,
    without_mention,
)
from handlers.common import already_filed, confirm_privately, react_quietly, tell_privately
from handlers.messages import MAX_NOTE, file_forward

log = logging.getLogger(__name__)

ROUTE = "mention"

HOWTO = (
    "Mention me *in a thread* to file its first message as customer feedback, e.g. reply "
    "`@Earshot they love the new export` under the customer's message (the rest of your "
    "reply becomes your note). Or react with :memo:, forward the message to me, or type "
    "`/feedback <text>`."
)
BOT_PARENT = ("That thread starts with a bot or app message, and I only file what people say. "
              "Mention me under the customer's own message, or type it with `/feedback <text>`.")
UNREADABLE = ("I can't read that thread's first message (is it in a channel I'm not in?). "
              "Invite me with `/invite @Earshot`, or type it with `/feedback <text>`.")


def register(app: AsyncApp, services: Services) -> None:
    @app.event("app_mention")
    async def on_mention(event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        team_id, user = context.team_id, event.get("user")
        channel, ts = event.get("channel"), event.get("ts")
        if not (team_id and isinstance(user, str) and isinstance(channel, str) and ts):
            return
        if is_bot_message(event) or user == context.bot_user_id:
            return
        note = without_mention(event.get("text"), context.bot_user_id)[:MAX_NOTE] or None
        thread_ts = event.get("thread_ts") if is_thread_reply(event) else None

        forwarded = shared_original(event, include_unfurls=False)
        if forwarded is not None:
            await file_forward(services, client, team_id=team_id, original=forwarded, forwarder=user,
                               channel=channel, message_ts=str(ts), note=note, thread_ts=thread_ts,
                               enterprise_id=context.enterprise_id)
            return
        if thread_ts is None:
            await tell_privately(client, channel=channel, user=user, text=HOWTO)
            return

        filed = await endorse_existing(
            services, team_id=team_id, key=message_key(channel, thread_ts), capturer=user,
            route=ROUTE, note=note, channel_id=channel,
        )
        if filed is None:
            parent = await fetch_message(client, channel, thread_ts)
            if parent is None:
                await tell_privately(client, channel=channel, user=user, text=UNREADABLE, thread_ts=thread_ts)
                return
            if is_bot_message(parent):
                await tell_privately(client, channel=channel, user=user, text=BOT_PARENT, thread_ts=thread_ts)
                return
            if not message_text(parent).strip():
                await tell_privately(client, channel=channel, user=user, thread_ts=thread_ts,
                                     text="That message has no text I can file. Type it with `/feedback <text>`.")
                return
            original = await original_of(client, channel, parent)
            customer = await customer_for(client, team_id, original.user_id, original.team_id,
                                          enterprise_id=context.enterprise_id)
            filed = await file_original(services, original, team_id=team_id, capturer=user, route=ROUTE,
                                        note=note, customer=customer, customer_from_slack=True)
        if not filed.capture_created:
            await tell_privately(client, channel=channel, user=user, thread_ts=thread_ts,
                                 text=already_filed(filed))
            return
        await confirm_privately(services, client, filed, channel=channel, user=user, thread_ts=thread_ts)
        if filed.remark_created:
            await react_quietly(client, channel, thread_ts, services.settings.captured_emoji)
