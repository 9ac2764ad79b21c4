"""Enterprise Grid: the workspaces an org-wide install reaches, as an org admin changes them.

``ready_workspace`` makes one workspace ready for work (its row and starter processes, the
row that maps it to its organisation's token, and a reinstall within the grace period keeps
its data); the install page uses it for every workspace an install reached, and
``grant_access`` for the workspaces of ``team_access_granted`` (added to the organisation's
install later, without a reinstall). ``team_access_revoked`` is an uninstall of those
workspaces (bot.domain.privacy.retention.mark_uninstalled), run by the inbox worker.
"""

from __future__ import annotations

import copy
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.models.bot import Bot

from bot.domain.privacy import retention
from bot.domain.processes.starter import ensure_workspace
from bot.domain.services import Services
from storage.db import transaction
from storage.repositories.installations import InstallationRepository

log = logging.getLogger(__name__)


async def ready_workspace(services: Services, team_id: str, *, org_bot: Bot | None,
                          name: str | None = None, installer: str | None = None) -> None:
    """``org_bot``: the organisation's bot (an org-wide install), saved once more for this
    workspace so work done outside a request (digests, alerts) finds the org's token."""
    if org_bot is not None and services.clients.store is not None:
        bot = copy.copy(org_bot)
        bot.team_id, bot.team_name = team_id, name or team_id
        await services.clients.store.async_save_bot(bot)
    async with transaction(services.sessions) as session:
        await ensure_workspace(session, team_id)
        if installer:
            await InstallationRepository(session).note_installer(team_id, installer)
    await retention.reinstalled(services.sessions, team_id)  # back within the grace: all kept
    log.info("install: team=%s enterprise=%s ready", team_id, org_bot.enterprise_id if org_bot else None)


async def grant_access(services: Services, enterprise_id: str, team_ids: list[str]) -> list[str]:
    """``team_access_granted``: the organisation's install now reaches ``team_ids``; each is
    made ready with the org's token. Returns the workspaces made ready (none when the
    organisation has no org-wide install here, or in single-token mode)."""
    clients = services.clients
    if clients.store is None:
        log.info("org access: enterprise=%s granted %s; single-token mode has nothing to do",
                 enterprise_id, ",".join(team_ids))
        return []
    org = await clients.find_bot(team_ids[0], enterprise_id=enterprise_id) if team_ids else None
    if org is None or not org.is_enterprise_install:
        log.warning("org access: enterprise=%s has no org-wide install here; %s not added",
                    enterprise_id, ",".join(team_ids))
        return []
    names = await _team_names(services, org)
    for team_id in team_ids:
        await ready_workspace(services, team_id, org_bot=org, name=names.get(team_id))
    return list(team_ids)


async def _team_names(services: Services, org: Bot) -> dict[str, str]:
    """The org's workspaces by id (``auth.teams.list``); names only, so a failure costs nothing."""
    client = services.clients.client(org.bot_token)
    names: dict[str, str] = {}
    cursor = None
    try:
        while True:
            resp = await client.auth_teams_list(cursor=cursor, limit=100)
            names |= {str(t["id"]): str(t.get("name") or t["id"]) for t in resp.get("teams") or []}
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return names
    except SlackApiError as e:
        log.warning("org access: enterprise=%s auth.teams.list failed: %s", org.enterprise_id,
                    e.response.get("error"))
        return names
