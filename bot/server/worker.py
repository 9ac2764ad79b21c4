"""Works through the durable inbox after Slack has been answered.

Deliveries are leased, dispatched through Bolt, and marked done. A process killed
mid-work leaves leased rows behind; their lease expires and any process (this one after
a restart, or another one) picks them up again. Events about the same message are run
in order; different messages run concurrently.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.response import BoltResponse
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Delivery, utcnow
from storage.repositories import InboxRepository
from storage.repositories.inbox import MAX_ATTEMPTS

log = logging.getLogger(__name__)

Dispatch = Callable[[dict[str, Any], bool], Awaitable[BoltResponse]]


class Worker:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        dispatch: Dispatch,
        *,
        lease_seconds: float = 30.0,
        batch: int = 100,
        concurrency: int = 8,
        idle_poll_seconds: float = 2.0,
    ) -> None:
        self._sessions = sessions
        self._dispatch = dispatch
        self._lease = dt.timedelta(seconds=lease_seconds)
        self._batch = batch
        self._limit = asyncio.Semaphore(concurrency)
        self._idle_poll = idle_poll_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_prune = utcnow()
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="inbox-worker")

    async def stop(self, *, grace: float = 5.0) -> None:
        """Let the batch in hand finish (up to ``grace`` seconds), then stop.

        Whatever is cut short stays leased in the inbox and is redone after the lease.
        """
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        done, _ = await asyncio.wait({self._task}, timeout=grace)
        if not done:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, timeout=grace)
        self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            try:
                worked = await self.run_once()
                await self._maybe_prune()
            except asyncio.CancelledError:
                raise
            except Exception:
                # The database may be briefly away; keep the loop alive and try again.
                log.exception("inbox worker: pass failed")
                worked = 0
            if worked or self._stopping:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._idle_poll)

    async def run_once(self) -> int:
        """Lease and process one batch; returns how many deliveries were handled.

        Finished deliveries are marked done together, in one short transaction per batch:
        a commit per delivery would compete with the acks for the database. If the process
        dies before that commit, the batch is simply redone (every listener is idempotent).
        """
        async with self._sessions() as session, session.begin():
            rows = await InboxRepository(session).lease_pending(limit=self._batch, lease=self._lease)
        if not rows:
            return 0
        groups: dict[str, list[tuple[Delivery, dict[str, Any]]]] = defaultdict(list)
        for row in rows:
            try:
                payload = json.loads(row.body)
            except ValueError:
                payload = {}
            groups[_order_key(row, payload)].append((row, payload))
        results = await asyncio.gather(*(self._run_group(g) for g in groups.values()))
        outcomes = [outcome for group in results for outcome in group]
        async with self._sessions() as session, session.begin():
            repo = InboxRepository(session)
            await repo.finish_many([row.id for row, error in outcomes if error is None])
            for row, error in outcomes:
                if error is None:
                    continue
                if row.attempts >= MAX_ATTEMPTS:
                    log.error("inbox: giving up on team=%s key=%s after %d attempts: %s",
                              row.team_id, row.delivery_key, row.attempts, error)
                    await repo.finish(row.id, error=error)
                else:
                    await repo.fail(row.id, error=error, retry_in=_backoff(row.attempts))
        return len(rows)

    async def _run_group(
        self, items: list[tuple[Delivery, dict[str, Any]]]
    ) -> list[tuple[Delivery, str | None]]:
        async with self._limit:
            return [(row, await self._process(row, payload)) for row, payload in items]

    async def _process(self, row: Delivery, payload: dict[str, Any]) -> str | None:
        """Run one delivery through Bolt; the error to record, or None when it is done."""
        try:
            resp = await self._dispatch(payload, False)
        except Exception as e:  # a bug in dispatch itself: record it, retry later
            log.exception("inbox: dispatch failed team=%s key=%s", row.team_id, row.delivery_key)
            return f"{type(e).__name__}: {e}"
        return f"listener failed (status {resp.status})" if resp.status >= 500 else None

    async def _maybe_prune(self) -> None:
        now = utcnow()
        if now - self._last_prune < dt.timedelta(hours=1):
            return
        self._last_prune = now
        async with self._sessions() as session, session.begin():
            n = await InboxRepository(session).prune(older_than=now - dt.timedelta(days=2))
        if n:
            log.info("inbox: pruned %d finished deliveries", n)


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(300, 5 * 3 ** max(0, attempts - 1)))


def _order_key(row: Delivery, payload: dict[str, Any]) -> str:
    """Deliveries about one Slack message share a key and run in arrival order."""
    event = payload.get("event") or {}
    item = event.get("item") or {}
    channel = item.get("channel") or event.get("channel") or ""
    ts = (
        item.get("ts")
        or (event.get("message") or {}).get("ts")
        or event.get("deleted_ts")
        or event.get("thread_ts")
        or event.get("ts")
    )
    if channel and ts:
        return f"{row.team_id}:{channel}:{ts}"
    return f"id:{row.id}"
