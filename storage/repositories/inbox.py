"""The durable inbox of deliveries: insert-or-ignore by natural key, lease, finish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery, utcnow
from storage.repositories.upsert import affected, insert_for, insert_ignore

MAX_ATTEMPTS = 5


class InboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_many(self, rows: Sequence[dict[str, Any]]) -> set[tuple[str, str]]:
        """Store deliveries; a key seen before (a Slack retry) is skipped.

        Returns the (team_id, delivery_key) pairs that were new.
        """
        if not rows:
            return set()
        # executemany (not one VALUES list per batch size) keeps the compiled statement
        # cached; SQLAlchemy batches it into multi-row INSERTs ("insertmanyvalues").
        res = await self.session.execute(
            insert_ignore(self.session, Delivery.__table__, ["team_id", "delivery_key"])
            .returning(Delivery.team_id, Delivery.delivery_key),
            list(rows),
        )
        return {(t, k) for t, k in res.all()}

    async def add_fresh(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store deliveries whose keys are new by construction (a fresh random id each, as
        the intake API's acknowledged remarks): a plain executemany, no conflict clause and
        nothing read back, the cheapest insert each driver has."""
        if rows:
            await self.session.execute(insert_for(self.session, Delivery.__table__), list(rows))

    async def get(self, team_id: str, delivery_key: str) -> Delivery | None:
        return await self.session.scalar(
            select(Delivery).where(Delivery.team_id == team_id, Delivery.delivery_key == delivery_key)
        )

    async def lease_pending(self, *, limit: int, lease: dt.timedelta,
                            skip_kind: str | None = None) -> list[Delivery]:
        """Claim up to ``limit`` unfinished deliveries whose lease is free or expired (none
        of kind ``skip_kind``, when given: those wait for a later pass).

        The outer WHERE repeats the lease test so that, on PostgreSQL, two processes that
        picked the same ids cannot both win the row (the second re-checks after the lock).
        """
        now = utcnow()
        free = or_(Delivery.lease_until.is_(None), Delivery.lease_until < now)
        if skip_kind is not None:
            free = and_(free, Delivery.kind != skip_kind)
        ids = (
            select(Delivery.id)
            .where(Delivery.done_at.is_(None), free)
            .order_by(Delivery.id)
            .limit(limit)
            .scalar_subquery()
        )
        res = await self.session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.done_at.is_(None), free)
            .values(lease_until=now + lease, attempts=Delivery.attempts + 1)
            .returning(Delivery)
            .execution_options(synchronize_session=False)
        )
        return sorted(res.scalars().all(), key=lambda d: d.id)

    async def arrivals(self, kind: str) -> tuple[tuple[int, dt.datetime], tuple[int, dt.datetime]] | None:
        """The (id, received_at) of the oldest never-leased unfinished delivery of ``kind``
        and of the newest unfinished one, or None when none waits. Two walks of the pending
        index (done_at, id), one from each end, stopping at the first row of ``kind``."""
        pending = (Delivery.done_at.is_(None), Delivery.kind == kind)
        oldest = (await self.session.execute(
            select(Delivery.id, Delivery.received_at).where(*pending, Delivery.attempts == 0)
            .order_by(Delivery.done_at, Delivery.id).limit(1))).first()
        if oldest is None:
            return None
        newest = (await self.session.execute(
            select(Delivery.id, Delivery.received_at).where(*pending)
            .order_by(Delivery.done_at.desc(), Delivery.id.desc()).limit(1))).first()
        if newest is None:
            return None
        return (oldest[0], oldest[1]), (newest[0], newest[1])

    async def lease(self, delivery_id: int, *, lease: dt.timedelta) -> None:
        await self.session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(lease_until=utcnow() + lease, attempts=Delivery.attempts + 1)
        )

    async def renew(self, delivery_ids: Sequence[int], *, until: dt.datetime) -> None:
        """Keep the leases of deliveries still being worked on, so no other process takes
        over a live run; only a dead process's leases run out."""
        if delivery_ids:
            await self.session.execute(
                update(Delivery)
                .where(Delivery.id.in_(list(delivery_ids)), Delivery.done_at.is_(None))
                .values(lease_until=until)
            )

    async def release(self, delivery_ids: Sequence[int]) -> None:
        """Hand back leased deliveries that were never started (a stopping process): free
        at once for the next process, and the lease does not count as an attempt."""
        if delivery_ids:
            await self.session.execute(
                update(Delivery)
                .where(Delivery.id.in_(list(delivery_ids)), Delivery.done_at.is_(None))
                .values(lease_until=None, attempts=Delivery.attempts - 1)
            )

    async def finish(self, delivery_id: int, *, error: str | None = None) -> None:
        """Mark a delivery done. A handled one loses its payload in the same update (only
        its key and state stay, for deduplication); one given up on after failures keeps it
        for diagnosis until ``prune`` deletes the row (two days after), or until a deletion
        in Slack clears it (``clear_finished_bodies``)."""
        values: dict[str, Any] = {"done_at": utcnow(), "lease_until": None,
                                  "last_error": None if error is None else storable_error(error)}
        if error is None:
            values["body"] = ""
        await self.session.execute(update(Delivery).where(Delivery.id == delivery_id).values(**values))

    async def finish_many(self, delivery_ids: Sequence[int]) -> None:
        if delivery_ids:
            await self.session.execute(
                update(Delivery)
                .where(Delivery.id.in_(list(delivery_ids)))
                .values(done_at=utcnow(), lease_until=None, last_error=None, body="")
            )

    async def fail(self, delivery_id: int, *, error: str, retry_in: dt.timedelta) -> None:
        """Record a failed attempt; it is tried again once ``retry_in`` has passed."""
        await self.session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(lease_until=utcnow() + retry_in, last_error=storable_error(error))
        )

    async def defer(self, delivery_id: int, *, until: dt.datetime) -> None:
        """Run the delivery again at ``until`` (a rate slot): not a failed attempt, so a
        delivery waiting its turn is never given up for having waited."""
        await self.session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.done_at.is_(None))
            .values(lease_until=until, attempts=func.max(Delivery.attempts - 1, 0)
                    if self.session.bind and self.session.bind.dialect.name == "sqlite"
                    else func.greatest(Delivery.attempts - 1, 0),
                    last_error=f"waiting for a Slack rate slot until {until.isoformat()}")
        )

    async def pending_count(self) -> int:

        return int(
            await self.session.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.done_at.is_(None))
            )
            or 0
        )

    async def untouched_since(self, cutoff: dt.datetime) -> int:
        """Deliveries received before ``cutoff`` that no worker has tried yet (a sign that
        none is running). One handed back for its rate slot (``defer``: no attempt counted,
        the reason noted) was tried."""
        return int(await self.session.scalar(
            select(func.count()).select_from(Delivery)
            .where(Delivery.done_at.is_(None), Delivery.attempts == 0, Delivery.last_error.is_(None),
                   Delivery.received_at < cutoff)
        ) or 0)

    async def prune(self, *, older_than: dt.datetime) -> int:
        """Forget finished deliveries once Slack can no longer retry them."""
        res = await self.session.execute(
            delete(Delivery).where(Delivery.done_at.is_not(None), Delivery.done_at < older_than)
        )
        return affected(res)

    async def clear_finished_bodies(self, team_id: str | None = None) -> int:
        """Drop the payload of every finished delivery (given-up ones included)."""
        cond = [Delivery.done_at.is_not(None), Delivery.body != ""]
        if team_id is not None:
            cond.append(Delivery.team_id == team_id)
        res = await self.session.execute(update(Delivery).where(*cond).values(body=""))
        return affected(res)

    async def finish_pending_for_team(self, team_id: str, *, reason: str) -> int:
        """Finish a workspace's unfinished deliveries without running them (uninstalled)."""
        res = await self.session.execute(
            update(Delivery)
            .where(Delivery.team_id == team_id, Delivery.done_at.is_(None))
            .values(done_at=utcnow(), lease_until=None, last_error=reason, body="")
        )
        return affected(res)



def storable_error(error: str) -> str:
    """An error message that any database takes (no lone surrogates, no NUL), shortened."""
    return error[:2000].encode("utf-8", "replace").decode("utf-8").replace("\x00", "?")
