"""The intake API's acknowledged batch: spend the tokens' per-minute budgets and store the
requests within them as inbox deliveries, all or nothing.

On PostgreSQL that is one statement (data-modifying CTEs commit together, and in autocommit
the server answers only once the commit is flushed), so a batch costs one round trip. SQLite
has no INSERT inside WITH: there the same happens as several statements in the caller's
transaction, which SQLite's single writer makes just as atomic.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple, cast

import aiosqlite
from sqlalchemy import text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ApiToken, Delivery


class Row(NamedTuple):  # a tuple: one is made per request
    """A delivery to store iff ``rank`` + the token's count after the batch's spend <= ``cap``."""

    token_id: int
    rank: int
    cap: int
    team_id: str
    delivery_key: str
    body: str


# Every array is one column of the batch; WITH ORDINALITY keeps the arrival order in the ids.
# "cleared" drops the token's past windows (none, mostly: a primary-key range probe). Rate
# rows are locked in token order, so two web processes' batches cannot deadlock on them.
_PG = text("""
WITH spent AS (
    INSERT INTO api_rate (token_id, "window", used)
    SELECT t.id, CAST(:win AS INTEGER), s.n
    FROM unnest(CAST(:tids AS INTEGER[]), CAST(:ns AS INTEGER[])) AS s(tid, n)
    JOIN api_tokens AS t ON t.id = s.tid AND t.revoked_at IS NULL
    ORDER BY t.id
    ON CONFLICT (token_id, "window") DO UPDATE SET used = api_rate.used + excluded.used
    RETURNING token_id, used
), cleared AS (
    DELETE FROM api_rate
    WHERE token_id = ANY(CAST(:tids AS INTEGER[])) AND "window" < CAST(:win AS INTEGER)
), touched AS (
    UPDATE api_tokens SET last_used_at = CAST(:at AS TIMESTAMP WITH TIME ZONE)
    WHERE id = ANY(CAST(:touch AS INTEGER[])) AND revoked_at IS NULL
), stored AS (
    INSERT INTO deliveries (team_id, delivery_key, kind, body, received_at, attempts)
    SELECT r.team_id, r.delivery_key, CAST(:kind AS VARCHAR), r.body,
           CAST(:at AS TIMESTAMP WITH TIME ZONE), 0
    FROM unnest(CAST(:r_tid AS INTEGER[]), CAST(:r_rank AS INTEGER[]), CAST(:r_cap AS INTEGER[]),
                CAST(:r_team AS VARCHAR[]), CAST(:r_key AS VARCHAR[]), CAST(:r_body AS TEXT[]))
         WITH ORDINALITY AS r(tid, rank, cap, team_id, delivery_key, body, ord)
    JOIN spent AS s ON s.token_id = r.tid
    WHERE r.rank + s.used <= r.cap
    ORDER BY r.ord
)
SELECT token_id, used FROM spent
""")


def _native(sql: str) -> tuple[str, tuple[str, ...]]:
    """``sql`` with asyncpg's ``$n`` placeholders for its ``:name`` ones, and the names in
    their order (the statement has no ``::`` casts: it casts with CAST)."""
    names: list[str] = []

    def number(m: re.Match[str]) -> str:
        if m.group(1) not in names:
            names.append(m.group(1))
        return f"${names.index(m.group(1)) + 1}"

    return re.sub(r"(?<![:\w]):(\w+)", number, sql), tuple(names)


# The same statement for asyncpg itself: no SQLAlchemy between the writer and the driver.
_PG_NATIVE, _PG_NAMES = _native(_PG.text)


def _pg_params(*, window: int, spends: dict[int, int], touch: Collection[int], rows: Sequence[Row],
               kind: str, at: dt.datetime) -> dict[str, Any]:
    return {"win": window, "tids": list(spends), "ns": list(spends.values()), "at": at,
            "touch": list(touch), "kind": kind,
            "r_tid": [r.token_id for r in rows], "r_rank": [r.rank for r in rows],
            "r_cap": [r.cap for r in rows], "r_team": [r.team_id for r in rows],
            "r_key": [r.delivery_key for r in rows], "r_body": [r.body for r in rows]}


async def store_pg(raw: Any, *, window: int, spends: dict[int, int], touch: Collection[int],
                   rows: Sequence[Row], kind: str, at: dt.datetime) -> dict[int, int]:
    """``spend_and_store`` on PostgreSQL, sent by asyncpg's connection ``raw`` itself (in
    autocommit: the statement commits whole, and the server answers once it is flushed).
    Through SQLAlchemy's session the same statement cost ~0.4 ms more CPU a batch (the
    session, the compiled-statement cache, the adapter's cursor and its trips through
    greenlets: docs/api.md, Throughput); asyncpg keeps the statement prepared."""
    if not spends:
        return {}
    params = _pg_params(window=window, spends=spends, touch=touch, rows=rows, kind=kind, at=at)
    got = await raw.fetch(_PG_NATIVE, *(params[n] for n in _PG_NAMES))
    return {int(t): int(u) for t, u in got}


class ApiIntakeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def spend_and_store(self, *, window: int, spends: dict[int, int], touch: Collection[int],
                              rows: Sequence[Row], kind: str, at: dt.datetime) -> dict[int, int]:
        """Count ``spends`` (token id -> requests) in minute ``window`` for the live tokens,
        set ``last_used_at`` of ``touch``, store the ``rows`` within budget; each live token's
        count after the spend (a revoked or unknown token is missing)."""
        if not spends:
            return {}
        if self.session.get_bind().dialect.name == "postgresql":
            res = await self.session.execute(_PG, _pg_params(window=window, spends=spends, touch=touch,
                                                             rows=rows, kind=kind, at=at))
            return {int(t): int(u) for t, u in res.all()}
        return await self._sqlite(window=window, spends=spends, touch=touch, rows=rows, kind=kind, at=at)

    async def _sqlite(self, *, window: int, spends: dict[int, int], touch: Collection[int],
                      rows: Sequence[Row], kind: str, at: dt.datetime) -> dict[int, int]:
        # On the driver's own connection, inside the session's transaction (the session's
        # own commit after it finds nothing left to commit). Durable as before: the same
        # connection, the same commit.
        conn = await self.session.connection()
        aio = (await conn.get_raw_connection()).driver_connection
        assert aio is not None
        return await store_sqlite(aio, conn.dialect, window=window, spends=spends, touch=touch,
                                  rows=rows, kind=kind, at=at)


async def store_sqlite(aio: aiosqlite.Connection, dialect: Dialect, *, window: int, spends: dict[int, int],
                       touch: Collection[int], rows: Sequence[Row], kind: str, at: dt.datetime) -> dict[int, int]:
    """``spend_and_store`` on an SQLite connection: the batch's statements and its commit in
    one trip to aiosqlite's thread (through the ORM each statement hopped there three or
    four times: cursor, execute, fetch, close; each trip costs more CPU than the writes).
    Rolled back whole on any error."""
    received, touched_at = _bound(_RECEIVED, dialect, at), _bound(_LAST_USED, dialect, at)

    def write(db: sqlite3.Connection) -> dict[int, int]:
        try:
            if not db.in_transaction:  # one transaction, whatever the driver's mode; the
                db.execute("BEGIN IMMEDIATE")  # write lock now (waiting as busy_timeout says)
            used: dict[int, int] = {}
            for token_id, n in spends.items():
                got = db.execute(_SQLITE_SPEND, (window, n, token_id)).fetchall()
                if not got:  # revoked (or gone)
                    continue
                used[token_id] = int(got[0][0])
                if used[token_id] == n:  # a new window: drop the old ones
                    db.execute(_SQLITE_CLEAR, (token_id, window))
                if token_id in touch:
                    db.execute(_SQLITE_TOUCH, (touched_at, token_id))
            kept = [(r.team_id, r.delivery_key, kind, r.body, received)
                    for r in rows if r.token_id in used and r.rank + used[r.token_id] <= r.cap]
            if kept:  # fresh keys by construction: a plain executemany, nothing read back
                db.executemany(_SQLITE_STORE, kept)
            db.commit()
        except BaseException:
            db.rollback()  # nothing of the batch is kept
            raise
        return used

    # aiosqlite's own way to run a call on its thread (what each of its methods does).
    return cast(dict[int, int], await aio._execute(write, aio._conn))


_RECEIVED, _LAST_USED = Delivery.__table__.c.received_at, ApiToken.__table__.c.last_used_at
_BINDS: dict[tuple[int, str], Any] = {}  # (column, dialect) -> its bind processor, made once


def _bound(column: Any, dialect: Dialect, at: dt.datetime) -> Any:
    """``at`` as SQLAlchemy would bind it for ``column`` (SQLite keeps datetimes as text)."""
    key = (id(column), dialect.name)
    if key not in _BINDS:
        _BINDS[key] = column.type.dialect_impl(dialect).bind_processor(dialect)
    bind = _BINDS[key]
    return bind(at) if bind is not None else at


# The same rate upsert as ApiTokenRepository.spend_if_live, and the same insert, as SQLite text.
_SQLITE_SPEND = ('INSERT INTO api_rate (token_id, "window", used) SELECT id, ?, ? FROM api_tokens '
                 'WHERE id = ? AND revoked_at IS NULL '
                 'ON CONFLICT (token_id, "window") DO UPDATE SET used = api_rate.used + excluded.used '
                 'RETURNING used')
_SQLITE_CLEAR = 'DELETE FROM api_rate WHERE token_id = ? AND "window" < ?'
_SQLITE_TOUCH = "UPDATE api_tokens SET last_used_at = ? WHERE id = ?"
_SQLITE_STORE = ("INSERT INTO deliveries (team_id, delivery_key, kind, body, received_at, attempts) "
                 "VALUES (?, ?, ?, ?, ?, 0)")
