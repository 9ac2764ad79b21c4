"""Capturing a remark: every route ends here.

One remark per original Slack message (``channel:ts``) or per typed ``/feedback``; one
capture per teammate and route. The Slack message is fetched only the first time; later
captures of the same message are endorsements and cost no Web API call.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.classify import Classification
from bot.domain.redact import redact
from bot.domain.services import Services
from bot.domain.workspaces import ensure_workspace
from bot.slack.text import Original, is_bot_message, message_text, ts_to_datetime
from storage.db import transaction
from storage.models import Remark
from storage.repositories import ProcessRepository, RemarkRepository, WorkspaceRepository

log = logging.getLogger(__name__)

# Errors that mean "the bot may not or cannot see this message": expected, not bugs.
UNREADABLE = {"message_not_found", "not_in_channel", "channel_not_found", "thread_not_found",
              "missing_scope", "access_denied", "is_archived"}


@dataclass(frozen=True)
class Filed:
    remark: Remark
    process_name: str | None
    remark_created: bool
    capture_created: bool


def message_key(channel_id: str, ts: str) -> str:
    return f"{channel_id}:{ts}"


async def fetch_message(client: AsyncWebClient, channel_id: str, ts: str) -> dict[str, Any] | None:
    """That exact message, top level or in a thread; None when the bot cannot read it."""
    try:
        res = await client.conversations_history(
            channel=channel_id, latest=ts, oldest=ts, inclusive=True, limit=1
        )
        for msg in res.get("messages") or []:
            if msg.get("ts") == ts:
                return msg
        # Not top level: a thread reply. conversations.replies finds it by its own ts.
        res = await client.conversations_replies(
            channel=channel_id, ts=ts, latest=ts, oldest=ts, inclusive=True, limit=1
        )
        for msg in res.get("messages") or []:
            if msg.get("ts") == ts:
                return msg
    except SlackApiError as e:
        error = e.response.get("error")
        if error in UNREADABLE:
            log.debug("capture: cannot read %s/%s: %s", channel_id, ts, error)
        else:
            log.warning("capture: fetching %s/%s failed: %s", channel_id, ts, error)
        return None
    log.debug("capture: message %s/%s not found", channel_id, ts)
    return None


async def permalink(client: AsyncWebClient, channel_id: str, ts: str) -> str | None:
    try:
        res = await client.chat_getPermalink(channel=channel_id, message_ts=ts)
        return res.get("permalink")
    except SlackApiError as e:
        log.warning("capture: permalink for %s/%s failed: %s", channel_id, ts, e.response.get("error"))
        return None


async def original_from_slack(
    client: AsyncWebClient, channel_id: str, ts: str
) -> Original | None:
    """Fetch a message and describe it as a remark's original; None for bots/unreadable."""
    msg = await fetch_message(client, channel_id, ts)
    if msg is None:
        return None
    if is_bot_message(msg):
        log.debug("capture: ignoring bot message %s/%s", channel_id, ts)
        return None
    return await original_of(client, channel_id, msg)


async def original_of(client: AsyncWebClient, channel_id: str, msg: dict[str, Any]) -> Original:
    """Describe a message the bot already holds (an event, a fetched message) as an original."""
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


async def endorse_existing(
    services: Services, *, team_id: str, key: str, capturer: str, route: str,
    note: str | None = None, channel_id: str | None = None,
) -> Filed | None:
    """If the remark exists already, add this capture to it; None if it does not exist."""
    async with transaction(services.sessions) as session:
        repo = RemarkRepository(session)
        remark = await repo.by_source(team_id, key)
        if remark is None:
            return None
        created = await repo.add_capture(
            team_id, remark_id=remark.id, user_id=capturer, route=route, note=note,
            channel_id=channel_id, at=services.clock(),
        )
        remark = await repo.get(team_id, remark.id)
        name = await ProcessRepository(session).name_of(team_id, remark.process_id if remark else None)
    assert remark is not None
    return Filed(remark=remark, process_name=name, remark_created=False, capture_created=created)


async def file_original(
    services: Services,
    original: Original,
    *,
    team_id: str,
    capturer: str,
    route: str,
    note: str | None = None,
    customer: str | None = None,
    customer_from_slack: bool = False,
    capture_channel: str | None = None,
) -> Filed:
    """Store the remark for a Slack message (classified if new) and this capture.

    ``customer_from_slack``: the customer was read from Slack (a Slack Connect author's
    organisation), not named by a person, so it is not recorded as a person's decision.
    """
    return await store_remark(
        services,
        team_id=team_id,
        key=message_key(original.channel_id, original.ts),
        text=original.text,
        capturer=capturer,
        route=route,
        note=note,
        customer=customer,
        customer_from_slack=customer_from_slack,
        fields={
            "channel_id": original.channel_id,
            "message_ts": original.ts,
            "thread_ts": original.thread_ts,
            "permalink": original.permalink,
            "author_user_id": original.user_id,
            "author_team_id": original.team_id,
            "said_at": ts_to_datetime(original.ts),
        },
        capture_channel=capture_channel or original.channel_id,
    )


async def store_remark(
    services: Services,
    *,
    team_id: str,
    key: str,
    text: str,
    capturer: str,
    route: str,
    note: str | None = None,
    customer: str | None = None,
    customer_from_slack: bool = False,
    fields: dict[str, Any] | None = None,
    process_id: int | None = None,
    sentiment: str | None = None,
    capture_channel: str | None = None,
) -> Filed:
    """Insert-or-find the remark by its natural key, classify it if new, add the capture.

    An explicit ``process_id``/``sentiment`` is a person's decision and wins over the
    classifier (and becomes a lesson for it).
    """
    kinds = services.settings.redact_kinds
    if kinds:
        text = redact(text, kinds)
        note = redact(note, kinds) if note else note
    async with transaction(services.sessions) as session:
        await ensure_workspace(session, team_id)
    result: Classification = await services.filing.classify(team_id, text)
    now = services.clock()
    values: dict[str, Any] = dict(fields or {})
    # Typed text is said when it is filed; a Slack message carries its own time (its ts).
    values.setdefault("said_at", now)
    values.update(text=text, customer=customer or None, classified_at=now)
    values.update(sentiment=result.sentiment.label, sentiment_score=result.sentiment.score)
    routed = result.routing.process_key
    values.update(
        process_id=int(routed) if routed else None,
        process_confidence=result.routing.confidence,
    )
    if customer and not customer_from_slack:
        values["customer_decided_by"] = capturer
    if process_id is not None:
        values.update(process_id=process_id, process_confidence=1.0, process_decided_by=capturer,
                      process_decided_at=now)
    if sentiment is not None:
        values.update(sentiment=sentiment, sentiment_decided_by=capturer, sentiment_decided_at=now)
    async with transaction(services.sessions) as session:
        repo = RemarkRepository(session)
        remark, created = await repo.upsert(team_id, source_key=key, **values)
        captured = await repo.add_capture(
            team_id, remark_id=remark.id, user_id=capturer, route=route, note=note,
            channel_id=capture_channel, at=now,
        )
        if created and (process_id is not None or sentiment is not None):

            await WorkspaceRepository(session).bump_model_version(team_id)
        remark = await repo.get(team_id, remark.id)
        assert remark is not None
        name = await ProcessRepository(session).name_of(team_id, remark.process_id)
    log.info("capture: team=%s remark=%s route=%s new_remark=%s new_capture=%s",
             team_id, remark.id, route, created, captured)
    log.debug("capture: text=%r", text[:200])
    return Filed(remark=remark, process_name=name, remark_created=created, capture_created=captured)
