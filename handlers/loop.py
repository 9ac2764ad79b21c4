"""The rest of the loop's buttons and modals: *Reply in threads…* on a shipped improvement
(preview, then *Post replies*), *Thank the team* (digest's Consolidate, the praise note) and
*Turn off these notes* on the weekly praise note."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.loop import praise, thread_replies
from bot.domain.loop.improvements import ImprovementProblem
from bot.slack import loop as ui
from bot.slack.mrkdwn import md
from handlers.common import ack_live, services_of

log = logging.getLogger(__name__)


def _team(body: dict[str, Any], context: Any) -> str:
    return context.team_id or (body.get("team") or {}).get("id") or ""


async def _tell(client: AsyncWebClient, respond: Any, body: dict[str, Any], text: str,
                extra: dict[str, Any] | None = None) -> None:
    """Privately to the clicker: ephemeral where the click came from a message, else a DM."""
    if body.get("response_url") and respond is not None:
        await respond(replace_original=False, response_type="ephemeral", text=text, **(extra or {}))
        return
    try:
        await client.chat_postMessage(channel=body["user"]["id"], text=text, **(extra or {}))
    except SlackApiError as e:
        log.warning("loop: private note failed: %s", e.response.get("error"))


def _problem(e: Exception) -> str:
    return str(e) if str(e).startswith(":") else f":warning: {e}"


async def on_reply(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient,
                   respond: AsyncRespond, context: AsyncBoltContext) -> None:
    services = await ack_live(ack, context)
    if services is None:
        return
    team_id = _team(body, context)
    value = action.get("value")
    improvement_id = int(value) if isinstance(value, str) and value.isdigit() else 0
    try:
        preview = await thread_replies.preview(services, client, team_id, improvement_id,
                                               by=body["user"]["id"])
    except ImprovementProblem as e:
        await _tell(client, respond, body, _problem(e))
        return
    if not preview.targets:
        await _tell(client, respond, body, md(":speech_balloon: Every thread of *{}* has had its reply "
                                              "already ({}); Earshot replies once per message.",
                                              preview.improvement.title, len(preview.already)))
        return
    view = ui.reply_modal(preview.improvement, preview.process_name, preview.targets,
                          ui.default_reply(preview.improvement))
    try:
        await client.views_open(trigger_id=body["trigger_id"], view=view)
    except SlackApiError as e:
        log.warning("loop: views.open failed team=%s: %s", team_id, e.response.get("error"))


async def on_reply_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient,
                          context: AsyncBoltContext) -> None:
    services = services_of(context)
    raw_view = body.get("view")
    view: dict[str, Any] = raw_view if isinstance(raw_view, dict) else {}
    team_id = _team(body, context)
    user_id = (body.get("user") or {}).get("id") or ""
    improvement_id = ui.reply_improvement_id(view)
    text = ui.reply_text((view.get("state") or {}).get("values"))
    if improvement_id is None:
        await ack(response_action="errors", errors={ui.BLOCK_REPLY_TEXT: "This form expired; start again."})
        return
    if not text:
        await ack(response_action="errors", errors={ui.BLOCK_REPLY_TEXT: "Write the reply first."})
        return
    await ack()
    try:
        outcome = await thread_replies.post(services, client, team_id, improvement_id, by=user_id, text=text)
    except ImprovementProblem as e:
        await _tell(client, None, body, _problem(e))
        return
    message = ui.reply_outcome(outcome.improvement, posted=outcome.posted, queued=outcome.queued,
                               already=outcome.already, skipped=outcome.skipped)
    await _tell(client, None, body, message["text"], {"blocks": message["blocks"]})


async def on_praise_off(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond,
                        context: AsyncBoltContext) -> None:
    services = services_of(context)
    await ack()
    await praise.set_praise_notes(services, _team(body, context), body["user"]["id"], on=False)
    await respond(replace_original=False, response_type="ephemeral",
                  text=":no_bell: Weekly praise notes turned off. Turn them back on with `/feedback praise on`.")


async def on_thank(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient,
                   respond: AsyncRespond, context: AsyncBoltContext) -> None:
    services = await ack_live(ack, context)
    if services is None:
        return
    team_id = _team(body, context)
    pid, _, period = str(action.get("value") or "").partition(":")
    if not pid.isdigit() or not period:
        await _tell(client, respond, body, ":warning: That button is out of date; use the latest digest.")
        return
    try:
        draft = await praise.thank_draft(services, client, team_id, int(pid), period, by=body["user"]["id"])
    except praise.PraiseProblem as e:
        await _tell(client, respond, body, _problem(e))
        return
    try:
        await client.views_open(trigger_id=body["trigger_id"], view=ui.thank_modal(
            draft.process_id, draft.period, draft.process_name, draft.quotes))
    except SlackApiError as e:
        log.warning("loop: views.open failed team=%s: %s", team_id, e.response.get("error"))


async def on_thank_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient,
                          context: AsyncBoltContext) -> None:
    services = services_of(context)
    form = ui.read_thank(body.get("view"))
    if bool(form.channel) == bool(form.user):
        await ack(response_action="errors", errors={ui.BLOCK_THANK_CHANNEL: "Pick a channel or a person (one of them)."})
        return
    if not form.note:
        await ack(response_action="errors", errors={ui.BLOCK_THANK_TEXT: "Write a line of thanks first."})
        return
    await ack()
    try:
        note = await praise.send_thanks(services, client, _team(body, context), form,
                                        by=(body.get("user") or {}).get("id") or "")
    except praise.PraiseProblem as e:
        note = _problem(e)
    await _tell(client, None, body, note)


def register(app: AsyncApp) -> None:
    app.action(ui.ACTION_REPLY)(on_reply)
    app.view(ui.REPLY_CALLBACK)(on_reply_submit)
    app.action(ui.ACTION_PRAISE_OFF)(on_praise_off)
    app.action(re.compile(f"^{re.escape(ui.ACTION_THANK)}\\d+$"))(on_thank)
    app.view(ui.THANK_CALLBACK)(on_thank_submit)
