"""Duplicates: the candidates a new remark is compared with, the merges Earshot offered, and
the merges people made."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MergeOffer, Remark, RemarkMerge, utcnow
from storage.repositories.upsert import affected, insert_ignore


class MergeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def candidates(self, team_id: str, *, theme_id: int, since: dt.datetime,
                         exclude: int, limit: int = 50) -> list[Remark]:
        """Recent remarks of one theme (a near-duplicate says the same thing, so it is in
        the same theme), newest first, text kept."""
        rows = await self.session.scalars(
            select(Remark).where(Remark.team_id == team_id, Remark.theme_id == theme_id,
                                 Remark.id != exclude, Remark.said_at >= since, Remark.text != "")
            .order_by(Remark.said_at.desc(), Remark.id.desc()).limit(limit))
        return list(rows.all())

    async def record(self, team_id: str, *, source_key: str, merged_remark_id: int,
                     into_remark_id: int, by: str) -> bool:
        res = await self.session.execute(
            insert_ignore(self.session, RemarkMerge.__table__, ["team_id", "source_key"]).values(
                team_id=team_id, source_key=source_key, merged_remark_id=merged_remark_id,
                into_remark_id=into_remark_id, merged_by=by, created_at=utcnow()))
        return bool(affected(res))

    async def of_remark(self, team_id: str, merged_remark_id: int) -> RemarkMerge | None:
        return await self.session.scalar(select(RemarkMerge).where(
            RemarkMerge.team_id == team_id, RemarkMerge.merged_remark_id == merged_remark_id))

    async def offer(self, team_id: str, *, remark_id: int, into_remark_id: int, to: str,
                    at: dt.datetime) -> None:
        """Record that *Same as this one* was offered to ``to`` for this pair."""
        await self.session.execute(
            insert_ignore(self.session, MergeOffer.__table__, ["team_id", "remark_id", "into_remark_id"])
            .values(team_id=team_id, remark_id=remark_id, into_remark_id=into_remark_id,
                    offered_to=to, created_at=at))

    async def offered(self, team_id: str, *, remark_id: int, into_remark_id: int) -> MergeOffer | None:
        return await self.session.scalar(select(MergeOffer).where(
            MergeOffer.team_id == team_id, MergeOffer.remark_id == remark_id,
            MergeOffer.into_remark_id == into_remark_id))
