"""Hearing one message of a watched channel (live, or from its history in a backfill).

A person's top-level message, or another app's post when the channel takes that app's
posts, is a remark (route "watch"), unless it is noise (bot.classify.noise): then it is
skipped. So is such an app's reply in the thread of its own post (a ticket's follow-ups:
bot.domain.capture.app_replies), filed with the ticket's customer, contact and link.
Either way it is counted for ``/feedback watch status``: heard live, in the channel's
week, with the latest three examples of each; heard from history, in its backfill's own
counts (kept by the backfill, page by page) and examples, so a one-off import does not
swell the week's picture. Earshot's own posts and other thread replies (a person's,
another app's) are not heard at all. A person can still file a skipped message by
reaction: reactions never pass through here.

Skipped examples keep up to 200 characters of the message for SKIPPED_EXAMPLE_DAYS only
(the clock's retention job drops them, and a deleted message takes its example along).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.classify.noise import noise
from bot.domain.capture import app_replies, record
from bot.domain.capture.app_posts import Own, named_post, original_of, takes
from bot.domain.capture.requests import ReplyTo, Request, Route, SlackMessage
from bot.domain.services import Services
from bot.slack.text import Original, is_bot_message, is_thread_reply, message_text, ts_to_datetime
from storage.db import transaction
from storage.repositories.effects import Owed
from storage.repositories.sources import WatchStatsRepository

log = logging.getLogger(__name__)

SKIPPED_EXAMPLE_DAYS = 14


class Heard(StrEnum):
    CAPTURED = "captured"  # a new remark
    KNOWN = "known"  # already a remark (a redelivery, a backfill over a live-watched message)
    SKIPPED = "skipped"  # noise
    IGNORED = "ignored"  # not for this channel: a reply, Earshot's own post, an app not opted in


@dataclass(frozen=True)
class Policy:
    """What a watched channel takes besides people: other apps' posts ("off", "all", "named")."""

    bots: str = "off"
    names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Hearing:
    heard: Heard
    reason: str | None = None
    owed: list[Owed] = field(default_factory=list)


def week_of(at: dt.datetime) -> dt.date:
    """The Monday (UTC) of the week ``at`` falls in."""
    day = at.astimezone(dt.UTC).date()
    return day - dt.timedelta(days=day.weekday())


async def hear(services: Services, client: AsyncWebClient, *, team_id: str, channel_id: str,
               msg: dict[str, Any], policy: Policy, own: Own, enterprise_id: str | None = None,
               permalink: str | None = None, mark: bool = True, backfill_id: int | None = None) -> Hearing:
    """Capture, skip or ignore ``msg`` (a message event, or one from conversations.history:
    then ``backfill_id`` names the job whose examples it joins)."""
    ts = str(msg.get("ts") or "")
    subtype = msg.get("subtype")
    # Of the replies, only an app's own post in a thread (not a broadcast) may be heard.
    reply = is_thread_reply(msg)
    if not ts or own.wrote(msg) or (reply and not (is_bot_message(msg) and subtype in (None, "bot_message"))):
        return Hearing(Heard.IGNORED, "own post" if own.wrote(msg) else "reply")
    thread: app_replies.Thread | None = None
    if is_bot_message(msg):
        if policy.bots == "off":
            return Hearing(Heard.IGNORED, "app not taken")
        msg = await named_post(client, msg)
        original = original_of(channel_id, msg, permalink=permalink, explicit=False)
        assert original.app is not None
        if not takes(policy.bots, policy.names, msg, original.app):
            return Hearing(Heard.IGNORED, "app not taken")
        if reply:
            thread = await app_replies.thread_of(services, team_id=team_id, channel_id=channel_id,
                                                 msg=msg, post=original.app)
            if thread is None:
                return Hearing(Heard.IGNORED, "reply")  # another app's thread, or a person's
        # A scored answer is formal feedback whatever its words ("Thanks!" with NPS 10).
        reason = ("status notice" if not original.text.strip()
                  else None if original.app.score is not None else noise(original.text))
    else:
        if subtype and subtype not in ("file_share", "me_message", "thread_broadcast"):
            reason = noise("", subtype=subtype) or "notice"
            await _count(services, team_id, channel_id, kind="skipped", ts=ts, example=None,
                         backfill_id=backfill_id)
            return Hearing(Heard.SKIPPED, reason)
        user_team = msg.get("user_team") or msg.get("team")
        original = Original(channel_id=channel_id, ts=ts, text=message_text(msg),
                            user_id=msg.get("user"), permalink=permalink,
                            team_id=user_team if isinstance(user_team, str) else None)
        if not original.text.strip():
            return Hearing(Heard.IGNORED, "no words")  # a file alone
        reason = noise(original.text)
    if reason is not None:
        await _count(services, team_id, channel_id, kind="skipped", ts=ts,
                     example=(original.text or (original.app.notice if original.app else ""), reason,
                              original.user_id), backfill_id=backfill_id)
        log.debug("hearing: team=%s channel=%s ts=%s skipped (%s)", team_id, channel_id, ts, reason)
        return Hearing(Heard.SKIPPED, reason)
    outcome = await record.capture(services, client, Request(
        team_id=team_id, capturer=original.user_id or channel_id, route=Route.WATCH,
        source=SlackMessage(channel_id, ts, held=original),
        origin=app_replies.origin_in(thread, original.app) if thread and original.app else None,
        # No private confirmation: in a watched channel it would follow every message.
        reply=ReplyTo(channel_id=channel_id, confirm=False, mark=mark), enterprise_id=enterprise_id,
    ))
    if isinstance(outcome, record.NotCaptured):
        return Hearing(Heard.IGNORED, outcome.reason)
    if not outcome.remark_created:
        return Hearing(Heard.KNOWN, owed=outcome.owed)
    await _count(services, team_id, channel_id, kind="captured", ts=ts, remark_id=outcome.remark.id,
                 backfill_id=backfill_id)
    return Hearing(Heard.CAPTURED, owed=outcome.owed)


async def _count(services: Services, team_id: str, channel_id: str, *, kind: str, ts: str,
                 example: tuple[str, str, str | None] | None = None, remark_id: int | None = None,
                 backfill_id: int | None = None) -> None:
    if backfill_id is not None:
        # The backfill counts its page itself; only its examples are kept here.
        if kind == "skipped" and (example is None or not example[0].strip()):
            return
        week = week_of(ts_to_datetime(ts))
    else:
        week = week_of(services.clock())
    async with transaction(services.sessions) as session:
        stats = WatchStatsRepository(session)
        if backfill_id is None:
            await stats.count(team_id, channel_id=channel_id, week=week,
                              captured=int(kind == "captured"), skipped=int(kind == "skipped"))
        if kind == "captured":
            await stats.add_example(team_id, channel_id=channel_id, week=week, kind=kind,
                                    message_ts=ts, remark_id=remark_id, backfill_id=backfill_id)
        elif example is not None and example[0].strip():
            text, reason, author = example
            await stats.add_example(team_id, channel_id=channel_id, week=week, kind=kind,
                                    message_ts=ts, text=text, reason=reason, author_user_id=author,
                                    backfill_id=backfill_id)


async def drop_old_examples(services: Services, *, now: dt.datetime) -> int:
    """The retention job: skipped examples' text goes after SKIPPED_EXAMPLE_DAYS."""
    async with transaction(services.sessions) as session:
        return await WatchStatsRepository(session).drop_skipped_text(
            older_than=now - dt.timedelta(days=SKIPPED_EXAMPLE_DAYS))
