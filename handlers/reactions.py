"""Reaction capture: a capture emoji on a message files it; removing it withdraws."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.capture import endorse_existing, file_original, message_key, original_from_slack
from bot.domain.services import Services
from handlers.common import confirm_privately, react_quietly
from storage.db import transaction
from storage.repositories import RemarkRepository

log = logging.getLogger(__name__)


def register(app: AsyncApp, services: Services) -> None:
    emoji = services.settings.capture_emoji_set

    @app.event("reaction_added")
    async def on_reaction_added(event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        item = event.get("item") or {}
        if event.get("reaction") not in emoji or item.get("type") != "message":
            log.debug("reactions: ignoring :%s:", event.get("reaction"))
            return
        team_id, user = context.team_id, event.get("user")
        channel, ts = item.get("channel"), item.get("ts")
        if not (team_id and user and channel and ts):
            return
        if user == context.bot_user_id:
            return
        filed = await endorse_existing(
            services, team_id=team_id, key=message_key(channel, ts), capturer=user,
            route="reaction", channel_id=channel,
        )
        if filed is None:
            original = await original_from_slack(client, channel, ts)
            if original is None:
                return
            filed = await file_original(
                services, original, team_id=team_id, capturer=user, route="reaction"
            )
        if not filed.capture_created:
            return  # a retry, or a second capture emoji from the same person
        await confirm_privately(services, client, filed, channel=channel, user=user)
        if filed.remark_created:
            await react_quietly(client, channel, ts, services.settings.captured_emoji)

    @app.event("reaction_removed")
    async def on_reaction_removed(event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        item = event.get("item") or {}
        if event.get("reaction") not in emoji or item.get("type") != "message":
            return
        team_id, user = context.team_id, event.get("user")
        channel, ts = item.get("channel"), item.get("ts")
        if not (team_id and user and channel and ts):
            return
        async with transaction(services.sessions) as session:
            repo = RemarkRepository(session)
            remark = await repo.by_source(team_id, message_key(channel, ts))
            if remark is None:
                return
            _, deleted = await repo.withdraw_capture(
                team_id, remark_id=remark.id, user_id=user, route="reaction"
            )
        if deleted:
            try:
                await client.reactions_remove(
                    channel=channel, timestamp=ts, name=services.settings.captured_emoji
                )
            except SlackApiError as e:
                log.debug("reactions: could not remove mark: %s", e.response.get("error"))
