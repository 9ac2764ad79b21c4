"""Following a captured Slack message after the capture: edits and deletions.

A remark is found by the message it came from (``channel:ts``; a forwarded original by its
own channel and ts, not the forward's). An edit replaces the text and re-classifies what no
person decided; a deletion removes the remark's text and its captures from Earshot.
Messages that are not remarks cost one indexed lookup.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.classify.forget import forget_texts
from bot.domain.capture.requests import message_key
from bot.domain.filing import themes
from bot.domain.privacy.redact import redact
from bot.domain.services import Services
from bot.domain.workspace import hooks_events
from bot.slack.text import MAX_TEXT
from storage.db import transaction
from storage.models import Remark
from storage.repositories import InboxRepository, PrivacyRepository, RemarkRepository
from storage.repositories.sources import MessageChangeRepository, WatchStatsRepository

log = logging.getLogger(__name__)


async def apply_edit(
    services: Services, *, team_id: str, channel_id: str, ts: str, text: str
) -> Remark | None:
    """Update the remark for ``channel_id:ts`` to ``text``; None if it is not a remark or
    nothing changed (an unfurl or attachment added, the same words)."""
    text = text[:MAX_TEXT]
    if not text.strip():
        return None  # the words were removed but the message stays (a file remains): keep ours
    async with transaction(services.sessions) as session:
        # A backfill of the channel may hold a page read before the edit: it applies it.
        await MessageChangeRepository(session).note(
            team_id, channel_id, ts, deleted=False, now=services.clock(),
            text=redact(text, services.settings.redact_kinds) if services.settings.redact_kinds else text)
    return await apply_text(services, team_id=team_id, key=message_key(channel_id, ts), text=text)


async def apply_text(services: Services, *, team_id: str, key: str, text: str,
                     tone: str | None = None) -> Remark | None:
    """Update the remark known by ``key`` to ``text`` (an edit in Slack, a changed text sent
    again to the API); None if there is none or nothing changed. ``tone``: the sentiment
    its score tells, which the classifier does not override."""
    if services.settings.redact_kinds:
        text = redact(text, services.settings.redact_kinds)
    async with services.sessions() as session:
        remark = await RemarkRepository(session).by_source(team_id, key)
    if remark is None or remark.text == text:
        return None
    if remark.text_expired_at is not None:
        return None  # its text was dropped (retention or erasure): an edit does not bring it back
    values: dict[str, Any] = {"text": text}
    # A person's decision wins: only what was decided automatically is re-decided.
    if remark.process_decided_by is None or remark.sentiment_decided_by is None:
        result = await services.filing.classify(team_id, text)
        values.update(classified_at=services.clock(), language=result.language)
        if remark.process_decided_by is None:
            routed = result.routing.process_key
            values.update(process_id=int(routed) if routed else None,
                          process_confidence=result.routing.confidence)
        if remark.sentiment_decided_by is None:
            values.update(sentiment=tone or result.sentiment.label,
                          sentiment_score=result.sentiment.score)
    async with transaction(services.sessions) as session:
        await themes.hold(session, team_id)  # before the remark changes (themes.move)
        repo = RemarkRepository(session)
        current = await repo.by_source(team_id, key)
        if current is None:
            return None  # deleted meanwhile
        old_text = current.text
        updated = await repo.update_fields(current, **values)
        await themes.move(session, updated, old_text=old_text)
        await hooks_events.remark_changed(services, session, updated, hooks_events.REMARK_UPDATED)
    log.info("edits: team=%s remark=%s updated from an edit", team_id, updated.id)
    return updated


async def forget_message(services: Services, *, team_id: str, channel_id: str, ts: str) -> bool:
    """Remove the remark for ``channel_id:ts``, leaving no copy of its text: the remark, its
    captures (and their notes), its pending owner alerts, and the payloads of finished
    deliveries (given-up ones may still hold the original event). False if it was no remark.

    The deletion's own delivery, and any still pending, lose their payload when they finish.
    """
    async with transaction(services.sessions) as session:
        await themes.hold(session, team_id)  # before the first write (themes.leave)
        # A watched channel's example of it (a skipped one keeps its text) goes too.
        await WatchStatsRepository(session).forget_message(team_id, channel_id, ts)
        # A backfill of the channel may hold a page read before the deletion: it checks.
        await MessageChangeRepository(session).note(team_id, channel_id, ts, deleted=True, text=None,
                                                    now=services.clock())
        repo = RemarkRepository(session)
        remark = await repo.by_source(team_id, message_key(channel_id, ts))
        if remark is None:
            return False
        await themes.leave(session, remark)
        await repo.delete(team_id, remark.id)
        await hooks_events.remark_deleted(services, session, team_id, remark.id)
        privacy = PrivacyRepository(session)
        await privacy.drop_alerts_for(team_id, remark.id)
        await InboxRepository(session).clear_finished_bodies(team_id)
    forget_texts()
    log.info("edits: team=%s remark=%s removed: its message was deleted", team_id, remark.id)
    return True
