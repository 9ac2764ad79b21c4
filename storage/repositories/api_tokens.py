"""The intake API's tokens (hashed) and their per-minute request counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Integer, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ApiRate, ApiToken
from storage.repositories.upsert import affected, insert_for


class ApiTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(self, team_id: str, *, name: str, token_hash: str, created_by: str,
                     at: dt.datetime, rate_per_minute: int, scopes: str = "write") -> ApiToken | None:
        """A new live token; None when a live token of that name exists already."""
        token = ApiToken(team_id=team_id, name=name, token_hash=token_hash, created_by=created_by,
                         created_at=at, rate_per_minute=rate_per_minute, scopes=scopes)
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

    async def revoke_all(self, team_id: str, *, at: dt.datetime) -> int:
        """Every live token of the workspace revoked (it was uninstalled); how many."""
        res = await self.session.execute(
            update(ApiToken).where(ApiToken.team_id == team_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=at))
        return affected(res)

    async def by_hash(self, token_hash: str) -> ApiToken | None:
        """The token with this hash, in whichever workspace (the hash is its only name)."""
        return await self.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))

    async def touch(self, token_id: int, *, at: dt.datetime) -> None:
        await self.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=at))

    async def live_by_hashes(self, hashes: list[str]) -> dict[str, ApiToken]:
        rows = await self.session.scalars(
            select(ApiToken).where(ApiToken.token_hash.in_(hashes), ApiToken.revoked_at.is_(None)))
        return {t.token_hash: t for t in rows.all()}

    async def spend_if_live(self, token_id: int, *, window: int, n: int) -> int | None:
        """Count ``n`` requests in minute ``window`` if the token is still live (one
        statement: the revocation is read in the same INSERT ... SELECT); how many it has
        made in the window, or None when it is revoked (or gone)."""
        used = await self.session.scalar(_spend(self.session), {"tid": token_id, "win": window, "n": n})
        if used is not None and int(used) == n:  # a new window: drop the old ones
            await self.session.execute(
                delete(ApiRate).where(ApiRate.token_id == token_id, ApiRate.window < window))
        return None if used is None else int(used)


_SPEND: dict[str, Any] = {}


def _spend(session: AsyncSession) -> Any:
    """The rate upsert, built once per dialect with bound parameters: building its ON
    CONFLICT clause cost more than running it, once per acknowledged batch."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    if dialect not in _SPEND:
        stmt = insert_for(session, ApiRate.__table__).from_select(
            ["token_id", "window", "used"],
            select(ApiToken.id, bindparam("win", type_=Integer), bindparam("n", type_=Integer))
            .where(ApiToken.id == bindparam("tid", type_=Integer), ApiToken.revoked_at.is_(None)))
        _SPEND[dialect] = (stmt.on_conflict_do_update(index_elements=["token_id", "window"],
                                                      set_={"used": ApiRate.__table__.c.used + stmt.excluded.used})
                           .returning(ApiRate.__table__.c.used))
    return _SPEND[dialect]
