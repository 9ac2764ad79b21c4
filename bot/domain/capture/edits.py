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
from bot.domain.capture.scores import tone
from bot.domain.filing import themes
from bot.domain.privacy.redact import redact
from bot.domain.services import Services
from bot.domain.workspace import hooks_events
from bot.slack.app_post import Rating
from bot.slack.text import MAX_TEXT
from storage.db import transaction
from storage.models import Remark
from storage.repositories import InboxRepository, PrivacyRepository, RemarkRepository
from storage.repositories.sources import MessageChangeRepository, WatchStatsRepository

log = logging.getLogger(__name__)


async def apply_edit(
    services: Services, *, team_id: str, channel_id: str, ts: str, text: str,
    score: Rating | None = None,
) -> Remark | None:
    """Update the remark for ``channel_id:ts`` to ``text`` (and ``score``, the one another
    app's edited post carries); None if it is not a remark or nothing changed (an unfurl or
    attachment added, the same words)."""
    text = text[:MAX_TEXT]
    if not text.strip():
        return None  # the words were removed but the message stays (a file remains): keep ours
    async with transaction(services.sessions) as session:
        # A backfill of the channel may hold a page read before the edit: it applies it.
        await MessageChangeRepository(session).note(
            team_id, channel_id, ts, deleted=False, now=services.clock(),
            text=redact(text, services.settings.redact_kinds) if services.settings.redact_kinds else text)
    return await apply_text(services, team_id=team_id, key=message_key(channel_id, ts), text=text,
                            score=score)


def changed_text(remark: Remark, text: str) -> bool:
    """Whether ``text`` sent again for a known remark would change its words (a remark whose
    text was dropped keeps none)."""
    return remark.text != text and remark.text_expired_at is None


def changed_score(remark: Remark, score: Rating | None) -> bool:
    """Whether ``score`` sent again for a known remark is not the one it has (no score sent
    keeps the one it has)."""
    return score is not None and (remark.score_kind, remark.score_value) != (score.kind, score.value)


async def apply_text(services: Services, *, team_id: str, key: str, text: str,
                     score: Rating | None = None) -> Remark | None:
    """Update the remark known by ``key`` to ``text`` (an edit in Slack, a changed text sent
    again to the API or an import) and to ``score`` when one is given (an app's edited post,
    the API's or an import's row sent again); None if there is none or nothing changed.
    The tone follows the score the remark then has (scores.tone), as on its first filing;
    the classifier reads the words only where the score says nothing clear."""
    if services.settings.redact_kinds:
        text = redact(text, services.settings.redact_kinds)
    async with services.sessions() as session:
        remark = await RemarkRepository(session).by_source(team_id, key)
    if remark is None:
        return None
    new_score = changed_score(remark, score)
    # Its text was dropped (retention or erasure): an edit does not bring it back.
    new_text = changed_text(remark, text)
    if not new_text and not new_score:
        return None
    values: dict[str, Any] = {"text": text} if new_text else {}
    kind, value = (score.kind, score.value) if score is not None else (remark.score_kind, remark.score_value)
    if new_score:
        values.update(score_kind=kind, score_value=value)
    told = tone(kind, value) if kind is not None and value is not None else None
    # A person's decision wins: only what was decided automatically is re-decided.
    if remark.text_expired_at is not None:
        if remark.sentiment_decided_by is None and told is not None:
            values["sentiment"] = told  # no words left to read: the new score alone
    elif remark.process_decided_by is None or remark.sentiment_decided_by is None:
        result = await services.filing.classify(team_id, text if new_text else remark.text)
        values.update(classified_at=services.clock(), language=result.language)
        if remark.process_decided_by is None and new_text:
            routed = result.routing.process_key
            values.update(process_id=int(routed) if routed else None,
                          process_confidence=result.routing.confidence)
        if remark.sentiment_decided_by is None:
            values.update(sentiment=told or result.sentiment.label,
                          sentiment_score=result.sentiment.score)
    async with transaction(services.sessions) as session:
        await themes.hold(session, team_id)  # before the remark changes (themes.move)
        repo = RemarkRepository(session)
        current = await repo.by_source(team_id, key)
        if current is None:
            return None  # deleted meanwhile
        old_text = current.text
        updated = await repo.update_fields(current, **values)
        if new_text:
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
