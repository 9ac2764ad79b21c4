"""Run Alembic migrations programmatically (``earshot migrate``, and ``serve`` on SQLite)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", database_url)
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema to ``revision``. Blocking: call from a thread inside an event loop."""
    command.upgrade(alembic_config(database_url), revision)


async def upgrade_async(database_url: str, revision: str = "head") -> None:
    # env.py runs its own event loop, so it needs a thread of its own.
    await asyncio.to_thread(upgrade, database_url, revision)


async def is_current(database_url: str) -> bool:
    """Whether the database is at the newest migration."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from storage.db import create_engine

    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            try:
                current = await conn.scalar(text("SELECT version_num FROM alembic_version"))
            except Exception:
                return False
    finally:
        await engine.dispose()
    return current == head
