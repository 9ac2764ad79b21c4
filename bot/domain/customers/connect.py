"""Who the customer is: the organisation of a Slack Connect author.

In a Slack Connect channel the people of another organisation are the customer speaking.
A message says which team its author belongs to (``user_team``, or ``team``); when it does
not (a forward's attachment names only the author), ``users.info`` tells. ``team.info``
turns that team id into the organisation's name. Both are cached per process: team names
and users' teams change rarely, and a busy shared channel must not cost two Web API calls
per message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

_TTL_SECONDS = 3600.0
_MISS_TTL_SECONDS = 300.0  # a failed lookup is retried sooner
_MAX_ENTRIES = 10_000

# (workspace, user) -> team id ; (workspace, team) -> team name. None caches a miss.
_user_teams: dict[tuple[str, str], tuple[float, str | None]] = {}
_team_names: dict[tuple[str, str], tuple[float, str | None]] = {}
_channel_names: dict[tuple[str, str], tuple[float, str | None]] = {}
_team_orgs: dict[tuple[str, str], tuple[float, str | None]] = {}


def _get(cache: dict[tuple[str, str], tuple[float, str | None]], key: tuple[str, str]) -> tuple[bool, str | None]:
    hit = cache.get(key)
    if hit is None:
        return False, None
    expires, value = hit
    if time.monotonic() > expires:
        cache.pop(key, None)
        return False, None
    return True, value


def _put(cache: dict[tuple[str, str], tuple[float, str | None]], key: tuple[str, str], value: str | None) -> None:
    if len(cache) >= _MAX_ENTRIES:
        cache.clear()  # crude but bounded; entries are cheap to refetch
    ttl = _TTL_SECONDS if value is not None else _MISS_TTL_SECONDS
    cache[key] = (time.monotonic() + ttl, value)


def clear_cache() -> None:
    """Forget every cached lookup (tests)."""
    _user_teams.clear()
    _team_names.clear()
    _channel_names.clear()
    _team_orgs.clear()


async def author_team(client: AsyncWebClient, workspace_team_id: str, user_id: str) -> str | None:
    """The team (organisation workspace) ``user_id`` belongs to, via cached ``users.info``."""
    async def lookup() -> str | None:
        user = (await client.users_info(user=user_id)).get("user") or {}
        return user.get("team_id") or (user.get("profile") or {}).get("team") or None

    return await _cached(_user_teams, workspace_team_id, user_id, lookup, method="users.info", what="user")


async def team_name(client: AsyncWebClient, workspace_team_id: str, team_id: str) -> str | None:
    """The display name of ``team_id`` via cached ``team.info(team=...)``."""
    async def lookup() -> str | None:
        team = (await client.team_info(team=team_id)).get("team") or {}
        return (team.get("name") or "").strip()[:255] or None

    return await _cached(_team_names, workspace_team_id, team_id, lookup, method="team.info", what="other")


async def _cached(
    cache: dict[tuple[str, str], tuple[float, str | None]], workspace_team_id: str, id_: str,
    lookup: Callable[[], Awaitable[str | None]], *, method: str, what: str,
) -> str | None:
    """``lookup()`` through ``cache``; a failed Web API call is logged and cached as a miss."""
    key = (workspace_team_id, id_)
    found, value = _get(cache, key)
    if found:
        return value
    try:
        value = await lookup()
    except SlackApiError as e:
        log.warning("customers: %s failed team=%s %s=%s: %s",
                    method, workspace_team_id, what, id_, e.response.get("error"))
        value = None
    _put(cache, key, value)
    return value


async def channel_name(client: AsyncWebClient, workspace_team_id: str, channel_id: str) -> str | None:
    """The name of ``channel_id`` via cached ``conversations.info`` (for channel-name rules)."""
    async def lookup() -> str | None:
        channel = (await client.conversations_info(channel=channel_id)).get("channel") or {}
        return (channel.get("name") or "").strip() or None

    return await _cached(_channel_names, workspace_team_id, channel_id, lookup,
                         method="conversations.info", what="channel")


async def external_team(
    client: AsyncWebClient,
    workspace_team_id: str,
    author_user_id: str | None,
    author_team_id: str | None,
    *,
    enterprise_id: str | None = None,
) -> str | None:
    """The author's team id when they are from another organisation; None for our own people."""
    team = author_team_id
    if not team and author_user_id:
        team = await author_team(client, workspace_team_id, author_user_id)
    if not team or team == workspace_team_id or (enterprise_id and team == enterprise_id):
        return None
    if enterprise_id and await team_enterprise(client, workspace_team_id, team) == enterprise_id:
        return None  # a colleague from a sibling workspace of the same Grid organisation
    return team


async def team_enterprise(client: AsyncWebClient, workspace_team_id: str, team_id: str) -> str | None:
    """The Enterprise Grid organisation ``team_id`` belongs to (None: none), via cached team.info."""
    async def lookup() -> str | None:
        team = (await client.team_info(team=team_id)).get("team") or {}
        return team.get("enterprise_id") or None

    return await _cached(_team_orgs, workspace_team_id, team_id, lookup, method="team.info", what="other")


async def customer_for(
    client: AsyncWebClient,
    workspace_team_id: str,
    author_user_id: str | None,
    author_team_id: str | None,
    *,
    enterprise_id: str | None = None,
) -> str | None:
    """The customer organisation's name when the author is from another organisation.

    ``author_team_id`` is what the message carries (``user_team``/``team``); when absent the
    author's team is looked up. Our own people (and unknown authors) give None: their
    remarks keep whatever customer the capturer names. On Enterprise Grid, pass the
    ``enterprise_id``: messages may name the organisation rather than the workspace.
    """
    team = await external_team(client, workspace_team_id, author_user_id, author_team_id,
                               enterprise_id=enterprise_id)
    return await team_name(client, workspace_team_id, team) if team else None
