"""Build the Bolt AsyncApp from Settings + Services and register every handler."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

import handlers
from bot.domain.services import Services
from handlers.common import SERVICES

log = logging.getLogger(__name__)


def build_web_client(services: Services) -> AsyncWebClient:
    """The Web API client; every call goes to SLACK_API_URL, auth.test included.

    The SDK's 429 handler is off by default; we add it on purpose so rate-limited calls
    wait for Retry-After and try again instead of failing, and a Slack 5xx or a dropped
    connection is retried with backoff a few times before the caller sees it.
    """
    return AsyncWebClient(
        token=services.settings.slack_bot_token.get_secret_value(),
        base_url=services.settings.slack_api_url,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
        timeout=15,
    )


def build_bolt_app(services: Services) -> AsyncApp:
    settings = services.settings
    app = AsyncApp(
        client=build_web_client(services),
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        # Our web layer verifies signatures and answers url_verification/ssl_check itself,
        # before storing the delivery; replays from the inbox must not be re-verified
        # (they may be older than Slack's five-minute window).
        request_verification_enabled=False,
        url_verification_enabled=False,
        ssl_check_enabled=False,
        # Listeners run to completion inside dispatch, so we know when work is done.
        process_before_response=True,
        logger=logging.getLogger("slack_bolt"),
    )
    @app.middleware
    async def provide_services(context: AsyncBoltContext, next: Callable[[], Awaitable[None]]) -> None:
        # Listeners are module-level functions; they find the services in their context.
        context[SERVICES] = services
        await next()

    handlers.register(app)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        event = body.get("event") or {}
        log.error(
            "listener failed: team=%s type=%s event_id=%s: %s",
            body.get("team_id") or (body.get("team") or {}).get("id"),
            event.get("type") or body.get("type") or body.get("command"),
            body.get("event_id"),
            error,
            exc_info=error,
        )

    return app
