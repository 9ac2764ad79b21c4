"""The read API's lists: a workspace's themes, improvements (with their *Did it work?*
verdicts) and customers (with their remarks by sentiment), in pages of id."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.capture.incoming import Problem
from bot.domain.filing import themes
from bot.domain.loop import impact
from bot.domain.loop.improvements import check
from bot.domain.services import Services
from storage.models import Customer, Improvement
from storage.models.base import SENTIMENTS
from storage.models.improvements import IMPROVEMENT_STATUSES
from storage.repositories import ProcessRepository
from storage.repositories.reads import ReadRepository


@dataclass(frozen=True)
class Refused:
    """The filters named something this workspace does not have; each problem says what."""

    problems: list[Problem]


@dataclass(frozen=True)
class ThemeItem:
    id: int
    process: str
    label: str
    remarks: int
    customers: int
    created_at: dt.datetime


@dataclass(frozen=True)
class ImprovementItem:
    improvement: Improvement
    process: str
    remarks: int
    result: impact.Impact | None  # None until it ships


@dataclass(frozen=True)
class CustomerItem:
    customer: Customer
    remarks: dict[str, int]  # by sentiment, every sentiment named


async def process_id(
    session: AsyncSession, team_id: str, name: str | None, problems: list[Problem]
) -> int | None:
    if name is None:
        return None
    process = (
        await ProcessRepository(session).by_name(team_id, name.strip()) if name.strip() else None
    )
    if process is None:
        problems.append(
            Problem("process", f"no process is named {name.strip()[:80]!r} (archived ones count)")
        )
        return None
    return process.id


async def themes_page(
    services: Services, team_id: str, *, process: str | None, after: int | None, limit: int
) -> list[ThemeItem] | Refused:
    problems: list[Problem] = []
    async with services.sessions() as session:
        pid = await process_id(session, team_id, process, problems)
        if problems:
            return Refused(problems)
        rows = await ReadRepository(session).themes(
            team_id, process_id=pid, after=after, limit=limit
        )
        labels = (
            await themes.labels_of(session, team_id, sorted({r[1] for r in rows})) if rows else {}
        )
    return [
        ThemeItem(tid, name, labels.get(tid, "(no words)"), n, customers, created)
        for tid, _, name, created, n, customers in rows
    ]


async def improvements_page(
    services: Services,
    team_id: str,
    *,
    process: str | None,
    status: str | None,
    after: int | None,
    limit: int,
) -> list[ImprovementItem] | Refused:
    problems: list[Problem] = []
    if status is not None and status.strip().lower() not in IMPROVEMENT_STATUSES:
        problems.append(Problem("status", f"is one of {', '.join(IMPROVEMENT_STATUSES)}"))
    now = services.clock()
    async with services.sessions() as session:
        pid = await process_id(session, team_id, process, problems)
        if problems:
            return Refused(problems)
        rows = await ReadRepository(session).improvements(
            team_id,
            process_id=pid,
            status=status.strip().lower() if status else None,
            after=after,
            limit=limit,
        )
        return [
            ImprovementItem(imp, name, n, await check(session, imp, now)) for imp, name, n in rows
        ]


async def customers_page(
    services: Services, team_id: str, *, after: int | None, limit: int
) -> list[CustomerItem]:
    async with services.sessions() as session:
        repo = ReadRepository(session)
        customers = await repo.customers(team_id, after=after, limit=limit)
        spellings = {c.id: {n.lower() for n in (c.name, *(c.aliases or ()))} for c in customers}
        counts = await repo.customer_counts(
            team_id, {n for names in spellings.values() for n in names}
        )
    out = []
    for c in customers:
        by = dict.fromkeys(SENTIMENTS, 0)
        for (name, sentiment), n in counts.items():
            if name in spellings[c.id] and sentiment in by:
                by[sentiment] += n
        out.append(CustomerItem(c, by))
    return out
