"""Filing intake API remarks in group commits: the default path, answered with the filing.

Requests that arrive while a batch is being written wait for the next one; each batch is
one ``bulk.capture_many`` per workspace (the rows ``capture()`` writes, in one transaction
and a few statements), so a burst of remarks costs little more than their classifying. A
batch that fails is retried one request at a time, so one bad request cannot fail its
neighbours. A request's answer comes once its batch has committed: a 2xx means stored.
A request that PostgreSQL picks as a deadlock's victim (the worker filing an accepted
request with the same key at that moment) is tried again, as the database asks.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

from bot.domain.capture import bulk
from bot.domain.capture.requests import Request
from bot.domain.services import Services
from bot.server.batching import GroupCommit
from storage.repositories import ProcessRepository

log = logging.getLogger(__name__)

# SQLSTATEs after which the same transaction may simply be run again (PostgreSQL appendix A:
# 40P01 deadlock_detected, 40001 serialization_failure).
RETRY_STATES = frozenset({"40P01", "40001"})
RETRIES = 3


def transient(e: BaseException) -> bool:
    if not isinstance(e, DBAPIError):
        return False
    state = getattr(e.orig, "sqlstate", None) or getattr(e.orig, "pgcode", None)
    return state in RETRY_STATES or "deadlock detected" in str(e)


@dataclass(frozen=True)
class Done:
    written: bulk.Written
    process_name: str | None


class Filer(GroupCommit[Request, Done]):
    def __init__(self, services: Services, *, max_batch: int = 100) -> None:
        super().__init__(max_batch=max_batch, name="api-filer")
        self._services = services

    async def file(self, req: Request) -> Done:
        return await self.submit(req)

    async def _flush(self, batch: list[tuple[Request, asyncio.Future[Done]]]) -> None:
        teams: dict[str, list[tuple[Request, asyncio.Future[Done]]]] = defaultdict(list)
        for item in batch:
            teams[item[0].team_id].append(item)
        for team_id, items in teams.items():
            try:
                await self._file(team_id, items)
            except Exception as e:
                if len(items) == 1 and transient(e) and await self._again(team_id, items):
                    continue
                if len(items) == 1:
                    log.exception("api: could not file a remark team=%s", team_id)
                    _fail(items)
                    continue
                log.warning("api: a batch of %d failed; filing them one by one", len(items))
                for item in items:
                    try:
                        await self._file(team_id, [item])
                    except Exception as e:
                        if transient(e) and await self._again(team_id, [item]):
                            continue
                        log.exception("api: could not file a remark team=%s", team_id)
                        _fail([item])

    async def _again(self, team_id: str, items: list[tuple[Request, asyncio.Future[Done]]]) -> bool:
        """After a deadlock, the request filed again (a capture is idempotent by its key):
        True once it is, False when the failure was not a deadlock or stayed."""
        for attempt in range(RETRIES):
            try:
                await self._file(team_id, items)
                return True
            except Exception as e:
                if not transient(e):
                    return False
                log.info("api: a deadlock while filing team=%s; trying again (%d)", team_id, attempt + 1)
                await asyncio.sleep(0.05 * (attempt + 1))
        return False

    async def _file(self, team_id: str, items: list[tuple[Request, asyncio.Future[Done]]]) -> None:
        written = await bulk.capture_many(self._services, team_id, [req for req, _ in items])
        async with self._services.sessions() as session:
            names = {p.id: p.name for p in await ProcessRepository(session).list(team_id, include_archived=True)}
        for (_, fut), w in zip(items, written, strict=True):
            if not fut.done():
                fut.set_result(Done(w, names.get(w.remark.process_id) if w.remark.process_id else None))


def _fail(items: list[tuple[Request, asyncio.Future[Done]]]) -> None:
    for _, fut in items:
        if not fut.done():
            fut.set_exception(RuntimeError("could not file the remark"))
