"""The intake API's tokens: made by admins, shown once, stored as a SHA-256, revoked by name.

A token looks like ``esk_<43 url-safe characters>`` (256 bits of randomness) so secret
scanners can recognise a leaked one. Only its hash is stored, and no log line carries it.
Each request spends one unit of its token's per-minute budget in the database (a fixed
window, ``api_rate``), so the limit holds however many web processes answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.processes.starter import ensure_workspace
from bot.domain.services import Services
from bot.domain.workspace.permissions import NOT_ADMIN, is_admin
from storage.db import transaction
from storage.models import ApiToken
from storage.repositories import ApiTokenRepository

PREFIX = "esk_"
NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,27}$")
NAME_RULE = "1-28 characters: lower-case letters, digits, '-', '_' or '.', starting with a letter or digit"


class TokenError(ValueError):
    """A request about tokens that cannot be done; the message says why."""


@dataclass(frozen=True)
class Made:
    name: str
    token: str  # shown once, never stored


@dataclass(frozen=True)
class Allowed:
    team_id: str
    token_id: int
    name: str


@dataclass(frozen=True)
class Limited:
    retry_after: int  # seconds until the token's next window


def hash_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def check_name(name: str) -> str:
    name = name.strip().lower()
    if not NAME.match(name):
        raise TokenError(f"A token's name is {NAME_RULE}.")
    return name


async def create(sessions: async_sessionmaker[AsyncSession], team_id: str, name: str, *,
                 by: str, at: dt.datetime, rate_per_minute: int) -> Made:
    name = check_name(name)
    token = PREFIX + secrets.token_urlsafe(32)
    async with transaction(sessions) as session:
        await ensure_workspace(session, team_id)
        made = await ApiTokenRepository(session).create(
            team_id, name=name, token_hash=hash_of(token), created_by=by[:64], at=at,
            rate_per_minute=rate_per_minute)
    if made is None:
        raise TokenError(f"A token named {name} exists already: revoke it first, or choose another name.")
    return Made(name=name, token=token)


async def listed(sessions: async_sessionmaker[AsyncSession], team_id: str) -> list[ApiToken]:
    async with sessions() as session:
        return await ApiTokenRepository(session).listed(team_id)


async def revoke(sessions: async_sessionmaker[AsyncSession], team_id: str, name: str, *,
                 at: dt.datetime) -> None:
    async with transaction(sessions) as session:
        if not await ApiTokenRepository(session).revoke(team_id, name=name.strip().lower(), at=at):
            raise TokenError(f"There is no live token named {name.strip()[:40]}.")


async def may_manage(services: Services, client: AsyncWebClient, team_id: str, user_id: str) -> None:
    """The rule: only admins (or ADMIN_USERS) make, list or revoke a workspace's tokens."""
    if not await is_admin(services.settings, client, team_id, user_id):
        raise TokenError(NOT_ADMIN.removeprefix(":lock: "))


async def create_for(services: Services, client: AsyncWebClient, team_id: str, user_id: str,
                     name: str) -> Made:
    await may_manage(services, client, team_id, user_id)
    return await create(services.sessions, team_id, name, by=user_id, at=services.clock(),
                        rate_per_minute=services.settings.api_rate_per_minute)


async def listed_for(services: Services, client: AsyncWebClient, team_id: str,
                     user_id: str) -> list[ApiToken]:
    await may_manage(services, client, team_id, user_id)
    return await listed(services.sessions, team_id)


async def revoke_for(services: Services, client: AsyncWebClient, team_id: str, user_id: str,
                     name: str) -> None:
    await may_manage(services, client, team_id, user_id)
    await revoke(services.sessions, team_id, name, at=services.clock())


async def authorise(session: AsyncSession, token: str, *, now: dt.datetime) -> Allowed | Limited | None:
    """The workspace a bearer token speaks for, having spent one request of its budget (in
    the caller's transaction); ``Limited`` past its budget; None for an unknown or revoked
    token (the same answer for both, so a caller learns nothing of other workspaces)."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    repo = ApiTokenRepository(session)
    found = await repo.by_hash(hash_of(token))
    if found is None or found.revoked_at is not None:
        return None
    epoch = int(now.timestamp())
    window = epoch // 60
    if await repo.spend(found.id, window=window) > found.rate_per_minute:
        return Limited(retry_after=max(1, (window + 1) * 60 - epoch))
    last = found.last_used_at
    if last is None or now - last > dt.timedelta(minutes=1):  # at most one write a minute
        await repo.touch(found.id, at=now)
    return Allowed(team_id=found.team_id, token_id=found.id, name=found.name)


async def authorise_many(session: AsyncSession, tokens: list[str], *,
                         now: dt.datetime) -> list[Allowed | Limited | None]:
    """``authorise`` for a batch of requests (the group-committed acknowledgements), in one
    SELECT and one rate upsert per token: each request spends one unit, in arrival order,
    and those past the token's budget are ``Limited``."""
    hashes = [hash_of(t) if t.startswith(PREFIX) and len(t) <= 100 else "" for t in tokens]
    repo = ApiTokenRepository(session)
    found = await repo.by_hashes(sorted({h for h in hashes if h}))
    epoch = int(now.timestamp())
    window = epoch // 60
    wanted: dict[int, int] = {}
    for h in hashes:
        token = found.get(h)
        if token is not None and token.revoked_at is None:
            wanted[token.id] = wanted.get(token.id, 0) + 1
    budget: dict[int, int] = {}
    for token in found.values():
        if token.id in wanted:
            used = await repo.spend_many(token.id, window=window, n=wanted[token.id])
            budget[token.id] = max(0, token.rate_per_minute - (used - wanted[token.id]))
            last = token.last_used_at
            if last is None or now - last > dt.timedelta(minutes=1):
                await repo.touch(token.id, at=now)
    out: list[Allowed | Limited | None] = []
    for h in hashes:
        token = found.get(h)
        if token is None or token.revoked_at is not None:
            out.append(None)
        elif budget[token.id] > 0:
            budget[token.id] -= 1
            out.append(Allowed(team_id=token.team_id, token_id=token.id, name=token.name))
        else:
            out.append(Limited(retry_after=max(1, (window + 1) * 60 - epoch)))
    return out
