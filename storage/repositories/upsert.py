"""Dialect-aware INSERT ... ON CONFLICT, so idempotent writes hold on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import CursorResult, Result
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


# ``table`` is a model's ``__table__``, which SQLAlchemy types as a plain FromClause.
def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_for(session: AsyncSession, table: Any) -> Any:
    """The dialect's own INSERT, for an ON CONFLICT clause the helpers below do not cover."""
    return _insert(session, table)


def affected(result: Result[Any]) -> int:
    """Rows an INSERT/UPDATE/DELETE touched (``session.execute`` types its result loosely)."""
    assert isinstance(result, CursorResult)
    return int(result.rowcount or 0)


def insert_ignore(session: AsyncSession, table: Any, conflict: Sequence[str]) -> Any:
    """An INSERT that silently skips rows whose ``conflict`` key exists already (empty: any
    of the table's unique keys)."""
    return _insert(session, table).on_conflict_do_nothing(index_elements=list(conflict) or None)


def insert_add(
    session: AsyncSession, table: Any, conflict: Sequence[str], add: Sequence[str]
) -> Any:
    """An INSERT that, on conflict, adds the new values of ``add`` columns to the old ones."""
    stmt = _insert(session, table)
    return stmt.on_conflict_do_update(
        index_elements=list(conflict),
        set_={c: table.c[c] + stmt.excluded[c] for c in add},
    )
