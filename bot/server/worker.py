"""Works through the durable inbox after Slack has been answered.

Deliveries are leased, dispatched through Bolt, and marked done. A process killed
mid-work leaves leased rows behind; their lease expires and any process (this one after
a restart, or another one) picks them up again. Events about the same message are run
in order; different messages run concurrently.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.response import BoltResponse
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.privacy import retention
from bot.server.background import cut_short, wait_set
from bot.server.deferral import DEFER_LIMIT, Deferred, deferred_of
from bot.server.delivery_shapes import (
    access_change,
    decode,
    org_wide,
    payload_of,
    safe_order_key,
    stops_work,
)
from bot.server.intake_hold import Hold
from storage.leases import kept
from storage.models import Delivery, utcnow
from storage.repositories import InboxRepository, PrivacyRepository
from storage.repositories.inbox import MAX_ATTEMPTS
from storage.repositories.posts import PostRepository

# A dispatch that ran nothing (no usable token, OAuth mode): finished with the reason, not retried.
UNAUTHORIZED = "x-earshot-unauthorized"
# A finished delivery's key is kept this long (Slack retries within minutes), then deleted.
KEEP_FINISHED = dt.timedelta(days=2)
NOT_INSTALLED_REASON = "skipped: not installed, or its token was refused (revoked or expired)"
# A leased delivery a stopping worker never started: handed back, not an attempt.
RELEASED = "released: the process stopped before running it"

log = logging.getLogger(__name__)



Dispatch = Callable[[dict[str, Any], bool], Awaitable[BoltResponse]]
Outcome = tuple[Delivery, "str | Deferred | None", bool]  # (row, error or None when done, final)
AccessGranted = Callable[[str, list[str]], Awaitable[list[str]]]  # (org, teams) -> teams made ready


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
        reinstall_on_event: bool = True,
        on_access_granted: AccessGranted | None = None,
        hold: Hold | None = None,
    ) -> None:
        self._sessions = sessions
        self._hold = hold if hold is not None and hold.max_lag > 0 else None
        self._holding = False  # the last pass left ``hold.kind`` waiting
        self._held_since: float | None = None  # loop time this hold began
        self._on_access_granted = on_access_granted
        # Single-token mode learns of a reinstall only from new events; OAuth mode from the
        # install itself (bot/server/install_pages.py), so a stray event changes nothing there.
        self._reinstall_on_event = reinstall_on_event
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

    def wake_stored(self) -> None:
        """New deliveries of the held kind were stored (the acceptor's commit): a pass now,
        unless they are being held (the hold's own timer runs the next pass)."""
        if not self._holding:
            self._wake.set()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="inbox-worker")

    async def stop(self, *, grace: float = 5.0) -> None:
        """Stop gracefully: lease nothing more, start no delivery of the batch in hand (they
        are handed back, free for the next process at once), let those already running
        finish, with their Slack calls, and record every outcome. Up to ``grace`` seconds:
        what is cut short after that stays leased and is redone once its lease runs out.
        """
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        await asyncio.wait({task}, timeout=grace)
        # Bounded even if the task ignored its cancel (asyncio.wait_for would cancel it again
        # and wait for that without a bound).
        await cut_short({task}, what="inbox worker")

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
            await wait_set(self._wake, self._idle_poll)

    async def run_once(self) -> int:
        """Lease and process one batch; returns how many deliveries were handled.

        Finished deliveries are marked done together, in one short transaction per batch:
        a commit per delivery would compete with the acks for the database. If the process
        dies before that commit, the batch is simply redone (every listener is idempotent).

        Every step taken for one row (decoding, ordering, dispatch, recording the outcome)
        is isolated: a poison delivery is retried with backoff and given up after
        ``MAX_ATTEMPTS``, and never holds back the deliveries leased beside it.
        """
        if self._stopping:
            return 0
        skip = await self._held()
        async with self._sessions() as session, session.begin():
            rows = await InboxRepository(session).lease_pending(limit=self._batch, lease=self._lease,
                                                                skip_kind=skip)
        if not rows:
            return 0
        # Held while this process works on the batch: only a dead process's leases run out.
        ids = [row.id for row in rows]
        async with kept(lambda: self._renew(ids), every=self._lease.total_seconds() / 3):
            outcomes, handled = await self._work(rows)
        await self._record_all(outcomes)  # after the renewals: they must not undo a backoff
        self._wake_for(outcomes)
        return handled

    async def _held(self) -> str | None:
        """The kind this pass leaves waiting (``Hold``), or None; when one waits, the next
        pass is set for when its hold ends."""
        hold = self._hold
        if hold is None:
            return None
        try:
            async with self._sessions() as session:
                seen = await InboxRepository(session).arrivals(hold.kind)
        except Exception:  # never let the check hold anything back
            log.warning("inbox worker: could not read the intake's arrivals; not holding", exc_info=True)
            seen = None
        until = hold.until(seen, utcnow())
        if until is None:
            self._holding, self._held_since = False, None
            return None
        loop = asyncio.get_running_loop()
        if self._held_since is None:
            self._held_since = loop.time()
        elif loop.time() - self._held_since >= hold.max_lag:
            self._holding = False  # held as long as allowed here: file until the burst ends
            return None
        self._holding = True
        self.wake_at(until)
        return hold.kind

    def _wake_for(self, outcomes: list[Outcome]) -> None:
        due = [error.until for _, error, _ in outcomes if isinstance(error, Deferred)]
        if due:
            self.wake_at(min(due))

    def wake_at(self, until: dt.datetime) -> None:
        """Look again when a delivery handed back for its rate slot is due (not only at
        the next idle poll)."""
        if not self._stopping:
            delay = max(0.0, (until - utcnow()).total_seconds()) + 0.05
            asyncio.get_running_loop().call_later(delay, self._wake.set)

    async def _renew(self, ids: list[int]) -> None:
        async with self._sessions() as session, session.begin():
            await InboxRepository(session).renew(ids, until=utcnow() + self._lease)

    async def _work(self, rows: list[Delivery]) -> tuple[list[Outcome], int]:
        """Run the batch; its outcomes, and how many deliveries it handled."""
        try:
            work, skipped = await self._lifecycle(rows)
        except Exception:  # never let the uninstall check hold the batch back
            log.exception("inbox: uninstall check failed; running the batch as it is")
            work, skipped = rows, []
        if skipped:
            async with self._sessions() as session, session.begin():
                await InboxRepository(session).finish_many([row.id for row in skipped])
        rows = work
        if not rows:
            return [], len(skipped)
        groups: dict[str, list[tuple[Delivery, dict[str, Any]]]] = defaultdict(list)
        outcomes: list[Outcome] = []
        for row in rows:
            if row.attempts > MAX_ATTEMPTS:
                # Leased again after an attempt that never recorded its outcome (a crash).
                outcomes.append((row, row.last_error or "no outcome recorded", True))
                continue
            payload, why = decode(row.body)
            if payload is None:
                outcomes.append((row, why, True))  # retrying cannot make it JSON
                continue
            groups[safe_order_key(row, payload)].append((row, payload))
        results = await asyncio.gather(*(self._run_group(g) for g in groups.values()))
        outcomes.extend((row, error, False) for group in results for row, error in group)
        return outcomes, len(rows) + len(skipped)

    async def _record_all(self, outcomes: list[Outcome]) -> None:
        if not outcomes:
            return
        try:
            async with self._sessions() as session, session.begin():
                await self._record(InboxRepository(session), outcomes)
        except Exception:
            log.exception("inbox: could not record %d outcomes together; recording one by one",
                          len(outcomes))
            for outcome in outcomes:
                try:
                    async with self._sessions() as session, session.begin():
                        await self._record(InboxRepository(session), [outcome])
                except Exception:
                    # It stays leased; the lease expires and the attempt count bounds it.
                    log.exception("inbox: could not record the outcome of team=%s key=%s",
                                  outcome[0].team_id, outcome[0].delivery_key)

    async def _lifecycle(self, rows: list[Delivery]) -> tuple[list[Delivery], list[Delivery]]:
        """Handle uninstalls here, without Bolt (the token is gone by then): returns the
        rows to dispatch and those finished without dispatch (the uninstall events, and
        deliveries from an uninstalled workspace received before it went). A delivery
        received after the uninstall means it is back (reinstalled): it is kept (single-token
        mode; in OAuth mode only an install through /slack/install brings it back)."""
        skipped: list[Delivery] = []
        for row in rows:
            payload = payload_of(row)
            if (why := stops_work(payload)) is not None:
                stopped: list[str] = []
                if (org := org_wide(payload)) is not None:  # the organisation's own install
                    stopped = await retention.mark_org_uninstalled(self._sessions, org, why=why,
                                                                 now=row.received_at)
                if row.team_id not in stopped and (org is None or row.team_id.startswith("T")):
                    await retention.mark_uninstalled(self._sessions, row.team_id, why=why, now=row.received_at)
                skipped.append(row)
            elif (change := access_change(payload)) is not None:
                await self._access(*change, received_at=row.received_at)
                skipped.append(row)
        teams = {row.team_id for row in rows}
        async with self._sessions() as session:
            gone = await PrivacyRepository(session).uninstalled_among(teams)
        work: list[Delivery] = []
        for row in rows:
            if row in skipped:
                continue
            since = gone.get(row.team_id)
            if since is not None and (row.received_at <= since or not self._reinstall_on_event):
                skipped.append(row)
                continue
            if since is not None:
                await retention.reinstalled(self._sessions, row.team_id)
                gone.pop(row.team_id)
            work.append(row)
        if len(skipped) > 0:
            log.info("inbox: %d delivery(ies) of uninstalled workspaces finished unrun", len(skipped))
        return work, skipped

    async def _access(self, kind: str, enterprise_id: str, team_ids: list[str], *,
                      received_at: dt.datetime) -> None:
        """An org admin changed which workspaces the org-wide install reaches: one added
        works from now on (without a reinstall), one removed stops like an uninstall."""
        if kind == "team_access_revoked":
            for team_id in team_ids:
                await retention.mark_uninstalled(self._sessions, team_id, why=kind, now=received_at)
        elif self._on_access_granted is not None:
            await self._on_access_granted(enterprise_id, team_ids)

    async def _record(self, repo: InboxRepository,
                      outcomes: list[Outcome]) -> None:
        await repo.finish_many([row.id for row, error, _ in outcomes if error is None])
        await repo.release([row.id for row, error, _ in outcomes if error is RELEASED])
        for row, error, final in outcomes:
            if error is None or error is RELEASED:
                continue
            if isinstance(error, Deferred):
                if row.received_at is not None and utcnow() - row.received_at > DEFER_LIMIT:
                    log.error("inbox: giving up on team=%s key=%s: no rate slot for a day",
                              row.team_id, row.delivery_key)
                    await repo.finish(row.id, error="gave up: Slack's rate limit left no slot for a day")
                else:
                    await repo.defer(row.id, until=error.until)
                continue
            if error == NOT_INSTALLED_REASON:  # nothing to retry: finished with the reason
                log.warning("inbox: team=%s key=%s %s", row.team_id, row.delivery_key, error)
                await repo.finish(row.id, error=error)
                continue
            if final or row.attempts >= MAX_ATTEMPTS:
                log.error("inbox: giving up on team=%s key=%s after %d attempts: %s",
                          row.team_id, row.delivery_key, row.attempts, error)
                await repo.finish(row.id, error=error[:2000])
            else:
                await repo.fail(row.id, error=error,
                                retry_in=_backoff(row.attempts, failed_before=row.last_error is not None))

    async def _run_group(
        self, items: list[tuple[Delivery, dict[str, Any]]]
    ) -> list[tuple[Delivery, str | Deferred | None]]:
        async with self._limit:
            # Once stopping, nothing more is started; what was is let finish.
            return [(row, RELEASED if self._stopping else await self._process(row, payload))
                    for row, payload in items]

    async def _process(self, row: Delivery, payload: dict[str, Any]) -> str | Deferred | None:
        """Run one delivery through Bolt; the error to record, when to run it again (its
        rate slot), or None when it is done."""
        try:
            resp = await self._dispatch(payload, False)
            status = int(resp.status)
        except asyncio.CancelledError:
            raise
        except Exception as e:  # a bug in dispatch itself: record it, retry later
            log.exception("inbox: dispatch failed team=%s key=%s", row.team_id, row.delivery_key)
            return f"{type(e).__name__}: {str(e)[:500]}"
        if resp.headers.get(UNAUTHORIZED):
            return NOT_INSTALLED_REASON
        if (deferred := deferred_of(resp)) is not None:
            log.info("inbox: team=%s key=%s waits for a rate slot until %s", row.team_id,
                     row.delivery_key, deferred.until.isoformat())
            return deferred
        return f"listener failed (status {status})" if status >= 500 else None

    async def _maybe_prune(self) -> None:
        now = utcnow()
        if now - self._last_prune < dt.timedelta(hours=1):
            return
        self._last_prune = now
        async with self._sessions() as session, session.begin():
            n = await InboxRepository(session).prune(older_than=now - KEEP_FINISHED)
            await PostRepository(session).prune(older_than=now - KEEP_FINISHED)
        if n:
            log.info("inbox: pruned %d finished deliveries", n)


def _backoff(attempts: int, *, failed_before: bool) -> dt.timedelta:
    """5 s after a first failure, then 15 s, 45 s... ``attempts`` also counts leases that
    lapsed because their process was killed (they bound a delivery that kills its process,
    ``MAX_ATTEMPTS``), but such a lease is no failure: without an error recorded before,
    this is the first, and a restarted process retries it in 5 s, not 15. (After a first
    failure the steps follow ``attempts``, lapsed leases included: no column counts
    failures alone, and one lapse between two failures is rare.)"""
    tries = attempts if failed_before else 1
    return dt.timedelta(seconds=min(300, 5 * 3 ** max(0, tries - 1)))
