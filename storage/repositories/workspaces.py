"""Workspaces: one row per Slack team, created on first contact."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import WatchedChannel, Workspace, utcnow
from storage.repositories.upsert import affected, insert_ignore


class WorkspaceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ensure(self, team_id: str, **defaults: Any) -> Workspace:
        """The workspace row, created if this is the first time we hear from the team."""
        await self.session.execute(
            insert_ignore(self.session, Workspace.__table__, ["team_id"]).values(
                team_id=team_id, **_with_timestamps(defaults)
            )
        )
        ws = await self.get(team_id)
        assert ws is not None
        return ws

    async def get(self, team_id: str) -> Workspace | None:
        return await self.session.get(Workspace, team_id, populate_existing=True)

    async def all(self) -> list[Workspace]:
        return list((await self.session.scalars(select(Workspace).order_by(Workspace.team_id))).all())

    async def update(self, team_id: str, **values: Any) -> None:
        await self.session.execute(
            update(Workspace).where(Workspace.team_id == team_id).values(**values)
        )

    async def bump_model_version(self, team_id: str) -> None:
        """Tell every bot process that this workspace's classifier must be rebuilt."""
        await self.session.execute(
            update(Workspace)
            .where(Workspace.team_id == team_id)
            .values(model_version=Workspace.model_version + 1)
        )

    async def model_version(self, team_id: str) -> int:
        v = await self.session.scalar(
            select(Workspace.model_version).where(Workspace.team_id == team_id)
        )
        return int(v or 0)

    # Watched channels -------------------------------------------------------------

    async def watch(self, team_id: str, *, channel_id: str, added_by: str) -> bool:
        res = await self.session.execute(
            insert_ignore(self.session, WatchedChannel.__table__, ["team_id", "channel_id"]).values(
                team_id=team_id, channel_id=channel_id, added_by=added_by,
                created_at=utcnow(),
            )
        )
        return bool(affected(res))

    async def unwatch(self, team_id: str, *, channel_id: str) -> bool:
        row = await self.session.get(WatchedChannel, (team_id, channel_id))
        if row is None:
            return False
        await self.session.delete(row)
        return True

    async def is_watched(self, team_id: str, channel_id: str) -> bool:
        return await self.session.get(WatchedChannel, (team_id, channel_id)) is not None

    async def watched_channel(self, team_id: str, channel_id: str) -> WatchedChannel | None:
        return await self.session.get(WatchedChannel, (team_id, channel_id), populate_existing=True)

    async def set_bots(self, team_id: str, *, channel_id: str, bots: str, names: list[str]) -> bool:
        """Which other apps' posts a watched channel files; False if it is not watched."""
        res = await self.session.execute(
            update(WatchedChannel)
            .where(WatchedChannel.team_id == team_id, WatchedChannel.channel_id == channel_id)
            .values(bots=bots, bot_names=names))
        return affected(res) == 1

    async def watched(self, team_id: str) -> list[str]:
        rows = await self.session.scalars(
            select(WatchedChannel.channel_id)
            .where(WatchedChannel.team_id == team_id)
            .order_by(WatchedChannel.created_at)
        )
        return list(rows.all())


    async def note_chart_problem(self, team_id: str, problem: str | None) -> bool:
        """Record the chart-upload problem (None: charts work again). True when it is new,
        so whoever changed it tells the admin: once per problem, whatever the processes."""
        res = await self.session.execute(
            update(Workspace)
            .where(Workspace.team_id == team_id,
                   Workspace.chart_problem.is_distinct_from(problem))
            .values(chart_problem=problem)
        )
        return affected(res) == 1 and problem is not None


def _with_timestamps(values: dict[str, Any]) -> dict[str, Any]:
    now = utcnow()
    return {"created_at": now, "updated_at": now, **values}
