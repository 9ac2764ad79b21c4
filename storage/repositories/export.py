"""Reading remarks for export: keyset pages, so memory stays bounded at any size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Process, Remark


class ExportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(self, team_id: str, *, after_id: int, since: dt.datetime | None,
                   limit: int) -> Sequence[Any]:
        """Up to ``limit`` remarks with ``id > after_id``, in id order (the export's columns)."""
        cond = [Remark.team_id == team_id, Remark.id > after_id]
        if since is not None:
            cond.append(Remark.said_at >= since)
        res = await self.session.execute(
            select(
                Remark.id, Remark.said_at, Remark.customer, Process.name, Remark.sentiment,
                Remark.sentiment_score, Remark.process_confidence, Remark.endorsements,
                Remark.author_user_id, Remark.channel_id, Remark.message_ts, Remark.permalink,
                Remark.text, Remark.text_expired_at, Remark.process_decided_by,
                Remark.sentiment_decided_by,
                # Issue 21, appended: where it came from and its score.
                Remark.source, Remark.contact, Remark.link, Remark.score_kind, Remark.score_value,
                Remark.external_id, Remark.language,
            )
            .outerjoin(Process, and_(Process.id == Remark.process_id, Process.team_id == Remark.team_id))
            .where(*cond)
            .order_by(Remark.id)
            .limit(limit)
        )
        return res.all()

    async def count(self, team_id: str, *, since: dt.datetime | None) -> int:
        cond = [Remark.team_id == team_id]
        if since is not None:
            cond.append(Remark.said_at >= since)
        return int(await self.session.scalar(select(func.count()).select_from(Remark).where(*cond)) or 0)
