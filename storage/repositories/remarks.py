"""Remarks and their captures, with the daily roll-up kept in step in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from storage.models import Capture, Remark, RemarkDaily, RemarkMerge, utcnow
from storage.repositories.upsert import affected, insert_add, insert_ignore


class RemarkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Reading ------------------------------------------------------------------------

    async def get(self, team_id: str, remark_id: int) -> Remark | None:
        return await self.session.scalar(
            select(Remark)
            .where(Remark.team_id == team_id, Remark.id == remark_id)
            .execution_options(populate_existing=True)
        )

    async def by_source(self, team_id: str, source_key: str) -> Remark | None:
        return await self.session.scalar(
            select(Remark)
            .where(Remark.team_id == team_id, Remark.source_key == source_key)
            .execution_options(populate_existing=True)
        )

    async def by_source_or_merged(self, team_id: str, source_key: str) -> Remark | None:
        """The remark of this Slack message, or the earlier remark a person merged it into
        ("Same as this one"), so a later capture of it endorses that one."""
        merged_into = (select(RemarkMerge.into_remark_id)
                       .where(RemarkMerge.team_id == team_id, RemarkMerge.source_key == source_key)
                       .limit(1).scalar_subquery())
        return await self.session.scalar(
            select(Remark)
            .where(Remark.team_id == team_id,
                   or_(Remark.source_key == source_key, Remark.id == merged_into))
            .order_by((Remark.source_key == source_key).desc())
            .limit(1)
            .execution_options(populate_existing=True)
        )

    async def by_sources(self, team_id: str, source_keys: list[str]) -> dict[str, Remark]:
        """``by_source_or_merged`` for many keys at once (two statements): key -> remark."""
        if not source_keys:
            return {}
        rows = await self.session.scalars(
            select(Remark).where(Remark.team_id == team_id, Remark.source_key.in_(source_keys)))
        found = {r.source_key: r for r in rows.all()}
        merged = (await self.session.execute(
            select(RemarkMerge.source_key, Remark)
            .join(Remark, and_(Remark.team_id == RemarkMerge.team_id, Remark.id == RemarkMerge.into_remark_id))
            .where(RemarkMerge.team_id == team_id,
                   RemarkMerge.source_key.in_([k for k in source_keys if k not in found]))
        )).all()
        found.update({key: remark for key, remark in merged})
        return found

    async def captures(self, team_id: str, remark_id: int) -> list[Capture]:
        rows = await self.session.scalars(
            select(Capture)
            .where(Capture.team_id == team_id, Capture.remark_id == remark_id)
            .order_by(Capture.created_at, Capture.id)
        )
        return list(rows.all())

    async def recent_for_user(self, team_id: str, user_id: str, *, limit: int = 10) -> list[Remark]:
        """The remarks ``user_id`` captured, newest capture first."""
        latest = (
            select(Capture.remark_id, func.max(Capture.created_at).label("at"))
            .where(Capture.team_id == team_id, Capture.user_id == user_id)
            .group_by(Capture.remark_id)
            .subquery()
        )
        rows = await self.session.scalars(
            select(Remark)
            .join(latest, latest.c.remark_id == Remark.id)
            .where(Remark.team_id == team_id)
            .order_by(latest.c.at.desc(), Remark.id.desc())
            .limit(limit)
        )
        return list(rows.all())

    async def all(self, team_id: str, *, limit: int = 10_000) -> list[Remark]:
        """A workspace's remarks, oldest first (exports, the demo's CSV)."""
        rows = await self.session.scalars(
            select(Remark)
            .where(Remark.team_id == team_id)
            .order_by(Remark.said_at, Remark.id)
            .limit(limit)
        )
        return list(rows.all())

    async def unfiled(self, team_id: str, *, limit: int = 10) -> list[Remark]:
        """Remarks that still need a process, newest first."""
        rows = await self.session.scalars(
            select(Remark)
            .where(Remark.team_id == team_id, Remark.process_id.is_(None))
            .order_by(Remark.said_at.desc(), Remark.id.desc())
            .limit(limit)
        )
        return list(rows.all())

    async def unfiled_count(self, team_id: str) -> int:
        return int(
            await self.session.scalar(
                select(func.count()).select_from(Remark)
                .where(Remark.team_id == team_id, Remark.process_id.is_(None))
            )
            or 0
        )

    async def labelled(self, team_id: str, *, limit: int = 5000) -> list[Remark]:
        """Remarks a person filed or whose sentiment a person set: the classifier's lessons."""
        rows = await self.session.scalars(
            select(Remark)
            .where(
                Remark.team_id == team_id,
                (Remark.process_decided_by.is_not(None)) | (Remark.sentiment_decided_by.is_not(None)),
            )
            .order_by(Remark.id.desc())
            .limit(limit)
        )
        return list(rows.all())

    # Writing ------------------------------------------------------------------------

    async def upsert(self, team_id: str, *, source_key: str, **fields: Any) -> tuple[Remark, bool]:
        """The remark for ``source_key``, created if new. Safe against racing duplicates."""
        now = utcnow()
        values = {"said_at": now, "created_at": now, "updated_at": now, **fields}
        res = await self.session.execute(
            insert_ignore(self.session, Remark.__table__, ["team_id", "source_key"]).values(
                team_id=team_id, source_key=source_key, **values
            )
        )
        created = bool(affected(res))
        remark = await self.by_source(team_id, source_key)
        assert remark is not None
        if created:
            await self._bump(remark, remarks=1)
        return remark, created

    async def create_with_capture(
        self, team_id: str, *, source_key: str, values: dict[str, Any], capture: dict[str, Any]
    ) -> Remark | None:
        """Insert a new remark with its first capture (three statements, no read back).

        Returns the remark (not attached to the session), or None when a remark with this
        key exists already (two first captures raced): the caller endorses it instead.
        """
        now = utcnow()
        row = {"said_at": now, "created_at": now, "updated_at": now, **values,
               "team_id": team_id, "source_key": source_key, "endorsements": 1}
        new_id = await self.session.scalar(
            insert_ignore(self.session, Remark.__table__, ["team_id", "source_key"])
            .values(**row).returning(Remark.__table__.c.id)
        )
        if new_id is None:
            return None
        at = capture.pop("at", None) or now
        await self.session.execute(
            insert(Capture).values(team_id=team_id, remark_id=new_id, created_at=at, **capture))
        remark = Remark(id=new_id, **row)
        await self._bump(remark, remarks=1, endorsements=1)
        return remark

    async def create_many_with_captures(
        self, team_id: str, items: list[tuple[str, dict[str, Any], dict[str, Any]]]
    ) -> dict[str, Remark]:
        """``create_with_capture`` for many (key, values, capture) at once: a few multi-row
        statements instead of three per remark. Returns key -> remark for those inserted (a
        key another writer took meanwhile is left out: the caller endorses it instead)."""
        now = utcnow()
        rows: dict[str, dict[str, Any]] = {}
        for key, values, _ in items:
            rows[key] = {"said_at": now, "created_at": now, "updated_at": now, **values,
                         "team_id": team_id, "source_key": key, "endorsements": 1}
        # One executemany per set of columns (insertmanyvalues batches each into multi-row
        # INSERTs); rows of a set are alike, so no column falls back to another default.
        shapes: dict[frozenset[str], list[dict[str, Any]]] = {}
        for row in rows.values():
            shapes.setdefault(frozenset(row), []).append(row)
        table = Remark.__table__
        ids: dict[str, int] = {}
        for same in shapes.values():
            res = await self.session.execute(
                insert_ignore(self.session, table, ["team_id", "source_key"])
                .returning(table.c.id, table.c.source_key), same)
            ids.update({key: int(i) for i, key in res.all()})
        if not ids:
            return {}
        captures = []
        for key, _, capture in items:
            if key in ids:
                c = dict(capture)
                at = c.pop("at", None) or now
                captures.append({"team_id": team_id, "remark_id": ids[key], "created_at": at, **c})
        await self.session.execute(insert(Capture), captures)
        made = {key: Remark(id=ids[key], **rows[key]) for key in ids}
        counts: dict[tuple[dt.date, int, str], int] = {}
        for r in made.values():
            cell = (_day(r.said_at), r.process_id or 0, r.sentiment)
            counts[cell] = counts.get(cell, 0) + 1
        await self.session.execute(
            insert_add(self.session, RemarkDaily.__table__, ["team_id", "day", "process_id", "sentiment"],
                       ["remarks", "endorsements"]),
            [{"team_id": team_id, "day": d, "process_id": p, "sentiment": s, "remarks": n, "endorsements": n}
             for (d, p, s), n in counts.items()])
        return made

    async def endorse(
        self, remark: Remark, *, user_id: str, route: str, note: str | None = None,
        channel_id: str | None = None, at: dt.datetime | None = None,
    ) -> bool:
        """Add a teammate's capture to ``remark`` (three statements); False for a repeat."""
        res = await self.session.execute(
            insert_ignore(
                self.session, Capture.__table__, ["team_id", "remark_id", "user_id", "route"]
            ).values(
                team_id=remark.team_id, remark_id=remark.id, user_id=user_id, route=route,
                note=note, channel_id=channel_id, created_at=at or utcnow(),
            )
        )
        if not affected(res):
            return False
        await self.session.execute(
            update(Remark)
            .where(Remark.team_id == remark.team_id, Remark.id == remark.id)
            .values(endorsements=Remark.endorsements + 1)
            .execution_options(synchronize_session=False)
        )
        # Keep the loaded object in step without marking it dirty (no extra UPDATE at commit).
        set_committed_value(remark, "endorsements", remark.endorsements + 1)
        await self._bump(remark, endorsements=1)
        return True

    async def endorse_many(self, items: list[tuple[Remark, dict[str, Any]]]) -> set[int]:
        """``endorse`` for many (remark, capture) at once: one statement when every capture
        is a repeat (a re-import), and three more per capture that is new. The remarks
        that got a new capture."""
        if not items:
            return set()
        table = Capture.__table__
        res = await self.session.execute(
            insert_ignore(self.session, table, ["team_id", "remark_id", "user_id", "route"])
            .returning(table.c.remark_id),
            [{"team_id": r.team_id, "remark_id": r.id, "user_id": c["user_id"], "route": c["route"],
              "note": c.get("note"), "channel_id": c.get("channel_id"), "created_at": c.get("at") or utcnow()}
             for r, c in items])
        created = {int(rid) for (rid,) in res.all()}
        done: set[int] = set()
        for remark, _ in items:
            if remark.id in created and remark.id not in done:
                done.add(remark.id)
                await self.session.execute(
                    update(Remark).where(Remark.team_id == remark.team_id, Remark.id == remark.id)
                    .values(endorsements=Remark.endorsements + 1).execution_options(synchronize_session=False))
                set_committed_value(remark, "endorsements", remark.endorsements + 1)
                await self._bump(remark, endorsements=1)
        return created

    async def add_capture(
        self,
        team_id: str,
        *,
        remark_id: int,
        user_id: str,
        route: str,
        note: str | None = None,
        channel_id: str | None = None,
        at: dt.datetime | None = None,
    ) -> bool:
        """Record one teammate's capture of remark ``remark_id`` (``endorse`` by id); False
        when they had captured it by that route already, or the remark is gone."""
        remark = await self.get(team_id, remark_id)
        if remark is None:
            return False
        return await self.endorse(remark, user_id=user_id, route=route, note=note,
                                  channel_id=channel_id, at=at)

    async def withdraw_capture(
        self, team_id: str, *, remark_id: int, user_id: str, route: str | None = None
    ) -> tuple[int, bool]:
        """Remove a teammate's capture(s). Returns (captures removed, remark deleted)."""
        cond = [Capture.team_id == team_id, Capture.remark_id == remark_id, Capture.user_id == user_id]
        if route is not None:
            cond.append(Capture.route == route)
        res = await self.session.execute(delete(Capture).where(and_(*cond)))
        removed = affected(res)
        if not removed:
            return 0, False
        await self.session.execute(
            update(Remark)
            .where(Remark.team_id == team_id, Remark.id == remark_id)
            .values(endorsements=Remark.endorsements - removed)
        )
        remark = await self.get(team_id, remark_id)
        if remark is None:
            return removed, False
        await self._bump(remark, endorsements=-removed)
        if remark.endorsements <= 0:
            await self.delete(team_id, remark.id)
            return removed, True
        return removed, False

    async def delete(self, team_id: str, remark_id: int) -> bool:
        """Remove a remark, its text and its captures from Earshot."""
        remark = await self.get(team_id, remark_id)
        if remark is None:
            return False
        await self._bump(remark, remarks=-1, endorsements=-remark.endorsements)
        await self.session.execute(
            delete(Capture).where(Capture.team_id == team_id, Capture.remark_id == remark_id)
        )
        await self.session.execute(
            delete(Remark).where(Remark.team_id == team_id, Remark.id == remark_id)
        )
        return True

    async def update_fields(self, remark: Remark, **values: Any) -> Remark:
        """Change a remark, moving its roll-up counts when process or sentiment change."""
        moves = {"process_id", "sentiment", "said_at"} & values.keys()
        if moves:
            await self._bump(remark, remarks=-1, endorsements=-remark.endorsements)
        values["updated_at"] = utcnow()
        await self.session.execute(
            update(Remark).where(Remark.team_id == remark.team_id, Remark.id == remark.id).values(**values)
        )
        fresh = await self.get(remark.team_id, remark.id)
        assert fresh is not None
        if moves:
            await self._bump(fresh, remarks=1, endorsements=fresh.endorsements)
        return fresh

    async def _bump(self, remark: Remark, *, remarks: int = 0, endorsements: int = 0) -> None:
        if not remarks and not endorsements:
            return
        await self.session.execute(
            insert_add(
                self.session, RemarkDaily.__table__,
                ["team_id", "day", "process_id", "sentiment"], ["remarks", "endorsements"],
            ).values(
                team_id=remark.team_id,
                day=_day(remark.said_at),
                process_id=remark.process_id or 0,
                sentiment=remark.sentiment,
                remarks=remarks,
                endorsements=endorsements,
            )
        )


def _day(at: dt.datetime) -> dt.date:
    return at.astimezone(dt.UTC).date()
