"""The ``/feedback`` slash command: a small router over subcommands.

Each subcommand lives in its own module and registers itself with ``@subcommand``; the
router acks with the subcommand's private reply (Slack shows the ack body to the
caller), or, when a delivery is being replayed from the inbox after a crash, sends the
reply through ``response_url`` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.services import Services

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
_default: list[Handler] = []


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
    _default[:] = [fn]
    return fn


def reply(text: str, *, public: bool = False) -> dict[str, Any]:
    """A reply to the caller: private (ephemeral) unless they asked to share."""
    return {**blocks.notice(text), "response_type": "in_channel" if public else "ephemeral"}


def split_subcommand(text: str) -> tuple[str, str]:
    """``"watch #c"`` -> ``("watch", "#c")``; the subcommand word is case-insensitive."""
    head, _, rest = text.strip().partition(" ")
    return head.lower(), rest.strip()


def register(app: AsyncApp, services: Services) -> None:
    # Importing the modules registers their subcommands.
    from handlers.commands import digest, filing, help, process, watch  # noqa: F401

    @app.command(COMMAND)
    async def on_feedback(ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any,
                          context: Any) -> None:
        live = bool(context.get("earshot_live", True))
        text = (body.get("text") or "").strip()
        word, rest = split_subcommand(text)
        word = ALIASES.get(word, word)
        call = Call(
            services=services, client=client, body=body, team_id=context.team_id or body.get("team_id", ""),
            user_id=body.get("user_id", ""), channel_id=body.get("channel_id", ""), text=rest,
            trigger_id=body.get("trigger_id"), respond=respond, live=live,
        )
        if len(text) > MAX_COMMAND_TEXT:
            result: Reply = reply(f":warning: That is {len(text):,} characters; `/feedback` takes up to "
                                  f"{MAX_COMMAND_TEXT:,}. Nothing was filed. Shorten it, or react to "
                                  "the message with the capture emoji instead.")
        elif word in SUBCOMMANDS:
            result = await SUBCOMMANDS[word].handler(call)
        elif _default:
            call.text = text
            result = await _default[0](call)
        else:
            result = await SUBCOMMANDS["help"].handler(call)
        if live:
            await ack(**result) if result else await ack()
        else:
            await ack()
            if result:
                await respond(**result)
