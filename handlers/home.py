"""The App Home tab: published when opened, and again after a triage choice made in it."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.capture import sources
from bot.domain.filing import themes
from bot.domain.loop import improvements
from bot.domain.processes.starter import ensure_workspace
from bot.domain.services import Services
from bot.slack.home import home_view
from bot.slack.improvements import home_blocks
from bot.slack.source_volumes import home_blocks as source_blocks
from bot.slack.themes import home_blocks as theme_blocks
from handlers.common import services_of
from storage.db import transaction
from storage.repositories import ProcessRepository, RemarkRepository

log = logging.getLogger(__name__)
THEMES_FOR = dt.timedelta(weeks=4)
MAX_THEMED = 4  # processes shown with their themes (3 each): the view stays under 100 blocks


async def publish_home(services: Services, client: AsyncWebClient, team_id: str, user_id: str, *,
                       note: str | None = None) -> None:
    """Publish the person's App Home; ``note``: a line for them at its top (why a click there
    was refused, say)."""
    async with transaction(services.sessions) as session:
        await ensure_workspace(session, team_id)
        remarks = RemarkRepository(session)
        processes = await ProcessRepository(session).list(team_id)
        unfiled = await remarks.unfiled(team_id, limit=10)
        unfiled_total = await remarks.unfiled_count(team_id)
        recent = await remarks.recent_for_user(team_id, user_id, limit=5)
        now = services.clock()
        owned = await themes.owned(session, team_id, [(p.id, p.name) for p in processes
                                                      if p.owner_user_id == user_id and not p.archived],
                                   now - THEMES_FOR, now + dt.timedelta(seconds=1))
    names = {p.id: p.name for p in processes}
    mine = await improvements.listed(services, team_id, user_id=user_id,
                                     viewer=improvements.Actor(services, client, team_id, user_id))
    volumes = await sources.volumes(services, team_id, now=now)
    view = home_view(
        unfiled=unfiled, unfiled_total=unfiled_total,
        recent=[(r, names.get(r.process_id) if r.process_id else None) for r in recent],
        processes=processes,
        improvements=[*theme_blocks(owned[:MAX_THEMED]), *(home_blocks(mine) if mine else ()),
                      *source_blocks(volumes, now)],
        capture_emoji=services.settings.main_capture_emoji, note=note,
    )
    try:
        await client.views_publish(user_id=user_id, view=view)
    except SlackApiError as e:
        log.warning("home: publish for %s failed: %s", user_id, e.response.get("error"))


async def on_home_opened(event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
    services = services_of(context)
    if event.get("tab", "home") != "home":
        return
    await publish_home(services, client, context.team_id or "", event["user"])


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(on_home_opened)
