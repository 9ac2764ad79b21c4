"""Seeding remarks for digest tests through the real repository (so the roll-up is the one
the application maintains), and a planted pattern with a known right answer."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import transaction
from storage.repositories import ProcessRepository, RemarkRepository, WorkspaceRepository
from tests.e2e.queries import ALICE, BOB, CARLA, DAN, TEAM

CAPTURERS = (ALICE, BOB, CARLA, DAN)
_keys = itertools.count(1)


async def workspace(db: async_sessionmaker[AsyncSession], team_id: str = TEAM, **settings: object) -> None:
    async with transaction(db) as s:
        repo = WorkspaceRepository(s)
        await repo.ensure(team_id, processes_seeded=True)
        if settings:
            await repo.update(team_id, **settings)


async def process(db: async_sessionmaker[AsyncSession], name: str, *, owner: str | None = None,
                  team_id: str = TEAM) -> int:
    async with transaction(db) as s:
        return (await ProcessRepository(s).add(team_id, name=name, owner_user_id=owner)).id


async def remark(
    db: async_sessionmaker[AsyncSession] | AsyncSession, *, process_id: int | None, sentiment: str,
    at: dt.datetime, text: str | None = None, customer: str | None = None, captures: int = 1,
    team_id: str = TEAM,
) -> int:
    """One remark with ``captures`` captures, through the repository (roll-up included).
    Pass a session to batch many into one transaction."""
    if not isinstance(db, AsyncSession):
        async with transaction(db) as s:
            return await remark(s, process_id=process_id, sentiment=sentiment, at=at, text=text,
                                customer=customer, captures=captures, team_id=team_id)
    n = next(_keys)
    repo = RemarkRepository(db)
    r, _ = await repo.upsert(
        team_id, source_key=f"C0SUPPORT1:{n}.000100", said_at=at, created_at=at, updated_at=at,
        process_id=process_id, sentiment=sentiment, text=text or f"remark {n} ({sentiment})",
        customer=customer, channel_id="C0SUPPORT1", message_ts=f"{n}.000100",
        permalink=f"https://acme-support.slack.com/archives/C0SUPPORT1/p{n}000100",
        author_user_id=CARLA,
    )
    for user in CAPTURERS[:captures]:
        await repo.add_capture(team_id, remark_id=r.id, user_id=user, route="reaction", at=at)
    return r.id


@dataclass(frozen=True)
class Planted:
    worse: int  # complaints growing week after week
    praised: int  # praised every week
    lone: int  # one complaint this week, loudly endorsed
    quiet: int  # busy early on, silent for the last weeks


async def plant(db: async_sessionmaker[AsyncSession], period_start: dt.datetime) -> Planted:
    """Eight weeks ending with the week starting at ``period_start`` (UTC midnight)."""
    worse = await process(db, "Billing", owner=BOB)
    praised = await process(db, "Onboarding", owner=DAN)
    lone = await process(db, "Exports")
    quiet = await process(db, "Delivery")
    complaints = [0, 0, 1, 1, 2, 3, 4, 6]
    async with transaction(db) as s:
        for week, n in enumerate(complaints):
            start = period_start - dt.timedelta(days=7 * (7 - week))
            day = lambda i, start=start: start + dt.timedelta(days=i % 7, hours=10 + i)  # noqa: E731
            for i in range(n):
                await remark(s, process_id=worse, sentiment="complaint", at=day(i),
                             text=f"Invoice wrong again, week {week} #{i}", customer="Acme",
                             captures=2 if i == 0 else 1)
            await remark(s, process_id=worse, sentiment="praise", at=day(5), text="Refund was quick")
            for i in range(3):
                await remark(s, process_id=praised, sentiment="praise", at=day(i + 1),
                             text=f"Kickoff was great, week {week}", customer=f"Customer {i}")
            if week < 4:
                for i in range(2):
                    await remark(s, process_id=quiet, sentiment="neutral", at=day(i + 2))
        await remark(s, process_id=lone, sentiment="complaint", at=period_start + dt.timedelta(days=2),
                     text="Export to CSV timed out once", customer="Globex", captures=4)
        await remark(s, process_id=None, sentiment="complaint",
                     at=period_start + dt.timedelta(days=3), text="Something about the thing",
                     customer="Initech")
    return Planted(worse, praised, lone, quiet)
