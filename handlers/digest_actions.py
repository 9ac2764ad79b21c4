"""Listeners for the digest's buttons: Unfiled → the triage modal (and filing from it),
and the owner-alert DM's "Turn off these DMs"."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.digest import triage
from bot.digest.render import ACTION_TRIAGE
from bot.domain.alerts.owners import set_owner_alerts
from bot.domain.filing.corrections import STALE, StaleControl, UnknownProcess, correct_process
from bot.slack.alerts import ACTION_ALERTS_OFF
from bot.slack.mrkdwn import md
from handlers.common import ack_live, services_of

log = logging.getLogger(__name__)


def _team(body: dict[str, Any], context: Any) -> str:
    return context.team_id or (body.get("team") or {}).get("id") or ""


async def on_triage(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
    services = await ack_live(ack, context)
    if services is None:
        return
    view = await triage.triage_view(services, _team(body, context))
    try:
        await client.views_open(trigger_id=body["trigger_id"], view=view)
    except SlackApiError as e:
        log.warning("triage: views.open failed team=%s: %s", _team(body, context),
                    e.response.get("error"))


async def on_file(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient,
                  context: AsyncBoltContext) -> None:
    services = services_of(context)
    await ack()
    team_id = _team(body, context)
    ref = triage.remark_of(action)
    chosen = (action.get("selected_option") or {}).get("value")
    if ref is None or not chosen:
        return
    try:
        result = await correct_process(services, team_id=team_id, remark_id=ref[0], drawn_for=ref[1],
                                       process_id=int(chosen), by=body["user"]["id"])
    except StaleControl:
        note = STALE.replace("confirmation", "list") + " Here is the list as it is now."
    except (UnknownProcess, ValueError):
        note = ":warning: That process no longer exists; pick another."
    else:
        note = (md(":white_check_mark: Filed under *{}*.", result.process_name) if result
                else ":wastebasket: That remark was deleted meanwhile.")
    view = body.get("view") or {}
    if not view.get("id"):
        return
    try:
        await client.views_update(view_id=view["id"],
                                  view=await triage.triage_view(services, team_id, note=note))
    except SlackApiError as e:
        log.warning("triage: views.update failed team=%s: %s", team_id, e.response.get("error"))


async def on_alerts_off(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext) -> None:
    services = services_of(context)
    await ack()
    await set_owner_alerts(services, _team(body, context), body["user"]["id"], on=False)
    await respond(replace_original=False, response_type="ephemeral",
                  text=":no_bell: Complaint DMs turned off. Turn them back on with "
                       "`/feedback alerts on`.")


def register(app: AsyncApp) -> None:
    app.action(ACTION_TRIAGE)(on_triage)
    app.action(re.compile(f"^{re.escape(triage.ACTION_PREFIX)}\\d+$"))(on_file)
    app.action(ACTION_ALERTS_OFF)(on_alerts_off)
