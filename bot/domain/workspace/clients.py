"""Which Web API client does a workspace's work: the one place a token is chosen.

Every call Earshot makes outside a Bolt listener (the outbox, the digest and its chart,
owner and customer alerts, improvement notices, tracker webhooks, doctor) asks
``SlackClients.for_team(team_id)``. In single-token mode that is the one bot token's client,
whatever the team. In OAuth mode it is the bot token slack-sdk's installation store holds for
that workspace (an Enterprise Grid org-wide install's token for its workspaces), refreshed
first when token rotation is on and it is about to expire; None when the workspace is not
(or no longer) installed, and the caller skips the work. Listeners get the same token from
Bolt's own authorization (the installation store, per request).
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from storage.db import session_factory
from storage.repositories.installations import InstallationRepository, installation_store

log = logging.getLogger(__name__)

# Rotate a token this long before it expires (Bolt's default for listeners is the same).
ROTATE_BEFORE_MINUTES = 120


def retry_handlers() -> list[AsyncRetryHandler]:
    """The SDK's 429 handler is off by default; we add it on purpose so rate-limited calls
    wait for Retry-After, and a Slack 5xx or a dropped connection is retried a few times."""
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


class SlackClients:
    """A workspace's Web API client (see the module docstring)."""

    def __init__(self, settings: Settings, engine: AsyncEngine, *, retries: bool = True,
                 store: AsyncInstallationStore | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.retries = retries
        self.store: AsyncInstallationStore | None = None
        self._single: AsyncWebClient | None = None
        if settings.oauth:
            self.store = store or installation_store(settings.slack_client_id, engine)
        else:
            self._single = self.client(settings.bot_token)

    def client(self, token: str | None = None, *, team_id: str | None = None) -> AsyncWebClient:
        """A client for ``token`` pointed at SLACK_API_URL (no token: Bolt sets one per request).
        ``team_id`` goes with every call: an org-wide token must say which workspace it acts on."""
        return AsyncWebClient(token=token, base_url=self.settings.slack_api_url, team_id=team_id,
                              retry_handlers=retry_handlers() if self.retries else [], timeout=15)

    def without_retries(self) -> SlackClients:
        """The same tokens with no automatic retries (the digest poster retries itself, after
        checking the channel for an earlier post, so a retry can never post twice)."""
        return SlackClients(self.settings, self.engine, retries=False, store=self.store)

    async def for_team(self, team_id: str, *, enterprise_id: str | None = None) -> AsyncWebClient | None:
        if self._single is not None:
            return self._single
        bot = await self.find_bot(team_id, enterprise_id=enterprise_id)
        if bot is None or not bot.bot_token:
            log.info("slack clients: team=%s is not installed; its work is skipped", team_id)
            return None
        return self.client(bot.bot_token, team_id=team_id if bot.is_enterprise_install else None)

    async def find_bot(self, team_id: str, *, enterprise_id: str | None = None) -> Bot | None:
        assert self.store is not None
        if enterprise_id is None:
            async with session_factory(self.engine)() as session:
                enterprise_id = await InstallationRepository(session).enterprise_of(team_id)
        bot = await self.store.async_find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if (bot is None or bot.is_enterprise_install) and enterprise_id is not None:
            # An org-wide install: its one token (the row saved per workspace only maps the
            # workspace to its organisation; rotation refreshes the org's row).
            bot = await self.store.async_find_bot(enterprise_id=enterprise_id, team_id=None,
                                                  is_enterprise_install=True) or bot
        if bot is not None and bot.bot_refresh_token:
            bot = await self._rotated(team_id, bot)
        return bot

    async def _rotated(self, team_id: str, bot: Bot) -> Bot | None:
        assert self.store is not None and self.settings.slack_client_secret is not None
        rotator = AsyncTokenRotator(client_id=self.settings.slack_client_id,
                                    client_secret=self.settings.slack_client_secret.get_secret_value(),
                                    client=self.client())
        try:
            fresh = await rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES)
        except (SlackTokenRotationError, SlackApiError) as e:
            log.warning("slack clients: team=%s token refresh failed: %s", team_id,
                        getattr(e, "api_error", e).__class__.__name__)
            return None
        if fresh is None:
            return bot
        await self.store.async_save_bot(fresh)
        log.info("slack clients: team=%s bot token refreshed", team_id)
        return fresh


# What the sweeps that serve every workspace (digests, alerts, notices) take: the per-team
# source, or one fixed client (a test's, or a caller that already has the team's).
Clients = AsyncWebClient | SlackClients


async def client_for(clients: Clients, team_id: str) -> AsyncWebClient | None:
    if isinstance(clients, AsyncWebClient):
        return clients
    return await clients.for_team(team_id)
