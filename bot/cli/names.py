"""People's names for text read in a terminal (``earshot digest --preview``).

Earshot stores Slack user ids, never names, so a name is known only by asking Slack. When the
workspace's Slack token is configured (the same settings `earshot serve` reads), the few
people a digest names are looked up with ``users.info``; otherwise, or when Slack does not
answer within a few seconds, they are shown by id (``@U0123ABCD``). The preview itself never
needs Slack settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import re

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings, SettingsError, load_settings
from bot.digest.build import Digest
from bot.domain.workspace.clients import SlackClients

LOOKUP_SECONDS = 5.0
MAX_PEOPLE = 50
_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")


def people_in(d: Digest) -> list[str]:
    """The user ids a digest names: owners, and the authors of quotes without a customer."""
    found: dict[str, None] = {}
    for line in (*d.improve, *d.consolidate, *d.ideas):
        if line.owner_user_id:
            found[line.owner_user_id] = None
        for q in line.quotes:
            if q.author_user_id and not q.customer:
                found[q.author_user_id] = None
    return [u for u in found if _USER.match(u)][:MAX_PEOPLE]


async def _fill(client: AsyncWebClient, ids: list[str], out: dict[str, str]) -> None:
    for user_id in ids:
        with contextlib.suppress(SlackApiError):
            user = (await client.users_info(user=user_id)).get("user") or {}
            profile = user.get("profile") or {}
            name = profile.get("real_name") or user.get("real_name") or profile.get("display_name") \
                or user.get("name")
            if isinstance(name, str) and name.strip():
                out[user_id] = name.strip()


async def slack_names(engine: AsyncEngine, team_id: str, d: Digest) -> dict[str, str]:
    """``{user id: name}`` for the people ``d`` names, from Slack when it can be asked."""
    ids = people_in(d)
    if not ids:
        return {}
    try:
        settings = load_settings(Settings)
    except SettingsError:
        return {}  # only DATABASE_URL: ids it is
    names: dict[str, str] = {}  # filled as answers come: a slow Slack still names the first ones
    with contextlib.suppress(TimeoutError, OSError, SlackApiError, aiohttp.ClientError):
        async with asyncio.timeout(LOOKUP_SECONDS):
            client = await SlackClients(settings, engine, retries=False).for_team(team_id)
            if client is not None:
                await _fill(client, ids, names)
    return names
