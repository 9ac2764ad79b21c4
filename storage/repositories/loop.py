"""Claims on the loop's outward messages (thread replies, praise notes, thank-you posts), the
praise each process owner's processes got, and the praise-note preference."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DigestRun, LoopClaim, Process, Remark, UserPrefs, Workspace, utcnow
from storage.repositories.upsert import affected, insert_ignore


@dataclass(frozen=True)
class Praised:
    team_id: str
    owner_user_id: str
    process_id: int
    process_name: str
    remark: Remark


class LoopClaimRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, team_id: str, kind: str, key: str, *, by: str | None, at: dt.datetime) -> bool:
        """Take the one claim on (kind, key); False if someone has it already."""
        res = await self.session.execute(
            insert_ignore(self.session, LoopClaim.__table__, ["team_id", "kind", "claim_key"])
            .values(team_id=team_id, kind=kind, claim_key=key[:160], claimed_by=by, claimed_at=at))
        return bool(affected(res))

    async def release(self, team_id: str, kind: str, key: str) -> None:
        """Give a claim back (nothing was posted: the message was out of reach)."""
        await self.session.execute(delete(LoopClaim).where(
            LoopClaim.team_id == team_id, LoopClaim.kind == kind, LoopClaim.claim_key == key[:160]))

    async def mark(self, team_id: str, kind: str, key: str, *, sent_at: dt.datetime | None = None,
                   error: str | None = None) -> None:
        await self.session.execute(
            update(LoopClaim).where(LoopClaim.team_id == team_id, LoopClaim.kind == kind,
                                    LoopClaim.claim_key == key[:160])
            .values(sent_at=sent_at, error=error[:500] if error else None))

    async def get(self, team_id: str, kind: str, key: str) -> LoopClaim | None:
        return (await self.session.scalars(select(LoopClaim).where(
            LoopClaim.team_id == team_id, LoopClaim.kind == kind, LoopClaim.claim_key == key[:160])
            .execution_options(populate_existing=True))).first()

    async def claimed(self, team_id: str, kind: str, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        rows = await self.session.scalars(select(LoopClaim.claim_key).where(
            LoopClaim.team_id == team_id, LoopClaim.kind == kind,
            LoopClaim.claim_key.in_([k[:160] for k in keys])))
        return set(rows.all())

    # Praise ------------------------------------------------------------------------------

    async def praise_for_owners(self, since: dt.datetime, until: dt.datetime) -> list[Praised]:
        """Praise captured in [since, until) on owned, live processes, for every installed
        workspace, most endorsed first."""
        rows = await self.session.execute(
            select(Process.team_id, Process.owner_user_id, Process.id, Process.name, Remark)
            .join(Remark, Remark.process_id == Process.id)
            .join(Workspace, Workspace.team_id == Process.team_id)
            .where(Process.owner_user_id.is_not(None), Process.archived.is_(False),
                   Workspace.uninstalled_at.is_(None), Remark.team_id == Process.team_id,
                   Remark.sentiment == "praise", Remark.said_at >= since, Remark.said_at < until)
            .order_by(Process.team_id, Process.owner_user_id, Process.name,
                      Remark.endorsements.desc(), Remark.said_at.desc()))
        return [Praised(t, str(o), pid, name, r) for t, o, pid, name, r in rows.all()]

    async def praise_of(self, team_id: str, process_id: int, *, since: dt.datetime,
                        until: dt.datetime, limit: int) -> list[Remark]:
        rows = await self.session.scalars(
            select(Remark).where(Remark.team_id == team_id, Remark.process_id == process_id,
                                 Remark.sentiment == "praise", Remark.said_at >= since,
                                 Remark.said_at < until)
            .order_by(Remark.endorsements.desc(), Remark.said_at.desc()).limit(limit))
        return list(rows.all())

    async def digest_periods(self, team_id: str, *, since: dt.datetime) -> list[dt.datetime]:
        """The starts of the periods whose digest was posted since ``since`` (their
        *Thank the team* buttons name those periods)."""
        rows = await self.session.scalars(
            select(DigestRun.period_start).where(DigestRun.team_id == team_id, DigestRun.status == "posted",
                                                 DigestRun.period_end >= since))
        return list(rows.all())

    async def wants_praise_notes(self, team_id: str, user_id: str) -> bool:
        value = await self.session.scalar(
            select(UserPrefs.praise_notes).where(UserPrefs.team_id == team_id,
                                                 UserPrefs.user_id == user_id))
        return True if value is None else bool(value)

    async def set_praise_notes(self, team_id: str, user_id: str, *, on: bool) -> None:
        now = utcnow()
        await self.session.execute(
            insert_ignore(self.session, UserPrefs.__table__, ["team_id", "user_id"]).values(
                team_id=team_id, user_id=user_id, praise_notes=on, updated_at=now))
        await self.session.execute(
            update(UserPrefs).where(UserPrefs.team_id == team_id, UserPrefs.user_id == user_id)
            .values(praise_notes=on, updated_at=now))
