"""First contact with a workspace: its row, and the starter processes it begins with."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.processes.process_file import load_starter_processes
from storage.models import Process, Workspace, utcnow
from storage.repositories import WorkspaceRepository
from storage.repositories.processes import name_key
from storage.repositories.upsert import affected, insert_ignore


async def ensure_workspace(session: AsyncSession, team_id: str) -> Workspace:
    """The workspace, created with the documented starter processes on first contact."""
    repo = WorkspaceRepository(session)
    ws = await repo.ensure(team_id)
    if ws.processes_seeded:
        return ws
    now = utcnow()
    rows = [
        {
            "team_id": team_id, "name": d.name, "name_key": name_key(d.name),
            "description": d.description, "keywords": list(d.keywords),
            "owner_user_id": d.owner, "archived": False, "owner_alerts": True,
            "created_at": now, "updated_at": now,
        }
        for d in load_starter_processes()
    ]
    # Two first deliveries may race here: the unique name key makes the seed idempotent.
    res = await session.execute(
        update(Workspace)
        .where(Workspace.team_id == team_id, Workspace.processes_seeded.is_(False))
        .values(processes_seeded=True, model_version=Workspace.model_version + 1)
    )
    if affected(res):
        await session.execute(insert_ignore(session, Process.__table__, ["team_id", "name_key"]), rows)
    seeded = await repo.get(team_id)
    assert seeded is not None  # ensured above, in this transaction
    return seeded
