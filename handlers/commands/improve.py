"""`/feedback improve [Process] title`, `/feedback improvements`, `/feedback updates on|off` and
`/feedback praise on|off`."""

from __future__ import annotations

import logging
import re

from slack_sdk.errors import SlackApiError

from bot.domain.loop import improvements, praise
from bot.domain.processes.starter import ensure_workspace
from bot.slack import improvements as ui
from bot.slack.grammar import close_matches
from bot.slack.mrkdwn import clip, join, md
from handlers.commands.router import Call, Reply, reply, subcommand, toggle
from storage.db import transaction
from storage.repositories import ProcessRepository

log = logging.getLogger(__name__)

_BRACKET = re.compile(r"^\[([^\]]{1,80})\]\s*(.*)$", re.S)
USAGE = ("Use `/feedback improve [Process] what you will change` to start one directly, or "
         "`/feedback improve [Process]` to open the form with the process's recent complaints.")


@subcommand("improve", usage="/feedback improve [Process] title",
            summary="start an improvement (opens the form, or creates it with the title)", order=70)
async def improve(call: Call) -> Reply:
    m = _BRACKET.match(call.text.strip())
    async with transaction(call.services.sessions) as session:
        await ensure_workspace(session, call.team_id)
        repo = ProcessRepository(session)
        processes = await repo.list(call.team_id)
        process = await repo.by_name(call.team_id, m.group(1).strip()) if m else None
    if m and (process is None or process.archived):
        guess = close_matches(m.group(1), [p.name for p in processes])
        hint = md(" Did you mean {}?", join((md("`[{}]`", g) for g in guess), ", ")) if guess else ""
        return reply(md(":warning: I don't know the process `{}`.{}", clip(m.group(1), 80), hint))
    title_raw = (m.group(2) if m else call.text).strip()
    if process is not None and title_raw:
        try:
            title = ui.clean_title(title_raw)
        except ui.InvalidImprovement as e:
            return reply(f":warning: {e}")
        proposals = await improvements.proposals(call.services, call.team_id, process.id)
        try:
            imp = await improvements.create(
                call.services, call.client, call.team_id,
                improvements.Draft(process_id=process.id, title=title, description="", owner_user_id=None,
                                   link=None, remark_ids=[]), by=call.user_id)
        except improvements.ImprovementProblem as e:
            return reply(str(e) if str(e).startswith(":") else md(":warning: {}", str(e)))
        viewer = improvements.Actor(call.services, call.client, call.team_id, call.user_id)
        [item] = await improvements.listed(call.services, call.team_id, only=imp.id, viewer=viewer)
        more = (md(" {} recent complaint{} on {} could be attached: press *Edit* to tick them.",
                   len(proposals), "s" if len(proposals) != 1 else "", process.name) if proposals else "")
        return {**ui.card_message(item, note=md(":white_check_mark: Improvement started.{}", more)),
                "response_type": "ephemeral"}
    if not call.live or not call.trigger_id:
        return reply(USAGE)
    proposals = await improvements.proposals(call.services, call.team_id, process.id) if process else []
    view = ui.improvement_modal(processes, process_id=process.id if process else None,
                                proposals=proposals, selected={r.id for r in proposals},
                                owner_user_id=process.owner_user_id if process else None)
    try:
        await call.client.views_open(trigger_id=call.trigger_id, view=view)
    except SlackApiError as e:
        log.warning("improve: views.open failed team=%s: %s", call.team_id, e.response.get("error"))
        return reply(USAGE)
    return None


@subcommand("improvements", usage="/feedback improvements",
            summary="the improvements under way and recently shipped, with status and verdict", order=71)
async def improvements_list(call: Call) -> Reply:
    viewer = improvements.Actor(call.services, call.client, call.team_id, call.user_id)
    items = await improvements.listed(call.services, call.team_id, viewer=viewer)
    return {**ui.list_message(items), "response_type": "ephemeral"}


@subcommand("updates", usage="/feedback updates on|off",
            summary="the DM when an improvement answers a remark you captured", order=72)
async def updates(call: Call) -> Reply:
    return await toggle(
        call, improvements.set_updates,
        usage="Use `/feedback updates off` to stop the messages about improvements that answer "
              "remarks you captured, or `/feedback updates on` to get them again.",
        off=":no_bell: Improvement updates turned off. `/feedback updates on` turns them back on.",
        on=":bell: Improvement updates turned on: you hear when something you captured is acted on.")


@subcommand("praise", usage="/feedback praise on|off",
            summary="process owners: the weekly note of the praise your processes got", order=73)
async def praise_notes(call: Call) -> Reply:
    return await toggle(
        call, praise.set_praise_notes,
        usage="Use `/feedback praise off` to stop the weekly note of the praise processes you own "
              "got, or `/feedback praise on` to get it again.",
        off=":no_bell: Weekly praise notes turned off. Turn them back on with `/feedback praise on`.",
        on=":bell: Weekly praise notes turned on: once a week, when customers praise a process you own.")
