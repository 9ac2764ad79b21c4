"""Handled posts: the claim that makes one Slack post act once (see models.HandledPost)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import HandledPost, utcnow
from storage.repositories.upsert import affected, insert_ignore


class PostRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, team_id: str, post_key: str) -> bool:
        """Claim the post in the caller's transaction: True the first time, False when any
        run (committed, or committing concurrently: the insert waits for it) had it."""
        res = await self.session.execute(
            insert_ignore(self.session, HandledPost.__table__, ["team_id", "post_key"])
            .values(team_id=team_id, post_key=post_key[:160], handled_at=utcnow()))
        return affected(res) > 0

    async def prune(self, *, older_than: dt.datetime) -> int:
        """Forget claims once no delivery of their post can come again."""
        res = await self.session.execute(delete(HandledPost).where(HandledPost.handled_at < older_than))
        return affected(res)
