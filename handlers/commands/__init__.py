"""The ``/feedback`` slash command: a small router over subcommands.

Each subcommand lives in its own module and registers itself with ``@subcommand``
(``handlers.commands.router``); the listener acks with the subcommand's private reply
(Slack shows the ack body to the caller), or, when a delivery is being replayed from the
inbox after a crash, sends the reply through ``response_url`` instead.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.acting import NotAdmin
from handlers.commands import (  # noqa: F401  (importing a subcommand module registers it)
    customer,
    digest,
    export,
    filing,
    help,
    hooks,
    improve,
    privacy,
    process,
    sources,
    watch,
)
from handlers.commands.router import (
    ALIASES,
    COMMAND,
    MAX_COMMAND_TEXT,
    SUBCOMMANDS,
    Call,
    Reply,
    default_handlers,
    reply,
    split_subcommand,
)
from handlers.common import services_of


async def on_feedback(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                      context: AsyncBoltContext) -> None:
    services = services_of(context)
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
        try:
            result = await SUBCOMMANDS[word].handler(call)
        except NotAdmin as e:  # refused where the thing is done; the person is told why
            result = reply(str(e))
    elif default_handlers:
        call.text = text
        result = await default_handlers[0](call)
    else:
        result = await SUBCOMMANDS["help"].handler(call)
    if live:
        await ack(**result) if result else await ack()
    else:
        await ack()
        if result:
            await respond(**result)


def register(app: AsyncApp) -> None:
    app.command(COMMAND)(on_feedback)
