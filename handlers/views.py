"""Modal submissions. ``file_feedback``: the filing modal (message shortcut or ``/feedback``).

A submission is validated first and problems are shown inline in the modal
(``response_action: errors``), so nothing is half-filed. A valid one files the remark
(the capturer's process, sentiment and customer win over the classifier), closes the
modal and confirms privately where the capturer was, or by DM when that channel is out
of reach. Replays change nothing: the remark's key is the message (``channel:ts``) or,
for typed text, the view id (``typed:view:<id>``), and a capture is unique per person.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.capture import app_posts, record, scores
from bot.domain.capture.app_posts import app_original_from_slack
from bot.domain.capture.origin import Origin as RemarkOrigin
from bot.domain.capture.origin import Score
from bot.domain.capture.requests import (
    Captured,
    Decided,
    ReplyTo,
    Request,
    Route,
    SlackMessage,
    Typed,
)
from bot.domain.capture.slack_reads import original_from_slack
from bot.domain.filing.corrections import correct_customer, correct_process, correct_sentiment
from bot.domain.processes.starter import ensure_workspace
from bot.domain.services import Services
from bot.domain.workspace import outbox
from bot.domain.workspace.pacing import Pacer, RateLimited, TooManyWaiting, capture_pace
from bot.slack import modals, texts
from bot.slack.sealed import scope_of
from bot.slack.text import Original, as_dict
from handlers.common import services_of
from storage.db import transaction
from storage.repositories import ProcessRepository

log = logging.getLogger(__name__)

# Seconds a form submission waits for a read's slot: Slack wants its answer within 3 s, and
# the read and the filing come after.
FORM_WAIT = 1.0


async def on_file_feedback_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient,
                                  context: AsyncBoltContext) -> None:
    services = services_of(context)
    view = as_dict(body.get("view"))
    team_id = context.team_id or (body.get("team") or {}).get("id") or ""
    user_id = (body.get("user") or {}).get("id") or context.user_id or ""
    # Sealed when the modal was opened: an origin Earshot did not write for this person in
    # this workspace (another message, channel or text) is refused like an expired form.
    origin = modals.Origin.from_metadata(view.get("private_metadata"), key=services.settings.metadata_key,
                                         scope=scope_of(team_id, user_id))
    if origin is None:
        await ack(response_action="update", view=modals.notice_view(
            "Form expired", ":warning: This form can't be filed any more. Please start again."))
        return
    async with transaction(services.sessions) as session:
        await ensure_workspace(session, team_id)
        processes = await ProcessRepository(session).list(team_id)
    decision = modals.decide(modals.read_submission((view.get("state") or {}).get("values")),
                             processes, typed=origin.typed)
    app: Original | None = None
    try:
        app = await _read_again(services, client, team_id, user_id, str(view.get("id") or ""), origin,
                                decision)
    except RateLimited as e:
        # Slack's limit leaves no read now: the slot is kept for this form, and the person,
        # told when, submits again with everything they entered still in the form.
        decision.errors[modals.BLOCK_NOTE] = busy_note(e.until, now=services.clock(),
                                                       kept=capture_pace(services.settings).limited)
    except TooManyWaiting as e:
        # This person already keeps as many slots as one may (forms, reactions): no slot taken.
        decision.errors[modals.BLOCK_NOTE] = texts.reads_waiting(
            e.waiting, (e.next_at - services.clock()).total_seconds(), again="submit again")
    if decision.errors:
        await ack(response_action="errors", errors=decision.errors)
        return
    filed, changed = await _file(services, client, team_id=team_id, user_id=user_id,
                                 view_id=str(view.get("id") or ""), origin=origin,
                                 decision=decision, app=app)
    if not (filed.capture_created or changed):
        # A replay, or the same person filing the same thing again: say so, change nothing.
        await ack(response_action="update", view=modals.notice_view(
            "Already filed", ":white_check_mark: You had filed this already; nothing changed."))
        return
    await ack()
    await outbox.send(services, client, filed.owed)


async def _read_again(services: Services, client: AsyncWebClient, team_id: str, user_id: str,
                      view_id: str, origin: modals.Origin, decision: modals.Decision) -> Original | None:
    """What the submission must read from Slack again (the app's post; a message too long
    for the form's metadata), paced like every capture: at most FORM_WAIT seconds for a
    slot, one try (Slack wants the answer within 3 s). Raises RateLimited."""
    if decision.errors or origin.typed or not (origin.app or origin.text is None):
        return None
    pacer = Pacer(services.sessions, team_id=team_id, pace=capture_pace(services.settings),
                  holder=f"view:{view_id}", person=user_id, wait_up_to=FORM_WAIT, tries=1)
    app: Original | None = None
    if origin.app:
        # Another app's post: read again, so the remark keeps what its rule reads (the app
        # as source, contact, link, score), not what the form's metadata claims.
        app = await app_original_from_slack(client, origin.channel_id or "", origin.ts or "", pacer=pacer)
        if app is None:
            decision.errors[modals.BLOCK_NOTE] = (
                "I can't read that post any more (deleted, or I'm not in that channel).")
        elif origin.text is None:
            origin.text = app.text
        return app
    # The message was too long to carry in the modal: read it again now.
    fetched = await original_from_slack(client, origin.channel_id or "", origin.ts or "", pacer=pacer)
    if fetched is None:
        decision.errors[modals.BLOCK_NOTE] = (
            "I can't read that message any more (deleted, or I'm not in that channel). "
            "Invite me to the channel and try again.")
    else:
        origin.text = fetched.text
        origin.permalink = origin.permalink or fetched.permalink
    return None


def busy_note(until: dt.datetime, *, now: dt.datetime, kept: bool) -> str:
    """Why the form must be submitted again, and when. ``kept``: the slot is held for this
    form (the limited mode); in Tier 3 only a Retry-After holds every read back."""
    when = texts.in_about((until - now).total_seconds())
    turn = "It's kept for you: submit" if kept else "Please submit"
    return (f"Slack limits how often I can read messages in this workspace, and my next read is in "
            f"about {when}. {turn} again then (what you entered stays here).")


def _scored(route: str, decision: modals.Decision, app: Original | None) -> RemarkOrigin | None:
    """A score the person entered, stored with the remark (an app's post keeps its origin);
    it sets the tone unless the person chose a sentiment (not "Automatic")."""
    if decision.score is None:
        return None
    base = app_posts.origin_of(app.app) if app is not None and app.app is not None else RemarkOrigin(source=route)
    kind, value = decision.score
    return replace(base, score=Score(kind, value))  # type: ignore[arg-type]  # kind: one of SCORE_CHOICES


def register(app: AsyncApp) -> None:
    app.view(modals.CALLBACK_ID)(on_file_feedback_submit)


async def _file(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str,
                view_id: str, origin: modals.Origin, decision: modals.Decision,
                app: Original | None = None) -> tuple[Captured, bool]:
    """Store the remark and this capture; returns (captured, whether an existing remark changed)."""
    source: SlackMessage | Typed
    if origin.typed:
        source = Typed(key=f"typed:view:{view_id}", text=decision.text or "",
                       channel_id=origin.channel_id)
    else:
        assert origin.channel_id and origin.ts
        source = SlackMessage(origin.channel_id, origin.ts, held=Original(
            channel_id=origin.channel_id, ts=origin.ts, text=origin.text or "",
            user_id=origin.author_user_id, team_id=origin.author_team_id,
            thread_ts=origin.thread_ts, permalink=origin.permalink or (app.permalink if app else None),
            app=app.app if app else None))
    channel = origin.reply_channel or origin.channel_id
    outcome = await record.capture(services, client, Request(
        team_id=team_id, capturer=user_id, route=Route(origin.route), source=source,
        note=decision.note,
        decided=Decided(process_chosen=True, process_id=decision.process_id, sentiment=decision.sentiment,
                        customer=decision.customer),
        origin=_scored(origin.route, decision, app),
        # Beside the message: in its thread when it is a reply (where the shortcut was used).
        reply=ReplyTo(channel_id=channel, dm_fallback=True,
                    thread_ts=origin.thread_ts if channel == origin.channel_id else None,
                    in_remark_thread=False),
    ))
    assert isinstance(outcome, Captured), "the form's text was checked before filing"
    remark, name, changed = outcome.remark, outcome.process_name, False
    # A new remark takes the person's choices as it is written; an existing one (filed by a
    # teammate, or by a replay) is brought in line with them. A choice that matches what
    # the classifier did is still a person's decision: recorded, it keeps a later edit's
    # re-classification from overriding it.
    if not outcome.remark_created and (
            remark.process_id != decision.process_id or remark.process_decided_by is None):
        fixed = await correct_process(services, team_id=team_id, remark_id=remark.id,
                                      process_id=decision.process_id, by=user_id)
        if fixed is not None:
            remark, name, changed = fixed.remark, fixed.process_name, True
    # "Automatic" (decision.sentiment None) leaves the tone to the score or the words.
    if not outcome.remark_created and decision.sentiment is not None and (
            remark.sentiment != decision.sentiment or remark.sentiment_decided_by is None):
        fixed = await correct_sentiment(services, team_id=team_id, remark_id=remark.id,
                                        sentiment=decision.sentiment, by=user_id)
        if fixed is not None:
            remark, name, changed = fixed.remark, fixed.process_name, True
    if decision.customer and remark.customer != decision.customer:
        fixed = await correct_customer(services, team_id=team_id, remark_id=remark.id,
                                       customer=decision.customer, by=user_id)
        if fixed is not None:
            remark, name, changed = fixed.remark, fixed.process_name, True
    # A score given in the form is stored on a known remark too (a new one took it above).
    if decision.score is not None and (remark.score_kind, remark.score_value) != decision.score:
        kind, value = decision.score
        scored = await scores.set_score(services, team_id=team_id, remark_id=remark.id, kind=kind,
                                        value=value, by=user_id)
        if scored is not None:
            remark, changed = scored, True
    return replace(outcome, remark=remark, process_name=name), changed
