"""What a capture is asked to do and what it gives back: the route, the message or typed
text, the person's choices, where the capturer hears back, and the outcome. Every route
builds a ``Request``; ``record.capture`` carries it out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from bot.domain.capture.origin import Origin
from bot.slack import blocks
from bot.slack.mrkdwn import Mrkdwn
from bot.slack.text import Original
from storage.models import Remark
from storage.repositories.effects import Owed


class Route(StrEnum):
    REACTION = "reaction"
    FORWARD = "forward"
    WATCH = "watch"
    MENTION = "mention"
    SHORTCUT = "shortcut"
    COMMAND = "command"
    API = "api"  # the intake API: the capturer is "api:<token name>"
    IMPORT = "import"  # `earshot import`: the capturer is "import"


BULK = (Route.API, Route.IMPORT)  # no one in Slack to confirm to

@dataclass(frozen=True)
class SlackMessage:
    """A Slack message to capture. ``held``: what the delivery already carries (a watched
    message, a forward's original); without it the message is fetched, once, if new."""

    channel_id: str
    ts: str
    held: Original | None = None


@dataclass(frozen=True)
class Typed:
    """Text typed by hand (``/feedback``, the form), known by ``key`` so a replay is one remark."""

    key: str
    text: str
    channel_id: str | None = None


@dataclass(frozen=True)
class Decided:
    """A person's choices made while capturing; they win over the classifier."""

    process_chosen: bool = False  # True: ``process_id`` is the person's (None = Unfiled)
    process_id: int | None = None
    process_name: str | None = None
    sentiment: str | None = None
    customer: str | None = None


@dataclass(frozen=True)
class ReplyTo:
    """Where the capturer hears back: a private message in ``channel`` (in ``thread_ts``).

    ``in_remark_thread``: beside the remark (its thread, when it is a reply). ``mark_ts``:
    the message to mark with the captured emoji (the remark's own, or the forward's).
    ``dm_fallback``: when the channel is out of reach, confirm in the capturer's DM.
    """

    channel_id: str | None
    thread_ts: str | None = None
    in_remark_thread: bool = True
    confirm: bool = True
    mark_ts: str | None = None
    mark_always: bool = False  # mark even when the remark existed (a forward marks itself)
    dm_fallback: bool = False
    headline: Mrkdwn = blocks.CONFIRMATION_HEADLINE
    mark: bool = True  # False: no captured-emoji mark (a backfill does not mark old messages)


@dataclass(frozen=True)
class Request:
    team_id: str
    capturer: str
    route: Route
    source: SlackMessage | Typed
    reply: ReplyTo
    note: str | None = None
    decided: Decided = field(default_factory=Decided)
    enterprise_id: str | None = None
    origin: Origin | None = None  # another app's post, the API, an import (stored with it)
    # ``channel:ts`` of the Slack post that asked (a mention, a forward): claimed with the
    # capture, so the post's repeats (its twin event, a retry, a redo) add nothing.
    post: str | None = None


@dataclass(frozen=True)
class Captured:
    remark: Remark
    process_name: str | None
    remark_created: bool
    capture_created: bool
    owed: list[Owed]
    repeat: bool = False  # ``req.post`` was handled before: say nothing new about it


@dataclass(frozen=True)
class NotCaptured:
    reason: Literal["unreadable", "bot_message", "no_text", "withdrawn", "busy"]
    # "busy": the capturer already keeps this many reads waiting for Slack's limit (the
    # limited mode's cap, bot.domain.workspace.pacing); the first of them goes at ``next_at``.
    waiting: int = 0
    next_at: dt.datetime | None = None


Outcome = Captured | NotCaptured


def message_key(channel_id: str, ts: str) -> str:
    return f"{channel_id}:{ts}"


def source_key(source: SlackMessage | Typed) -> str:
    return source.key if isinstance(source, Typed) else message_key(source.channel_id, source.ts)
