"""Test databases: a fresh one per run, built by the real migrations.

``EARSHOT_TEST_DB`` picks the backend: ``sqlite`` (default) or ``postgres``.
PostgreSQL runs get a database of their own with a fresh name, dropped at the end, so
runs never see each other's rows. ``EARSHOT_TEST_PG`` overrides the server URL.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import asyncpg

PG_SERVER = os.environ.get("EARSHOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432")


def backend() -> str:
    value = os.environ.get("EARSHOT_TEST_DB", "sqlite").lower()
    if value not in ("sqlite", "postgres"):
        raise RuntimeError(f"EARSHOT_TEST_DB must be sqlite or postgres, not {value!r}")
    return value


async def create_database(tmp: Path) -> str:
    """A new, empty database; returns its URL."""
    if backend() == "sqlite":
        return f"sqlite+aiosqlite:///{tmp / f'earshot-{uuid.uuid4().hex[:8]}.db'}"
    name = f"earshot_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(f"{PG_SERVER}/postgres")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return f"postgresql+asyncpg://{PG_SERVER.split('://', 1)[1]}/{name}"


async def drop_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(f"{PG_SERVER}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
