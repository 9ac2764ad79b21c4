"""The read API's queries (``GET /api/v1/...``): keyset pages of a workspace's remarks,
themes, improvements and customers. Every query is bound to ``team_id``; pages are read
by ``(said_at, id)`` for remarks and ``id`` for the lists, so a page costs an index range
scan however deep it is, and rows that arrive meanwhile never shift a page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.models import Customer, Improvement, ImprovementRemark, Process, Remark, Theme


@dataclass(frozen=True)
class RemarkFilter:
    since: dt.datetime | None = None  # said at or after
    until: dt.datetime | None = None  # said before
    process_id: int | None = None
    sentiment: str | None = None
    customers: frozenset[str] = frozenset()  # spellings, as spelt and lower-cased
    source: str | None = None
    theme_ids: frozenset[int] | None = None


class ReadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def remarks(
        self,
        team_id: str,
        f: RemarkFilter,
        *,
        after: tuple[dt.datetime, int] | None,
        newest_first: bool,
        limit: int,
    ) -> list[tuple[Remark, str | None]]:
        """Up to ``limit`` remarks matching ``f`` past ``after`` in (said_at, id) order, each
        with its process's name."""
        cond = [Remark.team_id == team_id]
        if f.since is not None:
            cond.append(Remark.said_at >= f.since)
        if f.until is not None:
            cond.append(Remark.said_at < f.until)
        if f.process_id is not None:
            cond.append(Remark.process_id == f.process_id)
        if f.sentiment is not None:
            cond.append(Remark.sentiment == f.sentiment)
        if f.customers:
            names = sorted(f.customers)
            cond.append(or_(func.lower(Remark.customer).in_(names), Remark.customer.in_(names)))
        if f.source is not None:
            cond.append(Remark.source == f.source)
        if f.theme_ids is not None:
            cond.append(Remark.theme_id.in_(sorted(f.theme_ids)))
        if after is not None:
            at, last = after
            if newest_first:
                # The plain bound lets the planner start the index range there (an OR alone
                # is read as a filter, row by row, from the front).
                cond += [
                    Remark.said_at <= at,
                    or_(Remark.said_at < at, and_(Remark.said_at == at, Remark.id < last)),
                ]
            else:
                cond += [
                    Remark.said_at >= at,
                    or_(Remark.said_at > at, and_(Remark.said_at == at, Remark.id > last)),
                ]
        order = (
            (Remark.said_at.desc(), Remark.id.desc())
            if newest_first
            else (Remark.said_at, Remark.id)
        )
        rows = await self.session.execute(
            select(Remark, Process.name)
            .outerjoin(
                Process, and_(Process.id == Remark.process_id, Process.team_id == Remark.team_id)
            )
            .where(*cond)
            .order_by(*order)
            .limit(limit)
        )
        return [(r, name) for r, name in rows.all()]

    async def theme_processes(self, team_id: str, theme_ids: Collection[int]) -> dict[int, int]:
        """Theme id -> its process id, for these themes of the workspace."""
        if not theme_ids:
            return {}
        rows = await self.session.execute(
            select(Theme.id, Theme.process_id).where(
                Theme.team_id == team_id, Theme.id.in_(sorted(theme_ids))
            )
        )
        return {int(t): int(p) for t, p in rows.all()}

    # Lists, in pages of id ----------------------------------------------------------

    @staticmethod
    def _page(
        stmt: Select[Any], column: InstrumentedAttribute[int], after: int | None, limit: int
    ) -> Select[Any]:
        if after is not None:
            stmt = stmt.where(column > after)
        return stmt.order_by(column).limit(limit)

    async def processes(
        self, team_id: str, *, after: int | None, limit: int, include_archived: bool
    ) -> list[Process]:
        stmt = select(Process).where(Process.team_id == team_id)
        if not include_archived:
            stmt = stmt.where(Process.archived.is_(False))
        return list((await self.session.scalars(self._page(stmt, Process.id, after, limit))).all())

    async def themes(
        self, team_id: str, *, process_id: int | None, after: int | None, limit: int
    ) -> list[tuple[int, int, str, dt.datetime, int, int]]:
        """(theme id, process id, process name, created, remarks, distinct customers)."""
        remarks = (
            select(func.count())
            .where(Remark.team_id == team_id, Remark.theme_id == Theme.id)
            .correlate(Theme)
            .scalar_subquery()
        )
        customers = (
            select(func.count(func.distinct(Remark.customer)))
            .where(Remark.team_id == team_id, Remark.theme_id == Theme.id)
            .correlate(Theme)
            .scalar_subquery()
        )
        stmt = (
            select(Theme.id, Theme.process_id, Process.name, Theme.created_at, remarks, customers)
            .join(Process, Process.id == Theme.process_id)
            .where(Theme.team_id == team_id)
        )
        if process_id is not None:
            stmt = stmt.where(Theme.process_id == process_id)
        rows = await self.session.execute(self._page(stmt, Theme.id, after, limit))
        return [
            (int(a), int(b), str(c), d, int(e or 0), int(g or 0)) for a, b, c, d, e, g in rows.all()
        ]

    async def improvements(
        self,
        team_id: str,
        *,
        process_id: int | None = None,
        process_ids: Sequence[int] | None = None,
        status: str | None = None,
        after: int | None = None,
        limit: int = 1000,
    ) -> list[tuple[Improvement, str, int]]:
        """(improvement, process name, remarks it addresses)."""
        count = (
            select(func.count(ImprovementRemark.remark_id))
            .where(ImprovementRemark.improvement_id == Improvement.id)
            .scalar_subquery()
        )
        stmt = (
            select(Improvement, Process.name, count)
            .join(Process, Process.id == Improvement.process_id)
            .where(Improvement.team_id == team_id)
        )
        if process_id is not None:
            stmt = stmt.where(Improvement.process_id == process_id)
        if process_ids is not None:
            stmt = stmt.where(Improvement.process_id.in_(sorted(set(process_ids))))
        if status is not None:
            stmt = stmt.where(Improvement.status == status)
        rows = await self.session.execute(self._page(stmt, Improvement.id, after, limit))
        return [(imp, name, int(n or 0)) for imp, name, n in rows.all()]

    async def customers(self, team_id: str, *, after: int | None, limit: int) -> list[Customer]:
        stmt = select(Customer).where(Customer.team_id == team_id)
        return list((await self.session.scalars(self._page(stmt, Customer.id, after, limit))).all())

    async def customer_counts(
        self, team_id: str, names: Collection[str]
    ) -> dict[tuple[str, str], int]:
        """(lower-cased customer, sentiment) -> remarks, for these customer names."""
        if not names:
            return {}
        low = func.lower(Remark.customer)
        rows = await self.session.execute(
            select(low, Remark.sentiment, func.count())
            .where(Remark.team_id == team_id, low.in_(sorted({n.lower() for n in names})))
            .group_by(low, Remark.sentiment)
        )
        return {(str(c), str(s)): int(n) for c, s, n in rows.all()}
