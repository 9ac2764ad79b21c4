"""``/feedback watch`` and ``/feedback unwatch``: which channels are all customer feedback.

``/feedback watch`` alone lists the watched channels (anyone may look); adding or removing
one needs the admin right. A channel must be one the bot is in, so it can hear it.
After the channel (admins): ``bots`` (every app's posts there are remarks too), ``bots
"Zendesk" "Typeform"`` (those apps only), ``bots off``; ``since 30d`` (bring in its last
30 days, up to 90). ``/feedback watch status #channel`` (admins): the week's filed and
skipped counts with examples, as heard live; its history's backfill apart (state, counts, examples).
"""

from __future__ import annotations

from bot.domain.capture import backfill
from bot.domain.capture import watch as watching
from bot.slack import sources as render
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


async def _status(call: Call, text: str) -> Reply:
    refs, _ = watching.parse_channel_refs(text, here=call.channel_id)
    if len(refs) != 1:
        return reply("Usage: `/feedback watch status #channel`.")
    try:
        channel_id = await watching.channel_id_of(call.client, refs[0])
    except watching.NotWatchable as e:
        return reply(f":warning: {e}")
    st = await watching.status(call.services, call.team_id, channel_id, asker=call.asker)
    h = st.history
    history = render.history_status(
        state=h.state, days=h.days, oldest=h.oldest, fetched=h.fetched, captured=h.captured,
        skipped=h.skipped, known=h.known, other=h.other, share=h.share, reached=h.reached,
        started_at=h.started_at, finished_at=h.finished_at, resumes=h.resumes, resumed_at=h.resumed_at,
        error=h.error, captured_examples=h.captured_examples, skipped_examples=h.skipped_examples,
    ) if h else None
    return reply(render.watch_status(
        channel_id, watched=st.policy is not None, bots=st.policy.bots if st.policy else "off",
        names=st.policy.names if st.policy else [], captured=st.captured, skipped=st.skipped,
        last_captured=st.last_captured, last_skipped=st.last_skipped,
        captured_examples=st.captured_examples, skipped_examples=st.skipped_examples, history=history))


async def _options(call: Call, channel_id: str, options: watching.Options) -> list[str]:
    """Apply ``bots ...`` and ``since Nd`` to a channel just watched (or watched already)."""
    lines: list[str] = []
    if options.bots is not None:
        await watching.set_bots(call.services, call.team_id, channel_id, options, asker=call.asker)
        lines.append(render.bots_line(options.bots, options.names))
    if options.since_days:
        asked = await backfill.request(call.services, team_id=call.team_id, channel_id=channel_id,
                                       by=call.user_id, days=options.since_days, asker=call.asker)
        lines.append(render.backfill_started(channel_id, options.since_days,
                                             estimate_text=asked.estimate, running=not asked.started))
    return lines


@subcommand("watch", usage="/feedback watch [#channel] [bots [\"App\" ...] | bots off] [since 30d] | "
                           "status #channel",
            summary="file every new message in a channel (admins); bots: other apps' posts too; "
                    "since: bring in its history; alone, list watched channels",
            order=50)
async def watch_channels(call: Call) -> Reply:
    if not call.text:
        return await _list(call)
    first, _, rest = call.text.partition(" ")
    if first.lower() == "status":
        return await _status(call, rest)
    try:
        text, options = watching.parse_options(call.text)
    except watching.NotWatchable as e:
        return reply(f":warning: {e}")
    refs, unknown = watching.parse_channel_refs(text, here=call.channel_id)
    if not refs:
        return reply(md("I couldn't find a channel in `{}`. Usage: `/feedback watch #channel` "
                        "(pick the channel from the autocomplete).", call.text[:100]))
    lines: list[str] = []
    for ref in refs:
        try:
            info = await watching.resolve_channel(call.client, ref)
        except watching.NotWatchable as e:
            lines.append(f":warning: {e}")  # Earshot's words; a channel only as <#id>
            continue
        channel_id = str(info["id"])
        if await watching.watch(call.services, call.team_id, channel_id, by=call.user_id, asker=call.asker):
            lines.append(f":eyes: Now watching <#{channel_id}>. {WHAT_IT_DOES}")
        elif options.bots is None and not options.since_days:
            lines.append(f"<#{channel_id}> was already watched.")
        lines += await _options(call, channel_id, options)
    if unknown:
        lines.append(md("(Ignored: {})", " ".join(unknown)[:100]))
    return reply("\n".join(lines))


@subcommand("unwatch", usage="/feedback unwatch #channel",
            summary="stop filing every message in a channel (admins)", order=51)
async def unwatch_channels(call: Call) -> Reply:
    refs, _ = watching.parse_channel_refs(call.text, here=call.channel_id)
    if not refs:
        return reply("Usage: `/feedback unwatch #channel`. `/feedback watch` lists the watched channels.")
    lines: list[str] = []
    for ref in refs:
        try:
            channel_id = await watching.channel_id_of(call.client, ref)
        except watching.NotWatchable as e:
            lines.append(f":warning: {e}")
            continue
        if await watching.unwatch(call.services, call.team_id, channel_id, asker=call.asker):
            lines.append(f"Stopped watching <#{channel_id}>. Remarks already filed from it stay.")
        else:
            lines.append(md("{} wasn't watched.", ref.label))  # as typed: not a channel we know
    return reply("\n".join(lines))
