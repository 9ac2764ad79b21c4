"""The process registry: names unique per workspace, ignoring case."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Process, utcnow


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
        await self.session.flush()
