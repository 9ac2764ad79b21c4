"""Theme buttons (App Home, the theme modal): see a theme's remarks; start an improvement
from a theme, in the improvement modal (bot.slack.improvements) prefilled with them."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.filing import themes
from bot.slack import improvements as improvement_ui
from bot.slack import themes as ui
from handlers.common import ack_live
from storage.repositories import ProcessRepository

log = logging.getLogger(__name__)


def _theme_id(action: dict[str, Any]) -> int:
    value = action.get("value")
    return int(value) if isinstance(value, str) and value.isdigit() else 0


async def _show(client: AsyncWebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    # From a modal, push on top of it (its Close returns there); from App Home, open one.
    try:
        if (body.get("view") or {}).get("type") == "modal":
            await client.views_push(trigger_id=body["trigger_id"], view=view)
        else:
            await client.views_open(trigger_id=body["trigger_id"], view=view)
    except SlackApiError as e:
        log.warning("themes: opening a view failed: %s", e.response.get("error"))


async def on_open(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient,
                  context: AsyncBoltContext) -> None:
    services = await ack_live(ack, context)
    if services is None:
        return
    team_id = context.team_id or ""
    async with services.sessions() as session:
        found = await themes.theme_members(session, team_id, _theme_id(action))
        name = (await ProcessRepository(session).name_of(team_id, found[1])) if found else None
    if found is None:
        await _show(client, body, ui.gone_modal())
        return
    label, _, members = found
    await _show(client, body, ui.members_modal(label, name or "?", members, _theme_id(action)))


async def on_improve(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient,
                     context: AsyncBoltContext) -> None:
    services = await ack_live(ack, context)
    if services is None:
        return
    team_id = context.team_id or ""
    async with services.sessions() as session:
        found = await themes.remarks_of(session, team_id, _theme_id(action))
        processes = await ProcessRepository(session).list(team_id)
    if found is None:
        await _show(client, body, ui.gone_modal())
        return
    process_id, remarks = found
    process = next((p for p in processes if p.id == process_id), None)
    await _show(client, body, improvement_ui.improvement_modal(
        processes, process_id=process_id, proposals=remarks, selected={r.id for r in remarks},
        owner_user_id=process.owner_user_id if process else None))


def register(app: AsyncApp) -> None:
    app.action(ui.ACTION_OPEN)(on_open)
    app.action(ui.ACTION_IMPROVE)(on_improve)
