"""Tracker webhooks: a closed GitHub issue, a merged pull request or a completed Linear issue
moves the improvement that links to it to *shipped* (and its raisers are told).

Each workspace has its own secret: ours for GitHub (``/feedback hooks`` shows and rotates
it), Linear's signing secret for Linear (Linear generates it; an admin pastes it with
``/feedback hooks linear <secret>``). Verification is each service's documented scheme:
GitHub ``X-Hub-Signature-256: sha256=<HMAC-SHA256 hex of the raw body>``; Linear
``Linear-Signature: <HMAC-SHA256 hex of the raw body>`` and ``webhookTimestamp`` (ms)
within a minute.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.loop import improvements
from bot.domain.services import Services
from storage.db import transaction
from storage.repositories import WorkspaceRepository
from storage.repositories.improvements import ImprovementRepository

log = logging.getLogger(__name__)

LINEAR_MAX_AGE_MS = 60_000


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


def _json(body: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


async def github(services: Services, client: AsyncWebClient, team_id: str, body: bytes,
                 headers: Any) -> HookResult:
    secret, _ = await secrets_of(services, team_id)
    if not secret:
        return HookResult(404, "unknown workspace, or no webhook secret set (/feedback hooks)")
    given = headers.get("X-Hub-Signature-256") or ""
    if not hmac.compare_digest(given.encode(), github_signature(secret, body).encode()):
        return HookResult(401, "invalid signature")
    data = _json(body)
    if data is None:
        return HookResult(400, "body is not a JSON object")
    event = headers.get("X-GitHub-Event") or ""
    url: str | None = None
    if event == "issues" and data.get("action") == "closed":
        url = (data.get("issue") or {}).get("html_url")
    elif event == "pull_request" and data.get("action") == "closed" and \
            (data.get("pull_request") or {}).get("merged") is True:
        url = (data.get("pull_request") or {}).get("html_url")
    if not isinstance(url, str) or not url:
        return HookResult(200, f"ignored ({event or 'no event'})")
    return await _ship(services, client, team_id, url, source="github")


async def linear(services: Services, client: AsyncWebClient, team_id: str, body: bytes,
                 headers: Any, *, now_ms: int) -> HookResult:
    hook_secret, linear_secret = await secrets_of(services, team_id)
    secret = linear_secret or hook_secret
    if not secret:
        return HookResult(404, "unknown workspace, or no Linear signing secret set (/feedback hooks)")
    given = headers.get("Linear-Signature") or ""
    if not hmac.compare_digest(given.encode(), linear_signature(secret, body).encode()):
        return HookResult(401, "invalid signature")
    data = _json(body)
    if data is None:
        return HookResult(400, "body is not a JSON object")
    stamp = data.get("webhookTimestamp")
    if not isinstance(stamp, int) or abs(now_ms - stamp) > LINEAR_MAX_AGE_MS:
        return HookResult(401, "stale or missing webhookTimestamp")
    issue = data.get("data") or {}
    state = (issue.get("state") or {}) if isinstance(issue, dict) else {}
    url = issue.get("url") if isinstance(issue, dict) else None
    if data.get("type") != "Issue" or state.get("type") != "completed" or not isinstance(url, str):
        return HookResult(200, "ignored")
    return await _ship(services, client, team_id, url, source="linear")


async def _ship(services: Services, client: AsyncWebClient, team_id: str, url: str, *,
                source: str) -> HookResult:
    async with services.sessions() as session:
        linked = [imp for imp in await ImprovementRepository(session).by_link(team_id, normalise_url(url))
                  if imp.status in ("planned", "in_progress")]
    shipped = []
    for imp in linked:
        async with transaction(services.sessions) as session:
            changed = await ImprovementRepository(session).set_status(
                team_id, imp.id, "shipped", by=source, at=services.clock())
        if changed:
            shipped.append(imp.id)
            log.info("trackers: team=%s #%d shipped by %s (%s)", team_id, imp.id, source, url)
            await improvements.tell_raisers(services, client, team_id, imp.id,
                                            by=imp.owner_user_id or imp.proposed_by)
    return HookResult(200, f"shipped {len(shipped)}" if shipped else "no improvement links to it",
                      tuple(shipped))
