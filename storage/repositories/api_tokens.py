"""The intake API's tokens (hashed) and their per-minute request counts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ApiRate, ApiToken
from storage.repositories.upsert import affected, insert_add


class ApiTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(self, team_id: str, *, name: str, token_hash: str, created_by: str,
                     at: dt.datetime, rate_per_minute: int) -> ApiToken | None:
        """A new live token; None when a live token of that name exists already."""
        token = ApiToken(team_id=team_id, name=name, token_hash=token_hash, created_by=created_by,
                         created_at=at, rate_per_minute=rate_per_minute)
        try:
            async with self.session.begin_nested():
                self.session.add(token)
                await self.session.flush()
        except IntegrityError:
            return None
        return token

    async def listed(self, team_id: str, *, include_revoked: bool = False) -> list[ApiToken]:
        stmt = select(ApiToken).where(ApiToken.team_id == team_id)
        if not include_revoked:
            stmt = stmt.where(ApiToken.revoked_at.is_(None))
        return list((await self.session.scalars(stmt.order_by(ApiToken.name, ApiToken.id))).all())

    async def revoke(self, team_id: str, *, name: str, at: dt.datetime) -> bool:
        res = await self.session.execute(
            update(ApiToken)
            .where(ApiToken.team_id == team_id, ApiToken.name == name, ApiToken.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return bool(affected(res))

    async def by_hash(self, token_hash: str) -> ApiToken | None:
        """The token with this hash, in whichever workspace (the hash is its only name)."""
        return await self.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))

    async def spend(self, token_id: int, *, window: int) -> int:
        """Count one request in minute ``window``; how many it has made in it, this one included.

        One statement in the caller's transaction: an upsert that adds 1, so concurrent
        requests from several processes each see their own count. Older windows of the
        token are dropped when a new one starts.
        """
        return await self.spend_many(token_id, window=window, n=1)

    async def touch(self, token_id: int, *, at: dt.datetime) -> None:
        await self.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=at))

    async def by_hashes(self, hashes: list[str]) -> dict[str, ApiToken]:
        rows = await self.session.scalars(select(ApiToken).where(ApiToken.token_hash.in_(hashes)))
        return {t.token_hash: t for t in rows.all()}

    async def spend_many(self, token_id: int, *, window: int, n: int) -> int:
        """Count ``n`` requests in minute ``window`` at once; how many it has made in it."""
        used = int(await self.session.scalar(
            insert_add(self.session, ApiRate.__table__, ["token_id", "window"], ["used"])
            .values(token_id=token_id, window=window, used=n)
            .returning(ApiRate.__table__.c.used)
        ) or 0)
        if used == n:
            await self.session.execute(
                delete(ApiRate).where(ApiRate.token_id == token_id, ApiRate.window < window))
        return used
