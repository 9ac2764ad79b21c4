"""Owed effects: Web API calls a capture owes Slack, claimed by one process at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OwedEffect
from storage.repositories.upsert import insert_ignore


@dataclass(frozen=True)
class Owed:
    """One Web API call to make: ``method`` with JSON-able ``args``, known by ``key``."""

    team_id: str
    key: str
    method: str
    args: dict[str, Any]
    attempts: int = 1  # claims so far, counted from the first failure once there was one
    failed: bool = False  # an earlier attempt failed (its error is recorded), not only lapsed


class EffectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def owe(self, owed: Sequence[Owed], *, now: dt.datetime, lease: dt.timedelta,
                  encoded: Sequence[str]) -> None:
        """Record ``owed`` (one statement), claimed by the caller until ``now + lease``.

        ``encoded`` is each effect's ``args`` as JSON (the caller encodes, so a value that
        cannot be encoded fails before the transaction). A key owed already is left as is.
        """
        if not owed:
            return
        rows = [
            {"team_id": o.team_id, "effect_key": o.key[:160], "method": o.method, "args": text,
             "created_at": now, "next_attempt_at": now, "lease_until": now + lease, "attempts": 1}
            for o, text in zip(owed, encoded, strict=True)
        ]
        await self.session.execute(
            insert_ignore(self.session, OwedEffect.__table__, ["team_id", "effect_key"]), rows)

    async def claim(self, team_id: str, keys: Sequence[str], *, now: dt.datetime,
                    lease: dt.timedelta) -> list[OwedEffect]:
        """Claim the effects among ``keys`` that nobody is sending now (after a crash)."""
        if not keys:
            return []
        return await self._claim(and_(OwedEffect.team_id == team_id,
                                      OwedEffect.effect_key.in_([k[:160] for k in keys])),
                                 now=now, lease=lease, limit=len(keys))

    async def claim_due(self, *, now: dt.datetime, lease: dt.timedelta, limit: int = 50) -> list[OwedEffect]:
        """Claim effects whose next attempt is due and that nobody is sending now."""
        return await self._claim(OwedEffect.next_attempt_at <= now, now=now, lease=lease, limit=limit)

    async def _claim(self, where: Any, *, now: dt.datetime, lease: dt.timedelta,
                     limit: int) -> list[OwedEffect]:
        free = or_(OwedEffect.lease_until.is_(None), OwedEffect.lease_until < now)
        ids = list((await self.session.scalars(
            select(OwedEffect.id).where(where, free).order_by(OwedEffect.id).limit(limit))).all())
        if not ids:
            return []
        # The lease condition again: of two processes claiming at once, one wins each row.
        claimed = await self.session.scalars(
            update(OwedEffect)
            .where(OwedEffect.id.in_(ids), free)
            .values(lease_until=now + lease, attempts=OwedEffect.attempts + 1)
            .returning(OwedEffect)
            .execution_options(synchronize_session=False)
        )
        return list(claimed.all())

    async def renew(self, team_id: str, keys: Sequence[str], *, until: dt.datetime) -> None:
        """Keep this process's claims on ``keys`` while their calls are in flight."""
        if keys:
            await self.session.execute(
                update(OwedEffect)
                .where(OwedEffect.team_id == team_id,
                       OwedEffect.effect_key.in_([k[:160] for k in keys]))
                .values(lease_until=until)
            )

    async def clear(self, team_id: str, keys: Sequence[str]) -> None:
        """Slack accepted these (or they can never be sent): forget them and their text."""
        if keys:
            await self.session.execute(delete(OwedEffect).where(
                OwedEffect.team_id == team_id, OwedEffect.effect_key.in_([k[:160] for k in keys])))

    async def retry_later(self, team_id: str, key: str, *, at: dt.datetime, error: str,
                          first: bool = False) -> None:
        """A failed call, tried again at ``at``. ``first``: its first failure, from which
        ``attempts`` counts again (claims that lapsed before it, a killed process's, were
        no failures, and the backoff counts failures)."""
        values: dict[str, Any] = {"next_attempt_at": at, "lease_until": None, "last_error": error[:500]}
        if first:
            values["attempts"] = 1
        await self.session.execute(
            update(OwedEffect)
            .where(OwedEffect.team_id == team_id, OwedEffect.effect_key == key[:160])
            .values(**values)
        )

    async def pending(self, team_id: str | None = None) -> list[OwedEffect]:
        stmt = select(OwedEffect).order_by(OwedEffect.id)
        if team_id is not None:
            stmt = stmt.where(OwedEffect.team_id == team_id)
        return list((await self.session.scalars(stmt)).all())
