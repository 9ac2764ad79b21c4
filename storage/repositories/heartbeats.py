"""Last-seen timestamps of long-running processes (the clock), for ``earshot doctor``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Heartbeat


class HeartbeatRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def beat(self, name: str, *, seen_at: dt.datetime, detail: str | None = None) -> None:
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(Heartbeat).values(name=name, seen_at=seen_at, detail=detail)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["name"], set_={"seen_at": stmt.excluded.seen_at, "detail": stmt.excluded.detail}))

    async def last_seen(self, name: str) -> dt.datetime | None:
        return await self.session.scalar(select(Heartbeat.seen_at).where(Heartbeat.name == name))
