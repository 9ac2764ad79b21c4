"""Small pieces several listeners share: private confirmations and notes, quiet reactions."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.services import Services
from bot.slack import blocks
from storage.repositories import ProcessRepository

log = logging.getLogger(__name__)


async def confirm_privately(
    services: Services, client: AsyncWebClient, filed: Any, *, channel: str, user: str,
    thread_ts: str | None = None, in_remark_thread: bool = True,
) -> None:
    """Tell the capturer, privately, what was filed and how to correct it.

    ``in_remark_thread=False`` when the capturer is elsewhere than the remark (a forward
    into the bot's DM): only ``thread_ts`` is used, never the remark's own thread.
    """
    if in_remark_thread:
        thread_ts = thread_ts or filed.remark.thread_ts
    async with services.sessions() as session:
        processes = await ProcessRepository(session).list(filed.remark.team_id)
    message = blocks.capture_confirmation(filed.remark, filed.process_name, processes)
    try:
        await client.chat_postEphemeral(
            channel=channel, user=user, thread_ts=thread_ts, **message
        )
    except SlackApiError as e:
        log.warning("confirm: ephemeral to %s in %s failed: %s", user, channel, e.response.get("error"))


async def react_quietly(client: AsyncWebClient, channel: str, ts: str, name: str) -> None:
    try:
        await client.reactions_add(channel=channel, timestamp=ts, name=name)
    except SlackApiError as e:
        if e.response.get("error") != "already_reacted":
            log.warning("reactions: could not mark %s/%s: %s", channel, ts, e.response.get("error"))


async def tell_privately(client: AsyncWebClient, *, channel: str, user: str, text: str,
                         thread_ts: str | None = None) -> None:
    """A short private note to ``user``; failures are logged, never raised."""
    try:
        await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts,
                                        **blocks.notice(text))
    except SlackApiError as e:
        log.warning("notice: ephemeral to %s in %s failed: %s", user, channel, e.response.get("error"))


def already_filed(filed: Any) -> str:
    """What a capturer is told when they file the same message again."""
    return (f":inbox_tray: You had already filed this message; it has "
            f"{filed.remark.endorsements} capture(s).")
