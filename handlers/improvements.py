"""Improvement buttons and the improvement modal: Start an improvement (digest, owner alert),
Edit, Start work / Mark shipped / Drop, and saving the form."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.loop import improvements
from bot.domain.processes.starter import ensure_workspace
from bot.slack import improvements as ui
from handlers.common import ack_live, services_of
from handlers.home import publish_home
from storage.db import transaction
from storage.repositories import ProcessRepository

log = logging.getLogger(__name__)


def _team(body: dict[str, Any], context: Any) -> str:
    return context.team_id or (body.get("team") or {}).get("id") or ""


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


async def _open(client: AsyncWebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    try:
        await client.views_open(trigger_id=body["trigger_id"], view=view)
    except SlackApiError as e:
        log.warning("improvements: views.open failed: %s", e.response.get("error"))


async def _tell(client: AsyncWebClient, respond: Any, body: dict[str, Any], text: str) -> None:
    """A private note to the clicker: in place of nothing (ephemeral), or by DM from a view."""
    if body.get("response_url"):
        await respond(replace_original=False, response_type="ephemeral", text=text)
        return
    try:
        await client.chat_postMessage(channel=body["user"]["id"], text=text)
    except SlackApiError as e:
        log.warning("improvements: private note failed: %s", e.response.get("error"))


async def on_start(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient,
                   context: AsyncBoltContext) -> None:
    services = await ack_live(ack, context)
    if services is None:
        return
    team_id = _team(body, context)
    process_id = _int(action.get("value"))
    async with transaction(services.sessions) as session:
        await ensure_workspace(session, team_id)
        processes = await ProcessRepository(session).list(team_id)
    process = next((p for p in processes if p.id == process_id), None)
    proposals = await improvements.proposals(services, team_id, process.id) if process else []
    await _open(client, body, ui.improvement_modal(
        processes, process_id=process.id if process else None, proposals=proposals,
        selected={r.id for r in proposals}, owner_user_id=process.owner_user_id if process else None))


async def on_edit(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient,
                  respond: AsyncRespond, context: AsyncBoltContext) -> None:
    services = await ack_live(ack, context)
    if services is None:
        return
    team_id = _team(body, context)
    try:
        imp, attached = await improvements.for_edit(services, client, team_id, _int(action.get("value")) or 0,
                                                    by=body["user"]["id"])
    except improvements.ImprovementProblem as e:
        await _tell(client, respond, body, str(e) if str(e).startswith(":") else f":warning: {e}")
        return
    async with services.sessions() as session:
        processes = await ProcessRepository(session).list(team_id)
    fresh = [r for r in await improvements.proposals(services, team_id, imp.process_id)
             if r.id not in {a.id for a in attached}]
    shown = (attached + fresh)[: ui.MAX_PROPOSED]
    await _open(client, body, ui.improvement_modal(
        processes, process_id=imp.process_id, proposals=shown, selected={r.id for r in attached},
        improvement=imp))


async def on_status(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient,
                    respond: AsyncRespond, context: AsyncBoltContext) -> None:
    services = services_of(context)
    await ack()
    team_id = _team(body, context)
    user_id = body["user"]["id"]
    status = action["action_id"].removeprefix(ui.ACTION_STATUS_PREFIX)
    improvement_id = _int(action.get("value")) or 0
    try:
        _, changed = await improvements.change_status(services, client, team_id, improvement_id,
                                                      status, by=user_id)
    except improvements.ImprovementProblem as e:
        await _tell(client, respond, body, str(e) if str(e).startswith(":") else f":warning: {e}")
        return
    [item] = await improvements.listed(services, team_id, only=improvement_id,
                                       viewer=improvements.Actor(services, client, team_id, user_id))
    label = ui.STATUS_LABELS[status].lower()
    note = f":white_check_mark: Marked {label}." if changed else f"It was {label} already."
    if (body.get("container") or {}).get("type") == "view":
        await publish_home(services, client, team_id, user_id)
    elif body.get("response_url"):
        await respond(replace_original=True, **ui.card_message(item, note=note))


async def on_process_chosen(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                            client: AsyncWebClient, context: AsyncBoltContext) -> None:
    """The form's process changed: propose that process's complaints instead."""
    services = services_of(context)
    await ack()
    raw_view = body.get("view")
    view: dict[str, Any] = raw_view if isinstance(raw_view, dict) else {}
    state = ui.ModalState.from_metadata(view.get("private_metadata"))
    if state is None or not view.get("id"):
        return
    team_id = _team(body, context)
    typed = ui.read_submission((view.get("state") or {}).get("values"))
    async with services.sessions() as session:
        processes = await ProcessRepository(session).list(team_id)
    chosen = _int((action.get("selected_option") or {}).get("value"))
    process = next((p for p in processes if p.id == chosen), None)
    if process is None:
        return
    attached: list[Any] = []
    existing = None
    if state.improvement_id is not None:
        try:
            existing, attached = await improvements.get(services, team_id, state.improvement_id)
        except improvements.ImprovementProblem:
            return
    fresh = [r for r in await improvements.proposals(services, team_id, process.id)
             if r.id not in {a.id for a in attached}]
    shown = (attached + fresh)[: ui.MAX_PROPOSED]
    selected = {r.id for r in attached} if existing else {r.id for r in shown}
    new_view = ui.improvement_modal(
        processes, process_id=process.id, proposals=shown, selected=selected, improvement=existing,
        typed=ui.Submitted(process.id, typed.title, typed.description,
                           typed.owner_user_id or process.owner_user_id, typed.link, []))
    try:
        await client.views_update(view_id=view["id"], hash=view.get("hash"), view=new_view)
    except SlackApiError as e:
        log.warning("improvements: views.update failed team=%s: %s", team_id, e.response.get("error"))


async def on_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
    services = services_of(context)
    raw_view = body.get("view")
    view: dict[str, Any] = raw_view if isinstance(raw_view, dict) else {}
    team_id = _team(body, context)
    user_id = (body.get("user") or {}).get("id") or ""
    state = ui.ModalState.from_metadata(view.get("private_metadata"))
    if state is None:
        await ack(response_action="errors", errors={ui.BLOCK_TITLE: "This form expired; start again."})
        return
    sub = ui.read_submission((view.get("state") or {}).get("values"))
    errors: dict[str, str] = {}
    title = link = None
    try:
        title = ui.clean_title(sub.title)
    except ui.InvalidImprovement as e:
        errors[e.block_id] = str(e)
    try:
        link = ui.clean_link(sub.link)
    except ui.InvalidImprovement as e:
        errors[e.block_id] = str(e)
    if sub.process_id is None:
        errors[ui.BLOCK_PROCESS] = "Choose the process this improves."
    if errors or title is None or sub.process_id is None:
        await ack(response_action="errors", errors=errors)
        return
    draft = improvements.Draft(process_id=sub.process_id, title=title, description=sub.description,
                               owner_user_id=sub.owner_user_id, link=link, remark_ids=sub.ticked)
    try:
        if state.improvement_id is None:
            imp = await improvements.create(services, client, team_id, draft, by=user_id)
            note = ":white_check_mark: Improvement started."
        else:
            imp = await improvements.edit(services, client, team_id, state.improvement_id, draft,
                                          shown=state.shown, by=user_id)
            note = ":pencil2: Improvement saved."
    except improvements.ImprovementProblem as e:
        await ack(response_action="errors", errors={ui.BLOCK_PROCESS: str(e)})
        return
    await ack()
    [item] = await improvements.listed(services, team_id, only=imp.id,
                                       viewer=improvements.Actor(services, client, team_id, user_id))
    try:
        await client.chat_postMessage(channel=user_id, **ui.card_message(item, note=note))
    except SlackApiError as e:
        log.warning("improvements: confirmation to %s failed: %s", user_id, e.response.get("error"))


def register(app: AsyncApp) -> None:
    app.action(re.compile(f"^{re.escape(ui.ACTION_START)}\\d+$"))(on_start)
    app.action(ui.ACTION_EDIT)(on_edit)
    app.action(re.compile(f"^{re.escape(ui.ACTION_STATUS_PREFIX)}(in_progress|shipped|dropped)$"))(on_status)
    app.action(ui.ACTION_PROCESS)(on_process_chosen)
    app.view(ui.CALLBACK_ID)(on_submit)
