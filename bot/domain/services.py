"""What handlers need, in one small object: settings, sessions, the filing service, each
workspace's Web API client, a clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.domain.customers.registry import CustomerCache
from bot.domain.filing.classifiers import Filing
from bot.domain.workspace.clients import SlackClients
from storage.db import create_engine, session_factory
from storage.models import utcnow


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    filing: Filing
    clients: SlackClients  # the Web API client of each workspace's work
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
            clients=SlackClients(settings, engine),
        )

    async def close(self) -> None:
        await self.engine.dispose()
