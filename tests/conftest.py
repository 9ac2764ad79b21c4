"""Fixtures: a fresh database per run (SQLite or PostgreSQL, by the real migrations), the
Slack stand-in, the bot running over HTTP against both, and people acting in Slack."""

from __future__ import annotations

import asyncio
import gc
import inspect
import re
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest
from aiohttp import web
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.fakeslack import FakeSlack
from bot.server.runtime import Runtime
from bot.server.web import build_web_app
from storage.db import create_engine, session_factory
from storage.migrate import upgrade_async
from storage.models import Base
from storage.repositories.installations import OAUTH_TABLES
from tests.db import backend, create_database, drop_database

TOKEN = "xoxb-test-token"
SECRET = "test-signing-secret"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Captured output that UTF-8 can carry. A fuzzed payload can put a lone surrogate in
    what a library logs (Bolt's "Unhandled request" warning quotes the command), and
    pytest-xdist sends each report to the main process as UTF-8, which cannot hold one."""
    outcome = yield
    report = outcome.get_result()
    report.sections = [(title, text.encode("utf-8", "backslashreplace").decode("utf-8"))
                       for title, text in report.sections]


# What a test module names when it reaches a database other than through `database_url`
# (its own, a subprocess's, the backend's name): such a module runs on both databases.
_NAMES_A_DATABASE = re.compile(
    r"tests\.db|create_database|backend\(|database_url|EARSHOT_TEST_DB|create_engine|"
    r"upgrade_async|storage\.migrate|sqlite|postgres", re.IGNORECASE)


# The longest modules (a minute or more each on a loaded machine: the tone refit, the ones
# that start `earshot serve` or wait out slots), handed out first: under --dist loadfile
# a module runs whole in one process, so one of them handed out last would be the run's tail.
RUN_FIRST = (
    "unit/test_classify_general_tone.py", "e2e/test_graceful_stop.py", "e2e/test_digest_clock.py",
    "unit/test_classify_business.py", "e2e/test_capture_pacing.py", "e2e/test_owed_effects.py",
    "e2e/test_demo.py", "e2e/test_durability.py", "e2e/test_worker_role.py",
    "e2e/test_outside_text.py", "e2e/test_digest_post.py", "e2e/test_intake_api.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    modules: defaultdict[str, list[pytest.Item]] = defaultdict(list)
    for item in items:
        modules[item.path.relative_to(config.rootpath / "tests").as_posix()].append(item)
    first = [path for path in RUN_FIRST if path in modules]
    items[:] = [item for path in first + [p for p in modules if p not in first]
                for item in modules[path]]
    if backend() == "postgres":
        _skip_what_touches_no_database(modules.values())


def _skip_what_touches_no_database(modules: Iterable[list[pytest.Item]]) -> None:
    """On the PostgreSQL pass, skip the modules that touch no database (no test of theirs
    uses `database_url`, and their source names no database): they would run exactly as
    on the SQLite pass, which CI runs first from the same tree (the classifier's tests,
    the architecture checks...). Every test that reaches a database still runs on both."""
    skip = pytest.mark.skip(reason="touches no database: the SQLite pass runs it")
    for module_items in modules:
        if any("database_url" in getattr(item, "fixturenames", ()) for item in module_items):
            continue
        if _NAMES_A_DATABASE.search(module_items[0].path.read_text(encoding="utf-8")):
            continue
        for item in module_items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    url = await create_database(tmp_path_factory.mktemp("db"))
    await upgrade_async(url)
    yield url
    await drop_database(url)


# Every table, children before their parents, so each DELETE leaves no row referring to one.
_TABLES = [*reversed(Base.metadata.sorted_tables), *OAUTH_TABLES]


class _PostgresEmptier:
    """Empties the PostgreSQL test database in one round trip, on a connection kept for the
    worker's whole run: a new connection per test (a new server backend, which first reads
    the catalog for each of the ~40 tables) and a statement per table cost most of a second
    a test on a loaded machine, and the PostgreSQL pass has ~800 tests."""

    def __init__(self, database_url: str) -> None:
        self.dsn = "postgresql://" + database_url.split("://", 1)[1]
        self.sql = "; ".join(f'DELETE FROM "{table.name}"' for table in _TABLES)
        self.conn: asyncpg.Connection | None = None

    async def empty(self) -> None:
        for attempt in range(2):
            if self.conn is None or self.conn.is_closed():
                self.conn = await asyncpg.connect(self.dsn)
            try:
                # One simple-protocol message: its statements run in one transaction.
                await self.conn.execute(self.sql)
                return
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                # A test that ends every other backend of the database (pg_terminate_backend,
                # as a failover would) ended this one too: connect again, once.
                if attempt:
                    raise
                self.conn = None

    async def close(self) -> None:
        if self.conn is not None and not self.conn.is_closed():
            await self.conn.close()


@pytest.fixture(scope="session")
async def _postgres_emptier(database_url: str) -> AsyncIterator[_PostgresEmptier | None]:
    if backend() != "postgres":
        yield None
        return
    emptier = _PostgresEmptier(database_url)
    yield emptier
    await emptier.close()


@pytest.fixture
async def db(database_url: str, _postgres_emptier: _PostgresEmptier | None,
             ) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the test database, emptied before each test."""
    engine = create_engine(database_url)
    if _postgres_emptier is not None:
        await _postgres_emptier.empty()
    else:
        await _empty_sqlite(engine)
    yield session_factory(engine)
    await engine.dispose()


async def _empty_sqlite(engine: AsyncEngine) -> None:
    for attempt in range(3):
        try:
            async with engine.begin() as conn:
                for table in _TABLES:
                    await conn.execute(table.delete())
            return
        except OperationalError as e:
            # SQLite: a bot an earlier test stopped can leave a transaction its stop cut
            # short (a cancelled task's connection) until the garbage collector ends it; the
            # 10 s busy timeout was seen running out once in CI. Collect and try again.
            if attempt == 2 or "locked" not in str(e):
                raise
            gc.collect()
            await asyncio.sleep(1.0)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(bot_token=TOKEN, signing_secret=SECRET) as f:
        yield f


@pytest.fixture
def settings(fake: FakeSlack, database_url: str, db: Any) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
        database_url=database_url,
        log_level="DEBUG",
    )


@dataclass
class RunningBot:
    url: str
    base_url: str
    runtime: Runtime


async def start_bot(settings: Settings, *, lease_seconds: float = 2.0,
                    port: int = 0) -> tuple[RunningBot, Callable[[], Any]]:
    runtime = Runtime.create(settings, lease_seconds=lease_seconds)
    await runtime.start()
    runner = web.AppRunner(build_web_app(runtime))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop() -> None:
        await runner.cleanup()
        await runtime.stop()
        await runtime.services.close()

    base = f"http://127.0.0.1:{port}"
    return RunningBot(url=f"{base}/slack/events", base_url=base, runtime=runtime), stop


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[RunningBot]:
    running, stop = await start_bot(settings)
    yield running
    await stop()


@pytest.fixture
async def slack(fake: FakeSlack, bot: RunningBot) -> AsyncIterator[Any]:
    """People acting in the fake workspace; each action is delivered to the bot as Slack would."""
    sim = fake.simulator(bot.url)
    yield sim
    await sim.close()


async def eventually(check: Callable[[], Any], *, timeout: float = 5.0, interval: float = 0.02) -> Any:
    """Poll ``check`` (sync or async) until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if inspect.isawaitable(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last value: {last!r})")


async def settled(bot: RunningBot, *, timeout: float = 10.0) -> None:
    """Wait until the bot has finished every delivery it acknowledged."""
    from storage.repositories import InboxRepository

    async def idle() -> bool:
        async with bot.runtime.services.sessions() as session:
            return await InboxRepository(session).pending_count() == 0

    await eventually(idle, timeout=timeout)
