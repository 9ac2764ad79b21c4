"""Every improvement of a workspace with its verdict, for ``earshot improvements`` (no Slack)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.loop.improvements import check
from storage.repositories.improvements import ImprovementRepository


@dataclass(frozen=True)
class Row:
    id: int
    title: str
    process: str
    status: str
    owner: str | None
    link: str | None
    remarks: int
    created_at: str
    shipped_at: str | None
    verdict: str | None  # None until shipped
    complaints: str | None  # "before → after" figures
    praise: str | None
    complaints_before: list[int] | None  # [hits, all remarks]
    complaints_after: list[int] | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


async def report(sessions: async_sessionmaker[AsyncSession], team_id: str, *, now: dt.datetime) -> list[Row]:
    out = []
    async with sessions() as session:
        for imp, process, remarks in await ImprovementRepository(session).every(team_id):
            result = await check(session, imp, now)
            c = result.complaints if result else None
            out.append(Row(
                id=imp.id, title=imp.title, process=process, status=imp.status, owner=imp.owner_user_id,
                link=imp.link, remarks=remarks, created_at=imp.created_at.isoformat(),
                shipped_at=imp.shipped_at.isoformat() if imp.shipped_at else None,
                verdict=result.verdict if result else None,
                complaints=c.figures() if c else None,
                praise=result.praise.figures() if result else None,
                complaints_before=[c.before.hits, c.before.exposure] if c else None,
                complaints_after=[c.after.hits, c.after.exposure] if c else None))
    return out
