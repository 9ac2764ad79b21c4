"""The message shortcut "File customer feedback" (callback_id ``file_feedback``).

It opens the filing modal prefilled from the message: a preview, the author, Earshot's
process and sentiment guesses (or the current filing when teammates filed it already)
and, for a Slack Connect author, their organisation as the customer. The modal's
submission is handled in handlers/views.py. The same callback_id used as a global
shortcut opens the modal for typed text.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.capture import app_posts
from bot.domain.capture.app_posts import Own
from bot.domain.capture.requests import message_key
from bot.domain.customers import connect
from bot.domain.processes.starter import ensure_workspace
from bot.domain.services import Services
from bot.slack import blocks, modals
from bot.slack.sealed import scope_of
from bot.slack.text import Original, as_dict, is_bot_message, message_text, shared_original
from handlers.common import services_of
from storage.db import transaction
from storage.repositories import ProcessRepository, RemarkRepository

log = logging.getLogger(__name__)

CANT_OPEN = (":warning: I couldn't open the filing form just now. Please try again, or type "
             "`/feedback what the customer said`.")


async def open_filing_modal(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, trigger_id: str | None,
    origin: modals.Origin, text: str | None, prefill: modals.Prefill | None = None,
) -> str | None:
    """Open the modal; returns a message for the user when it could not be opened."""
    if not trigger_id:
        return CANT_OPEN
    async with transaction(services.sessions) as session:
        await ensure_workspace(session, team_id)
        processes = await ProcessRepository(session).list(team_id)
    if prefill is None:
        prefill = await _prefill(services, client, team_id=team_id, origin=origin, text=text or "")
    view = modals.filing_modal(processes, origin, prefill, preview=text,
                               sealed_for=(services.settings.metadata_key, scope_of(team_id, user_id)))
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as e:
        error = e.response.get("error")
        if error == "expired_trigger_id":
            # A replayed delivery (the trigger was used) or a very slow one: nothing to show.
            log.info("filing: trigger expired team=%s; modal not opened", team_id)
            return None
        log.warning("filing: views.open failed team=%s: %s %s", team_id, error,
                    e.response.get("response_metadata"))
        return CANT_OPEN
    return None


async def _prefill(services: Services, client: AsyncWebClient, *, team_id: str,
                   origin: modals.Origin, text: str) -> modals.Prefill:
    """The current filing if teammates filed this message already, else Earshot's guesses."""
    if not origin.typed and origin.channel_id and origin.ts:
        async with services.sessions() as session:
            remark = await RemarkRepository(session).by_source(
                team_id, message_key(origin.channel_id, origin.ts))
        if remark is not None:
            # The tone is preselected only when a person decided it; else "Automatic".
            return modals.Prefill(process_id=remark.process_id,
                                  sentiment=remark.sentiment if remark.sentiment_decided_by else None,
                                  guessed_sentiment=remark.sentiment,
                                  customer=remark.customer, endorsements=remark.endorsements,
                                  guessed=False)
    prefill = modals.Prefill()
    if text.strip():
        result = await services.filing.classify(team_id, text)
        key = result.routing.process_key
        prefill.process_id = int(key) if key and key.isdigit() else None
        prefill.guessed_sentiment = result.sentiment.label
    if not origin.typed:
        prefill.customer = await connect.customer_for(
            client, team_id, origin.author_user_id, origin.author_team_id)
    return prefill


def message_origin(channel_id: str | None, msg: dict[str, Any]) -> tuple[modals.Origin, str] | None:
    """The remark a shortcut on ``msg`` is about (the original, for a forward), with its text."""
    original: Original | None = shared_original(msg, include_unfurls=False)
    if original is None:
        ts = msg.get("ts")
        if not channel_id or not isinstance(ts, str) or not ts:
            return None
        thread_ts = msg.get("thread_ts")
        user_team = msg.get("user_team") or msg.get("team")
        original = Original(
            channel_id=channel_id, ts=ts, text=message_text(msg), user_id=msg.get("user") or None,
            team_id=user_team if isinstance(user_team, str) else None,
            thread_ts=thread_ts if isinstance(thread_ts, str) and thread_ts != ts else None,
        )
    origin = modals.Origin(
        route=modals.ROUTE_SHORTCUT, channel_id=original.channel_id, ts=original.ts,
        thread_ts=original.thread_ts, author_user_id=original.user_id,
        author_team_id=original.team_id, permalink=original.permalink, text=original.text,
        reply_channel=channel_id,
    )
    return origin, original.text


async def on_file_feedback(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                           context: AsyncBoltContext) -> None:
    services = services_of(context)
    await ack()
    team_id = context.team_id or (body.get("team") or {}).get("id") or ""
    user_id = (body.get("user") or {}).get("id") or ""
    trigger_id = body.get("trigger_id")
    if body.get("type") != "message_action":
        # Global shortcut: no message, so the remark is typed into the modal.
        origin = modals.Origin(route=modals.ROUTE_COMMAND)
        await open_filing_modal(services, client, team_id=team_id, user_id=user_id,
                                trigger_id=trigger_id, origin=origin, text=None)
        return
    msg = as_dict(body.get("message"))
    channel_id = (body.get("channel") or {}).get("id")
    problem: str | None = None
    found = message_origin(channel_id, msg)
    prefill: modals.Prefill | None = None
    own = Own(bot_id=context.bot_id, user_id=context.bot_user_id,
              app_id=body.get("api_app_id") if isinstance(body.get("api_app_id"), str) else None)
    if is_bot_message(msg) and own.wrote(msg):
        problem = (":robot_face: That is one of my own messages, not customer feedback. To file "
                   "what a customer said, use the shortcut on their message, or type it: "
                   "`/feedback what they said`.")
    elif is_bot_message(msg) and found is not None and channel_id:
        # Another app's post (a ticket, a survey response, a review): its rule reads it.
        app = app_posts.original_of(channel_id, msg)
        origin = replace(found[0], text=app.text, author_user_id=None, author_team_id=None, app="1")
        found = (origin, app.text)
        prefill = await _prefill(services, client, team_id=team_id, origin=origin, text=app.text)
        prefill.customer = prefill.customer or (app.app.customer if app.app else None)
    if problem:
        await _tell(respond, problem, team_id)
        return
    if found is None:
        problem = ":warning: I couldn't read that message. Please try again."
    elif not found[1].strip():
        problem = (":warning: That message has no text I can file. Type the remark instead: "
                   "`/feedback what the customer said`.")
    else:
        origin, text = found
        problem = await open_filing_modal(services, client, team_id=team_id, user_id=user_id,
                                          trigger_id=trigger_id, origin=origin, text=text,
                                          prefill=prefill)
    if problem:
        await _tell(respond, problem, team_id)


def register(app: AsyncApp) -> None:
    app.shortcut(modals.CALLBACK_ID)(on_file_feedback)


async def _tell(respond: Any, text: str, team_id: str) -> None:
    """An ephemeral note through the shortcut's response_url (the only way back to them here)."""
    if respond is None:
        log.info("filing: shortcut without response_url team=%s; notice not sent", team_id)
        return
    try:
        await respond(response_type="ephemeral", replace_original=False, **blocks.notice(text))
    except (aiohttp.ClientError, TimeoutError) as e:
        log.warning("filing: could not reply to shortcut team=%s: %s", team_id, type(e).__name__)
