"""The ``/feedback`` subcommand registry: each subcommand module registers itself with
``@subcommand``; ``handlers.commands`` dispatches to them."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.services import Services
from bot.domain.workspace.permissions import SlackAsker
from bot.slack import blocks

log = logging.getLogger(__name__)

COMMAND = "/feedback"
MAX_COMMAND_TEXT = 40_000  # Slack's limit for a message; a typed remark may be that long


@dataclass
class Call:
    """One invocation of ``/feedback``: who, where, and the words after the subcommand."""

    services: Services
    client: AsyncWebClient
    body: dict[str, Any]
    team_id: str
    user_id: str
    channel_id: str
    text: str  # everything after the subcommand word, stripped
    trigger_id: str | None
    respond: Any
    live: bool

    @property
    def asker(self) -> SlackAsker:
        """Who asked, for the domain functions that refuse non-admins (bot.domain.acting)."""
        return SlackAsker(self.services, self.client, self.team_id, self.user_id)


Reply = dict[str, Any] | None
Handler = Callable[[Call], Awaitable[Reply]]


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    summary: str
    handler: Handler
    order: int


SUBCOMMANDS: dict[str, Subcommand] = {}
ALIASES: dict[str, str] = {}
# The handler for "/feedback <text>" when the first word is not a subcommand.
default_handlers: list[Handler] = []


def subcommand(name: str, *, usage: str, summary: str, aliases: tuple[str, ...] = (),
               order: int = 50) -> Callable[[Handler], Handler]:
    def wrap(fn: Handler) -> Handler:
        SUBCOMMANDS[name] = Subcommand(name, usage, summary, fn, order)
        for a in aliases:
            ALIASES[a] = name
        return fn

    return wrap


def default_handler(fn: Handler) -> Handler:
    """Register what ``/feedback <free text>`` does (files the text)."""
    default_handlers[:] = [fn]
    return fn


async def file_as_text(call: Call) -> Reply:
    """For a subcommand word that starts ordinary feedback ("Export is slow"): file the
    whole text, as if no subcommand had matched."""
    call.text = str(call.body.get("text") or "").strip()
    return await default_handlers[0](call) if default_handlers else None


def reply(text: str, *, public: bool = False) -> dict[str, Any]:
    """A reply to the caller: private (ephemeral) unless they asked to share. ``text`` is
    Earshot's own mrkdwn: anything in it that the person typed or another person named (a
    name, a title, an error quoting the input) goes in through ``bot.slack.mrkdwn.md``."""
    return {**blocks.notice(text), "response_type": "in_channel" if public else "ephemeral"}


# One person's on/off preference for one kind of message: (services, team, user, on=) -> None.
SetPreference = Callable[..., Awaitable[None]]


async def toggle(call: Call, set_preference: SetPreference, *, usage: str, off: str,
                 on: str) -> Reply:
    """``/feedback alerts|updates|praise on|off``: the usage for anything else, else the
    preference saved and what it now means."""
    value = call.text.strip().lower()
    if value not in ("on", "off"):
        return reply(usage)
    await set_preference(call.services, call.team_id, call.user_id, on=value == "on")
    return reply(on if value == "on" else off)


def split_subcommand(text: str) -> tuple[str, str]:
    """``"watch #c"`` -> ``("watch", "#c")``; the subcommand word is case-insensitive."""
    head, _, rest = text.strip().partition(" ")
    return head.lower(), rest.strip()


