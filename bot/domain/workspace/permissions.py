"""Who may change what: workspace admins/owners, or users listed in ADMIN_USERS."""

from __future__ import annotations

import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings

log = logging.getLogger(__name__)

_CACHE_SECONDS = 300
_cache: dict[tuple[str, str], tuple[float, bool]] = {}


async def is_admin(settings: Settings, client: AsyncWebClient, team_id: str, user_id: str) -> bool:
    """Whether ``user_id`` may change the registry, watched channels and digest settings."""
    if user_id in settings.admin_user_ids:
        return True
    key = (team_id, user_id)
    hit = _cache.get(key)
    if hit and time.monotonic() - hit[0] < _CACHE_SECONDS:
        return hit[1]
    try:
        user = (await client.users_info(user=user_id)).get("user") or {}
    except SlackApiError as e:
        log.warning("permissions: users.info failed for %s: %s", user_id, e.response.get("error"))
        return False
    allowed = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
    _cache[key] = (time.monotonic(), allowed)
    return allowed


NOT_ADMIN = (
    ":lock: Only workspace admins and owners (or people listed in Earshot's ADMIN_USERS "
    "setting) can change this. Anyone can file and correct feedback."
)
