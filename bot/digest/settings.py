"""Reading and changing a workspace's digest settings, and building a preview.

The scheduler polls the workspaces table, so a change saved here takes effect in every
clock process within one poll, without a restart.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.digest.build import Digest, build_digest, schedule_of
from bot.digest.periods import WEEKDAYS, Period, current_period, due_period, period_containing
from bot.domain.acting import Asker, require_admin
from bot.domain.processes.starter import ensure_workspace
from bot.domain.services import Services
from storage.db import transaction
from storage.models import Workspace
from storage.repositories.workspaces import WorkspaceRepository


async def workspace(services: Services, team_id: str) -> Workspace:
    async with transaction(services.sessions) as session:
        return await ensure_workspace(session, team_id)


async def save(
    services: Services, team_id: str, *, by: str, by_tz: str | None = None,
    asker: Asker | None = None, **values: Any
) -> Workspace:
    """Store digest settings. The first admin to configure the digest becomes the person
    told about delivery problems (unless an installer is known), and their Slack time zone
    becomes the workspace's (unless one was chosen). Admins only (``asker``)."""
    await require_admin(asker, team_id)
    async with transaction(services.sessions) as session:
        ws = await ensure_workspace(session, team_id)
        if ws.installer_user_id is None:
            values.setdefault("installer_user_id", by)
        if ws.timezone is None and by_tz and "timezone" not in values:
            values["timezone"] = by_tz
        values["updated_at"] = services.clock()
        repo = WorkspaceRepository(session)
        await repo.update(team_id, **values)
        updated = await repo.get(team_id)
        assert updated is not None  # ensured above, in this transaction
        return updated


def describe(ws: Workspace, default_tz: str = "UTC") -> str:
    """One line: where and when the digest goes out."""
    schedule = schedule_of(ws, default_tz)
    when = f"every {WEEKDAYS[schedule.weekday].capitalize()} at {schedule.time} ({schedule.tz.key})"
    where = f"to <#{ws.digest_channel_id}>" if ws.digest_channel_id else "nowhere yet (no channel set)"
    state = "on" if ws.digest_enabled else "*off*"
    chart = "with" if ws.digest_chart else "without"
    return f"The weekly digest is {state}: posted {where} {when}, {chart} a chart."


async def preview(services: Services, team_id: str, *, now: dt.datetime | None = None) -> Digest:
    """The digest of the period in progress, so far."""
    ws = await workspace(services, team_id)
    schedule = schedule_of(ws, services.settings.default_timezone)
    period = current_period(schedule, now or services.clock())
    return await build_digest(services.sessions, ws, period,
                              default_tz=services.settings.default_timezone, in_progress=True,
                              capture_emoji=services.settings.main_capture_emoji)


def pick_period(ws: Workspace, default_tz: str, now: dt.datetime, day: dt.date | None) -> Period:
    """The period containing ``day``, or the latest one whose slot has passed."""
    schedule = schedule_of(ws, default_tz)
    if day is None:
        return due_period(schedule, now)
    return period_containing(schedule, day)
