"""Themes and their members. Counts always come from the remarks (``remarks.theme_id``),
so a remark deleted, refiled or merged is out of its theme's count at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from storage.models import Remark, Theme, utcnow

# The first key of the advisory locks that hold a workspace's themes (the second is the
# workspace's hash), so they cannot collide with advisory locks taken for anything else.
THEMES_LOCK = 0x7E4E


class ThemeCount(NamedTuple):
    process_id: int
    theme_id: int
    sentiment: str
    remarks: int
    endorsements: int
    customers: int
    created_at: dt.datetime


class MemberRow(NamedTuple):
    process_id: int
    theme_id: int
    remark_id: int
    text: str
    customer: str | None
    author_user_id: str | None
    permalink: str | None
    endorsements: int
    sentiment: str
    said_at: dt.datetime


class ThemeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self, team_id: str) -> None:
        """Hold the workspace's themes until the transaction ends.

        Placing a remark reads every centroid of its process, then writes some: a new
        theme, merges (members moved, a theme deleted), the changed sums. Two captures doing
        that at once each read sums the other is changing (one's addition is lost) and
        lock the rows in different orders, so PostgreSQL cancels one as a deadlock (its
        delivery is retried after a backoff). Taken before the first read, the lock makes
        them take turns; the second then reads what the first committed (READ COMMITTED:
        each statement sees what was committed before it began). An advisory lock, not a
        row lock, so it is waited for by nothing else (a row lock on the workspace would
        meet the share lock an event's webhook read takes). SQLite needs none: a process's
        pool is one connection, so its transactions take turns, and between processes WAL
        refuses the write of a transaction whose reads another's commit made stale."""
        if self.session.bind is not None and self.session.bind.dialect.name == "postgresql":
            await self.session.execute(
                select(func.pg_advisory_xact_lock(THEMES_LOCK, func.hashtext(team_id))))

    async def get(self, team_id: str, theme_id: int) -> Theme | None:
        return await self.session.scalar(
            select(Theme).where(Theme.team_id == team_id, Theme.id == theme_id)
        )

    async def centroids(self, team_id: str, process_id: int) -> list[tuple[int, bytes, int]]:
        """Each theme of the process: id, centroid (the sum of its members' vectors) and
        how many remarks are its members (the count that sum holds)."""
        members = (
            select(func.count())
            .select_from(Remark)
            .where(Remark.team_id == team_id, Remark.theme_id == Theme.id)
            .correlate(Theme)
            .scalar_subquery()
        )
        rows = await self.session.execute(
            select(Theme.id, Theme.centroid, members)
            .where(Theme.team_id == team_id, Theme.process_id == process_id)
            .order_by(Theme.id)
        )
        return [(r[0], r[1], int(r[2] or 0)) for r in rows.all()]

    async def merge(self, team_id: str, *, into: int, gone: int) -> None:
        """Theme ``gone``'s members join theme ``into`` and ``gone`` is deleted (the caller
        writes ``into``'s new centroid, the sum of both)."""
        await self.session.execute(
            update(Remark)
            .where(Remark.team_id == team_id, Remark.theme_id == gone)
            .values(theme_id=into)
            .execution_options(synchronize_session="fetch")
        )
        await self.delete(team_id, gone)

    async def create(
        self, team_id: str, *, process_id: int, centroid: bytes, at: dt.datetime | None = None
    ) -> int:
        now = at or utcnow()
        new_id = await self.session.scalar(
            insert(Theme)
            .values(
                team_id=team_id,
                process_id=process_id,
                centroid=centroid,
                created_at=now,
                updated_at=now,
            )
            .returning(Theme.id)
        )
        assert new_id is not None
        return int(new_id)

    async def delete(self, team_id: str, theme_id: int) -> None:
        await self.session.execute(
            delete(Theme).where(Theme.team_id == team_id, Theme.id == theme_id)
        )

    async def set_centroid(self, team_id: str, theme_id: int, centroid: bytes) -> None:
        await self.session.execute(
            update(Theme)
            .where(Theme.team_id == team_id, Theme.id == theme_id)
            .values(centroid=centroid, updated_at=utcnow())
        )

    async def set_member(self, remark: Remark, theme_id: int | None) -> None:
        # Not through update_fields: the theme moves no roll-up count, and the remark's
        # updated_at is what owner alerts read for "changed".
        await self.session.execute(
            update(Remark)
            .where(Remark.team_id == remark.team_id, Remark.id == remark.id)
            .values(theme_id=theme_id)
            .execution_options(synchronize_session=False)
        )
        # Keep the object in step without marking it dirty (no second UPDATE at commit).
        set_committed_value(remark, "theme_id", theme_id)

    async def counts(
        self, team_id: str, process_ids: Sequence[int], start: dt.datetime, end: dt.datetime
    ) -> list[ThemeCount]:
        """Remarks, captures and distinct customers per (process, theme, sentiment) said in
        ``[start, end)``, with each theme's first-seen time."""
        if not process_ids:
            return []
        rows = await self.session.execute(
            select(
                Remark.process_id,
                Remark.theme_id,
                Remark.sentiment,
                func.count(),
                func.sum(Remark.endorsements),
                func.count(func.distinct(Remark.customer)),
                Theme.created_at,
            )
            .join(Theme, (Theme.id == Remark.theme_id) & (Theme.process_id == Remark.process_id))
            .where(
                Remark.team_id == team_id,
                Theme.team_id == team_id,
                Remark.process_id.in_(sorted(set(process_ids))),
                Remark.said_at >= start,
                Remark.said_at < end,
            )
            .group_by(Remark.process_id, Remark.theme_id, Remark.sentiment, Theme.created_at)
        )
        return [
            ThemeCount(
                int(r[0] or 0), int(r[1] or 0), r[2], int(r[3]), int(r[4] or 0), int(r[5]), r[6]
            )
            for r in rows.all()
        ]

    async def members(
        self,
        team_id: str,
        process_ids: Sequence[int],
        *,
        theme_id: int | None = None,
        limit: int = 3000,
    ) -> list[MemberRow]:
        """Themed remarks with text of these processes (or of one theme), newest first."""
        if not process_ids:
            return []
        cond = [
            Remark.team_id == team_id,
            Remark.process_id.in_(sorted(set(process_ids))),
            Remark.theme_id.is_not(None),
            Remark.text != "",
        ]
        if theme_id is not None:
            cond.append(Remark.theme_id == theme_id)
        rows = await self.session.execute(
            select(
                Remark.process_id,
                Remark.theme_id,
                Remark.id,
                Remark.text,
                Remark.customer,
                Remark.author_user_id,
                Remark.permalink,
                Remark.endorsements,
                Remark.sentiment,
                Remark.said_at,
            )
            .where(*cond)
            .order_by(Remark.said_at.desc(), Remark.id.desc())
            .limit(limit)
        )
        return [MemberRow(int(r[0] or 0), int(r[1] or 0), *r[2:10]) for r in rows.all()]

    async def remarks(self, team_id: str, theme_id: int, *, limit: int = 40) -> list[Remark]:
        rows = await self.session.scalars(
            select(Remark)
            .where(Remark.team_id == team_id, Remark.theme_id == theme_id)
            .order_by(Remark.endorsements.desc(), Remark.said_at.desc(), Remark.id.desc())
            .limit(limit)
        )
        return list(rows.all())

    async def texts(self, team_id: str, *, limit: int = 3000) -> list[str]:
        """The workspace's newest remark texts, themed or not: what theme names learn which
        words the workspace writes as names from (bot/domain/filing/theme_names.py)."""
        rows = await self.session.scalars(
            select(Remark.text)
            .where(Remark.team_id == team_id, Remark.text != "")
            .order_by(Remark.said_at.desc(), Remark.id.desc())
            .limit(limit)
        )
        return [t for t in rows.all() if t]
