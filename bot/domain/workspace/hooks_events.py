"""Outbound webhook events, written where the change happens, in its transaction.

``emit`` writes one delivery row per subscription that wants the event (the transactional
outbox): a change that rolls back leaves no delivery, one that commits cannot lose it. The
sender (``hooks_send``) posts them later. A remark's words travel in a column of their own
so a deletion or an erasure can take them out of what has not gone out yet
(``forget_text``); a deleted remark's own event carries its id only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.services import Services
from bot.domain.workspace.hooks_sign import new_msg_id
from storage.models import PING_EVENT, Improvement, Remark, WebhookSubscription
from storage.repositories import ProcessRepository
from storage.repositories.webhooks import WebhookRepository

REMARK_CREATED = "remark.created"
REMARK_UPDATED = "remark.updated"
REMARK_DELETED = "remark.deleted"
IMPROVEMENT_CREATED = "improvement.created"
IMPROVEMENT_STATUS = "improvement.status_changed"
IMPROVEMENT_SHIPPED = (
    "improvement.shipped"  # the status change to shipped, for those who want only it
)
IMPROVEMENT_VERDICT = "improvement.verdict"
DIGEST_POSTED = "digest.posted"
TEST = PING_EVENT  # `hooks out test`: a ping, through the outbox like the others

EVENTS = (
    REMARK_CREATED,
    REMARK_UPDATED,
    REMARK_DELETED,
    IMPROVEMENT_CREATED,
    IMPROVEMENT_STATUS,
    IMPROVEMENT_SHIPPED,
    IMPROVEMENT_VERDICT,
    DIGEST_POSTED,
)
ALL = "*"


def wants(sub: WebhookSubscription, event_type: str) -> bool:
    return ALL in sub.events or event_type in sub.events


async def subscriptions_at_commit(session: AsyncSession, team_id: str) -> Sequence[WebhookSubscription]:
    """The subscriptions an event written in this transaction owes, none queried when the
    workspace has none (its ``webhook_count``). Call it last in the transaction, after its
    writes and any update of the workspace row: the count is read under a share lock
    (``WebhookRepository.count_for_event``), so a webhook added by anyone before this
    transaction commits either is counted here or commits after the event.

    Every event type reads its subscriptions through here (``emit`` when not given them,
    ``remark_changed``, ``improvement_status``; the capture paths and the verdict pass the
    result on): one way, so none has a window in which a new webhook misses its event."""
    repo = WebhookRepository(session)
    return await repo.subscribed(team_id) if await repo.count_for_event(team_id) > 0 else ()


def _stamp(at: dt.datetime | None) -> str | None:
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if at else None


async def emit(
    services: Services,
    session: AsyncSession,
    team_id: str,
    event_type: str,
    data: dict[str, Any],
    *,
    order_key: str,
    once: bool = False,
    text: str | None = None,
    remark_id: int | None = None,
    subs: Sequence[WebhookSubscription] | None = None,
) -> int:
    """Owe ``event_type`` with ``data`` to every subscription of ``team_id`` that wants it, in
    the caller's transaction; returns how many. ``once``: at most one such event per
    subscription and ``order_key`` (created, verdict); else each call is a new event.
    ``subs``: only as ``subscriptions_at_commit`` gave them in this transaction."""
    repo = WebhookRepository(session)
    if subs is None:
        subs = await subscriptions_at_commit(session, team_id)
    wanting = [s for s in subs if wants(s, event_type)]
    if not wanting:
        return 0
    now = services.clock()
    msg_id = new_msg_id()
    give_up = now + dt.timedelta(hours=services.settings.webhooks_give_up_hours)
    key = f"{event_type}:{order_key}" if once else f"{event_type}:{order_key}:{msg_id}"
    encoded = json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)
    await repo.enqueue(
        [
            {
                "team_id": team_id,
                "subscription_id": s.id,
                "msg_id": msg_id,
                "event_type": event_type,
                "event_key": key[:160],
                "order_key": order_key[:64],
                "remark_id": remark_id,
                "data": encoded,
                "text": text,
                "created_at": now,
                "attempts": 0,
                "next_at": now,
                "give_up_at": give_up,
            }
            for s in wanting
        ]
    )
    # A paused subscription's events wait for `resume`, but not without end.
    for s in wanting:
        if s.paused_at is not None:
            await repo.trim(s.id, keep=services.settings.webhooks_paused_keep, now=now)
    return len(wanting)


async def remark_data(session: AsyncSession, remark: Remark) -> dict[str, Any]:
    """What a remark event says about it, without its words (they travel apart)."""
    process = None
    if remark.process_id is not None:
        name = await ProcessRepository(session).name_of(remark.team_id, remark.process_id)
        process = {"id": remark.process_id, "name": name}
    return {
        "remark": {
            "id": remark.id,
            "process": process,
            "sentiment": remark.sentiment,
            "customer": remark.customer,
            "source": remark.source,
            "channel_id": remark.channel_id,
            "message_ts": remark.message_ts,
            "permalink": remark.permalink,
            "link": remark.link,
            "external_id": remark.external_id,
            "score": {"kind": remark.score_kind, "value": remark.score_value}
            if remark.score_kind
            else None,
            "endorsements": remark.endorsements,
            "language": remark.language,
            "said_at": _stamp(remark.said_at),
            "created_at": _stamp(remark.created_at),
            "text_expired": remark.text_expired_at is not None,
        }
    }


async def remark_changed(
    services: Services,
    session: AsyncSession,
    remark: Remark,
    event_type: str,
    subs: Sequence[WebhookSubscription] | None = None,
) -> int:
    """``remark.created`` or ``remark.updated`` for ``remark`` (with its words, if it has any).
    ``subs``: the workspace's subscriptions (``subscriptions_at_commit``), when the caller
    read them once for many remarks."""
    if subs is None:
        subs = await subscriptions_at_commit(session, remark.team_id)
    if not any(wants(s, event_type) for s in subs):
        return 0
    return await emit(
        services,
        session,
        remark.team_id,
        event_type,
        await remark_data(session, remark),
        order_key=f"remark:{remark.id}",
        once=event_type == REMARK_CREATED,
        text=remark.text or None,
        remark_id=remark.id,
        subs=subs,
    )


async def remark_deleted(
    services: Services,
    session: AsyncSession,
    team_id: str,
    remark_id: int,
    *,
    merged_into: int | None = None,
) -> int:
    """``remark.deleted`` (ids only: the remark's, and the one it was merged into, if so), and
    no pending event of it keeps its words."""
    await forget_text(session, team_id, [remark_id])
    data: dict[str, Any] = {"remark": {"id": remark_id}}
    if merged_into is not None:
        data["merged_into"] = merged_into
    return await emit(
        services,
        session,
        team_id,
        REMARK_DELETED,
        data,
        order_key=f"remark:{remark_id}",
        once=True,
        remark_id=remark_id,
    )


async def forget_text(session: AsyncSession, team_id: str, remark_ids: Sequence[int]) -> int:
    return await WebhookRepository(session).drop_text(team_id, list(remark_ids))


def improvement_data(imp: Improvement) -> dict[str, Any]:
    return {
        "improvement": {
            "id": imp.id,
            "title": imp.title,
            "status": imp.status,
            "process_id": imp.process_id,
            "owner_user_id": imp.owner_user_id,
            "proposed_by": imp.proposed_by,
            "link": imp.link,
            "shipped_at": _stamp(imp.shipped_at),
            "created_at": _stamp(imp.created_at),
        }
    }


async def improvement_created(services: Services, session: AsyncSession, imp: Improvement) -> int:
    return await emit(
        services,
        session,
        imp.team_id,
        IMPROVEMENT_CREATED,
        improvement_data(imp),
        order_key=f"improvement:{imp.id}",
        once=True,
    )


async def improvement_status(
    services: Services, session: AsyncSession, imp: Improvement, *, previous: str, by: str
) -> int:
    data = {**improvement_data(imp), "previous_status": previous, "changed_by": by}
    subs = await subscriptions_at_commit(session, imp.team_id)
    n = await emit(
        services,
        session,
        imp.team_id,
        IMPROVEMENT_STATUS,
        data,
        order_key=f"improvement:{imp.id}",
        subs=subs,
    )
    if imp.status == "shipped":
        n += await emit(
            services,
            session,
            imp.team_id,
            IMPROVEMENT_SHIPPED,
            data,
            order_key=f"improvement:{imp.id}",
            subs=subs,
        )
    return n
