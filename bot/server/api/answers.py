"""The API's answers every endpoint shares: the error body, the token check (401, 403,
429, 503) and the bearer header. One shape for every error (docs/api.md)."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from bot.domain.capture import incoming
from bot.domain.services import Services
from bot.domain.workspace import api_tokens
from storage.db import transaction

log = logging.getLogger(__name__)


def error(
    status: int,
    code: str,
    message: str,
    problems: list[incoming.Problem] | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    body: dict[str, Any] = {"error": code, "message": message}
    if problems is not None:
        body["errors"] = [{"field": p.field, "message": p.message} for p in problems]
    return web.json_response(body, status=status, headers=headers)


def bearer(request: web.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def authorise(
    services: Services,
    request: web.Request,
    cache: api_tokens.TokenCache | None = None,
    *,
    scope: str = api_tokens.WRITE,
) -> api_tokens.Allowed | web.Response:
    """The token's workspace, or the answer: 401 (no live token), 429 (its budget spent),
    403 (its scopes lack ``scope``), 503 (the database did not answer)."""
    token = bearer(request)
    if token is None:
        return unauthorised()
    try:
        async with transaction(services.sessions) as session:
            allowed = await api_tokens.authorise(
                session, token, now=services.clock(), cache=cache, scope=scope
            )
    except Exception:
        log.exception("api: could not check a token")
        return unavailable()
    if allowed is None:
        return unauthorised()
    if isinstance(allowed, api_tokens.Limited):
        return limited(allowed.retry_after)
    if isinstance(allowed, api_tokens.Forbidden):
        return forbidden(allowed.scope)
    return allowed


def unauthorised() -> web.Response:
    return error(
        401,
        "unauthorized",
        "send a live Earshot API token as 'Authorization: Bearer esk_...'",
        headers={"WWW-Authenticate": "Bearer"},
    )


def forbidden(scope: str) -> web.Response:
    return error(
        403,
        "insufficient_scope",
        f"this token lacks the '{scope}' scope; an admin can make one "
        f"with it: /feedback api token create NAME {scope}",
        headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
    )


def limited(retry_after: int) -> web.Response:
    return error(
        429,
        "rate_limited",
        f"this token's limit is reached; retry in {retry_after} s",
        headers={"Retry-After": str(retry_after)},
    )


def unavailable(what: str = "store the remark; nothing was kept") -> web.Response:
    return error(
        503, "unavailable", f"Earshot could not {what}, please retry", headers={"Retry-After": "1"}
    )
