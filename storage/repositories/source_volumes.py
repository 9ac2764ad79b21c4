"""Each source's volume: how many remarks it delivered, and when it last did."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Remark


class SourceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def volumes(self, team_id: str, *, week_start: dt.datetime, window_start: dt.datetime,
                      ) -> list[tuple[str, int, int, dt.datetime]]:
        """(source, delivered since ``week_start``, since ``window_start``, last delivered) for
        every source that ever delivered; by delivery time (``created_at``), not said time."""
        rows = await self.session.execute(
            select(Remark.source,
                   func.sum(case((Remark.created_at >= week_start, 1), else_=0)),
                   func.sum(case((Remark.created_at >= window_start, 1), else_=0)),
                   func.max(Remark.created_at))
            .where(Remark.team_id == team_id)
            .group_by(Remark.source)
        )
        return [(str(s), int(w or 0), int(m or 0), last) for s, w, m, last in rows.all()]

    async def said_by_source(self, team_id: str, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
        """Remarks said in ``[start, end)`` per source (the digest's headline)."""
        rows = await self.session.execute(
            select(Remark.source, func.count())
            .where(Remark.team_id == team_id, Remark.said_at >= start, Remark.said_at < end)
            .group_by(Remark.source)
        )
        return {str(s): int(n) for s, n in rows.all()}

    async def score_counts(self, team_id: str, start: dt.datetime, end: dt.datetime, *,
                           process_id: int | None = None) -> dict[tuple[int, str], dict[int, int]]:
        """Scored remarks said in ``[start, end)``: (process id, kind) -> {value: remarks}.
        Unfiled remarks have process id 0."""
        cond = [Remark.team_id == team_id, Remark.said_at >= start, Remark.said_at < end,
                Remark.score_kind.is_not(None), Remark.score_value.is_not(None)]
        if process_id is not None:
            cond.append(Remark.process_id == process_id)
        rows = await self.session.execute(
            select(Remark.process_id, Remark.score_kind, Remark.score_value, func.count())
            .where(*cond).group_by(Remark.process_id, Remark.score_kind, Remark.score_value)
        )
        out: dict[tuple[int, str], dict[int, int]] = {}
        for pid, kind, value, n in rows.all():
            out.setdefault((int(pid or 0), str(kind)), {})[int(value or 0)] = int(n)
        return out
