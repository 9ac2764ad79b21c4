"""Build the Bolt AsyncApp from Settings + Services and register every handler."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

import handlers
from bot.domain.privacy import retention
from bot.domain.services import Services
from bot.domain.workspace.pacing import RateLimited
from bot.server.deferral import RETRY_AT
from bot.server.install_pages import InstallFlow, callback_options
from bot.server.worker import UNAUTHORIZED
from handlers.common import SERVICES
from storage.repositories.installations import state_store

log = logging.getLogger(__name__)

# What someone in a workspace Earshot is not installed in (or was removed from) is told.
NOT_INSTALLED = (":warning: Earshot is not installed in this workspace (or was removed). "
                 "An admin can add it again with the *Add to Slack* link of this Earshot.")


def workspace_of(body: dict[str, Any]) -> str | None:
    """The workspace a payload came from: events and commands say ``team_id``; interactions
    ``team.id``, or (org-wide installs, where ``team`` may be null) ``user.team_id``."""
    for value in (body.get("team_id"), (body.get("team") or {}).get("id") if isinstance(body.get("team"), dict)
                  else None, (body.get("user") or {}).get("team_id") if isinstance(body.get("user"), dict)
                  else None):
        if isinstance(value, str) and value.startswith("T"):
            return value
    return None


def oauth_settings(services: Services) -> AsyncOAuthSettings:
    """Bolt's OAuth flow (``GET /slack/install``, ``GET /slack/oauth_redirect``): installations
    and states in slack-sdk's SQLAlchemy stores (migration 0007), token rotation on."""
    s = services.settings
    assert s.slack_client_secret is not None and services.clients.store is not None
    public = s.public_url.rstrip("/")
    oauth = AsyncOAuthSettings(
        client_id=s.slack_client_id,
        client_secret=s.slack_client_secret.get_secret_value(),
        scopes=s.bot_scopes,
        redirect_uri=f"{public}/slack/oauth_redirect" if public else None,
        authorization_url=s.oauth_authorize_url,
        installation_store=services.clients.store,
        installation_store_bot_only=True,
        state_store=state_store(services.engine, expiration_seconds=s.oauth_state_seconds),
        state_expiration_seconds=s.oauth_state_seconds,
        callback_options=callback_options(services),
        # /slack/install shows Earshot's landing page (InstallFlow) with the Add to Slack button.
        install_page_rendering_enabled=True,
    )
    # Bolt builds its token rotator with a default client (https://slack.com/api/); ours
    # goes to SLACK_API_URL like every other call.
    assert isinstance(oauth.authorize, AsyncInstallationStoreAuthorize)
    oauth.authorize.token_rotator = AsyncTokenRotator(
        client_id=oauth.client_id, client_secret=oauth.client_secret, client=services.clients.client())
    return oauth


def build_web_client(services: Services) -> AsyncWebClient:
    """The app's Web API client; every call goes to SLACK_API_URL, auth.test included, with
    the SDK's retry handlers (bot.domain.workspace.clients). In OAuth mode it has no token: Bolt
    gives each request a copy with the token of the workspace it came from."""
    clients = services.clients
    return clients.client(None if services.settings.oauth else services.settings.bot_token)


def build_bolt_app(services: Services) -> AsyncApp:
    settings = services.settings
    app = AsyncApp(
        client=build_web_client(services),
        oauth_flow=InstallFlow(settings=oauth_settings(services), services=services) if settings.oauth else None,
        user_facing_authorize_error_message=NOT_INSTALLED,
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
    async def provide_services(context: AsyncBoltContext, body: dict[str, Any],
                               next: Callable[[], Awaitable[None]]) -> BoltResponse | None:
        # Listeners are module-level functions; they find the services in their context.
        context[SERVICES] = services
        if context.is_enterprise_install:
            # An org-wide install: Bolt's team_id comes from the authorization (the org's,
            # none); the work belongs to the workspace the payload came from, and the org's
            # token must name it in every call.
            team_id = workspace_of(body) or context.team_id
            if team_id:
                context["team_id"] = team_id
                context.client.default_params["team_id"] = team_id
                if await retention.is_uninstalled(services.sessions, team_id):
                    # The org's token still works, but an org admin removed Earshot from this
                    # workspace (team_access_revoked) or it was uninstalled: no work here.
                    return BoltResponse(status=200, body=NOT_INSTALLED, headers={UNAUTHORIZED: "1"})
        await next()
        return None

    handlers.register(app)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        if isinstance(error, RateLimited):
            # No Slack read now (its slot is kept, or Slack kept answering 429): the stored
            # delivery is handed back, to be run again then (bot.server.deferral.RETRY_AT).
            log.info("listener waits for a rate slot: team=%s until %s: %s",
                     body.get("team_id") or (body.get("team") or {}).get("id"),
                     error.until.isoformat(), error)
            return BoltResponse(status=503, body="", headers={RETRY_AT: error.until.isoformat()})
        event = body.get("event") or {}
        log.error(
            "listener failed: team=%s type=%s event_id=%s: %s",
            body.get("team_id") or (body.get("team") or {}).get("id"),
            event.get("type") or body.get("type") or body.get("command"),
            body.get("event_id"),
            error,
            exc_info=error,
        )
        return None

    return app
