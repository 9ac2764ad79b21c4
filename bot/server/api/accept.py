"""Acknowledging intake API remarks sent with ``Prefer: respond-async``, in group commits.

Like the Slack inbox (bot/server/inbox.py), each request awaits its place in a batch that
one transaction writes: the tokens of the whole batch are checked in one SELECT, each
token's requests spent against its per-minute budget in one upsert (a token without the
``write`` scope is answered 403), the named processes
looked up once per workspace, and the accepted remarks stored as inbox deliveries for the
worker. A request's answer (202, 401, 403, 429, or 422 for an unknown process) is known only
once that transaction has committed, so a 202 means stored.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.services import Services
from bot.domain.workspace import api_tokens
from bot.server.batching import GroupCommit
from storage.db import transaction
from storage.models import utcnow
from storage.repositories import InboxRepository, ProcessRepository
from storage.repositories.processes import name_key

log = logging.getLogger(__name__)

API_REMARK = "earshot_api_remark"  # the stored payload's type, for the worker


@dataclass(frozen=True)
class Pending:
    token: str
    body: dict[str, Any]
    process: str | None
    key: str | None  # the remark's key when it has an external id; else one per delivery


@dataclass(frozen=True)
class Answer:
    status: Literal[202, 401, 403, 422, 429]
    retry_after: int = 0


class Acceptor(GroupCommit[Pending, Answer]):
    def __init__(self, services: Services, *, max_batch: int = 500) -> None:
        super().__init__(max_batch=max_batch, name="api-acceptor")
        self._services = services
        self._sessions: async_sessionmaker[AsyncSession] = services.sessions
        self.on_stored: list[Any] = []  # callbacks after a batch is committed (wake the worker)
        self.tokens = api_tokens.TokenCache()  # shared with the default (filed) path

    async def accept(self, item: Pending) -> Answer:
        return await self.submit(item)

    async def _flush(self, batch: list[tuple[Pending, asyncio.Future[Answer]]]) -> None:
        try:
            answers = await self._store([item for item, _ in batch])
        except Exception as e:
            log.exception("api: could not store %d accepted remarks", len(batch))
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(e)
            return
        for callback in self.on_stored:
            callback()
        for (_, fut), answer in zip(batch, answers, strict=True):
            if not fut.done():
                fut.set_result(answer)

    async def _store(self, items: list[Pending]) -> list[Answer]:
        now = utcnow()
        async with transaction(self._sessions) as session:
            verdicts = await api_tokens.authorise_many(session, [i.token for i in items], now=now,
                                                       cache=self.tokens)
            names: dict[str, set[str]] = {}
            for item, v in zip(items, verdicts, strict=True):
                if isinstance(v, api_tokens.Allowed) and item.process and v.team_id not in names:
                    names[v.team_id] = {p.name_key for p in await ProcessRepository(session).list(v.team_id)}
            answers: list[Answer] = []
            rows: list[dict[str, Any]] = []
            for item, v in zip(items, verdicts, strict=True):
                if v is None:
                    answers.append(Answer(401))
                elif isinstance(v, api_tokens.Limited):
                    answers.append(Answer(429, v.retry_after))
                elif isinstance(v, api_tokens.Forbidden):  # a read-only token
                    answers.append(Answer(403))
                elif item.process and name_key(item.process) not in names[v.team_id]:
                    answers.append(Answer(422))
                else:
                    delivery = uuid.uuid4().hex
                    capturer = f"api:{v.name}"
                    rows.append({
                        "team_id": v.team_id, "delivery_key": f"api:{delivery}", "kind": "api",
                        "body": json.dumps({"type": API_REMARK, "team_id": v.team_id, "capturer": capturer,
                                            "key": item.key or f"api:{delivery}",
                                            "received_at": now.isoformat(), "body": item.body},
                                           separators=(",", ":")),
                        "received_at": now, "attempts": 0, "lease_until": None})
                    answers.append(Answer(202))
            await InboxRepository(session).add_fresh(rows)
        return answers
