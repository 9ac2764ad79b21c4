"""Outbound webhooks: subscriptions, and the deliveries owed to them (claimed with a lease,
in order per ``order_key``, deleted once done)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import PING_EVENT, WebhookDelivery, WebhookSubscription, Workspace
from storage.repositories.upsert import affected, insert_ignore

D = WebhookDelivery
S = WebhookSubscription


class WebhookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Subscriptions --------------------------------------------------------------------------

    async def add(
        self, team_id: str, *, url: str, events: list[str], secret: str, by: str, at: dt.datetime
    ) -> WebhookSubscription | None:
        """The new subscription; None when the URL is subscribed already."""
        res = await self.session.execute(
            insert_ignore(self.session, S.__table__, ["team_id", "url"]).values(
                team_id=team_id,
                url=url,
                events=events,
                secret=secret,
                created_by=by[:64],
                created_at=at,
                failures=0,
            )
        )
        if not affected(res):
            return None
        await self._count(team_id, +1)
        return await self.by_url(team_id, url)

    async def _count(self, team_id: str, by: int) -> None:
        # An increment, not a recount: concurrent adds and removes each move it by one.
        await self.session.execute(
            update(Workspace)
            .where(Workspace.team_id == team_id)
            .values(webhook_count=Workspace.webhook_count + by)
        )

    async def listed(self, team_id: str) -> list[WebhookSubscription]:
        return list(
            (await self.session.scalars(select(S).where(S.team_id == team_id).order_by(S.id))).all()
        )

    async def get(self, team_id: str, sub_id: int) -> WebhookSubscription | None:
        return (
            await self.session.scalars(
                select(S)
                .where(S.team_id == team_id, S.id == sub_id)
                .execution_options(populate_existing=True)
            )
        ).first()

    async def by_url(self, team_id: str, url: str) -> WebhookSubscription | None:
        return (
            await self.session.scalars(
                select(S)
                .where(S.team_id == team_id, S.url == url)
                .execution_options(populate_existing=True)
            )
        ).first()

    async def remove(self, team_id: str, sub_id: int) -> bool:
        await self.session.execute(
            delete(D).where(D.team_id == team_id, D.subscription_id == sub_id)
        )
        gone = bool(
            affected(
                await self.session.execute(delete(S).where(S.team_id == team_id, S.id == sub_id))
            )
        )
        if gone:
            await self._count(team_id, -1)
        return gone

    async def rotate(
        self, team_id: str, sub_id: int, *, secret: str, previous: str, until: dt.datetime
    ) -> bool:
        """A new secret; ``previous`` (the one it replaces) signs beside it until ``until``.
        False if the secret is no longer ``previous`` (another rotation won the race)."""
        res = await self.session.execute(
            update(S)
            .where(S.team_id == team_id, S.id == sub_id, S.secret == previous)
            .values(secret=secret, previous_secret=previous, previous_until=until)
        )
        return bool(affected(res))

    async def pending(self, team_id: str) -> dict[int, int]:
        """Deliveries not yet taken, per subscription."""
        rows = await self.session.execute(
            select(D.subscription_id, func.count())
            .where(D.team_id == team_id)
            .group_by(D.subscription_id)
        )
        return {int(s): int(n) for s, n in rows.all()}

    async def succeeded(self, sub_id: int, *, at: dt.datetime) -> None:
        await self.session.execute(
            update(S).where(S.id == sub_id).values(failures=0, last_success_at=at, last_error=None)
        )

    async def failed(self, sub_id: int, *, error: str, pause_after: int, at: dt.datetime) -> bool:
        """Count a failed attempt; True when this one paused the subscription (only one
        caller ever gets True for a pause, so its creator is told once)."""
        await self.session.execute(
            update(S).where(S.id == sub_id).values(failures=S.failures + 1, last_error=error[:255])
        )
        res = await self.session.execute(
            update(S)
            .where(S.id == sub_id, S.paused_at.is_(None), S.failures >= pause_after)
            .values(
                paused_at=at,
                pause_reason=f"{pause_after} failed attempts in a row; last: {error}"[:255],
                dropped=0,
            )
        )
        return bool(affected(res))

    async def hold(self, sub_id: int) -> None:
        """Lock a subscription row for the rest of the transaction."""
        await self.session.execute(select(S.id).where(S.id == sub_id).with_for_update())

    async def resume(
        self, team_id: str, sub_id: int, *, now: dt.datetime, give_up_at: dt.datetime
    ) -> None:
        """Unpause; what waited is due now and has its full retry window again.

        Its deliveries are locked (by id) before the subscription row, the order the sender
        takes them in; the other order deadlocked on PostgreSQL. (A paused subscription has
        no sender; its caller holds the row first, as an event that trims its queue does.)"""
        mine = (D.team_id == team_id, D.subscription_id == sub_id)
        await self.session.execute(select(D.id).where(*mine).order_by(D.id).with_for_update())
        await self.session.execute(
            update(D).where(*mine).values(next_at=now, give_up_at=give_up_at, attempts=0)
        )
        await self.session.execute(
            update(S)
            .where(S.team_id == team_id, S.id == sub_id)
            .values(paused_at=None, pause_reason=None, failures=0)
        )

    async def trim(self, sub_id: int, *, keep: int, now: dt.datetime) -> int:
        """Drop a paused subscription's events past the newest ``keep`` and those already past
        their give-up time (pings excepted); count them in ``dropped``. Returns how many."""
        mine = (D.subscription_id == sub_id, D.event_type != PING_EVENT)
        cutoff = await self.session.scalar(
            select(D.id).where(*mine).order_by(D.id.desc()).offset(keep).limit(1)
        )
        old = D.give_up_at < now
        res = await self.session.execute(
            delete(D)
            .where(*mine, old if cutoff is None else or_(old, D.id <= cutoff))
            .execution_options(synchronize_session=False)
        )
        n = affected(res)
        if n:
            await self.session.execute(
                update(S).where(S.id == sub_id).values(dropped=S.dropped + n)
            )
        return n

    async def everywhere(self) -> list[WebhookSubscription]:
        """Every workspace's subscriptions (``earshot doctor``)."""
        return list((await self.session.scalars(select(S).order_by(S.team_id, S.id))).all())

    async def owed_since(self, before: dt.datetime | None = None) -> dict[int, int]:
        """Deliveries owed since before ``before`` (their event; None: all), per subscription."""
        rows = await self.session.execute(
            select(D.subscription_id, func.count())
            .where(*([D.created_at < before] if before is not None else []))
            .group_by(D.subscription_id)
        )
        return {int(s): int(n) for s, n in rows.all()}

    # Deliveries -----------------------------------------------------------------------------

    async def count_for_event(self, team_id: str) -> int:
        """The workspace's webhook count, read in the transaction that writes an event, late
        in it (after its writes; before nothing but the event's own rows).

        PostgreSQL: under a share lock on the workspace row. ``add`` and ``remove`` update
        that row, so one that has not committed either waits for this transaction (its
        webhook was not active when the event committed) or is waited for, and this read
        then sees its count (READ COMMITTED re-reads a row a locking read waited for).
        Concurrent events share the lock and do not wait for each other. SQLite: the
        transaction's earlier write holds the one write lock, so no add commits meanwhile."""
        count = await self.session.scalar(
            select(Workspace.webhook_count)
            .where(Workspace.team_id == team_id)
            .with_for_update(read=True)
        )
        return int(count or 0)

    async def subscribed(self, team_id: str) -> list[WebhookSubscription]:
        """The workspace's subscriptions, paused ones included (what they miss waits for them)."""
        return await self.listed(team_id)

    async def enqueue(self, rows: Sequence[dict[str, Any]]) -> None:
        """Owe these deliveries; one already owed under its (subscription, event key) is kept."""
        if rows:
            await self.session.execute(
                insert_ignore(self.session, D.__table__, ["subscription_id", "event_key"]),
                list(rows),
            )

    async def drop_text(self, team_id: str, remark_ids: Sequence[int] | Any) -> int:
        """Forget the words of these remarks in every delivery not yet sent (a deletion, an
        erasure): what goes out later carries their ids only. ``remark_ids``: ids or a subquery."""
        res = await self.session.execute(
            update(D)
            .where(D.team_id == team_id, D.remark_id.in_(remark_ids), D.text.is_not(None))
            .values(text=None)
            .execution_options(synchronize_session=False)
        )
        return affected(res)

    async def claim_due(
        self,
        *,
        now: dt.datetime,
        lease: dt.timedelta,
        owner: str,
        limit: int = 20,
        only: int | None = None,
    ) -> list[tuple[WebhookDelivery, WebhookSubscription]]:
        """Claim due deliveries of live subscriptions (pings to paused ones too) whose
        predecessors (same subscription and order key, smaller id) are gone, i.e. delivered or
        given up. ``only``: that delivery, if it is claimable."""
        earlier = aliased(D)
        blocked = (
            select(earlier.id)
            .where(
                earlier.subscription_id == D.subscription_id,
                earlier.order_key == D.order_key,
                earlier.id < D.id,
            )
            .exists()
        )
        free = or_(D.lease_until.is_(None), D.lease_until < now)
        ids = list(
            (
                await self.session.scalars(
                    select(D.id)
                    .join(S, S.id == D.subscription_id)
                    .where(
                        D.next_at <= now,
                        free,
                        or_(S.paused_at.is_(None), D.event_type == PING_EVENT),
                        ~blocked,
                        *([D.id == only] if only is not None else []),
                    )
                    .order_by(D.id)
                    .limit(limit)
                )
            ).all()
        )
        if not ids:
            return []
        # The lease condition again: of two processes claiming at once, one wins each row.
        claimed = list(
            (
                await self.session.scalars(
                    update(D)
                    .where(D.id.in_(ids), free)
                    .values(lease_owner=owner, lease_until=now + lease, attempts=D.attempts + 1)
                    .returning(D)
                    .execution_options(synchronize_session=False)
                )
            ).all()
        )
        subs = {
            s.id: s
            for s in (
                await self.session.scalars(
                    select(S).where(S.id.in_({d.subscription_id for d in claimed}))
                )
            ).all()
        }
        return sorted(
            ((d, subs[d.subscription_id]) for d in claimed if d.subscription_id in subs),
            key=lambda pair: pair[0].id,
        )

    async def by_event_key(self, sub_id: int, key: str) -> tuple[int, str] | None:
        """A delivery's id and ``webhook-id``, by its event key."""
        row = (
            await self.session.execute(
                select(D.id, D.msg_id).where(D.subscription_id == sub_id, D.event_key == key)
            )
        ).first()
        return (int(row[0]), str(row[1])) if row else None

    async def delivery(self, team_id: str, delivery_id: int) -> WebhookDelivery | None:
        return (
            await self.session.scalars(
                select(D)
                .where(D.team_id == team_id, D.id == delivery_id)
                .execution_options(populate_existing=True)
            )
        ).first()

    async def renew(self, ids: Sequence[int], *, owner: str, until: dt.datetime) -> None:
        if ids:
            await self.session.execute(
                update(D).where(D.id.in_(ids), D.lease_owner == owner).values(lease_until=until)
            )

    async def finish(self, delivery_id: int, *, owner: str) -> bool:
        """Forget a delivery that went out (or was given up); False if it was not ours any more."""
        return bool(
            affected(
                await self.session.execute(
                    delete(D).where(D.id == delivery_id, D.lease_owner == owner)
                )
            )
        )

    async def retry_later(
        self, delivery_id: int, *, owner: str, at: dt.datetime, error: str
    ) -> None:
        await self.session.execute(
            update(D)
            .where(D.id == delivery_id, D.lease_owner == owner)
            .values(next_at=at, lease_until=None, lease_owner=None, last_error=error[:255])
        )
