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

from bot.domain import privacy
from storage.models import Delivery, utcnow
from storage.repositories import InboxRepository, PrivacyRepository
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
        work, skipped = await self._lifecycle(rows)
        if skipped:
            async with self._sessions() as session, session.begin():
                await InboxRepository(session).finish_many([row.id for row in skipped])
        rows = work
        if not rows:
            return len(skipped)
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
        return len(rows) + len(skipped)

    async def _lifecycle(self, rows: list[Delivery]) -> tuple[list[Delivery], list[Delivery]]:
        """Handle uninstalls here, without Bolt (the token is gone by then): returns the
        rows to dispatch and those finished without dispatch (the uninstall events, and
        deliveries from an uninstalled workspace received before it went). A delivery
        received after the uninstall means it is back (reinstalled): it is kept."""
        skipped: list[Delivery] = []
        for row in rows:
            if (why := stops_work(_payload(row))) is not None:
                await privacy.mark_uninstalled(self._sessions, row.team_id, why=why, now=row.received_at)
                skipped.append(row)
        teams = {row.team_id for row in rows}
        async with self._sessions() as session:
            gone = await PrivacyRepository(session).uninstalled_among(teams)
        work: list[Delivery] = []
        for row in rows:
            if row in skipped:
                continue
            since = gone.get(row.team_id)
            if since is not None and row.received_at <= since:
                skipped.append(row)
                continue
            if since is not None:
                await privacy.reinstalled(self._sessions, row.team_id)
                gone.pop(row.team_id)
            work.append(row)
        if len(skipped) > 0:
            log.info("inbox: %d delivery(ies) of uninstalled workspaces finished unrun", len(skipped))
        return work, skipped

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


def _payload(row: Delivery) -> dict[str, Any]:
    try:
        payload = json.loads(row.body) if row.body else {}
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def stops_work(payload: dict[str, Any]) -> str | None:
    """``app_uninstalled``, or ``tokens_revoked`` naming bot tokens: why work stops (None:
    it does not). Revoked user tokens alone leave the bot working (it uses only its own)."""
    event = payload.get("event") if payload.get("type") == "event_callback" else None
    if not isinstance(event, dict):
        return None
    if event.get("type") == "app_uninstalled":
        return "app_uninstalled"
    if event.get("type") == "tokens_revoked":
        tokens = event.get("tokens")
        if isinstance(tokens, dict) and tokens.get("bot"):
            return "tokens_revoked"
    return None


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
