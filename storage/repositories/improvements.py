"""Improvements: the records, their status history, the remarks they address, the counts
the before/after check needs, and the claims on telling the people who raised them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Table, and_, case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Base,
    Capture,
    Improvement,
    ImprovementNotice,
    ImprovementRemark,
    ImprovementStatusChange,
    Process,
    Remark,
    UserPrefs,
    utcnow,
)
from storage.repositories.upsert import affected, insert_ignore

OPEN_STATUSES = ("planned", "in_progress")


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table



@dataclass(frozen=True)
class WindowCounts:
    total: int  # every remark in the workspace
    complaints: int  # complaints on the process
    praise: int  # praise on the process


@dataclass(frozen=True)
class Recipient:
    user_id: str
    remarks: list[Remark]


class ImprovementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Records -----------------------------------------------------------------------------

    async def create(self, team_id: str, *, process_id: int, title: str, description: str,
                     owner_user_id: str | None, proposed_by: str, link: str | None,
                     remark_ids: Sequence[int], at: dt.datetime) -> Improvement:
        imp = Improvement(team_id=team_id, process_id=process_id, title=title,
                          description=description, owner_user_id=owner_user_id,
                          proposed_by=proposed_by, link=link, status="planned",
                          created_at=at, updated_at=at)
        self.session.add(imp)
        await self.session.flush()
        self.session.add(ImprovementStatusChange(team_id=team_id, improvement_id=imp.id,
                                                 status="planned", by_user_id=proposed_by, at=at))
        await self.set_remarks(team_id, imp.id, remark_ids, by=proposed_by, at=at)
        return imp

    async def get(self, team_id: str, improvement_id: int, *, for_update: bool = False) -> Improvement | None:
        stmt = select(Improvement).where(Improvement.team_id == team_id, Improvement.id == improvement_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt.execution_options(populate_existing=True))).first()

    async def update(self, team_id: str, improvement_id: int, **values: object) -> None:
        await self.session.execute(
            update(Improvement).where(Improvement.team_id == team_id, Improvement.id == improvement_id)
            .values(**values, updated_at=utcnow()))

    async def set_status(self, team_id: str, improvement_id: int, status: str, *, by: str,
                         at: dt.datetime, from_statuses: Sequence[str] = OPEN_STATUSES) -> bool:
        """Move to ``status`` from one of ``from_statuses`` (recorded in the history); False if
        it was not in one of those any more (a concurrent click, say): nothing changes then."""
        values: dict[str, object] = {"status": status, "updated_at": at}
        if status == "shipped":
            values["shipped_at"] = at
        res = await self.session.execute(
            update(Improvement)
            .where(Improvement.team_id == team_id, Improvement.id == improvement_id,
                   Improvement.status != status, Improvement.status.in_(list(from_statuses)))
            .values(**values))
        if not affected(res):
            return False
        self.session.add(ImprovementStatusChange(team_id=team_id, improvement_id=improvement_id,
                                                 status=status, by_user_id=by, at=at))
        await self.session.flush()
        return True

    async def history(self, team_id: str, improvement_id: int) -> list[ImprovementStatusChange]:
        rows = await self.session.scalars(
            select(ImprovementStatusChange)
            .where(ImprovementStatusChange.team_id == team_id,
                   ImprovementStatusChange.improvement_id == improvement_id)
            .order_by(ImprovementStatusChange.at, ImprovementStatusChange.id))
        return list(rows.all())

    async def listed(self, team_id: str, *, shipped_since: dt.datetime,
                     user_id: str | None = None) -> list[tuple[Improvement, str, str | None]]:
        """Open improvements and those shipped since ``shipped_since``, with process name and
        owner; only the ones ``user_id`` owns (or whose process they own) if given."""
        stmt = (
            select(Improvement, Process.name, Process.owner_user_id)
            .join(Process, Process.id == Improvement.process_id)
            .where(Improvement.team_id == team_id,
                   or_(Improvement.status.in_(OPEN_STATUSES),
                       and_(Improvement.status == "shipped", Improvement.shipped_at >= shipped_since)))
            # Under way first (in progress, then planned), then the shipped ones, newest first.
            .order_by(case((Improvement.status == "in_progress", 0), (Improvement.status == "planned", 1),
                           else_=2),
                      Improvement.updated_at.desc(), Improvement.id.desc())
        )
        if user_id is not None:
            stmt = stmt.where(or_(Improvement.owner_user_id == user_id, Process.owner_user_id == user_id))
        rows = await self.session.execute(stmt.limit(50))
        return [(imp, name, owner) for imp, name, owner in rows.all()]

    async def every(self, team_id: str) -> list[tuple[Improvement, str, int]]:
        """Every improvement of the workspace with its process name and remarks count, newest first."""
        count = (select(func.count(ImprovementRemark.remark_id))
                 .where(ImprovementRemark.improvement_id == Improvement.id).scalar_subquery())
        rows = await self.session.execute(
            select(Improvement, Process.name, count)
            .join(Process, Process.id == Improvement.process_id)
            .where(Improvement.team_id == team_id)
            .order_by(Improvement.created_at.desc(), Improvement.id.desc()))
        return [(imp, name, int(n or 0)) for imp, name, n in rows.all()]

    async def shipped_since(self, team_id: str, since: dt.datetime, until: dt.datetime) -> list[Improvement]:
        rows = await self.session.scalars(
            select(Improvement)
            .where(Improvement.team_id == team_id, Improvement.status == "shipped",
                   Improvement.shipped_at >= since, Improvement.shipped_at < until)
            .order_by(Improvement.shipped_at.desc()).limit(10))
        return list(rows.all())

    async def recently_shipped(self, since: dt.datetime) -> list[tuple[Improvement, str]]:
        """(improvement, who shipped it) for improvements shipped since ``since``, all teams."""
        rows = await self.session.execute(
            select(Improvement, ImprovementStatusChange.by_user_id)
            .join(ImprovementStatusChange, and_(ImprovementStatusChange.improvement_id == Improvement.id,
                                                ImprovementStatusChange.status == "shipped"))
            .where(Improvement.status == "shipped", Improvement.shipped_at >= since)
            .order_by(Improvement.shipped_at))
        return [(imp, str(u)) for imp, u in rows.all()]

    async def by_link(self, team_id: str, link: str) -> list[Improvement]:
        rows = await self.session.scalars(
            select(Improvement).where(Improvement.team_id == team_id, Improvement.link == link))
        return list(rows.all())

    # Remarks -----------------------------------------------------------------------------

    async def set_remarks(self, team_id: str, improvement_id: int, remark_ids: Sequence[int], *,
                          by: str, at: dt.datetime) -> None:
        """The improvement addresses exactly ``remark_ids`` (of this workspace) from now on."""
        wanted = sorted(set(remark_ids))
        await self.session.execute(
            delete(ImprovementRemark).where(ImprovementRemark.improvement_id == improvement_id,
                                            ImprovementRemark.remark_id.not_in(wanted)))
        if not wanted:
            return
        valid = (await self.session.scalars(
            select(Remark.id).where(Remark.team_id == team_id, Remark.id.in_(wanted)))).all()
        if valid:
            await self.session.execute(
                insert_ignore(self.session, _table(ImprovementRemark), ["improvement_id", "remark_id"])
                .values([{"improvement_id": improvement_id, "remark_id": r, "team_id": team_id,
                          "added_by": by, "added_at": at} for r in valid]))

    async def processes_of(self, team_id: str, remark_ids: Sequence[int]) -> dict[int, int | None]:
        """remark id -> the process it is filed under, for those of ``remark_ids`` that exist."""
        rows = await self.session.execute(
            select(Remark.id, Remark.process_id).where(Remark.team_id == team_id,
                                                       Remark.id.in_(sorted(set(remark_ids)))))
        return {rid: pid for rid, pid in rows.all()}

    async def remarks(self, team_id: str, improvement_id: int) -> list[Remark]:
        rows = await self.session.scalars(
            select(Remark).join(ImprovementRemark, ImprovementRemark.remark_id == Remark.id)
            .where(ImprovementRemark.improvement_id == improvement_id, Remark.team_id == team_id)
            .order_by(Remark.endorsements.desc(), Remark.said_at.desc()))
        return list(rows.all())

    async def candidates(self, team_id: str, process_id: int, *, since: dt.datetime,
                         limit: int) -> list[Remark]:
        """The process's recent complaints, most telling first: most captures, then newest."""
        rows = await self.session.scalars(
            select(Remark)
            .where(Remark.team_id == team_id, Remark.process_id == process_id,
                   Remark.sentiment == "complaint", Remark.said_at >= since)
            .order_by(Remark.endorsements.desc(), Remark.said_at.desc(), Remark.id.desc())
            .limit(limit))
        return list(rows.all())

    # The before/after check --------------------------------------------------------------

    async def window_counts(self, team_id: str, process_id: int, start: dt.datetime,
                            end: dt.datetime) -> WindowCounts:
        on_process = Remark.process_id == process_id
        row = (await self.session.execute(
            select(func.count(Remark.id),
                   func.coalesce(func.sum(case((and_(on_process, Remark.sentiment == "complaint"), 1),
                                               else_=0)), 0),
                   func.coalesce(func.sum(case((and_(on_process, Remark.sentiment == "praise"), 1),
                                               else_=0)), 0))
            .where(Remark.team_id == team_id, Remark.said_at >= start, Remark.said_at < end))).one()
        return WindowCounts(int(row[0]), int(row[1]), int(row[2]))

    # Telling the people who raised it ----------------------------------------------------

    async def recipients(self, team_id: str, improvement_id: int) -> list[Recipient]:
        """Everyone who captured or endorsed an addressed remark, with those remarks.

        A watched channel's captures are recorded under the channel's id, not a person's:
        they are left out, or the "it shipped" DM would be posted into that channel (in a
        Slack Connect channel, in front of the customer)."""
        rows = await self.session.execute(
            select(Capture.user_id, Remark)
            .join(Remark, and_(Remark.id == Capture.remark_id, Remark.team_id == Capture.team_id))
            .join(ImprovementRemark, ImprovementRemark.remark_id == Remark.id)
            .where(ImprovementRemark.improvement_id == improvement_id, Capture.team_id == team_id,
                   # nor the API's and imports' captures (api:<token name>, import): no one to tell
                   Capture.route.not_in(("watch", "api", "import")))
            .order_by(Capture.user_id, Remark.said_at))
        out: dict[str, list[Remark]] = {}
        for user_id, remark in rows.all():
            mine = out.setdefault(user_id, [])
            if remark not in mine:
                mine.append(remark)
        return [Recipient(u, rs) for u, rs in out.items()]

    async def claim_notice(self, team_id: str, improvement_id: int, user_id: str, status: str, *,
                           at: dt.datetime) -> bool:
        """Claim the one message to ``user_id`` about this status; False if already claimed."""
        res = await self.session.execute(
            insert_ignore(self.session, _table(ImprovementNotice),
                          ["improvement_id", "user_id", "status"])
            .values(team_id=team_id, improvement_id=improvement_id, user_id=user_id, status=status,
                    claimed_at=at))
        return bool(affected(res))

    async def notice_sent(self, improvement_id: int, user_id: str, status: str, *, at: dt.datetime) -> None:
        await self.session.execute(
            update(ImprovementNotice)
            .where(ImprovementNotice.improvement_id == improvement_id,
                   ImprovementNotice.user_id == user_id, ImprovementNotice.status == status)
            .values(sent_at=at))

    async def notice_failed(self, improvement_id: int, user_id: str, status: str, *, error: str) -> None:
        """Record why a claimed message was not delivered (it is not retried: at most once)."""
        await self.session.execute(
            update(ImprovementNotice)
            .where(ImprovementNotice.improvement_id == improvement_id,
                   ImprovementNotice.user_id == user_id, ImprovementNotice.status == status)
            .values(error=error[:500]))

    async def notices(self, improvement_id: int) -> list[ImprovementNotice]:
        rows = await self.session.scalars(
            select(ImprovementNotice).where(ImprovementNotice.improvement_id == improvement_id)
            .order_by(ImprovementNotice.id))
        return list(rows.all())

    async def wants_updates(self, team_id: str, user_id: str) -> bool:
        value = await self.session.scalar(
            select(UserPrefs.improvement_updates).where(UserPrefs.team_id == team_id,
                                                        UserPrefs.user_id == user_id))
        return True if value is None else bool(value)

    async def set_updates(self, team_id: str, user_id: str, *, on: bool) -> None:
        now = utcnow()
        await self.session.execute(
            insert_ignore(self.session, _table(UserPrefs), ["team_id", "user_id"]).values(
                team_id=team_id, user_id=user_id, improvement_updates=on, updated_at=now))
        await self.session.execute(
            update(UserPrefs).where(UserPrefs.team_id == team_id, UserPrefs.user_id == user_id)
            .values(improvement_updates=on, updated_at=now))
