"""What Earshot owes Slack after a capture, sent exactly once.

Each outward effect (a private confirmation, the captured-emoji mark, later any DM) is
recorded as owed in the same transaction as the capture that causes it, claimed by the
process that sends it, and deleted once Slack accepted it. A process that dies in between
leaves it owed: the redo of the delivery, or the periodic ``send_due``, claims it once the
claim has lapsed and sends it. Errors that will not go away (the channel is gone, the user
left) are logged and dropped; a Slack 5xx, a 429 or a network error is retried with
backoff (the Web API client itself retries a few times first) and given up on, with an
error log, after ``GIVE_UP_AFTER``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.services import Services
from storage.db import transaction
from storage.leases import kept
from storage.models import OwedEffect, utcnow
from storage.repositories.effects import EffectRepository, Owed

log = logging.getLogger(__name__)

EPHEMERAL = "chat.postEphemeral"
REACTION = "reactions.add"

GIVE_UP_AFTER = dt.timedelta(hours=1)
# Errors after which a confirmation goes to the capturer's DM instead (when allowed).
OUT_OF_REACH = {"channel_not_found", "not_in_channel", "user_not_in_channel", "is_archived",
                "restricted_action", "cannot_dm_bot"}
# Errors that a retry cannot fix.
ALREADY_DONE = {"already_reacted"}


def _lease(services: Services) -> dt.timedelta:
    # As long as a delivery's lease: when the delivery is redone, what it owed is claimable.
    return dt.timedelta(seconds=services.settings.inbox_lease_seconds)


async def owe(services: Services, session: AsyncSession, owed: Sequence[Owed]) -> None:
    """Record ``owed`` in the caller's transaction, claimed by this process."""
    encoded = [json.dumps(o.args, separators=(",", ":"), ensure_ascii=False) for o in owed]
    await EffectRepository(session).owe(owed, now=utcnow(), lease=_lease(services), encoded=encoded)


async def claim(services: Services, session: AsyncSession, team_id: str, keys: Sequence[str]) -> list[Owed]:
    """Claim what is still owed under ``keys`` (a redo after a crash); usually nothing."""
    rows = await EffectRepository(session).claim(team_id, keys, now=utcnow(), lease=_lease(services))
    return [_owed(r) for r in rows]


def _owed(row: OwedEffect) -> Owed:
    return Owed(row.team_id, row.effect_key, row.method, json.loads(row.args), row.attempts,
                failed=row.last_error is not None)


async def send(services: Services, client: AsyncWebClient, owed: Sequence[Owed],
               *, created: dict[str, dt.datetime] | None = None,
               report: dict[str, str | None] | None = None) -> None:
    """Make the calls in ``owed`` (claimed by this process), then record the outcome in one
    short transaction: accepted or hopeless ones are forgotten, transient failures retried.

    ``report``, if given, receives each key's outcome: None (accepted), the error Slack gave
    for a hopeless call, or ``"later: <error>"`` for one that will be retried."""
    if not owed:
        return
    hopeless: dict[str, str] = {}
    # Held while the calls run: a slow Slack must not let another process claim and resend.
    async with kept(lambda: _renew(services, owed), every=_lease(services).total_seconds() / 3):
        outcomes = await asyncio.gather(*(_call(client, o, hopeless) for o in owed))
    if report is not None:
        for o, error in zip(owed, outcomes, strict=True):
            report[o.key] = f"later: {error}" if error is not None else hopeless.get(o.key)
    now = utcnow()
    done: dict[str, list[str]] = defaultdict(list)
    later: list[tuple[Owed, str]] = []
    for o, error in zip(owed, outcomes, strict=True):
        born = (created or {}).get(o.key, now)
        if error is None:
            done[o.team_id].append(o.key)
        elif now - born > GIVE_UP_AFTER:
            log.error("outbox: giving up on %s team=%s key=%s after %s: %s",
                      o.method, o.team_id, o.key, GIVE_UP_AFTER, error)
            done[o.team_id].append(o.key)
        else:
            later.append((o, error))
    try:
        async with transaction(services.sessions) as session:
            repo = EffectRepository(session)
            for team_id, keys in done.items():
                await repo.clear(team_id, keys)
            for o, error in later:
                await repo.retry_later(o.team_id, o.key, at=now + _backoff(o), error=error,
                                       first=not o.failed)
    except Exception:
        # Sent but not recorded: the claim lapses and a later pass would resend. Rare (the
        # database went away between two statements); logged so it can be seen.
        log.exception("outbox: could not record the outcome of %d effects", len(owed))


async def _renew(services: Services, owed: Sequence[Owed]) -> None:
    until = utcnow() + _lease(services)
    by_team: dict[str, list[str]] = defaultdict(list)
    for o in owed:
        by_team[o.team_id].append(o.key)
    async with transaction(services.sessions) as session:
        for team_id, keys in by_team.items():
            await EffectRepository(session).renew(team_id, keys, until=until)


def _backoff(o: Owed) -> dt.timedelta:
    """5 s after a first failure, then 15 s, 45 s... A claim whose process was killed
    before it recorded anything is no failure: the next process's first failure waits
    5 s, not 15, and ``attempts`` counts again from it (``retry_later(first=True)``), so
    a second waits 15 s, not 45."""
    tries = o.attempts if o.failed else 1
    return dt.timedelta(seconds=min(600, 5 * 3 ** max(0, tries - 1)))


async def _call(client: AsyncWebClient, o: Owed, hopeless: dict[str, str] | None = None) -> str | None:
    """Make one call; None when it is done with (accepted, or can never succeed: then its
    error goes in ``hopeless``)."""
    try:
        if o.method == EPHEMERAL:
            await _confirm(client, o.args)
        elif o.method == REACTION:
            await client.reactions_add(**o.args)
        else:
            await client.api_call(o.method, json=o.args)
        return None
    except SlackApiError as e:
        status = e.response.status_code
        error = str(e.response.get("error") or f"HTTP {status}")
        if status >= 500 or status == 429:
            return error
        if error not in ALREADY_DONE:
            log.warning("outbox: %s failed team=%s key=%s: %s (not retried)", o.method, o.team_id,
                        o.key, error)
            if hopeless is not None:
                hopeless[o.key] = error
        return None
    except (aiohttp.ClientError, TimeoutError, OSError) as e:
        return f"{type(e).__name__}: {e}"


async def _confirm(client: AsyncWebClient, args: dict[str, Any]) -> None:
    args = dict(args)
    dm_fallback = bool(args.pop("dm_fallback", False))
    if args.get("channel"):
        try:
            await client.chat_postEphemeral(**args)
            return
        except SlackApiError as e:
            if not dm_fallback or e.response.get("error") not in OUT_OF_REACH:
                raise
            log.info("outbox: ephemeral in %s failed (%s); confirming by DM", args.get("channel"),
                     e.response.get("error"))
    dm = await client.conversations_open(users=args["user"])
    await client.chat_postMessage(channel=dm["channel"]["id"], text=args.get("text", ""),
                                  blocks=args.get("blocks"))


ClientFor = Callable[[str], Awaitable[AsyncWebClient | None]]


async def send_due(services: Services, client_for: ClientFor, *, limit: int = 50) -> int:
    """Send what is owed and due: retries, and what a dead process left. Returns how many."""
    async with transaction(services.sessions) as session:
        rows = await EffectRepository(session).claim_due(now=utcnow(), lease=_lease(services), limit=limit)
    by_team: dict[str, list[OwedEffect]] = defaultdict(list)
    for row in rows:
        by_team[row.team_id].append(row)
    for team_id, team_rows in by_team.items():
        client = await client_for(team_id)
        if client is None:
            continue
        await send(services, client, [_owed(r) for r in team_rows],
                   created={r.effect_key: r.created_at for r in team_rows})
    return len(rows)
