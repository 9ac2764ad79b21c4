"""Message events: forwards, watched channels, and following edits and deletions.

- ``message_changed``: an edit of a captured message updates its remark (re-classifying
  what no person decided); a ``tombstone`` (a deleted thread root) is a deletion.
- ``message_deleted``: the remark and its captures are removed from Earshot.
- a new message in the bot's DM that forwards another: the original is filed, captured
  by the forwarder (their comment is the note). Anything else there gets a short how-to.
- a new message in a watched channel: a forward files its original as above; a top-level
  message from a person is a remark (route "watch"; a Slack Connect author's organisation
  is the customer), marked quietly with the captured emoji, unless it is noise
  (bot.domain.capture.hearing). Another app's post is one too when the channel takes that
  app's posts (``/feedback watch #channel bots``), read by its app's rule; so is that app's
  reply in the thread of its own post (bot.domain.capture.app_replies).
  Other thread replies, Earshot's own posts, joins/leaves and other system subtypes are not
  remarks; in a watched channel a system notice is counted as skipped, as a backfill does.
Messages that mention the bot outside DMs are left to the ``app_mention`` listener (Slack
sends both), so a mention is handled once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.classify.noise import NOTICE_SUBTYPES
from bot.domain.capture import record, watch
from bot.domain.capture.app_posts import Own, named_post
from bot.domain.capture.app_posts import original_of as app_original
from bot.domain.capture.edits import apply_edit, forget_message
from bot.domain.capture.hearing import hear
from bot.domain.capture.requests import ReplyTo, Request, Route, SlackMessage
from bot.domain.workspace import outbox
from bot.slack import apps, texts
from bot.slack.limits import NOTE_CHARS
from bot.slack.text import (
    Original,
    as_dict,
    is_bot_message,
    is_human_post,
    is_thread_reply,
    mentions,
    message_text,
    shared_original,
)
from handlers.common import already_filed, busy, services_of, tell_privately


def note_of(text: Any) -> str | None:
    note = text.strip() if isinstance(text, str) else ""
    return note[:NOTE_CHARS] or None


async def forwarded(client: AsyncWebClient, event: dict[str, Any], own: Own, *,
                    include_unfurls: bool = True) -> Original | None:
    """The original a forward carries; another app's post read by its app's rule (Earshot's
    own post keeps no words, so it is never filed). A classic integration's post without a
    name is named as when it is captured where it was posted: by ``bots.info``."""
    original = shared_original(event, include_unfurls=include_unfurls)
    posted = apps.shared_post(event) if original is not None else None
    if original is None or posted is None:
        return original
    if own.wrote(posted):
        return replace(original, text="")
    posted = await named_post(client, posted)
    app = app_original(original.channel_id, {**posted, "ts": original.ts}, permalink=original.permalink)
    return replace(app, thread_ts=original.thread_ts)


async def file_forward(client: AsyncWebClient, context: AsyncBoltContext, *, original: Original,
                       forwarder: str, channel: str, message_ts: str, note: str | None,
                       thread_ts: str | None = None) -> None:
    """File the original of a forward, captured by the forwarder, and tell them privately."""
    services = services_of(context)
    assert context.team_id is not None
    outcome = await record.capture(services, client, Request(
        team_id=context.team_id, capturer=forwarder, route=Route.FORWARD,
        source=SlackMessage(original.channel_id, original.ts, held=original), note=note,
        # The capturer is where they forwarded it, not beside the original.
        reply=ReplyTo(channel_id=channel, thread_ts=thread_ts, in_remark_thread=False,
                    mark_ts=message_ts, mark_always=True),
        enterprise_id=context.enterprise_id, post=record.message_key(channel, message_ts),
    ))
    if isinstance(outcome, record.NotCaptured):
        await tell_privately(client, channel=channel, user=forwarder, thread_ts=thread_ts,
                             text=busy(services, outcome) if outcome.reason == "busy" else texts.NO_TEXT)
    elif outcome.capture_created or outcome.owed or outcome.repeat:
        await outbox.send(services, client, outcome.owed)
    else:
        await tell_privately(client, channel=channel, user=forwarder, thread_ts=thread_ts,
                             text=already_filed(outcome))


async def is_edit(event: dict[str, Any]) -> bool:
    return event.get("subtype") == "message_changed" and isinstance(event.get("channel"), str)


async def is_deletion(event: dict[str, Any]) -> bool:
    return event.get("subtype") == "message_deleted" and isinstance(event.get("channel"), str)


async def is_new_post(event: dict[str, Any], context: AsyncBoltContext) -> bool:
    """A person's new message (not the bot's), with a channel and a ts."""
    return (is_human_post(event) and event.get("user") != context.bot_user_id
            and isinstance(event.get("channel"), str) and bool(event.get("ts"))
            and bool(context.team_id))


async def is_app_post(event: dict[str, Any], context: AsyncBoltContext) -> bool:
    """Another app's new post (``bot_id``, no subtype but ``bot_message``), with a channel and a ts."""
    return (is_bot_message(event) and event.get("subtype") in (None, "bot_message")
            and isinstance(event.get("channel"), str) and bool(event.get("ts"))
            and bool(context.team_id))


def own_of(context: AsyncBoltContext, body: dict[str, Any]) -> Own:
    """Earshot itself in this workspace (its posts are never remarks)."""
    app_id = body.get("api_app_id")
    return Own(bot_id=context.bot_id, user_id=context.bot_user_id,
               app_id=app_id if isinstance(app_id, str) else None)


async def on_app_post(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient,
                      context: AsyncBoltContext) -> None:
    services, team_id = services_of(context), context.team_id or ""
    policy = await watch.policy(services, team_id, event["channel"])
    if policy is None or policy.bots == "off":
        return  # one indexed read for a post in a channel that takes no apps' posts
    heard = await hear(services, client, team_id=team_id, channel_id=event["channel"], msg=event,
                       policy=policy, own=own_of(context, body), enterprise_id=context.enterprise_id)
    await outbox.send(services, client, heard.owed)


async def on_edit(event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
    services, team_id, channel = services_of(context), context.team_id or "", event["channel"]
    new, previous = as_dict(event.get("message")), as_dict(event.get("previous_message"))
    ts = new.get("ts") or previous.get("ts")
    if not ts or not team_id:
        return
    if new.get("subtype") == "tombstone":
        # A deleted thread root that has replies stays as a tombstone: it is a deletion.
        await forget_message(services, team_id=team_id, channel_id=channel, ts=str(ts))
    elif not is_bot_message(new):
        await apply_edit(services, team_id=team_id, channel_id=channel, ts=str(ts),
                         text=message_text(new))
    elif not own_of(context, body).wrote(new):
        # Another app edited its post: its words, read again (a post now only a status
        # notice has none, and the remark keeps what it said).
        edited = app_original(channel, new, explicit=False)
        await apply_edit(services, team_id=team_id, channel_id=channel, ts=str(ts),
                         text=edited.text, score=edited.app.score if edited.app else None)


async def on_deletion(event: dict[str, Any], context: AsyncBoltContext) -> None:
    previous = as_dict(event.get("previous_message"))
    ts = event.get("deleted_ts") or previous.get("ts")
    if ts and context.team_id:
        await forget_message(services_of(context), team_id=context.team_id,
                             channel_id=event["channel"], ts=str(ts))


async def on_new_post(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient,
                      context: AsyncBoltContext) -> None:
    services, team_id = services_of(context), context.team_id or ""
    user, channel, ts = str(event["user"]), event["channel"], str(event["ts"])
    in_dm = event.get("channel_type") == "im"
    if not in_dm and mentions(event.get("text"), context.bot_user_id):
        return  # the app_mention listener handles this message
    if in_dm:
        original = await forwarded(client, event, own_of(context, body))
        if original is not None:
            await file_forward(client, context, original=original, forwarder=user, channel=channel,
                               message_ts=ts, note=note_of(event.get("text")),
                               thread_ts=event.get("thread_ts"))
        elif not is_thread_reply(event):
            await tell_privately(client, channel=channel, user=user,
                                 text=texts.dm_howto(services.settings.main_capture_emoji))
        return
    policy = await watch.policy(services, team_id, channel)
    if policy is None:
        return
    # In a shared channel a pasted message link unfurls like a forward: only a real
    # forward (is_share) files another message.
    original = await forwarded(client, event, own_of(context, body), include_unfurls=False)
    if original is not None:
        await file_forward(client, context, original=original, forwarder=user, channel=channel,
                           message_ts=ts, note=note_of(event.get("text")),
                           thread_ts=event.get("thread_ts"))
        return
    # Replies are captured only when someone flags them; a file alone has no words; noise
    # is counted and skipped.
    heard = await hear(services, client, team_id=team_id, channel_id=channel, msg=event,
                       policy=policy, own=own_of(context, body), enterprise_id=context.enterprise_id)
    await outbox.send(services, client, heard.owed)


async def is_notice(event: dict[str, Any], context: AsyncBoltContext) -> bool:
    """A system notice (a join, a leave, a topic change, a pin...), with a channel and a ts."""
    return (event.get("subtype") in NOTICE_SUBTYPES and isinstance(event.get("channel"), str)
            and bool(event.get("ts")) and bool(context.team_id))


async def on_notice(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient,
                    context: AsyncBoltContext) -> None:
    """In a watched channel, a notice is skipped and counted as a backfill counts it (so
    `/feedback watch status` shows a join among the week's skipped messages); elsewhere it
    costs one indexed read."""
    services, team_id = services_of(context), context.team_id or ""
    policy = await watch.policy(services, team_id, event["channel"])
    if policy is not None:
        await hear(services, client, team_id=team_id, channel_id=event["channel"], msg=event,
                   policy=policy, own=own_of(context, body), enterprise_id=context.enterprise_id)


async def ignore() -> None:
    """Joins, bot posts, other system subtypes: not remarks, and nothing to follow."""


def register(app: AsyncApp) -> None:
    app.event("message", matchers=[is_edit])(on_edit)
    app.event("message", matchers=[is_deletion])(on_deletion)
    app.event("message", matchers=[is_new_post])(on_new_post)
    app.event("message", matchers=[is_app_post])(on_app_post)
    app.event("message", matchers=[is_notice])(on_notice)
    app.event("message")(ignore)
