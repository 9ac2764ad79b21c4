"""Outbound webhook subscriptions: added, listed, removed, tested, resumed and their secrets
rotated by admins (in Slack, checked here) or by the operator (the CLI). A subscription's secret is shown once,
when it is added or rotated, and never logged."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from bot.domain.acting import Asker, require_admin
from bot.domain.processes.starter import ensure_workspace
from bot.domain.services import Services
from bot.domain.workspace import hooks_ping
from bot.domain.workspace.hooks_events import ALL, EVENTS
from bot.domain.workspace.hooks_guard import Refused, check_host, check_url
from bot.domain.workspace.hooks_send import Sender, rules_of
from bot.domain.workspace.hooks_sign import new_secret
from storage.db import transaction
from storage.models import WebhookSubscription
from storage.repositories.webhooks import WebhookRepository

MAX_SUBSCRIPTIONS = 20
MAX_GRACE_HOURS = 24 * 14


class HookError(ValueError):
    """A request about webhooks that cannot be done; the message says why."""


@dataclass(frozen=True)
class Added:
    subscription: WebhookSubscription
    secret: str  # shown once


@dataclass(frozen=True)
class Rotated:
    subscription: WebhookSubscription
    secret: str  # the new one, shown once
    old_until: dt.datetime  # the old one signs beside it until then


@dataclass(frozen=True)
class Listed:
    subscription: WebhookSubscription
    pending: int


def check_events(words: list[str]) -> list[str]:
    events = sorted({w.strip().lower().strip(",") for w in words if w.strip().strip(",")})
    if not events:
        raise HookError(f"Name the events to send: {', '.join(EVENTS)} (or {ALL} for all).")
    unknown = [e for e in events if e not in EVENTS and e not in (ALL, "all")]
    if unknown:
        raise HookError(
            f"Unknown event {unknown[0][:40]!r}; the events are {', '.join(EVENTS)} (or {ALL})."
        )
    return [ALL] if ALL in events or "all" in events else events


async def add(
    services: Services,
    team_id: str,
    url: str,
    events: list[str],
    *,
    by: str,
    asker: Asker | None = None,
) -> Added:
    await require_admin(asker, team_id)  # only admins (or ADMIN_USERS); None: the operator
    rules = rules_of(services)
    try:
        url = check_url(url, rules)
        await check_host(url, rules)
    except Refused as e:
        raise HookError(f"That URL cannot be used: {e}.") from None
    chosen = check_events(events)
    secret = new_secret()
    async with transaction(services.sessions) as session:
        await ensure_workspace(session, team_id)
        repo = WebhookRepository(session)
        if len(await repo.listed(team_id)) >= MAX_SUBSCRIPTIONS:
            raise HookError(
                f"A workspace has at most {MAX_SUBSCRIPTIONS} webhooks; remove one first."
            )
        sub = await repo.add(
            team_id, url=url, events=chosen, secret=secret, by=by, at=services.clock()
        )
    if sub is None:
        raise HookError("That URL is subscribed already: remove it first to change its events.")
    return Added(sub, secret)


async def listed(services: Services, team_id: str, *, asker: Asker | None = None) -> list[Listed]:
    await require_admin(asker, team_id)
    async with services.sessions() as session:
        repo = WebhookRepository(session)
        pending = await repo.pending(team_id)
        return [Listed(s, pending.get(s.id, 0)) for s in await repo.listed(team_id)]


async def find(services: Services, team_id: str, which: str) -> WebhookSubscription:
    """A subscription by its number (``3`` or ``#3``) or its URL."""
    which = which.strip().removeprefix("<").removesuffix(">").split("|", 1)[0]
    async with services.sessions() as session:
        repo = WebhookRepository(session)
        number = which.removeprefix("#")
        sub = (
            await repo.get(team_id, int(number)) if number.isdigit() and len(number) < 10 else None
        )
        sub = sub or await repo.by_url(team_id, which[:1000])
    if sub is None:
        raise HookError(f"There is no webhook {which[:60]!r} here; `hooks out list` shows them.")
    return sub


async def remove(
    services: Services, team_id: str, which: str, *, asker: Asker | None = None
) -> WebhookSubscription:
    await require_admin(asker, team_id)
    sub = await find(services, team_id, which)
    async with transaction(services.sessions) as session:
        await WebhookRepository(session).remove(team_id, sub.id)
    return sub


async def resume(
    services: Services, team_id: str, which: str, *, asker: Asker | None = None
) -> Listed:
    """Unpause; what waited (``pending``) is sent, in order, each with a fresh retry window."""
    await require_admin(asker, team_id)
    sub = await find(services, team_id, which)
    now = services.clock()
    async with transaction(services.sessions) as session:
        repo = WebhookRepository(session)
        if sub.paused_at is not None:  # past the cap or the give-up window: dropped first
            await repo.hold(sub.id)  # before its deliveries, as an event that trims them
            await repo.trim(sub.id, keep=services.settings.webhooks_paused_keep, now=now)
        await repo.resume(
            team_id,
            sub.id,
            now=now,
            give_up_at=now + dt.timedelta(hours=services.settings.webhooks_give_up_hours),
        )
        fresh = await repo.get(team_id, sub.id)
        waiting = (await repo.pending(team_id)).get(sub.id, 0)
    if fresh is None:
        raise HookError("That webhook was removed meanwhile.")
    return Listed(fresh, waiting)


async def rotate(
    services: Services,
    team_id: str,
    which: str,
    *,
    grace_hours: float | None = None,
    asker: Asker | None = None,
) -> Rotated:
    """A new secret; the one it replaces signs beside it for ``grace_hours``
    (``WEBHOOKS_ROTATE_GRACE_HOURS`` by default; 0 stops it at once). A rotation within the
    grace of another drops the oldest: only the secret being replaced keeps signing."""
    await require_admin(asker, team_id)
    hours = services.settings.webhooks_rotate_grace_hours if grace_hours is None else grace_hours
    if not 0 <= hours <= MAX_GRACE_HOURS:
        raise HookError(f"The grace period is 0 to {MAX_GRACE_HOURS} hours.")
    sub = await find(services, team_id, which)
    secret = new_secret()
    until = services.clock() + dt.timedelta(hours=hours)
    async with transaction(services.sessions) as session:
        repo = WebhookRepository(session)
        done = await repo.rotate(team_id, sub.id, secret=secret, previous=sub.secret, until=until)
        fresh = await repo.get(team_id, sub.id)
    if fresh is None:
        raise HookError("That webhook was removed meanwhile.")
    if not done:  # two rotations at once: only one secret can be the one shown
        raise HookError(
            "That webhook's secret was just rotated by someone else; list it and retry."
        )
    return Rotated(fresh, secret, until)


async def test(
    services: Services,
    team_id: str,
    which: str,
    *,
    asker: Asker | None = None,
    reply_channel: str | None = None,
    reply_user: str | None = None,
    request: str | None = None,
) -> hooks_ping.Pinged:
    """Owe the webhook a signed ``webhook.test`` ping, through the outbox like any event;
    whoever ``reply_user`` names is told in Slack how it went (bot.domain.workspace.hooks_ping)."""
    await require_admin(asker, team_id)
    sub = await find(services, team_id, which)
    async with transaction(services.sessions) as session:
        repo = WebhookRepository(session)
        if await repo.get(team_id, sub.id) is None:
            raise HookError("That webhook was removed meanwhile.")
        return await hooks_ping.queue(
            services,
            repo,
            sub,
            reply_channel=reply_channel,
            reply_user=reply_user,
            request=request,
        )


async def test_now(
    services: Services, team_id: str, which: str, *, poll: float = 0.2
) -> tuple[hooks_ping.Pinged, hooks_ping.Outcome]:
    """The terminal's test: queue a ping, send it from this process (unless the running bot
    claimed it first: then wait for that attempt), and say how its first attempt went."""
    pinged = await test(services, team_id, which)
    assert pinged.delivery_id is not None  # a new ping: no request key
    sender = Sender(services)
    try:
        outcome = await sender.send_now(pinged.delivery_id)
    finally:
        await sender.close()
    deadline = asyncio.get_running_loop().time() + 3 * services.settings.webhooks_timeout_seconds + 5
    while outcome is None:
        async with services.sessions() as session:
            d = await WebhookRepository(session).delivery(team_id, pinged.delivery_id)
        if d is None:  # taken (or its webhook removed meanwhile)
            outcome = hooks_ping.Outcome(None, 1, None)
        elif d.attempts and d.lease_owner is None:
            outcome = hooks_ping.Outcome(d.last_error or "failed", d.attempts, None)
        elif asyncio.get_running_loop().time() > deadline:
            outcome = hooks_ping.Outcome("no outcome yet; it stays queued", d.attempts, None)
        else:
            await asyncio.sleep(poll)
    return pinged, outcome
