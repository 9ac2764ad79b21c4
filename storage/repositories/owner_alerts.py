"""Owner alerts: complaints waiting to be summarised to their process owner, and the
per-person switch to turn those DMs off.

New complaints are found by querying remarks (not by hooking the capture code): any
complaint filed under a process with an owner gets one ``owner_alerts`` row per owner,
made idempotent by the unique key (team_id, remark_id, owner_user_id).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, exists, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import OwnerAlert, Process, Remark, UserPrefs, Workspace, utcnow
from storage.repositories.upsert import affected, insert_ignore


@dataclass(frozen=True)
class AlertItem:
    remark_id: int
    process_id: int
    process_name: str
    text: str
    customer: str | None
    author_user_id: str | None
    permalink: str | None


class OwnerAlertRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue_new_complaints(self, *, since: dt.datetime, now: dt.datetime) -> int:
        """Queue complaints changed since ``since`` on owned processes (all workspaces)."""
        created = literal(now, OwnerAlert.__table__.c.created_at.type)
        source = (
            select(Remark.team_id, Process.owner_user_id, Process.id, Remark.id, created)
            .join(Process, and_(Process.id == Remark.process_id, Process.team_id == Remark.team_id))
            .join(Workspace, Workspace.team_id == Remark.team_id)
            .where(
                Workspace.uninstalled_at.is_(None),
                Remark.sentiment == "complaint", Remark.updated_at >= since,
                Process.owner_user_id.is_not(None), Process.owner_alerts.is_(True),
                Process.archived.is_(False),
            )
        )
        stmt = insert_ignore(
            self.session, OwnerAlert.__table__, ["team_id", "remark_id", "owner_user_id"]
        ).from_select(["team_id", "owner_user_id", "process_id", "remark_id", "created_at"], source)
        res = await self.session.execute(stmt)
        return affected(res)

    async def owners_with_pending(self) -> list[tuple[str, str]]:
        rows = await self.session.execute(
            select(OwnerAlert.team_id, OwnerAlert.owner_user_id)
            .join(Workspace, Workspace.team_id == OwnerAlert.team_id)
            .where(OwnerAlert.sent_at.is_(None), Workspace.uninstalled_at.is_(None))
            .group_by(OwnerAlert.team_id, OwnerAlert.owner_user_id)
        )
        return [(t, u) for t, u in rows.all()]

    async def claim_batch(
        self, team_id: str, owner_user_id: str, *, now: dt.datetime, gap: dt.timedelta
    ) -> list[int]:
        """Mark the owner's pending alerts sent, unless one was sent within ``gap``.

        Returns the claimed remark ids (empty: nothing to send, or too soon).
        """
        recent = aliased(OwnerAlert)
        res = await self.session.execute(
            update(OwnerAlert)
            .where(
                OwnerAlert.team_id == team_id, OwnerAlert.owner_user_id == owner_user_id,
                OwnerAlert.sent_at.is_(None),
                ~exists().where(
                    recent.team_id == team_id, recent.owner_user_id == owner_user_id,
                    recent.sent_at > now - gap,
                ),
            )
            .values(sent_at=now)
            .returning(OwnerAlert.remark_id)
        )
        return sorted(int(r) for r in res.scalars().all())

    async def drop_pending(self, team_id: str, owner_user_id: str, *, now: dt.datetime) -> int:
        """Owner turned alerts off: pending alerts are dropped, not sent later."""
        res = await self.session.execute(
            update(OwnerAlert)
            .where(OwnerAlert.team_id == team_id, OwnerAlert.owner_user_id == owner_user_id,
                   OwnerAlert.sent_at.is_(None))
            .values(sent_at=now)
        )
        return affected(res)

    async def items(self, team_id: str, owner_user_id: str, remark_ids: list[int]) -> list[AlertItem]:
        """Those remarks that are still complaints on a process the person owns."""
        if not remark_ids:
            return []
        rows = await self.session.execute(
            select(Remark.id, Process.id, Process.name, Remark.text, Remark.customer,
                   Remark.author_user_id, Remark.permalink)
            .join(Process, and_(Process.id == Remark.process_id, Process.team_id == Remark.team_id))
            .join(Workspace, Workspace.team_id == Remark.team_id)
            .where(
                Workspace.uninstalled_at.is_(None),Remark.team_id == team_id, Remark.id.in_(remark_ids),
                   Remark.sentiment == "complaint", Process.owner_user_id == owner_user_id)
            .order_by(Process.name_key, Remark.said_at)
        )
        return [AlertItem(*r) for r in rows.all()]

    # Preferences -------------------------------------------------------------------------

    async def wants_alerts(self, team_id: str, user_id: str) -> bool:
        value = await self.session.scalar(
            select(UserPrefs.owner_alerts).where(UserPrefs.team_id == team_id,
                                                 UserPrefs.user_id == user_id)
        )
        return True if value is None else bool(value)

    async def set_alerts(self, team_id: str, user_id: str, *, on: bool) -> None:
        now = utcnow()
        await self.session.execute(
            insert_ignore(self.session, UserPrefs.__table__, ["team_id", "user_id"]).values(
                team_id=team_id, user_id=user_id, owner_alerts=on, updated_at=now)
        )
        await self.session.execute(
            update(UserPrefs).where(UserPrefs.team_id == team_id, UserPrefs.user_id == user_id)
            .values(owner_alerts=on, updated_at=now)
        )
