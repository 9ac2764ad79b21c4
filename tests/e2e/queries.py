"""What many end-to-end tests share: the stand-in workspace's people and channels (see
bot/fakeslack), and small queries on the stored rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Capture, Process, Remark

Sessions = async_sessionmaker[AsyncSession]

TEAM = "T0001"
ALICE, BOB, CARLA, DAN = "U0ALICE001", "U0BOB00001", "U0CARLA001", "U0DAN00001"
BOT = "U0BOT00001"
SUPPORT, GENERAL, FEEDBACK = "C0SUPPORT1", "C0GENERAL1", "C0FEEDBAK1"


async def remarks(db: Sessions) -> list[Remark]:
    """Every stored remark, oldest first."""
    async with db() as s:
        return list((await s.scalars(select(Remark).order_by(Remark.id))).all())


async def captures(db: Sessions) -> list[Capture]:
    """Every stored capture, oldest first."""
    async with db() as s:
        return list((await s.scalars(select(Capture).order_by(Capture.id))).all())


async def count(db: Sessions, model: Any, *where: Any) -> int:
    """How many rows of ``model`` (matching ``where``) are stored."""
    async with db() as s:
        return int(await s.scalar(select(func.count()).select_from(model).where(*where)))


async def process_named(db: Sessions, name: str) -> Process:
    """The one process called exactly ``name``."""
    async with db() as s:
        return (await s.scalars(select(Process).where(Process.name == name))).one()


async def process_id(db: Sessions, name: str) -> int:
    return (await process_named(db, name)).id
