"""Alembic environment: async engine, URL from Earshot's settings (or the caller's config)."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from storage.db import create_engine, is_sqlite, normalise_database_url
from storage.models import Base
from storage.repositories.installations import OAUTH_METADATA

config = context.config
# Earshot's models, and slack-sdk's OAuth tables (migration 0007).
target_metadata = [Base.metadata, OAUTH_METADATA]


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    # `alembic` run by hand: the same variable Earshot reads (storage never imports bot).
    return normalise_database_url(os.environ.get("DATABASE_URL", "sqlite:///earshot.db"))


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=is_sqlite(_url()))
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    if connection.dialect.name == "sqlite" and not connection.in_transaction():
        # Batch mode rebuilds a table (copy, drop, rename); with foreign keys on, the drop
        # would cascade into every row that references the table. SQLite changes this only
        # outside a transaction; a migration checks the keys itself (PRAGMA foreign_key_check).
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    # Batch mode lets ALTER-style changes work on SQLite (it rebuilds the table).
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        asyncio.run(run_migrations_online())
