"""``earshot doctor`` against the Slack stand-in and real databases, healthy and broken."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bot.cli.main import main
from bot.domain.privacy import retention
from bot.domain.services import Services
from bot.server.scheduler import CLOCK_HEARTBEAT, DigestScheduler
from storage.db import transaction
from storage.models import utcnow
from storage.repositories import InboxRepository, WorkspaceRepository
from tests.conftest import SECRET, TOKEN
from tests.db import backend, create_database, drop_database
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, FEEDBACK, TEAM


async def doctor(fake: Any, database_url: str, **env: str | None) -> Result:
    base: dict[str, str | None] = {
        "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url, "DATABASE_URL": database_url,
    }
    base.update(env)
    return await asyncio.to_thread(CliRunner().invoke, main, ["doctor"], env=base)


async def healthy(db: Any, *, watch: str | None = None) -> None:
    await ds.workspace(db, digest_channel_id=FEEDBACK)
    if watch:
        async with transaction(db) as s:
            await WorkspaceRepository(s).watch(TEAM, channel_id=watch, added_by=ALICE)
    await retention.heartbeat(db, CLOCK_HEARTBEAT)


async def test_a_healthy_setup_passes(fake, database_url, db):
    await healthy(db, watch="C0SUPPORT1")
    res = await doctor(fake, database_url)
    assert res.exit_code == 0, res.output
    assert "[ERR]" not in res.output
    assert "every scope the manifest asks for" in res.output
    assert "[warn]" not in res.output and "[skip]" not in res.output
    assert "the bot is in the digest channel #customer-feedback" in res.output
    assert "the bot is in a watched channel #support" in res.output
    assert "the clock is running" in res.output


async def test_a_bad_token(fake, database_url, db):
    await healthy(db)
    res = await doctor(fake, database_url, SLACK_BOT_TOKEN="xoxb-revoked")
    assert res.exit_code == 1
    assert "refused by auth.test (invalid_auth)" in res.output and "fix: set SLACK_BOT_TOKEN" in res.output
    assert "the clock is running" in res.output  # the later checks still ran


async def test_a_missing_scope(fake, database_url, db):
    await healthy(db)
    fake.api.scopes.remove("files:write")
    res = await doctor(fake, database_url)
    assert res.exit_code == 1
    assert "lacks scope(s): files:write" in res.output and "reinstall" in res.output


async def test_not_in_the_digest_channel(fake, database_url, db):
    fake.state.add_channel("random", id="C0RANDOM01", members=[ALICE], bot_member=False)
    await healthy(db)
    async with transaction(db) as s:
        await WorkspaceRepository(s).update(TEAM, digest_channel_id="C0RANDOM01")
    res = await doctor(fake, database_url)
    assert res.exit_code == 1
    assert "not a member of the digest channel #random" in res.output and "/invite @Earshot" in res.output


async def test_a_missing_sqlite_file_is_a_warning_and_is_not_created(fake, tmp_path: Path):
    path = tmp_path / "new.db"
    res = await doctor(fake, f"sqlite+aiosqlite:///{path}")
    assert res.exit_code == 0, res.output
    assert f"[warn] no SQLite database at {path} yet" in res.output
    assert "`earshot serve` creates and migrates it at start" in res.output
    assert "the bot token works" in res.output  # the Slack checks still run
    assert "[skip] the digest and watched channels" in res.output
    assert "Earshot has not run on this database yet" in res.output
    assert not path.exists()


async def test_an_unmigrated_sqlite_file_is_a_warning(fake, tmp_path: Path):
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    res = await doctor(fake, f"sqlite+aiosqlite:///{path}")
    assert res.exit_code == 0, res.output
    assert "[warn] the database has no Earshot schema yet" in res.output
    assert "`earshot serve` migrates SQLite itself at start" in res.output
    assert "every scope the manifest asks for" in res.output


async def test_an_unmigrated_postgresql_database_is_an_error(fake, tmp_path: Path):
    if backend() != "postgres":
        pytest.skip("PostgreSQL run only (EARSHOT_TEST_DB=postgres)")
    url = await create_database(tmp_path)
    try:
        res = await doctor(fake, url)
    finally:
        await drop_database(url)
    assert res.exit_code == 1
    assert "[ERR ] the database has no Earshot schema yet" in res.output and "run `earshot migrate`" in res.output
    assert "the bot token works" in res.output and "[skip] the clock and the worker" in res.output


async def test_every_problem_is_reported_in_one_run(fake, database_url, db):
    fake.state.add_channel("random", id="C0RANDOM01", members=[ALICE], bot_member=False)
    await ds.workspace(db, digest_channel_id="C0RANDOM01")  # not a member; and no clock ever ran
    async with transaction(db) as s:  # a delivery nobody has tried for ten minutes: no worker
        await InboxRepository(s).add_many([{"team_id": TEAM, "delivery_key": "Ev0OLD", "kind": "event",
                                            "body": "{}", "received_at": utcnow() - dt.timedelta(minutes=10)}])
    fake.api.scopes.remove("files:write")
    res = await doctor(fake, database_url, DEFAULT_TIMEZONE="Mars/Olympus")
    assert res.exit_code == 1
    out = res.output
    assert "settings are not valid" in out and "DEFAULT_TIMEZONE" in out
    assert "[skip] the bot token, its scopes and channels" in out
    assert "no clock has ever run" in out and "1 Slack deliveries have waited" in out
    assert "3 problem(s) that would break Earshot" in out, out
    res = await doctor(fake, database_url)
    assert res.exit_code == 1
    for problem in ("lacks scope(s): files:write", "not a member of the digest channel #random",
                    "no clock has ever run", "1 Slack deliveries have waited"):
        assert problem in res.output, (problem, res.output)
    assert "4 problem(s) that would break Earshot" in res.output


async def test_the_clock_writes_the_heartbeat_doctor_reads(fake, database_url, db, settings):
    await ds.workspace(db, digest_channel_id=FEEDBACK)
    services = Services.create(settings)
    try:
        await DigestScheduler(services).heartbeat()
    finally:
        await services.close()
    res = await doctor(fake, database_url)
    assert res.exit_code == 0, res.output
    assert "the clock is running" in res.output


async def test_no_clock(fake, database_url, db):
    await ds.workspace(db, digest_channel_id=FEEDBACK)
    res = await doctor(fake, database_url)
    assert res.exit_code == 1
    assert "no clock has ever run" in res.output and "earshot clock" in res.output
    assert "`earshot serve` without --no-clock" in res.output


async def test_invalid_settings(fake, database_url, db):
    res = await doctor(fake, database_url, SLACK_SIGNING_SECRET=None, SLACK_BOT_TOKEN="nope")
    assert res.exit_code == 1
    assert "settings are not valid" in res.output and "SLACK_BOT_TOKEN" in res.output
    assert "the database is reachable and migrated" in res.output


async def test_the_stand_in_reports_scopes_like_slack(fake):
    from slack_sdk.web.async_client import AsyncWebClient

    auth = await AsyncWebClient(token=TOKEN, base_url=fake.api_url).auth_test()
    assert "chat:write" in auth.headers["x-oauth-scopes"].split(",")
