"""Engine and session factory, and DATABASE_URL normalisation.

SQLite (the default) gets one pooled connection: several connections fight over SQLite's
single write lock and stall for seconds under load, while one connection serialises
writes cheaply. PostgreSQL gets a pool sized for the expected concurrency, because
asyncpg connections opened and closed under load cost more CPU than the queries.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

log = logging.getLogger(__name__)


def normalise_database_url(url: str) -> str:
    """Accept Heroku's ``postgres://`` and plain ``postgresql://``/``sqlite://`` URLs.

    Returns the async-driver form SQLAlchemy needs; raises ValueError for anything else.
    """
    url = url.strip()
    if url.startswith("postgres://"):
        url = "postgresql+asyncpg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url[len("postgresql://") :]
    elif url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        url = "sqlite+aiosqlite://" + url[len("sqlite://") :]
    try:
        parsed = make_url(url)
    except Exception as e:  # sqlalchemy raises ArgumentError for garbage
        raise ValueError("not a database URL") from e
    if parsed.drivername not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise ValueError("only SQLite and PostgreSQL are supported")
    return url


def is_sqlite(url_or_engine: str | AsyncEngine) -> bool:
    url = url_or_engine if isinstance(url_or_engine, str) else str(url_or_engine.url)
    return url.startswith("sqlite")


def create_engine(url: str, *, pool_size: int = 20, echo: bool = False) -> AsyncEngine:
    url = normalise_database_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        kwargs.update(pool_size=1, max_overflow=0, pool_timeout=30)
        if ":memory:" in url or url.rstrip("/").endswith("sqlite+aiosqlite:"):

            kwargs = {"echo": echo, "poolclass": StaticPool}
    else:
        kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


# WAL lets readers run beside the writer; foreign keys are off by default in SQLite. The
# default synchronous=FULL stays: a commit returns once the WAL is flushed to disk.
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=10000")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    for pragma in SQLITE_PRAGMAS:
        cur.execute(pragma)
    cur.close()


def sqlite_file(engine: AsyncEngine) -> str | None:
    """The engine's SQLite database file, or None (PostgreSQL, or an in-memory database that
    only the pool's one connection can see)."""
    if not is_sqlite(engine):
        return None
    path = engine.url.database
    return None if not path or path == ":memory:" or path.startswith("file:") else path


async def open_sqlite(path: str, *, yielding: bool = False) -> aiosqlite.Connection:
    """A connection to ``path`` outside any pool, with the pool's pragmas, in autocommit
    (the caller begins and commits its own transactions). ``yielding``: the connection's
    thread never preempts the thread that wakes it (``yield_on_wake``)."""
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        for pragma in SQLITE_PRAGMAS:
            await conn.execute(pragma)
        if yielding:
            await conn._execute(yield_on_wake)  # aiosqlite's way to run a call on its thread
    except BaseException:
        await conn.close()
        raise
    return conn


def yield_on_wake() -> None:
    """Put the calling thread in Linux's SCHED_BATCH class (no privilege needed; elsewhere a
    no-op): the same share of the CPU, but when woken it waits for the scheduler's next
    turn instead of preempting the thread that woke it. A driver thread woken by the event
    loop (a batch to write) otherwise took the loop's core at once, then waited for the GIL
    the preempted loop still held: dead time on a loaded machine. Timed alone
    (bench/thread_wake.py; docs/api.md, Throughput), a put of ~1 us took 12-140 us on average,
    the slowest 4-17 ms; 2-7 us with this, and the busy thread's CPU a hand-off 1-9 us lower.
    Its own work is unchanged."""
    policy = getattr(os, "SCHED_BATCH", None)
    if policy is None:
        return
    try:
        os.sched_setscheduler(0, policy, os.sched_param(0))  # 0: this thread, on Linux
    except OSError:
        log.debug("SCHED_BATCH refused; the thread keeps its class", exc_info=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One unit of work: commits on success, rolls back on error."""
    async with factory() as session, session.begin():
        yield session
