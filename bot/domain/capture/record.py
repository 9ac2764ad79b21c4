"""Capturing a remark: every route ends in ``capture()``.

One remark per original Slack message (``channel:ts``) or per typed ``/feedback``; one
capture per teammate and route. ``capture()`` resolves endorsement, fetches from Slack
only what a new remark needs, files it, and records remark, capture and what the capture
owes Slack (the private confirmation, the mark) in one short transaction. The caller
sends what is owed (``outbox.send``) and renders the outcome.

Cost of a first capture by reaction: two transactions (a read that finds no remark, then
the write), six statements and one more since the write reads the webhook count itself
(under a share lock on PostgreSQL: see ``hooks_events.subscriptions_at_commit``), one ``conversations.history`` (``.replies`` too for a thread
reply) and one ``chat.getPermalink``. An endorsement is one transaction and no Web API read.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.capture import app_posts
from bot.domain.capture.origin import origin_values
from bot.domain.capture.requests import (
    Captured,
    NotCaptured,
    Outcome,
    Request,
    Route,
    SlackMessage,
    Typed,
    message_key,
    source_key,
)
from bot.domain.capture.slack_reads import fetch_message, original_of, permalink
from bot.domain.customers.connect import author_team, channel_name, external_team, team_name
from bot.domain.customers.registry import Directory
from bot.domain.filing import duplicates, themes
from bot.domain.privacy.redact import redact
from bot.domain.processes.starter import ensure_workspace
from bot.domain.services import Services
from bot.domain.workspace import hooks_events, outbox
from bot.domain.workspace.pacing import Pacer, TooManyWaiting, capture_pace
from bot.slack import blocks
from bot.slack.text import Original, is_bot_message, ts_to_datetime
from storage.db import transaction
from storage.models import Remark
from storage.repositories import ProcessRepository, RemarkRepository, WorkspaceRepository
from storage.repositories.effects import Owed
from storage.repositories.posts import PostRepository

log = logging.getLogger(__name__)

# Routes a person takes by hand: their reads waiting for Slack's limit are capped per person.
ASKED = (Route.REACTION, Route.MENTION, Route.SHORTCUT, Route.FORWARD)


async def capture(services: Services, client: AsyncWebClient, req: Request) -> Outcome:
    """Capture ``req.source`` for ``req.capturer`` by ``req.route``; see the module docstring."""
    key = source_key(req.source)
    async with transaction(services.sessions) as session:
        version, customers_version, found = await _lookup(session, req.team_id, key)
        if found is not None:
            return await _endorse(services, session, req, found, version)
    # A new remark: read what it needs from Slack outside any transaction.
    # Reading Slack takes a turn at the workspace's budget, ahead of any backfill (real time).
    # A slot too far off to wait for here is kept for this request (the holder names it
    # across runs) and its delivery handed back to be run again then (RateLimited).
    # The capturer is the person whose waiting reads are capped (a person asked: not a watch).
    pacer = Pacer(services.sessions, team_id=req.team_id, pace=capture_pace(services.settings),
                  holder=f"{req.route}:{req.capturer}:{key}",
                  person=req.capturer if req.route in ASKED else None)
    try:
        original = await _original(client, req, pacer, services.settings.capture_emoji_set)
    except TooManyWaiting as e:
        log.info("capture: team=%s route=%s: %s", req.team_id, req.route, e)
        return NotCaptured("busy", waiting=e.waiting, next_at=e.next_at)
    if isinstance(original, NotCaptured):
        return original
    if original is not None and original.app is not None and req.origin is None:
        req = replace(req, origin=app_posts.origin_of(original.app))  # another app's post
    text = original.text if original is not None else _typed(req).text
    if not text.strip():
        return NotCaptured("no_text")
    if services.settings.redact_kinds:  # REDACT: placeholders before anything is written
        text = redact(text, services.settings.redact_kinds)
    # The customer registry: from memory while its version holds, else one query.
    directory = await services.customers.load(services.sessions, req.team_id, customers_version)
    customer, from_slack = await _customer(client, req, original, directory)
    result = await services.filing.classify(req.team_id, text, version=version)
    values = _remark_values(services, req, original, text, customer, from_slack, result)
    pid = values["process_id"]
    if pid:
        await themes.warm()
    vec = themes.vector(text) if pid else None  # CPU work outside the transaction
    # The name of the process it is filed under: the person's choice, or the classifier's.
    name = ((req.decided.process_chosen and req.decided.process_name)
            or await services.filing.process_name(req.team_id, str(pid) if pid else None))
    async with transaction(services.sessions) as session:
        repo = RemarkRepository(session)
        # Its theme first, so the remark's INSERT carries the theme id.
        placed = (await themes.place(session, req.team_id, pid, vec, at=values["classified_at"])
                  if pid and vec is not None else None)
        if placed is not None:
            values["theme_id"] = placed.theme_id
        remark = await repo.create_with_capture(
            req.team_id, source_key=key, values=values,
            capture=_capture_row(services, req),
        )
        if remark is not None and req.post is not None:
            await PostRepository(session).claim(req.team_id, req.post)
        if remark is None:  # another process filed it meanwhile: this is an endorsement
            if placed is not None and vec is not None:
                await themes.unplace(session, req.team_id, placed, vec)
            found = await repo.by_source(req.team_id, key)
            assert found is not None
            return await _endorse(services, session, req, found, version)
        # A lesson: a person's choice, or a process the API named (its sender decided).
        if req.decided.process_chosen or req.decided.sentiment is not None:
            await WorkspaceRepository(session).bump_model_version(req.team_id)
        # A theme this remark just seeded has no earlier member it could repeat. Offered (and
        # recorded) only where the capturer sees a confirmation to click in (not API, import).
        similar = (await duplicates.find(session, remark, vec, values["classified_at"], offer_to=req.capturer)
                   if placed is not None and not placed.new and req.reply.confirm else None)
        owed = _owed(services, req, remark, name, created=True, duplicate=similar)
        await outbox.owe(services, session, owed)
        # Last, after every write (the model version's too): who is subscribed is read now,
        # not at the lookup, so a webhook added while this capture ran gets its event.
        subs = await hooks_events.subscriptions_at_commit(session, req.team_id)
        await hooks_events.remark_changed(services, session, remark, hooks_events.REMARK_CREATED, subs)
    log.info("capture: team=%s remark=%s route=%s new_remark=True", req.team_id, remark.id, req.route)
    log.debug("capture: text=%r", text[:200])
    return Captured(remark=remark, process_name=name, remark_created=True, capture_created=True,
                    owed=owed)


async def _lookup(session: AsyncSession, team_id: str,
                  key: str) -> tuple[int, int, Remark | None]:
    """The workspace's model and customer-registry versions (the workspace is created on
    first contact) and the remark, if any.

    Whether the workspace has outbound webhooks is read in the write transaction instead
    (``hooks_events.subscriptions_at_commit``): read here, a webhook added while the capture
    reads Slack and classifies would miss its event."""
    workspaces = WorkspaceRepository(session)
    ws = await workspaces.get(team_id)
    if ws is None or not ws.processes_seeded:
        ws = await ensure_workspace(session, team_id)
    # The remark, or the earlier one a person merged it into (one statement).
    found = await RemarkRepository(session).by_source_or_merged(team_id, key)
    return ws.model_version, ws.customers_version, found


async def _customer(client: AsyncWebClient, req: Request, original: Original | None,
                    directory: Directory) -> tuple[str | None, bool]:
    """The remark's customer and whether Slack/the registry (not the person) named it.

    A name the person typed is theirs, normalised to the registry's spelling when it is a
    customer's name or alias. Otherwise: the Slack Connect author's team when the registry
    knows it; else a channel-name rule matching the channel; else the other organisation's
    Slack name (normalised the same way); else the one registered customer the text names.
    """
    if req.decided.customer:
        return directory.canonical(req.decided.customer), False
    if req.origin is not None and (named := directory.of_source(req.origin.customer, req.origin.contact)):
        return named, True  # the customer an app's post, the API or an import names
    team = None
    if original is not None:
        team = await external_team(client, req.team_id, original.user_id, original.team_id,
                                   enterprise_id=req.enterprise_id)
        known = directory.of_team(team)
        if known is not None:
            return known.name, True
    channel = original.channel_id if original is not None else _typed(req).channel_id
    if channel and directory.has_rules:
        ruled = directory.of_channel(await channel_name(client, req.team_id, channel))
        if ruled is not None:
            return ruled.name, True
    if team:
        name = directory.canonical(await team_name(client, req.team_id, team))
        if name is not None:
            return name, True
    # Last: the one registered customer the remark itself names ("Call with Brightline Foods…").
    said = directory.mentioned(original.text if original is not None else _typed(req).text)
    return (said.name, True) if said is not None else (None, False)


async def _endorse(services: Services, session: AsyncSession, req: Request, remark: Remark,
                   version: int) -> Captured:
    """Add this capture to an existing remark (same transaction as the lookup).

    A repeat (a Slack retry, a redo after a crash) adds nothing, but claims whatever the
    first run still owed Slack, so a confirmation cut short by a crash is still sent.
    """
    repo = RemarkRepository(session)
    row = _capture_row(services, req)
    created = await repo.endorse(remark, **row)
    # After the capture's insert: a run racing this one on the same post waits for it there.
    repeat = req.post is not None and not await PostRepository(session).claim(req.team_id, req.post)
    key = str(remark.process_id) if remark.process_id else None
    known, name = services.filing.known_name(req.team_id, key, version=version)
    if not known:  # no current model in memory (a fresh process): ask, in this transaction
        name = await ProcessRepository(session).name_of(req.team_id, remark.process_id)
    owed = _owed(services, req, remark, name, created=False)
    if created:
        await outbox.owe(services, session, owed)
    else:
        owed = await outbox.claim(services, session, req.team_id, [o.key for o in owed])
    log.info("capture: team=%s remark=%s route=%s new_capture=%s", req.team_id, remark.id, req.route, created)
    return Captured(remark=remark, process_name=name, remark_created=False, capture_created=created,
                    owed=owed, repeat=repeat)


def _typed(req: Request) -> Typed:
    assert isinstance(req.source, Typed), "a Slack message always has an original"
    return req.source


def _capture_row(services: Services, req: Request) -> dict[str, Any]:
    capturer = req.capturer
    if req.route is Route.WATCH:
        # A watched message is captured by its channel, not by the customer who wrote it:
        # only teammates count as "teammates who captured this".
        capturer = req.reply.channel_id or capturer
    note = req.note
    if note and services.settings.redact_kinds:
        note = redact(note, services.settings.redact_kinds)
    return {"user_id": capturer, "route": str(req.route), "note": note,
            "channel_id": req.reply.channel_id, "at": services.clock()}


async def _original(client: AsyncWebClient, req: Request, pacer: Pacer,
                    emoji: set[str] | frozenset[str]) -> Original | NotCaptured | None:
    """The Slack message behind a new remark (None for typed text)."""
    source = req.source
    if isinstance(source, Typed):
        return None
    if source.held is not None:
        held = source.held
        if req.route is Route.FORWARD and held.user_id:
            # A forward's attachment may name the channel's team, not the author's: ask.
            team = await author_team(client, req.team_id, held.user_id)
            held = replace(held, team_id=team or held.team_id)
        if held.permalink is None:
            held = replace(held, permalink=await permalink(client, held.channel_id, held.ts))
        return held
    msg = await fetch_message(client, source.channel_id, source.ts, pacer=pacer)
    if msg is None:
        return NotCaptured("unreadable")
    if pacer.resumed and req.route is Route.REACTION and _withdrawn(msg, req.capturer, emoji):
        # Handed back to wait for its slot, the reaction's removal ran first and found
        # nothing to withdraw: the message, read now, says the reaction is gone.
        log.debug("capture: reaction withdrawn while waiting for its slot %s/%s", source.channel_id, source.ts)
        return NotCaptured("withdrawn")
    if is_bot_message(msg):
        if (await app_posts.own_of(client)).wrote(msg):
            log.debug("capture: ignoring Earshot's own message %s/%s", source.channel_id, source.ts)
            return NotCaptured("bot_message")
        return app_posts.original_of(source.channel_id, await app_posts.named_post(client, msg),
                                     permalink=await permalink(client, source.channel_id, source.ts))
    return await original_of(client, source.channel_id, msg)


def _withdrawn(msg: dict[str, Any], user: str, emoji: set[str] | frozenset[str]) -> bool:
    """Whether ``msg`` (as conversations.history returns it: no ``reactions`` when it has
    none) shows that ``user`` no longer has any capture emoji on it. A list of users cut
    short (``count`` above its length) says nothing."""
    reactions = msg.get("reactions") or []
    if not isinstance(reactions, list):
        return False
    for r in reactions:
        if not isinstance(r, dict) or str(r.get("name") or "").split("::")[0] not in emoji:
            continue
        raw = r.get("users")
        users: list[Any] = raw if isinstance(raw, list) else []
        count = r.get("count")
        if user in users or (isinstance(count, int) and count > len(users)):
            return False
    return True


def _remark_values(services: Services, req: Request, original: Original | None, text: str,
                   customer: str | None, from_slack: bool, result: Any) -> dict[str, Any]:
    now = services.clock()
    values: dict[str, Any] = {
        "text": text, "customer": customer or None, "classified_at": now,
        "sentiment": result.sentiment.label, "sentiment_score": result.sentiment.score,
        "process_id": int(result.routing.process_key) if result.routing.process_key else None,
        "process_confidence": result.routing.confidence,
        "watched": req.route is Route.WATCH, "language": result.language,
    }
    if original is not None:
        values.update(channel_id=original.channel_id, message_ts=original.ts,
                      thread_ts=original.thread_ts, permalink=original.permalink,
                      author_user_id=original.user_id, author_team_id=original.team_id,
                      said_at=ts_to_datetime(original.ts))
    else:
        # Typed text is said when it is filed.
        values.update(channel_id=_typed(req).channel_id, said_at=now)
    values["source"] = str(req.route)
    if req.origin is not None:
        values.update(origin_values(req.origin))
    if customer and not from_slack:
        values["customer_decided_by"] = req.capturer
    d = req.decided
    if d.process_chosen:
        values.update(process_id=d.process_id, process_confidence=1.0 if d.process_id else None,
                      process_decided_by=req.capturer, process_decided_at=now)
    if d.sentiment is not None:
        values.update(sentiment=d.sentiment, sentiment_decided_by=req.capturer,
                      sentiment_decided_at=now)
    return values


def _owed(services: Services, req: Request, remark: Remark, process_name: str | None, *,
          created: bool, duplicate: Remark | None = None) -> list[Owed]:
    """What this capture owes Slack, each under a key that makes it at most once."""
    r, owed = req.reply, []
    capture_id = f"{remark.id}:{req.capturer}:{req.route}"
    if r.confirm and (r.channel_id or r.dm_fallback):
        thread = r.thread_ts or (remark.thread_ts if r.in_remark_thread else None)
        message = blocks.capture_confirmation(remark, process_name, headline=r.headline,
                                              duplicate=duplicate)
        owed.append(Owed(req.team_id, f"confirm:{capture_id}", outbox.EPHEMERAL, {
            "channel": r.channel_id, "user": req.capturer, "thread_ts": thread,
            "dm_fallback": r.dm_fallback, **message}))
    mark_ts = r.mark_ts or (remark.message_ts if isinstance(req.source, SlackMessage) else None)
    mark_channel = r.channel_id if r.mark_ts else remark.channel_id
    if r.mark and mark_ts and mark_channel and (created or r.mark_always):
        owed.append(Owed(req.team_id, f"mark:{mark_channel}:{mark_ts}", outbox.REACTION, {
            "channel": mark_channel, "timestamp": mark_ts, "name": services.settings.captured_emoji}))
    return owed


async def withdraw(services: Services, client: AsyncWebClient, *, team_id: str, user: str,
                   route: Route, channel_id: str, ts: str) -> bool:
    """Withdraw ``user``'s capture of a message by ``route``; True if the remark went with it
    (nobody else had captured it), in which case the captured-emoji mark is removed too."""
    async with transaction(services.sessions) as session:
        await themes.hold(session, team_id)  # before the remark may go (themes.forget)
        repo = RemarkRepository(session)
        remark = await repo.by_source(team_id, message_key(channel_id, ts))
        if remark is None:
            return False
        _, deleted = await repo.withdraw_capture(team_id, remark_id=remark.id, user_id=user,
                                                 route=str(route))
        if deleted and remark.theme_id is not None:
            await themes.forget(session, team_id, theme_id=remark.theme_id, text=remark.text)
        if deleted:
            await hooks_events.remark_deleted(services, session, team_id, remark.id)
    if deleted:
        try:
            await client.reactions_remove(channel=channel_id, timestamp=ts,
                                          name=services.settings.captured_emoji)
        except SlackApiError as e:
            log.debug("capture: could not remove the mark: %s", e.response.get("error"))
    return deleted


async def typed_rows(services: Services, req: Request, directory: Directory,
                     result: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A new typed remark's row and first capture's row, as ``capture()`` writes them (bulk.py)."""
    customer, from_slack = await _customer(NO_SLACK, req, None, directory)
    return (_remark_values(services, req, None, _typed(req).text, customer, from_slack, result),
            _capture_row(services, req))


NO_SLACK = AsyncWebClient(token=None)  # typed text without a channel never reads Slack
