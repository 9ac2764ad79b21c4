"""A queue of alerts waiting to be told to one person in batches (owner alerts, customer
alerts): who has some pending, claiming a batch at most once per gap, dropping them when
the person opted out. Each queue is a table with ``team_id, owner_user_id, remark_id,
sent_at`` and a ``user_prefs`` column for the opt-out."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import UserPrefs, Workspace
from storage.repositories.upsert import affected


class AlertQueue:
    model: ClassVar[Any]  # the queue's table (an ORM class)
    # The UserPrefs column that turns it off, by name (an ORM attribute here would act as a
    # descriptor on this unmapped class).
    preference: ClassVar[str]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def owners_with_pending(self) -> list[tuple[str, str]]:
        """(team, person) with something pending, in workspaces still installed."""
        q = self.model
        rows = await self.session.execute(
            select(q.team_id, q.owner_user_id)
            .join(Workspace, Workspace.team_id == q.team_id)
            .where(q.sent_at.is_(None), Workspace.uninstalled_at.is_(None))
            .group_by(q.team_id, q.owner_user_id)
        )
        return [(t, u) for t, u in rows.all()]

    async def claim_batch(self, team_id: str, owner_user_id: str, *, now: dt.datetime,
                          gap: dt.timedelta) -> list[int]:
        """Mark the person's pending alerts sent, unless one was sent within ``gap`` (one
        statement, so two clock processes cannot both claim); the claimed remark ids."""
        q = self.model
        recent = aliased(q)
        res = await self.session.execute(
            update(q)
            .where(
                q.team_id == team_id, q.owner_user_id == owner_user_id, q.sent_at.is_(None),
                ~exists().where(recent.team_id == team_id, recent.owner_user_id == owner_user_id,
                                recent.sent_at > now - gap),
            )
            .values(sent_at=now)
            .returning(q.remark_id)
        )
        return sorted(int(r) for r in res.scalars().all())

    async def drop_pending(self, team_id: str, owner_user_id: str, *, now: dt.datetime) -> int:
        """The person turned these off: pending alerts are dropped, not sent later."""
        q = self.model
        res = await self.session.execute(
            update(q)
            .where(q.team_id == team_id, q.owner_user_id == owner_user_id, q.sent_at.is_(None))
            .values(sent_at=now)
        )
        return affected(res)

    async def wants_alerts(self, team_id: str, user_id: str) -> bool:
        value = await self.session.scalar(
            select(getattr(UserPrefs, self.preference)).where(UserPrefs.team_id == team_id, UserPrefs.user_id == user_id))
        return True if value is None else bool(value)
