"""The API's tokens: made by admins, shown once, stored as a SHA-256, revoked by name.

A token has scopes: ``write`` (``POST /api/v1/remarks``, the intake API; every token made
before scopes existed), ``read`` (the read API's ``GET``s), or both. A request the token's
scopes do not cover is ``Forbidden``, naming the scope it lacks.

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
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.acting import Asker, require_admin
from bot.domain.processes.starter import ensure_workspace
from storage.db import transaction
from storage.models import ApiToken
from storage.repositories import ApiTokenRepository

PREFIX = "esk_"
NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,27}$")
NAME_RULE = "1-28 characters: lower-case letters, digits, '-', '_' or '.', starting with a letter or digit"
READ, WRITE = "read", "write"
SCOPES = (READ, WRITE)
SCOPES_RULE = "read, write or read,write"


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
    scopes: frozenset[str] = frozenset({WRITE})


@dataclass(frozen=True)
class Forbidden:
    """A live token asked for what its scopes do not cover."""

    scope: str  # the one it lacks


@dataclass(frozen=True)
class Limited:
    retry_after: int  # seconds until the token's next window


def hash_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def parse_scopes(text: str | None) -> str:
    """``read``, ``write`` or both (``read,write``, any order, spaces or ``+`` allowed), as
    stored: the scopes sorted and joined by a comma. None or empty: ``write``."""
    if text is None or not text.strip():
        return WRITE
    wanted = {w for w in text.strip().lower().replace("+", ",").replace(" ", ",").split(",") if w}
    if not wanted or not wanted <= set(SCOPES):
        raise TokenError(f"A token's scopes are {SCOPES_RULE} (not {text.strip()[:40]}).")
    return ",".join(sorted(wanted))


def scopes_of(stored: str | None) -> frozenset[str]:
    return frozenset(s for s in (stored or WRITE).split(",") if s in SCOPES)


def check_name(name: str) -> str:
    name = name.strip().lower()
    if not NAME.match(name):
        raise TokenError(f"A token's name is {NAME_RULE}.")
    return name


async def create(sessions: async_sessionmaker[AsyncSession], team_id: str, name: str, *,
                 by: str, at: dt.datetime, rate_per_minute: int, scopes: str | None = None,
                 asker: Asker | None = None) -> Made:
    await require_admin(asker, team_id)  # only admins (or ADMIN_USERS); None: the operator
    name = check_name(name)
    scopes = parse_scopes(scopes)
    token = PREFIX + secrets.token_urlsafe(32)
    async with transaction(sessions) as session:
        await ensure_workspace(session, team_id)
        made = await ApiTokenRepository(session).create(
            team_id, name=name, token_hash=hash_of(token), created_by=by[:64], at=at,
            rate_per_minute=rate_per_minute, scopes=scopes)
    if made is None:
        raise TokenError(f"A token named {name} exists already: revoke it first, or choose another name.")
    return Made(name=name, token=token)


async def listed(sessions: async_sessionmaker[AsyncSession], team_id: str, *,
                 asker: Asker | None = None) -> list[ApiToken]:
    await require_admin(asker, team_id)
    async with sessions() as session:
        return await ApiTokenRepository(session).listed(team_id)


async def revoke(sessions: async_sessionmaker[AsyncSession], team_id: str, name: str, *,
                 at: dt.datetime, asker: Asker | None = None) -> None:
    await require_admin(asker, team_id)
    async with transaction(sessions) as session:
        if not await ApiTokenRepository(session).revoke(team_id, name=name.strip().lower(), at=at):
            raise TokenError(f"There is no live token named {name.strip()[:40]}.")


@dataclass(frozen=True)
class Known:
    """What never changes about a live token (its revocation is read live, every time)."""

    id: int
    team_id: str
    name: str
    rate_per_minute: int
    scopes: frozenset[str] = frozenset({WRITE})


@dataclass
class TokenCache:
    """A process's memory of tokens by hash, so a request's check is one statement: the
    rate upsert, which also reads whether the token is still live."""

    known: dict[str, Known] = field(default_factory=dict)
    touched: dict[int, dt.datetime] = field(default_factory=dict)


Verdict = Allowed | Limited | Forbidden | None


async def authorise(session: AsyncSession, token: str, *, now: dt.datetime,
                    cache: TokenCache | None = None, scope: str = WRITE) -> Verdict:
    """The workspace a bearer token speaks for, having spent one request of its budget (in
    the caller's transaction); ``Limited`` past its budget; ``Forbidden`` when its scopes
    lack ``scope``; None for an unknown or revoked token (the same answer for both, so a
    caller learns nothing of other workspaces)."""
    return (await authorise_many(session, [token], now=now, cache=cache, scope=scope))[0]


async def authorise_many(session: AsyncSession, tokens: list[str], *, now: dt.datetime,
                         cache: TokenCache | None = None, scope: str = WRITE) -> list[Verdict]:
    """``authorise`` for a batch of requests: one rate upsert per token (which also checks
    it is live), a SELECT only for tokens not yet in ``cache``. Each request spends one unit
    in arrival order; those past the token's budget are ``Limited``."""
    cache = cache if cache is not None else TokenCache()
    repo = ApiTokenRepository(session)
    batch = await recall(repo, cache, tokens, now=now)
    used: dict[int, int] = {}
    for token_id, n in batch.spends.items():
        got = await repo.spend_if_live(token_id, window=batch.window, n=n)
        if got is not None:
            used[token_id] = got
            if token_id in batch.touch:
                await repo.touch(token_id, at=now)
    return settle(cache, batch, used, now=now, scope=scope)


@dataclass(frozen=True)
class Batch:
    """A batch of requests' tokens as this process knows them, and what the batch spends."""

    known: list[Known | None]  # per request; None: no live token by that hash
    ranks: list[int]  # per request: its place (1-based) among its token's requests here
    spends: dict[int, int]  # token id -> requests in this batch
    touch: frozenset[int]  # tokens whose last_used_at is due (at most one write a minute)
    window: int  # the minute (since the epoch) the batch spends in
    epoch: int

    def cap(self, k: Known) -> int:
        """A request of token ``k`` is within budget iff its rank + the token's count after
        the batch's spend is at most this (its budget, ``rate - (used - n)``, is at least its
        rank)."""
        return k.rate_per_minute + self.spends[k.id]


async def recall(repo: ApiTokenRepository, cache: TokenCache, tokens: list[str], *,
                 now: dt.datetime) -> Batch:
    """The batch's tokens, read from the database only when not in ``cache`` yet."""
    hashes = _hashes(tokens)
    missing = sorted({h for h in hashes if h and h not in cache.known})
    if missing:
        for h, row in (await repo.live_by_hashes(missing)).items():
            cache.known[h] = Known(row.id, row.team_id, row.name, row.rate_per_minute, scopes_of(row.scopes))
    return _batch(cache, hashes, now=now)


def recall_cached(cache: TokenCache, tokens: list[str], *, now: dt.datetime) -> Batch | None:
    """``recall`` without the database, when every well-formed token is in ``cache``; else
    None. (A cached token's revocation is still read live: by the batch's rate upsert.)"""
    hashes = _hashes(tokens)
    known = cache.known
    if any(h and h not in known for h in hashes):
        return None
    return _batch(cache, hashes, now=now)


def _hashes(tokens: list[str]) -> list[str]:
    # A batch mostly carries one token or a few: each hashed once, not once a request.
    hashed = {t: hash_of(t) if t.startswith(PREFIX) and len(t) <= 100 else "" for t in set(tokens)}
    return [hashed[t] for t in tokens]


def _batch(cache: TokenCache, hashes: list[str], *, now: dt.datetime) -> Batch:
    known = [cache.known.get(h) for h in hashes]
    spends: dict[int, int] = {}
    ranks: list[int] = []
    for k in known:
        if k is None:
            ranks.append(0)
        else:
            spends[k.id] = spends.get(k.id, 0) + 1
            ranks.append(spends[k.id])
    touch = frozenset(i for i in spends if (last := cache.touched.get(i)) is None
                      or now - last > dt.timedelta(minutes=1))
    epoch = int(now.timestamp())
    # In token order: the order their rate rows are locked in, the same in every process.
    return Batch(known, ranks, dict(sorted(spends.items())), touch, epoch // 60, epoch)


def settle(cache: TokenCache, batch: Batch, used: dict[int, int], *, now: dt.datetime,
           scope: str = WRITE) -> list[Verdict]:
    """Each request's verdict once the batch has spent: ``used`` is each live token's count
    in the window after it (a token missing from it was revoked since it was cached)."""
    for h, mine in list(cache.known.items()):
        if mine.id in batch.spends and mine.id not in used:
            del cache.known[h]
    for token_id in batch.touch & used.keys():
        cache.touched[token_id] = now
    # One verdict a token, shared by its requests (they are frozen): a batch mostly carries
    # one token, and making a verdict a request cost more than the rest of this loop.
    limited = Limited(retry_after=max(1, (batch.window + 1) * 60 - batch.epoch))
    within: dict[int, tuple[Verdict, int]] = {}  # token id -> (its verdict, the last rank within budget)
    out: list[Verdict] = []
    for rank, k in zip(batch.ranks, batch.known, strict=True):
        if k is None or k.id not in used:
            out.append(None)
            continue
        got = within.get(k.id)
        if got is None:
            # Spent all the same: every authenticated request counts (docs/api.md).
            verdict = (Allowed(team_id=k.team_id, token_id=k.id, name=k.name, scopes=k.scopes)
                       if scope in k.scopes else Forbidden(scope))
            # Within budget iff rank + used <= cap (Batch.cap).
            got = within[k.id] = (verdict, batch.cap(k) - used[k.id])
        out.append(got[0] if rank <= got[1] else limited)
    return out
