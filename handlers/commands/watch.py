"""``/feedback watch`` and ``/feedback unwatch``: which channels are all customer feedback.

``/feedback watch`` alone lists the watched channels (anyone may look); adding or removing
one needs the admin right. A channel must be one the bot is in, so it can hear it.
"""

from __future__ import annotations

from bot.domain.capture import watch as watching
from bot.domain.workspace.permissions import NOT_ADMIN, is_admin
from bot.slack.mrkdwn import md
from handlers.commands.router import Call, Reply, reply, subcommand

WHAT_IT_DOES = ("Every new top-level message there from a person is filed as customer feedback "
                "(in Slack Connect channels, with the other organisation as the customer).")


async def _list(call: Call) -> Reply:
    channels = await watching.watched(call.services, call.team_id)
    if not channels:
        return reply("No channels are watched yet. An admin can add one: `/feedback watch #channel`.\n"
                     + WHAT_IT_DOES)
    names = ", ".join(f"<#{c}>" for c in channels)
    return reply(f":eyes: Watched channels: {names}.\n{WHAT_IT_DOES}\n"
                 "Stop with `/feedback unwatch #channel`.")


@subcommand("watch", usage="/feedback watch [#channel]",
            summary="file every new message in a channel (admins); alone, list watched channels",
            order=50)
async def watch_channels(call: Call) -> Reply:
    if not call.text:
        return await _list(call)
    refs, unknown = watching.parse_channel_refs(call.text, here=call.channel_id)
    if not refs:
        return reply(md("I couldn't find a channel in `{}`. Usage: `/feedback watch #channel` "
                        "(pick the channel from the autocomplete).", call.text[:100]))
    if not await is_admin(call.services.settings, call.client, call.team_id, call.user_id):
        return reply(NOT_ADMIN)
    lines: list[str] = []
    for ref in refs:
        try:
            info = await watching.resolve_channel(call.client, ref)
        except watching.NotWatchable as e:
            lines.append(f":warning: {e}")  # Earshot's words; a channel only as <#id>
            continue
        channel_id = str(info["id"])
        if await watching.watch(call.services, call.team_id, channel_id, by=call.user_id):
            lines.append(f":eyes: Now watching <#{channel_id}>. {WHAT_IT_DOES}")
        else:
            lines.append(f"<#{channel_id}> was already watched.")
    if unknown:
        lines.append(md("(Ignored: {})", " ".join(unknown)[:100]))
    return reply("\n".join(lines))


@subcommand("unwatch", usage="/feedback unwatch #channel",
            summary="stop filing every message in a channel (admins)", order=51)
async def unwatch_channels(call: Call) -> Reply:
    refs, _ = watching.parse_channel_refs(call.text, here=call.channel_id)
    if not refs:
        return reply("Usage: `/feedback unwatch #channel`. `/feedback watch` lists the watched channels.")
    if not await is_admin(call.services.settings, call.client, call.team_id, call.user_id):
        return reply(NOT_ADMIN)
    lines: list[str] = []
    for ref in refs:
        try:
            channel_id = await watching.channel_id_of(call.client, ref)
        except watching.NotWatchable as e:
            lines.append(f":warning: {e}")
            continue
        if await watching.unwatch(call.services, call.team_id, channel_id):
            lines.append(f"Stopped watching <#{channel_id}>. Remarks already filed from it stay.")
        else:
            lines.append(md("{} wasn't watched.", ref.label))  # as typed: not a channel we know
    return reply("\n".join(lines))
