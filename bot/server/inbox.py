"""Group commit for the durable inbox: many concurrent deliveries, one transaction
(the queue and writer are ``GroupCommit``'s, shared with the intake API).

Each request awaits ``put()``, which resolves only once its row is committed, so a 2xx
always means "stored". Committing one row per request costs about 1 ms of CPU each;
batching the rows that arrive while the previous commit runs costs tens of µs per row.

On PostgreSQL a batch is one round trip: a single multi-row ``INSERT ... ON CONFLICT DO
NOTHING RETURNING`` in its own implicit transaction (the server answers it only once it
is committed), on a connection the writer keeps, so no pool checkout, ping, ``BEGIN`` or
``COMMIT`` travels per batch. Each such round trip is a wake-up of another process, which
on busy cores waits its turn. SQLite commits in-process and keeps the pooled session.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.server.batching import GroupCommit, KeptConnection
from bot.server.intake import BadPayload, Envelope
from storage.db import is_sqlite
from storage.models import utcnow
from storage.repositories import InboxRepository

log = logging.getLogger(__name__)


class Inbox(GroupCommit[dict[str, Any], bool]):
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        max_batch: int = 500,
        engine: AsyncEngine | None = None,
    ) -> None:
        super().__init__(max_batch=max_batch, name="inbox-writer")
        self._sessions = sessions
        # PostgreSQL only: SQLite's pool is one connection, which the writer must not keep.
        self._engine = engine if engine is not None and not is_sqlite(engine) else None
        self._kept = KeptConnection(self._engine, name="inbox") if self._engine is not None else None

    async def stop(self, *, grace: float = 5.0) -> None:
        """Store what is queued (up to ``grace`` seconds), then stop: a delivery already
        received is still answered as stored."""
        await super().stop(grace=grace)
        await self._drop_connection()

    async def _drop_connection(self) -> None:
        if self._kept is not None:
            await self._kept.drop()

    async def put(self, env: Envelope, *, leased_for: float | None = None) -> bool:
        """Store a delivery durably; True if it is new, False for a repeat of a stored one.

        Raises if the database could not take it, and ``BadPayload`` (before anything is
        batched) if the payload cannot be encoded for storage.

        ``leased_for`` marks the row as being worked on right now (interactive requests
        run inline), so the background worker leaves it alone unless this process dies.
        """
        now = utcnow()
        row = {
            "team_id": env.team_id,
            "delivery_key": env.key[:160],
            "kind": env.kind,
            "body": env.raw if env.raw is not None else encode_body(env.payload),
            "received_at": now,
            "attempts": 0,
            "lease_until": None,
        }
        if leased_for is not None:
            row["lease_until"] = now + dt.timedelta(seconds=leased_for)
            row["attempts"] = 1
        return await self.submit(row)

    async def _flush(self, batch: list[tuple[dict[str, Any], asyncio.Future[bool]]]) -> None:
        # Slack retries may land in the same batch: the first of each key is the new one.
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        first: dict[tuple[str, str], asyncio.Future[bool]] = {}
        for row, fut in batch:
            key = (row["team_id"], row["delivery_key"])
            rows.setdefault(key, row)
            first.setdefault(key, fut)
        try:
            new = await self._store(list(rows.values()))
        except Exception as e:
            if len(rows) == 1:
                log.exception("inbox: could not store %d deliveries", len(batch))
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(e)
                return
            # One bad row must not fail its neighbours: store them one by one.
            log.warning(
                "inbox: batch of %d failed (%s); storing one by one", len(rows), type(e).__name__
            )
            new, failed = set(), {}
            for key, row in rows.items():
                try:
                    new |= await self._store([row])
                except Exception as one:
                    log.exception("inbox: could not store team=%s key=%s", *key)
                    failed[key] = one
            for row, fut in batch:
                key = (row["team_id"], row["delivery_key"])
                if key in failed and not fut.done():
                    fut.set_exception(failed[key])
        for row, fut in batch:
            key = (row["team_id"], row["delivery_key"])
            if not fut.done():
                fut.set_result(key in new and first[key] is fut)

    async def _store(self, rows: list[dict[str, Any]]) -> set[tuple[str, str]]:
        if self._engine is None or not self.batching:
            async with self._sessions() as session, session.begin():
                return await InboxRepository(session).add_many(rows)
        try:
            return await self._store_autocommit(rows)
        except DBAPIError as e:
            if not e.connection_invalidated:
                raise  # the statement failed, not the connection: no transaction is left open
            await self._drop_connection()
            # The kept connection was lost (a server restart, a failover): once more on a
            # fresh one. If the first did commit, its keys are not stored twice; they read as
            # repeats, so an event is left to the worker's poll, and a command (leased for
            # inline work) is run by the worker when its lease ends.
            log.warning("inbox: connection lost; storing the batch on a new one")
            return await self._store_autocommit(rows)
        except BaseException:
            await self._drop_connection()
            raise

    async def _store_autocommit(self, rows: list[dict[str, Any]]) -> set[tuple[str, str]]:
        assert self._kept is not None
        async with AsyncSession(bind=await self._kept.get()) as session:
            return await InboxRepository(session).add_many(rows)


def encode_body(payload: dict[str, Any]) -> str:
    """The payload as stored: compact ASCII JSON (lone surrogates are escaped, not lost)."""
    try:
        return json.dumps(payload, separators=(",", ":"))
    except (ValueError, TypeError, RecursionError) as e:
        raise BadPayload(f"payload cannot be stored ({type(e).__name__})") from e
