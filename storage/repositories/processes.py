"""The process registry: names unique per workspace, ignoring case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Process, Remark, RemarkDaily, utcnow


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class ProcessRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, team_id: str, *, include_archived: bool = False) -> list[Process]:
        stmt = select(Process).where(Process.team_id == team_id)
        if not include_archived:
            stmt = stmt.where(Process.archived.is_(False))
        return list((await self.session.scalars(stmt.order_by(Process.name_key))).all())

    async def get(self, team_id: str, process_id: int) -> Process | None:
        return await self.session.scalar(
            select(Process).where(Process.team_id == team_id, Process.id == process_id)
        )

    async def name_of(self, team_id: str, process_id: int | None) -> str | None:
        """The name of process ``process_id`` (None when unfiled or gone)."""
        if process_id is None:
            return None
        process = await self.get(team_id, process_id)
        return process.name if process else None

    async def by_name(self, team_id: str, name: str) -> Process | None:
        return await self.session.scalar(
            select(Process).where(Process.team_id == team_id, Process.name_key == name_key(name))
        )

    async def count(self, team_id: str) -> int:
        return int(
            await self.session.scalar(
                select(func.count()).select_from(Process).where(Process.team_id == team_id)
            )
            or 0
        )

    async def add(
        self,
        team_id: str,
        *,
        name: str,
        description: str = "",
        keywords: Sequence[str] = (),
        owner_user_id: str | None = None,
        archived: bool = False,
    ) -> Process:
        name = " ".join(name.split())
        process = Process(
            team_id=team_id,
            name=name,
            name_key=name_key(name),
            description=description,
            keywords=list(keywords),
            owner_user_id=owner_user_id,
            archived=archived,
            created_at=utcnow(),
            updated_at=utcnow(),
        )
        self.session.add(process)
        await self.session.flush()
        return process

    async def rename(self, process: Process, new_name: str) -> None:
        process.name = " ".join(new_name.split())
        process.name_key = name_key(new_name)
        process.updated_at = utcnow()
        await self.session.flush()

    async def update(self, process: Process, **values: Any) -> None:
        """Change some of a process's fields (name via ``rename``, which keeps ``name_key`` in step)."""
        for field, value in values.items():
            setattr(process, field, value)
        process.updated_at = utcnow()
        await self.session.flush()

    async def remark_counts(self, team_id: str, *, since: dt.date) -> dict[int, int]:
        """Remarks filed per process on or after ``since`` (UTC days), from the daily roll-up."""
        rows = await self.session.execute(
            select(RemarkDaily.process_id, func.sum(RemarkDaily.remarks))
            .where(RemarkDaily.team_id == team_id, RemarkDaily.day >= since,
                   RemarkDaily.process_id != 0)
            .group_by(RemarkDaily.process_id)
        )
        return {int(pid): int(n or 0) for pid, n in rows.all()}

    async def remark_total(self, team_id: str, process_id: int) -> int:
        """How many remarks are filed under one process, all time."""
        return int(
            await self.session.scalar(
                select(func.count()).select_from(Remark)
                .where(Remark.team_id == team_id, Remark.process_id == process_id)
            )
            or 0
        )
