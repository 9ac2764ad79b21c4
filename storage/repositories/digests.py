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
from typing import Any, NamedTuple

from sqlalchemy import ScalarSelect, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Capture, DigestRun, Process, Remark, RemarkDaily, Workspace
from storage.repositories.upsert import affected, insert_ignore

CLAIMED, RETRY, POSTED, FAILED = "claimed", "retry", "posted", "failed"


@dataclass(frozen=True)
class QuoteRow:
    remark_id: int
    process_id: int | None
    sentiment: str
    text: str
    customer: str | None
    author_user_id: str | None
    permalink: str | None
    endorsements: int
    said_at: dt.datetime


class ProcessRow(NamedTuple):
    id: int
    name: str
    owner_user_id: str | None
    archived: bool


@dataclass(frozen=True)
class UnfiledRow:
    remark_id: int
    text: str
    customer: str | None
    author_user_id: str | None
    permalink: str | None
    sentiment: str
    said_at: dt.datetime
    source_key: str = ""  # for the fingerprint a triage menu carries
    language: str | None = None  # ISO 639-1; not English: Earshot could not read it


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
        """Remarks that still need a process."""
        return int(await self.session.scalar(select(self._unfiled(team_id))) or 0)

    def _unfiled(self, team_id: str) -> ScalarSelect[Any]:
        # From the roll-up: process 0's rows, a few per day (ix_remark_daily_team_process),
        # instead of an index count over every unfiled remark.
        return (
            select(func.coalesce(func.sum(RemarkDaily.remarks), 0))
            .where(RemarkDaily.team_id == team_id, RemarkDaily.process_id == 0)
            .scalar_subquery()
        )

    async def headline(
        self, team_id: str, start: dt.datetime, end: dt.datetime
    ) -> tuple[int, int, int]:
        """(teammates who captured, named customers who spoke) in ``[start, end)``, and the
        unfiled backlog: one round trip."""
        row = (await self.session.execute(
            select(self._capturers(team_id, start, end), self._customers(team_id, start, end),
                   self._unfiled(team_id))
        )).one()
        return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)

    def _capturers(self, team_id: str, start: dt.datetime, end: dt.datetime) -> ScalarSelect[Any]:
        # A loose index scan over ix_captures_team_user: walk the workspace's distinct
        # capturers (two index probes each) and keep those with a capture in the period.
        # A team has tens of capturers but a week has tens of thousands of captures.
        c = aliased(Capture)
        first = select(func.min(Capture.user_id)).where(Capture.team_id == team_id)
        users = select(first.scalar_subquery().label("user_id")).cte("capturers", recursive=True)
        following = (
            select(func.min(c.user_id))
            .where(c.team_id == team_id, c.user_id > users.c.user_id)
            .scalar_subquery()
        )
        users = users.union_all(select(following).where(users.c.user_id.is_not(None)))
        active = (
            select(Capture.id)
            .where(Capture.team_id == team_id, Capture.user_id == users.c.user_id,
                   Capture.created_at >= start, Capture.created_at < end)
            .exists()
        )
        return (
            select(func.count()).select_from(users)
            # The API's and imports' captures (api:<token name>, import) are no teammates.
            .where(users.c.user_id.is_not(None), users.c.user_id.not_like("api:%"),
                   users.c.user_id != "import", active)
            .scalar_subquery()
        )

    async def customer_counts(
        self, team_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[int, str, str, int]]:
        """(process_id, sentiment, customer, remarks) said in ``[start, end)`` with a customer."""
        rows = await self.session.execute(
            select(Remark.process_id, Remark.sentiment, Remark.customer, func.count())
            .where(Remark.team_id == team_id, Remark.said_at >= start, Remark.said_at < end,
                   Remark.customer.is_not(None), Remark.process_id.is_not(None))
            .group_by(Remark.process_id, Remark.sentiment, Remark.customer)
        )
        return [(int(p or 0), str(s), str(c), int(n)) for p, s, c, n in rows.all()]  # process_id is not null here

    def _customers(self, team_id: str, start: dt.datetime, end: dt.datetime) -> ScalarSelect[Any]:
        # DISTINCT in a subquery, not count(DISTINCT): PostgreSQL hashes it instead of
        # sorting (an index-only range scan on ix_remarks_team_said either way).
        named = (
            select(Remark.customer).distinct()
            .where(Remark.team_id == team_id, Remark.said_at >= start, Remark.said_at < end,
                   Remark.customer.is_not(None))
            .subquery()
        )
        return select(func.count()).select_from(named).scalar_subquery()

    async def quotes(
        self, team_id: str, wanted: Sequence[tuple[int, str]], start: dt.datetime,
        end: dt.datetime, *, per: int = 3,
    ) -> list[QuoteRow]:
        """The most endorsed remarks of each (process, sentiment) in ``[start, end)``.

        One query: the wanted processes' remarks of the period, walked on the
        (team_id, process_id, said_at) index and ranked within each pair (a few hundred
        rows per process); only the winners' full rows are read back.
        """
        if not wanted:
            return []
        by_sentiment: dict[str, list[int]] = {}
        for process_id, sentiment in wanted:
            by_sentiment.setdefault(sentiment, []).append(process_id)
        rank = func.row_number().over(
            partition_by=(Remark.process_id, Remark.sentiment),
            order_by=(Remark.endorsements.desc(), func.length(Remark.text).desc(), Remark.id.desc()),
        ).label("rank")
        # The ranking sorts ids and sort keys only, not the texts.
        ranked = (
            select(Remark.id, rank)
            .where(
                Remark.team_id == team_id,
                Remark.process_id.in_(sorted({pid for pid, _ in wanted})),
                Remark.said_at >= start, Remark.said_at < end, Remark.text != "",
                or_(*[and_(Remark.sentiment == sentiment, Remark.process_id.in_(pids))
                      for sentiment, pids in sorted(by_sentiment.items())]),
            )
            .subquery()
        )
        rows = (await self.session.execute(
            select(Remark.id, Remark.process_id, Remark.sentiment, Remark.text, Remark.customer,
                   Remark.author_user_id, Remark.permalink, Remark.endorsements, Remark.said_at)
            .join(ranked, ranked.c.id == Remark.id)
            .where(ranked.c.rank <= per)
            .order_by(Remark.process_id, Remark.sentiment, ranked.c.rank)
        )).all()
        return [QuoteRow(*r) for r in rows]

    async def other_languages(self, team_id: str, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
        """Remarks said in ``[start, end)`` per language, for the languages other than English."""
        rows = (await self.session.execute(
            select(Remark.language, func.count())
            .where(Remark.team_id == team_id, Remark.said_at >= start, Remark.said_at < end,
                   Remark.language.is_not(None), Remark.language != "en")
            .group_by(Remark.language)
        )).all()
        return {str(lang): int(n) for lang, n in rows}

    async def unfiled(self, team_id: str, *, limit: int = 20) -> list[UnfiledRow]:
        """The newest remarks that still need a process, for triage."""
        rows = (await self.session.execute(
            select(Remark.id, Remark.text, Remark.customer, Remark.author_user_id, Remark.permalink,
                   Remark.sentiment, Remark.said_at, Remark.source_key, Remark.language)
            .where(Remark.team_id == team_id, Remark.process_id.is_(None))
            .order_by(Remark.said_at.desc(), Remark.id.desc())
            .limit(limit)
        )).all()
        return [UnfiledRow(*r) for r in rows]

    async def processes(self, team_id: str) -> list[ProcessRow]:
        """The workspace's processes, archived too, by name (plain rows, no ORM objects)."""
        rows = (await self.session.execute(
            select(Process.id, Process.name, Process.owner_user_id, Process.archived)
            .where(Process.team_id == team_id).order_by(Process.name_key)
        )).all()
        return [ProcessRow(*r) for r in rows]

    # Which workspaces post ---------------------------------------------------------------

    async def schedules(self) -> list[Workspace]:
        """Every installed workspace (the scheduler decides which ones are due)."""
        return list((await self.session.scalars(
            select(Workspace).where(Workspace.uninstalled_at.is_(None)).order_by(Workspace.team_id)
        )).all())

    # Claims ------------------------------------------------------------------------------

    async def run(self, team_id: str, period_start: dt.datetime) -> DigestRun | None:
        return await self.session.scalar(
            select(DigestRun)
            .where(DigestRun.team_id == team_id, DigestRun.period_start == period_start)
            .execution_options(populate_existing=True)
        )

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
        if not affected(res):
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
            if not affected(res):
                return None
        return await self.run(team_id, period_start)

    async def renew(self, run_id: int, *, by: str, until: dt.datetime) -> bool:
        """Extend our lease; False if someone else owns the claim now (stop working)."""
        res = await self.session.execute(
            update(DigestRun)
            .where(DigestRun.id == run_id, DigestRun.claimed_by == by, DigestRun.status == CLAIMED)
            .values(lease_until=until)
        )
        return bool(affected(res))

    async def finish(self, run_id: int, *, by: str, status: str, **values: Any) -> bool:
        """Record the outcome, only if we still hold the claim."""
        res = await self.session.execute(
            update(DigestRun)
            .where(DigestRun.id == run_id, DigestRun.claimed_by == by, DigestRun.status == CLAIMED)
            .values(status=status, **values)
        )
        return bool(affected(res))

    async def note_error(self, run_id: int, *, by: str, error: str) -> None:
        await self.session.execute(
            update(DigestRun).where(DigestRun.id == run_id, DigestRun.claimed_by == by)
            .values(error=error[:2000])
        )
