"""Sending queued alerts to people in batches, at most one DM per person per gap, claimed
before it is posted (so several clock processes never tell anyone twice). Owner alerts
and customer alerts differ only in what they queue, how often, and how the DM reads:
each is one call of ``queue_and_send``."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.services import Services
from bot.domain.workspace.clients import Clients, client_for
from storage.db import transaction

log = logging.getLogger(__name__)

Item = TypeVar("Item")


class Queue(Protocol[Item]):
    async def enqueue(self, *, since: dt.datetime, now: dt.datetime) -> int: ...
    async def owners_with_pending(self) -> list[tuple[str, str]]: ...
    async def wants_alerts(self, team_id: str, user_id: str) -> bool: ...
    async def drop_pending(self, team_id: str, owner_user_id: str, *, now: dt.datetime) -> int: ...
    async def claim_batch(self, team_id: str, owner_user_id: str, *, now: dt.datetime,
                          gap: dt.timedelta) -> list[int]: ...
    async def items(self, team_id: str, owner_user_id: str, remark_ids: list[int]) -> list[Item]: ...


@dataclass(frozen=True)
class Run:
    queued: int
    sent: dict[str, int]  # "team:user" -> items told


async def queue_and_send(services: Services, clients: Clients,
                         queue: Callable[[AsyncSession], Queue[Item]], *,
                         now: Callable[[], dt.datetime] | None, gap: dt.timedelta,
                         lookback: dt.timedelta, render: Callable[[Sequence[Item]], dict[str, Any]],
                         what: str) -> Run:
    """Queue what changed within ``lookback`` (idempotent), then send the batches that are due."""
    at = (now or services.clock)()
    async with transaction(services.sessions) as session:
        queued = await queue(session).enqueue(since=at - lookback, now=at)
    sent = await send_batches(services, clients, queue, at=at, gap=gap, render=render, what=what)
    return Run(queued=queued, sent=sent)


async def send_batches(services: Services, clients: Clients,
                       queue: Callable[[AsyncSession], Queue[Item]], *, at: dt.datetime,
                       gap: dt.timedelta, render: Callable[[Sequence[Item]], dict[str, Any]],
                       what: str) -> dict[str, int]:
    """One DM per person with everything pending, unless they had one within ``gap``.
    Returns ``{"team:user": items told}``. A DM Slack refuses is logged, not retried: the
    next batch tells what is new then."""
    async with services.sessions() as session:
        owners = await queue(session).owners_with_pending()
    sent: dict[str, int] = {}
    for team_id, owner in owners:
        async with transaction(services.sessions) as session:
            repo = queue(session)
            if not await repo.wants_alerts(team_id, owner):
                await repo.drop_pending(team_id, owner, now=at)
                continue
            items = await repo.items(team_id, owner, await repo.claim_batch(team_id, owner, now=at, gap=gap))
        if not items:
            continue
        client = await client_for(clients, team_id)
        if client is None:  # not installed (any more): nobody there to tell
            continue
        try:
            await client.chat_postMessage(channel=owner, **render(items))
            sent[f"{team_id}:{owner}"] = len(items)
            log.info("%s: team=%s owner=%s items=%d", what, team_id, owner, len(items))
        except (TimeoutError, SlackApiError, aiohttp.ClientError, OSError) as e:
            log.warning("%s: team=%s DM to %s failed: %s", what, team_id, owner, e)
    return sent
