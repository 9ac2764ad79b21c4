"""``/feedback <text>`` files typed text; ``/feedback`` alone opens the filing modal;
``/feedback recent`` lists the caller's last captures.

Grammar (bot/slack/grammar.py): ``/feedback [Process] (Customer) the remark +share``.
A typed remark's key is ``typed:<trigger_id>``: the trigger id is unique per invocation,
so a replayed delivery finds the remark it filed the first time and files nothing twice.
The reply is the slash command's answer itself (the confirmation with its correction
controls), so the caller sees it at once; ephemeral unless they asked to share.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from bot.domain.capture import record
from bot.domain.capture.requests import Decided, ReplyTo, Request, Route, Typed
from bot.domain.processes.starter import ensure_workspace
from bot.slack import blocks, modals
from bot.slack.grammar import GrammarError, close_matches, looks_like_subcommand, parse
from bot.slack.mrkdwn import clip, join, md, mention
from bot.slack.text import MAX_TEXT, truncate
from handlers.commands.help import help_text
from handlers.commands.router import (
    ALIASES,
    SUBCOMMANDS,
    Call,
    Reply,
    default_handler,
    reply,
    subcommand,
)
from handlers.shortcuts import open_filing_modal
from storage.db import transaction
from storage.models import Process
from storage.repositories import ProcessRepository, RemarkRepository

log = logging.getLogger(__name__)

RECENT_LIMIT = 10
RECENT_QUOTE = 200
LIST_HINT = "`/feedback processes` lists them all."


@default_handler
async def file_text(call: Call) -> Reply:
    """``/feedback [Process] (Customer) text +share``; no text opens the modal."""
    raw = call.text.strip()
    if looks_like_subcommand(raw):
        return _unknown_subcommand(raw, call.services.settings.main_capture_emoji)
    try:
        parsed = parse(raw)
    except GrammarError as e:
        return reply(md(":warning: {} Nothing was filed.", str(e)))
    async with transaction(call.services.sessions) as session:
        await ensure_workspace(session, call.team_id)
        repo = ProcessRepository(session)
        active = await repo.list(call.team_id)
        process: Process | None = None
        if parsed.process:
            process = await repo.by_name(call.team_id, parsed.process)
    if parsed.process and (process is None or process.archived):
        return reply(_unknown_process(parsed.process, active, archived=process is not None))
    if not parsed.text:
        return await _open_modal(call, process, parsed.customer)
    if len(parsed.text) > MAX_TEXT:
        return reply(f":warning: That is {len(parsed.text):,} characters; a remark can be up to "
                     f"{MAX_TEXT:,}. Nothing was filed.")
    outcome = await record.capture(call.services, call.client, Request(
        team_id=call.team_id, capturer=call.user_id, route=Route.COMMAND,
        source=Typed(key=_key(call), text=parsed.text, channel_id=call.channel_id or None),
        decided=Decided(process_chosen=process is not None, process_id=process.id if process else None,
                        process_name=process.name if process else None, customer=parsed.customer),
        # The confirmation is the command's own answer (it travels in the HTTP response).
        reply=ReplyTo(channel_id=call.channel_id or None, confirm=False),
    ))
    assert isinstance(outcome, record.Captured), "typed text was checked above"
    headline = (md(":inbox_tray: *{} filed customer feedback*", mention(call.user_id)) if parsed.share
                else blocks.CONFIRMATION_HEADLINE)
    message = blocks.capture_confirmation(outcome.remark, outcome.process_name, headline=headline)
    return {**message, "response_type": "in_channel" if parsed.share else "ephemeral"}


def _key(call: Call) -> str:
    if call.trigger_id:
        return f"typed:{call.trigger_id}"[:128]
    # Slack always sends a trigger id; without one, the same text from the same person in the
    # same place is taken as the same remark rather than filed twice.
    digest = hashlib.sha256(f"{call.user_id}\n{call.channel_id}\n{call.text}".encode()).hexdigest()
    return f"typed:sha:{digest[:40]}"


async def _open_modal(call: Call, process: Process | None, customer: str | None) -> Reply:

    if not call.live:
        # A replay after a crash: the trigger id has expired, so no modal can open.
        return None
    origin = modals.Origin(route=modals.ROUTE_COMMAND, channel_id=call.channel_id or None,
                           reply_channel=call.channel_id or None)
    prefill = modals.Prefill(process_id=process.id if process else None, customer=customer,
                             guessed=False)
    problem = await open_filing_modal(call.services, call.client, team_id=call.team_id,
                                      user_id=call.user_id, trigger_id=call.trigger_id,
                                      origin=origin, text=None,
                                      prefill=prefill)
    return reply(problem) if problem else None


def _unknown_process(name: str, active: Sequence[Process], *, archived: bool) -> str:
    shown = clip(name, 80)
    head: str
    if archived:
        head = md(":warning: The process *{}* is archived, so nothing was filed.", shown)
    else:
        head = md(":warning: No process called *{}*, so nothing was filed.", shown)
    near = close_matches(name, [p.name for p in active])
    if near:
        head += md(" Did you mean: {}?", join((md("*{}*", n) for n in near), ", "))
    example = near[0] if near else (active[0].name if active else "Billing")
    return head + md("\nTry `/feedback [{}] what the customer said`, or leave out the "
                     "`[…]` and Earshot files it for you. {}", example, LIST_HINT)


def _unknown_subcommand(word: str, emoji: str) -> Reply:

    names = [n for n in [*SUBCOMMANDS, *ALIASES] if n[:1].isalpha()]
    near = close_matches(word, names, n=1, cutoff=0.6)
    lead: str = md(":thinking_face: `/feedback {}` isn't a command.", clip(word, 40))
    if near:
        lead += md(" Did you mean `/feedback {}`?", ALIASES.get(near[0], near[0]))
    lead += md(" To file the single word *{}* as a remark, type `/feedback -- {}`.\n\n",
               clip(word, 40), clip(word, 40))
    return reply(truncate(lead + help_text(emoji), blocks.SECTION_LIMIT))


@subcommand("recent", usage="/feedback recent", order=20,
            summary="your last 10 captured remarks, with links (`+share` to show them in the channel)")
async def recent(call: Call) -> Reply:
    rest = call.text.strip()
    share = rest.casefold() == "+share"
    if rest and not share:
        # "/feedback recent changes broke the export" is a remark, not a request for a list.
        call.text = f"recent {rest}"
        return await file_text(call)
    async with call.services.sessions() as session:
        remarks = await RemarkRepository(session).recent_for_user(call.team_id, call.user_id,
                                                                  limit=RECENT_LIMIT)
        processes = {p.id: p.name for p in await ProcessRepository(session).list(
            call.team_id, include_archived=True)}
    if not remarks:
        return reply("You haven't captured any remarks yet. Type one: `/feedback [Billing] (Acme) "
                     f"the invoice arrived twice`, or react to a customer's message with :{call.services.settings.main_capture_emoji}:.",
                     public=share)
    message = blocks.recent_remarks(remarks, processes, shared_by=call.user_id if share else None,
                                    quote_chars=RECENT_QUOTE)
    return {**message, "response_type": "in_channel" if share else "ephemeral"}

