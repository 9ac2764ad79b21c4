"""What the database-only commands share (``processes``, ``workspace``, ``export``): the
database URL or a one-line error (exit 2), sessions, the workspace to work on."""

from __future__ import annotations

import asyncio
from typing import Any, NoReturn

from sqlalchemy.exc import SQLAlchemyError

from bot.cli.common import fail
from bot.config import DatabaseSettings, SettingsError, load_settings
from bot.domain.processes.registry import is_team_id
from storage.db import create_engine, session_factory
from storage.repositories import WorkspaceRepository


def fail_db(message: str) -> NoReturn:
    fail(message, status=2)


def database_url() -> str:
    try:
        return load_settings(DatabaseSettings).database_url
    except SettingsError as e:
        fail_db(str(e))


async def with_sessions(work: Any) -> Any:
    engine = create_engine(database_url())
    try:
        return await work(session_factory(engine))
    finally:
        await engine.dispose()


async def pick_team(sessions: Any, team: str | None, *, create: bool) -> str:
    """The workspace to work on: ``--team``, or the one installed in the database.

    Without ``--team``: the only workspace, or the only one still installed when the others
    were uninstalled (their data waits for its purge). Otherwise exit 2 listing them.
    """
    async with sessions() as session:
        workspaces = await WorkspaceRepository(session).all()
    known = [w.team_id for w in workspaces]
    if team:
        team = team.strip().upper()
        if team in known:
            return team
        if not create:
            fail_db(f"no workspace {team} in the database (known: {', '.join(known) or 'none yet'}).")
        if not is_team_id(team):
            fail_db(f"{team!r} is not a Slack team id (they look like T012AB3CD).")
        return team
    installed = [w.team_id for w in workspaces if w.uninstalled_at is None]
    if len(known) == 1:
        return known[0]
    if len(installed) == 1:
        return installed[0]
    if not known and create:
        fail_db("the database has no workspace yet: pass --team T012AB3CD (the Slack team id).")
    if not known:
        fail_db("the database has no workspace yet: a workspace appears once Earshot is installed "
                "in it and hears from it (is DATABASE_URL the bot's database?).")
    listed = ", ".join(f"{w.team_id} ({w.name})" if w.name else w.team_id for w in workspaces)
    fail_db(f"the database has {len(known)} workspaces ({listed}): pick one with --team.")


def run_db(coro: Any) -> Any:
    try:
        return asyncio.run(coro)
    except BrokenPipeError:
        raise  # the reader of our output went away: not the database's fault (bot/cli/main.py)
    except SQLAlchemyError as e:
        orig = getattr(e, "orig", None)  # the driver's own error, when SQLAlchemy wraps one
        reason = str(orig or e).splitlines()[0]
        fail_db(f"database error ({reason}); is DATABASE_URL right and `earshot migrate` done?")
    except OSError as e:
        fail_db(f"cannot reach the database ({e}); is DATABASE_URL right?")
