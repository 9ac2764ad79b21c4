"""Watched channels' weekly counts and examples, channel backfills, and shared call pacing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    distinct,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Backfill,
    MessageChange,
    RateReservation,
    RateSlot,
    Remark,
    UTCDateTime,
    WatchCount,
    WatchExample,
    utcnow,
)
from storage.repositories.upsert import affected, insert_add, insert_ignore

EXAMPLES = 3  # kept per channel, week and kind


class WatchStatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self, team_id: str, *, channel_id: str, week: dt.date, captured: int = 0,
                    skipped: int = 0) -> None:
        await self.session.execute(
            insert_add(self.session, WatchCount.__table__, ["team_id", "channel_id", "week"],
                       ["captured", "skipped"]).values(
                team_id=team_id, channel_id=channel_id, week=week, captured=captured, skipped=skipped))

    async def add_example(self, team_id: str, *, channel_id: str, week: dt.date, kind: str,
                          message_ts: str, remark_id: int | None = None, text: str | None = None,
                          reason: str | None = None, author_user_id: str | None = None,
                          backfill_id: int | None = None) -> None:
        """Keep this example, and only the latest EXAMPLES of its kind: of the channel's week
        when heard live, of the backfill (``backfill_id``) when heard from history."""
        self.session.add(WatchExample(team_id=team_id, channel_id=channel_id, week=week, kind=kind,
                                      message_ts=message_ts, remark_id=remark_id,
                                      text=text[:200] if text else None, reason=reason,
                                      author_user_id=author_user_id, backfill_id=backfill_id,
                                      created_at=utcnow()))
        await self.session.flush()
        same = (WatchExample.team_id == team_id, WatchExample.channel_id == channel_id,
                WatchExample.kind == kind,
                *((WatchExample.week == week, WatchExample.backfill_id.is_(None)) if backfill_id is None
                  else (WatchExample.backfill_id == backfill_id,)))
        keep = (select(WatchExample.id).where(*same)
                # Latest by the message's own time: concurrent deliveries take ids out of order.
                .order_by(WatchExample.message_ts.desc(), WatchExample.id.desc()).limit(EXAMPLES))
        await self.session.execute(
            delete(WatchExample).where(*same, WatchExample.id.not_in(keep.scalar_subquery()))
            .execution_options(synchronize_session=False))

    async def counts(self, team_id: str, channel_id: str, weeks: list[dt.date]) -> dict[dt.date, WatchCount]:
        rows = await self.session.scalars(select(WatchCount).where(
            WatchCount.team_id == team_id, WatchCount.channel_id == channel_id,
            WatchCount.week.in_(weeks)))
        return {r.week: r for r in rows.all()}

    async def examples(self, team_id: str, channel_id: str, week: dt.date) -> list[WatchExample]:
        """The week's examples heard live (a backfill's are its own)."""
        rows = await self.session.scalars(select(WatchExample).where(
            WatchExample.team_id == team_id, WatchExample.channel_id == channel_id,
            WatchExample.week == week, WatchExample.backfill_id.is_(None))
            .order_by(WatchExample.message_ts.desc(), WatchExample.id.desc()))
        return list(rows.all())

    async def backfill_examples(self, team_id: str, backfill_id: int) -> list[WatchExample]:
        rows = await self.session.scalars(select(WatchExample).where(
            WatchExample.team_id == team_id, WatchExample.backfill_id == backfill_id)
            .order_by(WatchExample.message_ts.desc(), WatchExample.id.desc()))
        return list(rows.all())

    async def remark_texts(self, team_id: str, remark_ids: list[int]) -> dict[int, str]:
        """Captured examples' words, read from their remarks (gone with them, or expired)."""
        if not remark_ids:
            return {}
        rows = await self.session.execute(select(Remark.id, Remark.text).where(
            Remark.team_id == team_id, Remark.id.in_(remark_ids), Remark.text_expired_at.is_(None)))
        return {int(i): str(t) for i, t in rows.all() if t}

    async def forget_message(self, team_id: str, channel_id: str, message_ts: str) -> int:
        """A deleted message leaves no example behind."""
        res = await self.session.execute(delete(WatchExample).where(
            WatchExample.team_id == team_id, WatchExample.channel_id == channel_id,
            WatchExample.message_ts == message_ts))
        return affected(res)

    async def drop_skipped_text(self, *, older_than: dt.datetime) -> int:
        """Skipped examples keep customer text: only for a short while (every workspace)."""
        res = await self.session.execute(delete(WatchExample).where(
            WatchExample.kind == "skipped", WatchExample.created_at < older_than))
        return affected(res)


def _open() -> ColumnElement[bool]:
    """A job still to be worked on: being read, or ended with its summary owed (its lease
    is kept until the summary is out)."""
    return or_(Backfill.status.in_(("pending", "running")),
               and_(Backfill.status.in_(("done", "failed")), Backfill.lease_until.is_not(None)))


class BackfillRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, team_id: str, channel_id: str) -> Backfill | None:
        return (await self.session.scalars(select(Backfill).where(
            Backfill.team_id == team_id, Backfill.channel_id == channel_id)
            .execution_options(populate_existing=True))).first()

    async def by_id(self, job_id: int) -> Backfill | None:
        return await self.session.get(Backfill, job_id, populate_existing=True)

    async def request(self, team_id: str, *, channel_id: str, values: dict[str, Any]) -> tuple[Backfill, bool]:
        """The channel's job, started afresh unless one is under way (then: that one, False)."""
        await self.session.execute(
            insert_ignore(self.session, Backfill.__table__, ["team_id", "channel_id"]).values(
                team_id=team_id, channel_id=channel_id, status="pending", created_at=utcnow(),
                updated_at=utcnow(), **values))
        job = await self.get(team_id, channel_id)
        assert job is not None
        if job.status in ("pending", "running") and job.started_at is not None:
            return job, False
        if job.status in ("done", "failed") or job.requested_by != values["requested_by"] \
                or job.oldest != values["oldest"]:
            await self.session.execute(update(Backfill).where(Backfill.id == job.id).values(
                status="pending", cursor=None, pages=0, fetched=0, captured=0, skipped=0, known=0,
                other=0, lease_owner=None, lease_until=None, error=None, started_at=None,
                finished_at=None, progress_channel=None, progress_ts=None, reached_at=None,
                resumes=0, resumed_at=None, **values))
            # The examples belong to the run they came from; this one starts without any.
            await self.session.execute(delete(WatchExample).where(
                WatchExample.team_id == team_id, WatchExample.backfill_id == job.id))
            job = await self.by_id(job.id)
            assert job is not None
        return job, True

    async def claimable(self, now: dt.datetime, limit: int = 10, *,
                        except_teams: frozenset[str] = frozenset()) -> list[int]:
        """Jobs nobody holds, oldest first (an ended one whose summary is owed: its lease ran
        out); none of ``except_teams`` (this process reads one of theirs already)."""
        q = select(Backfill.id).where(
            _open(), or_(Backfill.lease_until.is_(None), Backfill.lease_until < now))
        if except_teams:
            q = q.where(Backfill.team_id.not_in(sorted(except_teams)))
        rows = await self.session.scalars(q.order_by(Backfill.id).limit(limit))
        return list(rows.all())

    async def claim(self, job_id: int, *, owner: str, now: dt.datetime, until: dt.datetime) -> bool:
        """Take the job for ``owner`` if nobody holds it (or their lease ran out). Taking over
        a job another process started (it stopped or died) counts as a resume; an ended job
        taken to send its summary stays as it is."""
        takeover = and_(Backfill.started_at.is_not(None), Backfill.status.in_(("pending", "running")),
                        or_(Backfill.lease_owner.is_(None), Backfill.lease_owner != owner))
        res = await self.session.execute(update(Backfill).where(
            Backfill.id == job_id, _open(),
            or_(Backfill.lease_until.is_(None), Backfill.lease_until < now, Backfill.lease_owner == owner),
        ).values(lease_owner=owner, lease_until=until,
                 status=case((Backfill.status.in_(("pending", "running")), "running"), else_=Backfill.status),
                 started_at=func.coalesce(Backfill.started_at, now),
                 resumes=Backfill.resumes + case((takeover, 1), else_=0),
                 resumed_at=case((takeover, literal(now, UTCDateTime())), else_=Backfill.resumed_at)))
        return affected(res) == 1

    async def save(self, job_id: int, *, owner: str, **values: Any) -> bool:
        """Record progress; False when the job is no longer ours (lease taken over)."""
        res = await self.session.execute(update(Backfill).where(
            Backfill.id == job_id, Backfill.lease_owner == owner).values(**values))
        return affected(res) == 1

    async def add_counts(self, job_id: int, *, owner: str, cursor: str | None, lease_until: dt.datetime,
                         reached_at: dt.datetime | None = None, finished_at: dt.datetime | None = None,
                         **counts: int) -> bool:
        """One page's work, with the cursor after it, in the same statement (resume point).
        ``reached_at``: the page's oldest message (pages go newest first); ``finished_at``:
        it was the last page, the job is done."""
        res = await self.session.execute(update(Backfill).where(
            Backfill.id == job_id, Backfill.lease_owner == owner).values(
            cursor=cursor, lease_until=lease_until, pages=Backfill.pages + 1,
            **({"reached_at": reached_at} if reached_at is not None else {}),
            **({"status": "done", "finished_at": finished_at} if finished_at is not None else {}),
            **{k: getattr(Backfill, k) + v for k, v in counts.items()}))
        return affected(res) == 1


class RateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _locked(self, team_id: str, method: str, *, now: dt.datetime) -> RateSlot:
        """The method's slot row, made if new, locked until the transaction ends."""
        await self.session.execute(
            insert_ignore(self.session, RateSlot.__table__, ["team_id", "method"]).values(
                team_id=team_id, method=method, next_at=now))
        row = await self.session.scalar(
            select(RateSlot).where(RateSlot.team_id == team_id, RateSlot.method == method)
            .with_for_update().execution_options(populate_existing=True))
        assert row is not None
        return row

    async def take(self, team_id: str, method: str, *, now: dt.datetime,
                   interval: dt.timedelta) -> dt.datetime:
        """Reserve the next slot for one call (returns when it may go out). Slots are
        ``interval`` apart across every process; a Retry-After pushes them all back."""
        row = await self._locked(team_id, method, now=now)
        slot = max(row.next_at, now, row.blocked_until or now)
        row.next_at = slot + interval
        await self.session.flush()
        return slot

    async def take_free(self, team_id: str, method: str, *, now: dt.datetime,
                        interval: dt.timedelta) -> dt.datetime | None:
        """Take the slot only if it is free now (None: go); else when to look again. Never
        reserves ahead, so a call ``take`` reserved (a capture a person asked for) keeps
        its turn: a backfill only ever uses slots nobody else wants."""
        row = await self._locked(team_id, method, now=now)
        free_at = max(row.next_at, row.blocked_until or now)
        if free_at > now:
            return free_at
        row.next_at = now + interval
        await self.session.flush()
        return None

    async def reserved(self, team_id: str, method: str, holder: str) -> dt.datetime | None:
        """The slot ``take`` reserved earlier for ``holder`` and kept for it (None: none)."""
        return await self.session.scalar(select(RateReservation.at).where(
            RateReservation.team_id == team_id, RateReservation.method == method,
            RateReservation.holder == holder))

    async def keep(self, team_id: str, method: str, holder: str, *, at: dt.datetime,
                   now: dt.datetime) -> None:
        """Keep the slot at ``at`` for ``holder``, who comes back for it then. Reservations
        an hour past their time were never used (their holder gave up): dropped here."""
        await self.session.execute(delete(RateReservation).where(
            RateReservation.at < now - dt.timedelta(hours=1)))
        await self.session.execute(
            insert_ignore(self.session, RateReservation.__table__, ["team_id", "method", "holder"])
            .values(team_id=team_id, method=method, holder=holder, at=at))
        await self.session.execute(update(RateReservation).where(
            RateReservation.team_id == team_id, RateReservation.method == method,
            RateReservation.holder == holder).values(at=at))

    async def waiting(self, team_id: str, prefix: str, *, after: dt.datetime) -> tuple[int, dt.datetime | None]:
        """How many holders starting with ``prefix`` (one person's) keep a slot of any
        method later than ``after``, and the earliest of those slots."""
        row = (await self.session.execute(
            select(func.count(distinct(RateReservation.holder)), func.min(RateReservation.at)).where(
                RateReservation.team_id == team_id, RateReservation.at > after,
                RateReservation.holder.startswith(prefix, autoescape=True)))).one()
        return int(row[0] or 0), row[1]

    async def used(self, team_id: str, method: str, holder: str) -> None:
        await self.session.execute(delete(RateReservation).where(
            RateReservation.team_id == team_id, RateReservation.method == method,
            RateReservation.holder == holder))

    async def blocked_until(self, team_id: str, method: str) -> dt.datetime | None:
        return await self.session.scalar(select(RateSlot.blocked_until).where(
            RateSlot.team_id == team_id, RateSlot.method == method))

    async def block(self, team_id: str, method: str, *, until: dt.datetime) -> None:
        await self.session.execute(update(RateSlot).where(
            RateSlot.team_id == team_id, RateSlot.method == method).values(
            blocked_until=until, next_at=func.max(RateSlot.next_at, until)
            if self.session.bind and self.session.bind.dialect.name == "sqlite"
            else func.greatest(RateSlot.next_at, until)))


class MessageChangeRepository:
    """Deletions and edits in a channel while its history is brought in (MessageChange)."""

    KEEP = dt.timedelta(hours=1)  # far longer than a page is in flight

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def note(self, team_id: str, channel_id: str, ts: str, *, deleted: bool, text: str | None,
                   now: dt.datetime) -> bool:
        """Remember the change if a backfill of the channel is under way; False otherwise (one
        indexed read: most channels have none)."""
        busy = await self.session.scalar(select(Backfill.id).where(
            Backfill.team_id == team_id, Backfill.channel_id == channel_id,
            Backfill.status.in_(("pending", "running"))))
        if busy is None:
            return False
        await self.session.execute(delete(MessageChange).where(
            MessageChange.team_id == team_id, MessageChange.channel_id == channel_id,
            MessageChange.at < now - self.KEEP))
        self.session.add(MessageChange(team_id=team_id, channel_id=channel_id, message_ts=ts,
                                       deleted=deleted, text=None if deleted else text, at=now))
        await self.session.flush()
        return True

    async def since(self, team_id: str, channel_id: str, *, since: dt.datetime) -> dict[str, MessageChange]:
        """Each message's last change since ``since``; a deletion wins over any edit."""
        rows = await self.session.scalars(select(MessageChange).where(
            MessageChange.team_id == team_id, MessageChange.channel_id == channel_id,
            MessageChange.at >= since).order_by(MessageChange.id))
        changes: dict[str, MessageChange] = {}
        for row in rows:
            if not (row.message_ts in changes and changes[row.message_ts].deleted):
                changes[row.message_ts] = row
        return changes

    async def clear(self, team_id: str, channel_id: str) -> None:
        await self.session.execute(delete(MessageChange).where(
            MessageChange.team_id == team_id, MessageChange.channel_id == channel_id))
