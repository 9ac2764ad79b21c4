"""Who is an admin of a workspace: its own admins and owners (or its Enterprise Grid
organisation's), and the people ADMIN_USERS lists for it.

A request is for one workspace; the person acting in it may belong to another (a Slack
Connect partner, who can be an admin of their own organisation). ``users.info`` says where
a person belongs: ``team_id`` (their workspace), ``enterprise_user.enterprise_id`` (their
Grid organisation) and ``is_stranger`` (a foreign workspace's member). Their admin flags
count only when that is this workspace, or this workspace's Grid organisation. Answers are
cached per (workspace, person) for a few minutes: a demotion takes effect within that.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.acting import NOT_ADMIN, NotAdmin, require_admin
from bot.domain.services import Services
from storage.repositories.installations import InstallationRepository

log = logging.getLogger(__name__)

_CACHE_SECONDS = 300
_MAX_ENTRIES = 10_000
_cache: dict[tuple[str, str], tuple[float, bool]] = {}
_orgs: dict[str, tuple[float, str | None]] = {}

__all__ = ["NOT_ADMIN", "NotAdmin", "SlackAsker", "admin_of", "clear_cache", "is_admin", "require_admin",
           "workspace_org"]


@dataclass(frozen=True)
class SlackAsker:
    """The person behind a Slack request (bot.domain.acting.Asker): domain functions that
    only admins may use ask it, with the rule below."""

    services: Services
    client: AsyncWebClient
    team_id: str
    user_id: str

    async def is_admin(self) -> bool:
        return await is_admin(self.services, self.client, self.team_id, self.user_id)


def clear_cache() -> None:
    """Forget every cached answer (tests)."""
    _cache.clear()
    _orgs.clear()


async def is_admin(services: Services, client: AsyncWebClient, team_id: str, user_id: str) -> bool:
    """Whether ``user_id`` is an admin *of ``team_id``* (see the module docstring)."""
    if not team_id or not user_id:
        return False
    if user_id in services.settings.listed_admins(team_id):
        return True
    key = (team_id, user_id)
    hit = _cache.get(key)
    if hit and time.monotonic() - hit[0] < _CACHE_SECONDS:
        return hit[1]
    try:
        user = (await client.users_info(user=user_id)).get("user") or {}
    except SlackApiError as e:
        log.warning("permissions: team=%s users.info failed for %s: %s", team_id, user_id,
                    e.response.get("error"))
        return False
    allowed = admin_of(user, team_id, None)
    if not allowed and _org_admin_elsewhere(user, team_id):
        # An organisation admin from a sibling workspace: is this workspace in their org?
        allowed = admin_of(user, team_id, await workspace_org(services, client, team_id))
    if len(_cache) >= _MAX_ENTRIES:
        _cache.clear()
    _cache[key] = (time.monotonic(), allowed)
    return allowed


def admin_of(user: dict[str, Any], team_id: str, org_id: str | None) -> bool:
    """Whether a ``users.info`` user is an admin of workspace ``team_id`` (of Grid
    organisation ``org_id``, or None): pure, so each case is tested on its own."""
    if not isinstance(user, dict) or user.get("deleted") or user.get("is_bot") or user.get("is_stranger"):
        return False
    if user.get("is_restricted") or user.get("is_ultra_restricted"):
        return False  # guests
    grid = _grid(user)
    org_admin = bool(grid.get("is_admin") or grid.get("is_owner") or grid.get("is_primary_owner"))
    if user.get("team_id") == team_id:
        # This workspace's own member: its admin flags, or their organisation's (which is
        # this workspace's organisation, since it is their home).
        return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner") or org_admin)
    # Someone from elsewhere counts only as an admin of this workspace's Grid organisation.
    same_org = org_id is not None and (grid.get("enterprise_id") == org_id or user.get("team_id") == org_id)
    return same_org and org_admin


def _grid(user: dict[str, Any]) -> dict[str, Any]:
    grid = user.get("enterprise_user")
    return grid if isinstance(grid, dict) else {}


def _org_admin_elsewhere(user: dict[str, Any], team_id: str) -> bool:
    grid = _grid(user)
    return (user.get("team_id") != team_id and not user.get("is_stranger")
            and bool(grid.get("enterprise_id")) and bool(grid.get("is_admin") or grid.get("is_owner")))


async def workspace_org(services: Services, client: AsyncWebClient, team_id: str) -> str | None:
    """The Enterprise Grid organisation ``team_id`` belongs to, or None: from the installation
    (OAuth mode), else from ``team.info`` (single-token mode), cached."""
    if services.settings.oauth:
        async with services.sessions() as session:
            return await InstallationRepository(session).enterprise_of(team_id)
    hit = _orgs.get(team_id)
    if hit and time.monotonic() - hit[0] < _CACHE_SECONDS:
        return hit[1]
    try:
        team = (await client.team_info(team=team_id)).get("team") or {}
    except SlackApiError as e:
        log.warning("permissions: team.info failed for %s: %s", team_id, e.response.get("error"))
        return None  # not cached: asked again next time
    org = team.get("enterprise_id") or None
    _orgs[team_id] = (time.monotonic(), org)
    return org
