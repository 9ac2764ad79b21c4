"""Tracker webhooks: a closed GitHub issue, a merged pull request or a completed Linear issue
moves the improvements that link to it to *shipped* (and their raisers and account owners
are told).

Each workspace has its own secret: ours for GitHub (``/feedback hooks`` shows and rotates
it), Linear's signing secret for Linear (Linear generates it; an admin pastes it with
``/feedback hooks linear <secret>``). Each service's requests are verified with its own
secret only. A request is handled in this order, and each step answers the same whatever
the steps after it would have found:

1. Signature, each service's documented scheme: GitHub ``X-Hub-Signature-256: sha256=<HMAC-
   SHA256 hex of the raw body>``; Linear ``Linear-Signature: <HMAC-SHA256 hex>``. A workspace
   Earshot does not know, or one without that service's secret, is checked against a random
   key and gets the same 401 as a wrong signature, so the answer tells nobody which
   workspaces use Earshot.
2. Installed: only then is a workspace Earshot is not installed in told so (404).
3. Shape (``tracker_shapes``): 400 naming the field.
4. Freshness: Linear's ``webhookTimestamp`` within a minute (as Linear advises), else 401;
   a GitHub close older than ``REPLAY_WINDOW`` is ignored (GitHub redelivers only the last
   3 days).
5. Once: the delivery is recorded (``tracker_deliveries``: GitHub's ``X-GitHub-Delivery``,
   Linear's ``Linear-Delivery``, and the digest of the signed body, so a copy under a new id
   is caught too) in the transaction that ships, so a replay answers "already handled" and
   changes nothing. Rows are pruned after ``KEEP_DELIVERIES``.
6. Only improvements created by the time the event happened (``closed_at``, ``merged_at``,
   Linear's ``webhookTimestamp``) ship: a replayed close never ships a newer improvement
   that links the same issue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any

from bot.domain.loop import improvements
from bot.domain.loop.tracker_shapes import BadShape, Closing, github_closing, linear_delivery
from bot.domain.services import Services
from bot.domain.workspace import hooks_events
from storage.db import transaction
from storage.repositories import WorkspaceRepository
from storage.repositories.guards import TrackerDeliveryRepository
from storage.repositories.improvements import OPEN_STATUSES, ImprovementRepository

log = logging.getLogger(__name__)

LINEAR_MAX_AGE_MS = 60_000
REPLAY_WINDOW = dt.timedelta(days=7)
# Longer than the window, so a delivery is remembered for as long as it would be accepted.
KEEP_DELIVERIES = REPLAY_WINDOW + dt.timedelta(days=1)
UNSIGNED = "invalid signature"
# A delivery id as the services send them (GUIDs, UUIDs): printable ASCII, stored as it is.
DELIVERY_ID = re.compile(r"^[\x21-\x7e]{1,128}$")
# What an unknown workspace is verified against: nobody knows it, so nothing matches.
_NO_SECRET = secrets.token_hex(32)


@dataclass(frozen=True)
class HookResult:
    status: int  # the HTTP status to answer with
    message: str
    shipped: tuple[int, ...] = ()


def _hmac_hex(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def github_signature(secret: str, body: bytes) -> str:
    return "sha256=" + _hmac_hex(secret, body)


def linear_signature(secret: str, body: bytes) -> str:
    return _hmac_hex(secret, body)


def normalise_url(url: str) -> str:
    return url.strip().rstrip("/")


def new_secret() -> str:
    return secrets.token_hex(24)


async def secrets_of(services: Services, team_id: str) -> tuple[str | None, str | None]:
    async with services.sessions() as session:
        ws = await WorkspaceRepository(session).get(team_id)
    return (ws.hook_secret, ws.linear_secret) if ws else (None, None)


async def ensure_secret(services: Services, team_id: str, *, rotate: bool = False) -> str:
    async with transaction(services.sessions) as session:
        repo = WorkspaceRepository(session)
        ws = await repo.ensure(team_id)
        if ws.hook_secret and not rotate:
            return ws.hook_secret
        secret = new_secret()
        await repo.update(team_id, hook_secret=secret)
        return secret


async def set_linear_secret(services: Services, team_id: str, secret: str) -> None:
    async with transaction(services.sessions) as session:
        repo = WorkspaceRepository(session)
        await repo.ensure(team_id)
        await repo.update(team_id, linear_secret=secret)


def _signed(secret: str | None, given: str | None, expected: str) -> bool:
    """Constant-time comparison; always computed, so an unknown workspace costs the same."""
    ok = hmac.compare_digest(expected.encode(), (given or "").encode("utf-8", "replace"))
    return ok and secret is not None


async def github(services: Services, team_id: str, body: bytes, headers: Any) -> HookResult:
    secret, _ = await secrets_of(services, team_id)
    if not _signed(secret, headers.get("X-Hub-Signature-256"),
                   github_signature(secret or _NO_SECRET, body)):
        return HookResult(401, UNSIGNED)
    if (refused := await _not_installed(services, team_id)) is not None:
        return refused
    event = headers.get("X-GitHub-Event") or ""
    delivery = headers.get("X-GitHub-Delivery") or ""
    if not event or not DELIVERY_ID.match(delivery):
        return HookResult(400, "missing X-GitHub-Event header, or X-GitHub-Delivery is not a delivery id")
    try:
        closing = github_closing(event, body)
    except BadShape as e:
        return HookResult(400, str(e))
    if closing is None:
        return HookResult(200, f"ignored ({event})")
    if closing.at < services.clock() - REPLAY_WINDOW:
        return HookResult(200, f"ignored: closed more than {REPLAY_WINDOW.days} days ago")
    return await _apply(services, team_id, "github", delivery, body, closing)


async def linear(services: Services, team_id: str, body: bytes, headers: Any, *,
                 now_ms: int) -> HookResult:
    _, secret = await secrets_of(services, team_id)  # Linear's own secret, never GitHub's
    if not _signed(secret, headers.get("Linear-Signature"), linear_signature(secret or _NO_SECRET, body)):
        return HookResult(401, UNSIGNED)
    if (refused := await _not_installed(services, team_id)) is not None:
        return refused
    try:
        found = linear_delivery(body)
    except BadShape as e:
        return HookResult(400, str(e))
    if abs(now_ms - found.sent_ms) > LINEAR_MAX_AGE_MS:
        return HookResult(401, "stale webhookTimestamp (more than a minute away)")
    if found.closing is None:
        return HookResult(200, "ignored")
    delivery = headers.get("Linear-Delivery") or f"{found.webhook_id}:{int(found.sent_ms)}"
    if not DELIVERY_ID.match(delivery):
        return HookResult(400, "Linear-Delivery is not a delivery id")
    return await _apply(services, team_id, "linear", delivery, body, found.closing)


async def _not_installed(services: Services, team_id: str) -> HookResult | None:
    if await services.clients.for_team(team_id) is None:
        return HookResult(404, f"Earshot is not installed in workspace {team_id}")
    return None


async def _apply(services: Services, team_id: str, service: str, delivery_id: str, body: bytes,
                 closing: Closing) -> HookResult:
    """Record the delivery and ship what it closes, in one transaction; then tell raisers."""
    now = services.clock()
    shipped: list[tuple[int, str]] = []
    newer = 0
    async with transaction(services.sessions) as session:
        if not await TrackerDeliveryRepository(session).record(
                team_id, service=service, delivery_id=delivery_id,
                body_sha256=hashlib.sha256(body).hexdigest(), at=now):
            log.info("trackers: team=%s %s delivery %s already handled", team_id, service, delivery_id)
            return HookResult(200, "already handled")
        repo = ImprovementRepository(session)
        for imp in await repo.by_link(team_id, normalise_url(closing.url)):
            if imp.status not in OPEN_STATUSES:
                continue
            # GitHub's times are in whole seconds: compare in whole seconds.
            if imp.created_at.replace(microsecond=0) > closing.at:
                newer += 1
                continue
            previous = imp.status
            if await repo.set_status(team_id, imp.id, "shipped", by=service, at=now):
                shipped.append((imp.id, imp.owner_user_id or imp.proposed_by))
                fresh = await repo.get(team_id, imp.id)
                if fresh is not None:
                    await hooks_events.improvement_status(services, session, fresh, previous=previous, by=service)
    client = await services.clients.for_team(team_id)
    for imp_id, by in shipped:
        log.info("trackers: team=%s #%d shipped by %s (%s)", team_id, imp_id, service, closing.url)
        if client is not None:
            await improvements.tell_shipped(services, client, team_id, imp_id, by=by)
    message = f"shipped {len(shipped)}" if shipped else "no improvement links to it"
    if newer:
        message += f"; {newer} created after the event left as they are"
    return HookResult(200, message, tuple(i for i, _ in shipped))


async def prune_deliveries(services: Services, *, now: dt.datetime) -> int:
    """Forget deliveries past the replay window (the scheduler's retention job)."""
    async with transaction(services.sessions) as session:
        return await TrackerDeliveryRepository(session).prune(received_before=now - KEEP_DELIVERIES)
