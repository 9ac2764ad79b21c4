"""``app_uninstalled``, ``tokens_revoked``, ``team_access_granted`` and ``team_access_revoked``.

The inbox worker handles them all before dispatch (bot/server/worker.py, ``stops_work``): the
token is gone by then, so they must not need Bolt's authorization. These listeners are
what Bolt runs for whatever reaches it: ``tokens_revoked`` naming only user tokens (the
bot keeps working: it uses only its own token), or a direct dispatch in tests.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.domain.privacy import retention
from bot.domain.workspace import org_access
from handlers.common import services_of

log = logging.getLogger(__name__)


async def on_uninstalled(context: AsyncBoltContext) -> None:
    services = services_of(context)
    if context.team_id:
        await retention.mark_uninstalled(services.sessions, context.team_id, why="app_uninstalled")


async def on_tokens_revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
    services = services_of(context)
    tokens = event.get("tokens") if isinstance(event.get("tokens"), dict) else None
    if tokens and tokens.get("bot") and context.team_id:
        await retention.mark_uninstalled(services.sessions, context.team_id, why="tokens_revoked")
    else:
        log.info("lifecycle: team=%s user tokens revoked; the bot's own token still works",
                 context.team_id)


def _team_ids(event: dict[str, Any]) -> list[str]:
    teams = event.get("team_ids")
    return [t for t in teams if isinstance(t, str) and t.startswith("T")] if isinstance(teams, list) else []


async def on_team_access_granted(event: dict[str, Any], context: AsyncBoltContext) -> None:
    if context.enterprise_id and (teams := _team_ids(event)):
        await org_access.grant_access(services_of(context), context.enterprise_id, teams)


async def on_team_access_revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
    services = services_of(context)
    for team_id in _team_ids(event):
        await retention.mark_uninstalled(services.sessions, team_id, why="team_access_revoked")


def register(app: AsyncApp) -> None:
    app.event("app_uninstalled")(on_uninstalled)
    app.event("tokens_revoked")(on_tokens_revoked)
    app.event("team_access_granted")(on_team_access_granted)
    app.event("team_access_revoked")(on_team_access_revoked)
