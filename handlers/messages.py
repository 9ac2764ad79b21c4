"""Message events: forwards, watched channels, and following edits and deletions.

One listener takes every ``message`` event and sorts it:
- ``message_changed``: an edit of a captured message updates its remark (re-classifying
  what no person decided); a ``tombstone`` (a deleted thread root) is a deletion.
- ``message_deleted``: the remark and its captures are removed from Earshot.
- a new message in the bot's DM that forwards another: the original is filed, captured
  by the forwarder (their comment is the note). Anything else there gets a short how-to.
- a new message in a watched channel: a forward files its original as above; a top-level
  message from a person is a remark (route "watch", captured by its author; a Slack
  Connect author's organisation is the customer), marked quietly with the captured emoji.
  Thread replies, bots, joins/leaves and other system subtypes are not remarks.
Messages that mention the bot outside DMs are left to the ``app_mention`` listener (Slack
sends both), so a mention is handled once.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import watch as watching
from bot.domain.capture import endorse_existing, file_original, message_key, permalink
from bot.domain.customers import author_team, customer_for
from bot.domain.edits import apply_edit, forget_message
from bot.domain.services import Services
from bot.slack.text import (
    Original,
    is_bot_message,
    is_human_post,
    is_thread_reply,
    mentions,
    message_text,
    shared_original,
)
from handlers.common import already_filed, confirm_privately, react_quietly, tell_privately

log = logging.getLogger(__name__)

ROUTE_FORWARD = "forward"
ROUTE_WATCH = "watch"
MAX_NOTE = 2000

DM_HOWTO = (
    "To file customer feedback, *forward* the customer's message to me (⋯ → Forward message → "
    "me); add a comment and it becomes your note. You can also react to a message with "
    ":memo:, mention me in its thread, or type `/feedback <what the customer said>`. "
    "`/feedback help` lists everything."
)
NO_TEXT = ("That message has no text I can file (only a file or an image?). Type what the "
           "customer said with `/feedback <text>` instead.")


def _note(text: Any) -> str | None:
    note = text.strip() if isinstance(text, str) else ""
    return note[:MAX_NOTE] or None


async def file_forward(
    services: Services, client: AsyncWebClient, *, team_id: str, original: Original,
    forwarder: str, channel: str, message_ts: str, note: str | None, thread_ts: str | None = None,
    enterprise_id: str | None = None,
) -> None:
    """File the original of a forward, captured by the forwarder, and tell them privately."""
    if not original.text.strip():
        await tell_privately(client, channel=channel, user=forwarder, text=NO_TEXT, thread_ts=thread_ts)
        return
    filed = await endorse_existing(
        services, team_id=team_id, key=message_key(original.channel_id, original.ts),
        capturer=forwarder, route=ROUTE_FORWARD, note=note, channel_id=channel,
    )
    if filed is None:
        # The bot may not be in the original's channel: use what the forward carries.
        team = await author_team(client, team_id, original.user_id) if original.user_id else None
        original = dataclasses.replace(
            original,
            team_id=team or original.team_id,
            permalink=original.permalink or await permalink(client, original.channel_id, original.ts),
        )
        customer = await customer_for(client, team_id, original.user_id, team, enterprise_id=enterprise_id)
        filed = await file_original(
            services, original, team_id=team_id, capturer=forwarder, route=ROUTE_FORWARD,
            note=note, customer=customer, customer_from_slack=True, capture_channel=channel,
        )
    if not filed.capture_created:
        await tell_privately(client, channel=channel, user=forwarder, thread_ts=thread_ts,
                             text=already_filed(filed))
        return
    await confirm_privately(services, client, filed, channel=channel, user=forwarder,
                            thread_ts=thread_ts, in_remark_thread=False)
    await react_quietly(client, channel, message_ts, services.settings.captured_emoji)


def register(app: AsyncApp, services: Services) -> None:
    @app.event("message")
    async def on_message(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient,
                         context: Any) -> None:
        team_id = context.team_id
        channel = event.get("channel")
        if not team_id or not isinstance(channel, str):
            return
        subtype = event.get("subtype")
        if subtype == "message_changed":
            await _on_changed(team_id, channel, event)
        elif subtype == "message_deleted":
            ts = event.get("deleted_ts") or (event.get("previous_message") or {}).get("ts")
            if ts:
                await forget_message(services, team_id=team_id, channel_id=channel, ts=str(ts))
        else:
            await _on_new(team_id, channel, event, client, context.bot_user_id, context.enterprise_id)

    async def _on_changed(team_id: str, channel: str, event: dict[str, Any]) -> None:
        new = event.get("message") if isinstance(event.get("message"), dict) else {}
        previous = event.get("previous_message") if isinstance(event.get("previous_message"), dict) else {}
        ts = new.get("ts") or previous.get("ts")
        if not ts:
            return
        if new.get("subtype") == "tombstone":
            # A deleted thread root that has replies stays as a tombstone: it is a deletion.
            await forget_message(services, team_id=team_id, channel_id=channel, ts=str(ts))
            return
        if is_bot_message(new):
            return
        await apply_edit(services, team_id=team_id, channel_id=channel, ts=str(ts),
                         text=message_text(new))

    async def _on_new(team_id: str, channel: str, event: dict[str, Any], client: AsyncWebClient,
                      bot_user_id: str | None, enterprise_id: str | None) -> None:
        if not is_human_post(event) or event.get("user") == bot_user_id:
            return
        user, ts = str(event["user"]), str(event.get("ts") or "")
        if not ts:
            return
        in_dm = event.get("channel_type") == "im"
        if not in_dm and mentions(event.get("text"), bot_user_id):
            return  # the app_mention listener handles this message
        if in_dm:
            original = shared_original(event)
            if original is not None:
                await file_forward(services, client, team_id=team_id, original=original, forwarder=user,
                                   channel=channel, message_ts=ts, note=_note(event.get("text")),
                                   thread_ts=event.get("thread_ts"), enterprise_id=enterprise_id)
            elif not is_thread_reply(event):
                await tell_privately(client, channel=channel, user=user, text=DM_HOWTO)
            return
        if not await watching.is_watched(services, team_id, channel):
            return
        # In a shared channel a pasted message link unfurls like a forward: only a real
        # forward (is_share) files another message.
        original = shared_original(event, include_unfurls=False)
        if original is not None:
            await file_forward(services, client, team_id=team_id, original=original, forwarder=user,
                               channel=channel, message_ts=ts, note=_note(event.get("text")),
                               thread_ts=event.get("thread_ts"), enterprise_id=enterprise_id)
            return
        if is_thread_reply(event):
            return  # replies are captured only when someone flags them
        await _file_watched(team_id, channel, ts, user, event, client, enterprise_id)

    async def _file_watched(team_id: str, channel: str, ts: str, user: str, event: dict[str, Any],
                            client: AsyncWebClient, enterprise_id: str | None) -> None:
        text = message_text(event)
        if not text.strip():
            return  # a file with no words: nothing to classify
        key = message_key(channel, ts)
        filed = await endorse_existing(services, team_id=team_id, key=key, capturer=user,
                                       route=ROUTE_WATCH, channel_id=channel)
        if filed is None:
            author_team_id = event.get("user_team") or event.get("team")
            customer = await customer_for(client, team_id, user, author_team_id, enterprise_id=enterprise_id)
            original = Original(
                channel_id=channel, ts=ts, text=text, user_id=user, team_id=author_team_id,
                permalink=await permalink(client, channel, ts),
            )
            filed = await file_original(services, original, team_id=team_id, capturer=user,
                                        route=ROUTE_WATCH, customer=customer, customer_from_slack=True)
        # No private confirmation: in a watched channel it would follow every message.
        if filed.remark_created:
            await react_quietly(client, channel, ts, services.settings.captured_emoji)
