"""Run Alembic migrations programmatically (``earshot migrate``, and ``serve`` on SQLite)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from storage.db import create_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration. `serve` compares the database with it without importing Alembic
# (with its templates, a few hundred ms of start-up); tests/unit/test_migrations.py checks
# that it is Alembic's head.
HEAD = "0024_pacing"


class SchemaNotCurrent(RuntimeError):
    """The database cannot be used as it is; the message says why and what to do."""


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", database_url)
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema to ``revision``. Blocking: call from a thread inside an event loop."""
    # Alembic's INFO lines ("setup plugin ...", "Will assume transactional DDL") are noise
    # to someone running `earshot migrate`; warnings and errors still show.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)


async def upgrade_async(database_url: str, revision: str = "head") -> None:
    # env.py runs its own event loop, so it needs a thread of its own.
    await asyncio.to_thread(upgrade, database_url, revision)


def head_revision(database_url: str) -> str | None:
    """Alembic's own idea of the newest migration (what HEAD must equal)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


async def check_current(database_url: str) -> None:
    """Raise SchemaNotCurrent unless the database answers and is at the newest migration.

    A database that cannot be reached is reported as such (with the driver's reason), not
    as an old schema: the fix is different.
    """
    head = HEAD
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            try:
                current = await conn.scalar(text("SELECT version_num FROM alembic_version"))
            except (ProgrammingError, OperationalError):  # no alembic_version table yet
                current = None
    except (OSError, DBAPIError) as e:
        reason = getattr(e, "orig", None) or e
        raise SchemaNotCurrent(
            f"cannot reach the database ({type(reason).__name__}: {reason}); check DATABASE_URL "
            "and that the server is running"
        ) from None
    finally:
        await engine.dispose()
    if current is None:
        raise SchemaNotCurrent(
            "the database has no Earshot schema yet: run `earshot migrate` first"
        )
    if current != head:
        raise SchemaNotCurrent(
            f"the database schema is at revision {current}, this version needs "
            f"{head}: run `earshot migrate` first"
        )
