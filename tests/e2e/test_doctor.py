"""``earshot doctor`` against the Slack stand-in and real databases, healthy and broken."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from bot.cli.main import main
from bot.domain.privacy import retention
from bot.domain.services import Services
from bot.server.scheduler import CLOCK_HEARTBEAT, DigestScheduler
from storage.db import transaction
from storage.repositories import WorkspaceRepository
from tests.conftest import SECRET, TOKEN
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
    assert "every scope manifest.yml asks for" in res.output
    assert "the bot is in the digest channel #customer-feedback" in res.output
    assert "the bot is in a watched channel #support" in res.output
    assert "the clock is running" in res.output


async def test_a_bad_token(fake, database_url, db):
    await healthy(db)
    res = await doctor(fake, database_url, SLACK_BOT_TOKEN="xoxb-revoked")
    assert res.exit_code == 1
    assert "refused by auth.test (invalid_auth)" in res.output and "fix: set SLACK_BOT_TOKEN" in res.output


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


async def test_an_unmigrated_database(fake, tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    res = await doctor(fake, url)
    assert res.exit_code == 1
    assert "no Earshot schema yet" in res.output and "earshot migrate" in res.output
    assert "auth.test" not in res.output  # later checks need the schema


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
    assert "no clock process has ever run" in res.output and "earshot clock" in res.output


async def test_invalid_settings(fake, database_url, db):
    res = await doctor(fake, database_url, SLACK_SIGNING_SECRET=None, SLACK_BOT_TOKEN="nope")
    assert res.exit_code == 1
    assert "settings are not valid" in res.output and "SLACK_BOT_TOKEN" in res.output
    assert "the database is reachable and migrated" in res.output


async def test_the_stand_in_reports_scopes_like_slack(fake):
    from slack_sdk.web.async_client import AsyncWebClient

    auth = await AsyncWebClient(token=TOKEN, base_url=fake.api_url).auth_test()
    assert "chat:write" in auth.headers["x-oauth-scopes"].split(",")
