"""Tracker deliveries already applied, and the response_url behind an open modal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TrackerDelivery, ViewReply
from storage.repositories.upsert import affected, insert_ignore


class TrackerDeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, team_id: str, *, service: str, delivery_id: str, body_sha256: str,
                     at: dt.datetime) -> bool:
        """Record a delivery; False if it (its id, or the same body) was recorded already.
        Concurrent copies wait on the unique keys, so exactly one of them gets True."""
        res = await self.session.execute(
            insert_ignore(self.session, TrackerDelivery.__table__, [])
            .values(team_id=team_id, service=service, delivery_id=delivery_id,
                    body_sha256=body_sha256, received_at=at))
        return affected(res) == 1

    async def seen(self, team_id: str, *, service: str, delivery_id: str, body_sha256: str) -> bool:
        found = await self.session.scalar(
            select(TrackerDelivery.id).where(
                TrackerDelivery.team_id == team_id, TrackerDelivery.service == service,
                (TrackerDelivery.delivery_id == delivery_id) | (TrackerDelivery.body_sha256 == body_sha256))
            .limit(1))
        return found is not None

    async def prune(self, *, received_before: dt.datetime) -> int:
        """Forget deliveries older than the replay window (every workspace: housekeeping)."""
        res = await self.session.execute(
            delete(TrackerDelivery).where(TrackerDelivery.received_at < received_before))
        return affected(res)


class ViewReplyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def remember(self, team_id: str, *, view_id: str, user_id: str, remark_id: int,
                       response_url: str, at: dt.datetime) -> None:
        await self.session.execute(
            insert_ignore(self.session, ViewReply.__table__, ["team_id", "view_id"])
            .values(team_id=team_id, view_id=view_id, user_id=user_id, remark_id=remark_id,
                    response_url=response_url, created_at=at))

    async def get(self, team_id: str, view_id: str) -> ViewReply | None:
        return await self.session.scalar(
            select(ViewReply).where(ViewReply.team_id == team_id, ViewReply.view_id == view_id))

    async def prune(self, *, created_before: dt.datetime) -> int:
        """Forget replies whose response_url Slack no longer honours (every workspace)."""
        res = await self.session.execute(delete(ViewReply).where(ViewReply.created_at < created_before))
        return affected(res)
