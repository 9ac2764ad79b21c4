"""Owner alerts: complaints waiting to be summarised to their process owner, and the
per-person switch to turn those DMs off.

New complaints are found by querying remarks (not by hooking the capture code): any
complaint filed under a process with an owner gets one ``owner_alerts`` row per owner,
made idempotent by the unique key (team_id, remark_id, owner_user_id).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, literal, select, update

from storage.models import OwnerAlert, Process, Remark, UserPrefs, Workspace, utcnow
from storage.repositories.alert_queue import AlertQueue
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


class OwnerAlertRepository(AlertQueue):
    model = OwnerAlert
    preference = "owner_alerts"

    async def enqueue(self, *, since: dt.datetime, now: dt.datetime) -> int:
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
