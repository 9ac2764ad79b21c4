"""Reading the message a remark is about from Slack: that exact message (top level or
in a thread), its permalink, and what Earshot keeps of it. Unreadable is not an error."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.workspace.pacing import (
    HISTORY,
    REPLIES,
    Pacer,
    RateLimited,
)
from bot.slack.text import Original, is_bot_message, message_text

log = logging.getLogger(__name__)

# Errors that mean "the bot may not or cannot see this message": expected, not bugs.
UNREADABLE = {"message_not_found", "not_in_channel", "channel_not_found", "thread_not_found",
              "missing_scope", "access_denied", "is_archived"}


async def fetch_message(client: AsyncWebClient, channel_id: str, ts: str, *,
                        pacer: Pacer | None = None) -> dict[str, Any] | None:
    """That exact message, top level or in a thread; None when the bot cannot read it.

    With a ``pacer`` (a capture a person asked for) each call takes its turn at the
    workspace's budget, ahead of any backfill, and a 429 waits Retry-After and tries again;
    one that keeps coming raises ``RateLimited`` (the stored delivery is retried later)."""
    try:
        res = await _read(client, HISTORY, pacer, channel=channel_id, latest=ts, oldest=ts,
                          inclusive=True, limit=1)
        for msg in res.get("messages") or []:
            if msg.get("ts") == ts:
                return dict(msg)
        # Not top level: a thread reply. conversations.replies finds it by its own ts.
        res = await _read(client, REPLIES, pacer, channel=channel_id, ts=ts, latest=ts, oldest=ts,
                          inclusive=True, limit=1)
        for msg in res.get("messages") or []:
            if msg.get("ts") == ts:
                return dict(msg)
    except SlackApiError as e:
        error = e.response.get("error")
        if error in UNREADABLE:
            log.debug("capture: cannot read %s/%s: %s", channel_id, ts, error)
        else:
            log.warning("capture: fetching %s/%s failed: %s", channel_id, ts, error)
        return None
    log.debug("capture: message %s/%s not found", channel_id, ts)
    return None


async def _read(client: AsyncWebClient, method: str, pacer: Pacer | None, **params: Any) -> Any:
    if pacer is None:
        call = client.conversations_history if method == HISTORY else client.conversations_replies
        return await call(**params)
    # Paced: a 429 comes back here at once instead of the SDK sleeping out its Retry-After
    # (up to a minute in the limited mode, three times) while the call holds a worker and
    # other processes, not knowing, call again: the pacer holds them all back instead.
    for attempt in range(pacer.tries):
        await pacer.turn(method)  # RateLimited when the slot is too far off to wait for here
        try:
            return await pacer.call(client, method, **params)
        except SlackApiError as e:
            if e.response.status_code != 429:
                raise
            log.info("capture: %s answered 429 (try %d of %d)", method, attempt + 1, pacer.tries)
    raise RateLimited(f"{method} kept answering 429", until=await pacer.hand_back(method))


async def permalink(client: AsyncWebClient, channel_id: str, ts: str) -> str | None:
    try:
        res = await client.chat_getPermalink(channel=channel_id, message_ts=ts)
        link = res.get("permalink")
        return link if isinstance(link, str) else None
    except SlackApiError as e:
        log.warning("capture: permalink for %s/%s failed: %s", channel_id, ts, e.response.get("error"))
        return None


async def original_from_slack(client: AsyncWebClient, channel_id: str, ts: str, *,
                              pacer: Pacer | None = None) -> Original | None:
    """Fetch a message and describe it as a remark's original; None for bots/unreadable."""
    msg = await fetch_message(client, channel_id, ts, pacer=pacer)
    if msg is None or is_bot_message(msg):
        return None
    return await original_of(client, channel_id, msg)


async def original_of(client: AsyncWebClient, channel_id: str, msg: dict[str, Any]) -> Original:
    """Describe a message the bot holds (an event, a fetched message) as a remark's original."""
    ts = str(msg.get("ts"))
    return Original(
        channel_id=channel_id,
        ts=ts,
        text=message_text(msg),
        user_id=msg.get("user"),
        team_id=msg.get("user_team") or msg.get("team"),
        thread_ts=msg.get("thread_ts") if msg.get("thread_ts") != ts else None,
        permalink=await permalink(client, channel_id, ts),
    )
