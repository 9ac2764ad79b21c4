"""What handlers need, in one small object: settings, sessions, the filing service, a clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.domain.customer_registry import CustomerCache
from bot.domain.filing import Filing
from storage.db import create_engine, session_factory
from storage.models import utcnow


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    filing: Filing
    clock: Callable[[], dt.datetime] = field(default=utcnow)
    customers: CustomerCache = field(default_factory=CustomerCache)

    @classmethod
    def create(cls, settings: Settings) -> Services:
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        return cls(
            settings=settings,
            engine=engine,
            sessions=sessions,
            filing=Filing(sessions, threshold=settings.classify_threshold),
        )

    async def close(self) -> None:
        await self.engine.dispose()
