"""What the benches share: a scratch PostgreSQL database on the bench server.

``EARSHOT_BENCH_PG`` overrides the server URL (no database name; trust auth by default).
"""

from __future__ import annotations

import os
import uuid

import asyncpg

PG = os.environ.get("EARSHOT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")


async def create_scratch_database() -> str:
    """Create an empty database with a fresh name on the bench server; its name."""
    name = f"earshot_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(f"{PG}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return name


async def drop_scratch_database(name: str) -> None:
    admin = await asyncpg.connect(f"{PG}/postgres")
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()
