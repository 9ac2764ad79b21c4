"""The digest's reads (roll-up aggregates, a few quotes) and its exactly-once claim rows.

Counts come from ``remark_daily`` (one row per team, UTC day, process and sentiment),
so building a digest reads a few thousand roll-up rows, never every remark. Only the
handful of quotes shown are read from ``remarks``.

Exactly once: ``digest_runs`` has a unique key on (team_id, period_start). Whoever
inserts the row owns the period; a crashed owner's claim can be taken over only after
its lease ran out, by a conditional UPDATE, so two processes can never both hold it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, distinct, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Capture, DigestRun, Process, Remark, RemarkDaily, Workspace, utcnow
from storage.repositories._upsert import insert_ignore

CLAIMED, RETRY, POSTED, FAILED = "claimed", "retry", "posted", "failed"


@dataclass(frozen=True)
class QuoteRow:
    remark_id: int
    process_id: int
    sentiment: str
    text: str
    customer: str | None
    author_user_id: str | None
    permalink: str | None
    endorsements: int
    said_at: dt.datetime


@dataclass(frozen=True)
class UnfiledRow:
    remark_id: int
    text: str
    customer: str | None
    author_user_id: str | None
    permalink: str | None
    sentiment: str
    said_at: dt.datetime


class DigestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Aggregates ---------------------------------------------------------------------

    async def bucket_counts(
        self, team_id: str, bounds: Sequence[dt.date]
    ) -> list[tuple[int, int, str, int, int]]:
        """(bucket, process_id, sentiment, remarks, endorsements) from the roll-up.

        ``bounds`` are ascending day boundaries; bucket ``i`` is ``[bounds[i], bounds[i+1])``.
        process_id 0 means unfiled.
        """
        if len(bounds) < 2:
            return []
        d = RemarkDaily.day
        bucket = case(
            *[(d >= bounds[i], i) for i in range(len(bounds) - 2, 0, -1)], else_=0
        ).label("bucket")
        # Grouping on a subquery's column: PostgreSQL cannot match a CASE with bound
        # parameters in SELECT to the same CASE in GROUP BY.
        inner = (
            select(bucket, RemarkDaily.process_id, RemarkDaily.sentiment, RemarkDaily.remarks,
                   RemarkDaily.endorsements)
            .where(RemarkDaily.team_id == team_id, d >= bounds[0], d < bounds[-1])
            .subquery()
        )
        stmt = (
            select(inner.c.bucket, inner.c.process_id, inner.c.sentiment,
                   func.sum(inner.c.remarks), func.sum(inner.c.endorsements))
            .group_by(inner.c.bucket, inner.c.process_id, inner.c.sentiment)
        )
        rows = (await self.session.execute(stmt)).all()
        return [(int(b), int(p), str(s), int(r or 0), int(e or 0)) for b, p, s, r, e in rows]

    async def unfiled_count(self, team_id: str) -> int:
        """Remarks that still need a process (index-only count on (team_id, process_id))."""
        return int(
            await self.session.scalar(
                select(func.count()).select_from(Remark)
                .where(Remark.team_id == team_id, Remark.process_id.is_(None))
            ) or 0
        )

    async def people(self, team_id: str, start: dt.datetime, end: dt.datetime) -> tuple[int, int]:
        """(teammates who captured, named customers who spoke) in ``[start, end)``."""
        # Both are index-only range scans (ix_captures_team_created, ix_remarks_team_said).
        capturers = await self.session.scalar(
            select(func.count(distinct(Capture.user_id)))
            .where(Capture.team_id == team_id, Capture.created_at >= start, Capture.created_at < end)
        )
        customers = await self.session.scalar(
            select(func.count(distinct(Remark.customer)))
            .where(Remark.team_id == team_id, Remark.said_at >= start, Remark.said_at < end)
        )
        return int(capturers or 0), int(customers or 0)

    async def quotes(
        self, team_id: str, wanted: Sequence[tuple[int, str]], start: dt.datetime,
        end: dt.datetime, *, per: int = 3,
    ) -> list[QuoteRow]:
        """The most endorsed remarks of each (process, sentiment) in ``[start, end)``.

        One small query per pair, each walking the (team_id, process_id) index: a few
        dozen rows read in all.
        """
        out: list[QuoteRow] = []
        for process_id, sentiment in wanted:
            rows = (await self.session.execute(
                select(Remark.id, Remark.process_id, Remark.sentiment, Remark.text, Remark.customer,
                       Remark.author_user_id, Remark.permalink, Remark.endorsements, Remark.said_at)
                .where(Remark.team_id == team_id, Remark.process_id == process_id,
                       Remark.sentiment == sentiment, Remark.said_at >= start, Remark.said_at < end,
                       Remark.text != "")
                .order_by(Remark.endorsements.desc(), func.length(Remark.text).desc(), Remark.id.desc())
                .limit(per)
            )).all()
            out.extend(QuoteRow(*r) for r in rows)
        return out

    async def unfiled(self, team_id: str, *, limit: int = 20) -> list[UnfiledRow]:
        """The newest remarks that still need a process, for triage."""
        rows = (await self.session.execute(
            select(Remark.id, Remark.text, Remark.customer, Remark.author_user_id, Remark.permalink,
                   Remark.sentiment, Remark.said_at)
            .where(Remark.team_id == team_id, Remark.process_id.is_(None))
            .order_by(Remark.said_at.desc(), Remark.id.desc())
            .limit(limit)
        )).all()
        return [UnfiledRow(*r) for r in rows]

    async def processes(self, team_id: str) -> list[Process]:
        return list((await self.session.scalars(
            select(Process).where(Process.team_id == team_id).order_by(Process.name_key)
        )).all())

    # Which workspaces post ---------------------------------------------------------------

    async def schedules(self) -> list[Workspace]:
        """Every workspace (the scheduler decides which ones are due)."""
        return list((await self.session.scalars(select(Workspace).order_by(Workspace.team_id))).all())

    # Claims ------------------------------------------------------------------------------

    async def run(self, team_id: str, period_start: dt.datetime) -> DigestRun | None:
        return await self.session.scalar(
            select(DigestRun)
            .where(DigestRun.team_id == team_id, DigestRun.period_start == period_start)
            .execution_options(populate_existing=True)
        )

    async def recent_runs(self, team_id: str, *, limit: int = 5) -> list[DigestRun]:
        return list((await self.session.scalars(
            select(DigestRun).where(DigestRun.team_id == team_id)
            .order_by(DigestRun.period_start.desc()).limit(limit)
        )).all())

    async def claim(
        self, team_id: str, *, period_start: dt.datetime, period_end: dt.datetime, by: str,
        now: dt.datetime, lease: dt.timedelta, late: bool, force: bool = False,
    ) -> DigestRun | None:
        """Take the period's claim; None when another process holds it or it is finished.

        New claim: INSERT ... ON CONFLICT DO NOTHING. Takeover: a conditional UPDATE that
        only matches an unfinished claim whose lease ran out (or any row, with ``force``).
        """
        res = await self.session.execute(
            insert_ignore(self.session, DigestRun.__table__, ["team_id", "period_start"]).values(
                team_id=team_id, period_start=period_start, period_end=period_end, status=CLAIMED,
                claimed_by=by, lease_until=now + lease, attempts=1, late=late, created_at=now,
            )
        )
        if not res.rowcount:
            cond: Any = and_(DigestRun.team_id == team_id, DigestRun.period_start == period_start)
            if not force:
                cond = and_(
                    cond,
                    DigestRun.status.in_((CLAIMED, RETRY)),
                    or_(DigestRun.lease_until.is_(None), DigestRun.lease_until <= now),
                )
            values: dict[str, Any] = {
                "claimed_by": by, "lease_until": now + lease, "attempts": DigestRun.attempts + 1,
            }
            if force:
                values.update(status=CLAIMED, message_ts=None, error=None, posted_at=None)
            else:
                values.update(status=CLAIMED)
            res = await self.session.execute(update(DigestRun).where(cond).values(**values))
            if not res.rowcount:
                return None
        return await self.run(team_id, period_start)

    async def renew(self, run_id: int, *, by: str, until: dt.datetime) -> bool:
        """Extend our lease; False if someone else owns the claim now (stop working)."""
        res = await self.session.execute(
            update(DigestRun)
            .where(DigestRun.id == run_id, DigestRun.claimed_by == by, DigestRun.status == CLAIMED)
            .values(lease_until=until)
        )
        return bool(res.rowcount)

    async def finish(self, run_id: int, *, by: str, status: str, **values: Any) -> bool:
        """Record the outcome, only if we still hold the claim."""
        res = await self.session.execute(
            update(DigestRun)
            .where(DigestRun.id == run_id, DigestRun.claimed_by == by, DigestRun.status == CLAIMED)
            .values(status=status, **values)
        )
        return bool(res.rowcount)

    async def note_error(self, run_id: int, *, by: str, error: str) -> None:
        await self.session.execute(
            update(DigestRun).where(DigestRun.id == run_id, DigestRun.claimed_by == by)
            .values(error=error[:2000])
        )


def now_utc() -> dt.datetime:
    return utcnow()
