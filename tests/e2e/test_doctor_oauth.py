"""``earshot doctor`` in OAuth mode: every installed workspace checked with its own token."""

from __future__ import annotations

import asyncio
from typing import Any

from click.testing import CliRunner, Result

from bot.cli.main import main
from bot.domain.privacy import retention
from bot.server.scheduler import CLOCK_HEARTBEAT
from tests.conftest import SECRET
from tests.e2e.test_oauth_installs import A, B, two  # noqa: F401 - the fixture

__all__ = ["two"]


async def doctor(fake: Any, database_url: str) -> Result:
    env = {"SLACK_BOT_TOKEN": "", "SLACK_CLIENT_ID": fake.api.client_id,
           "SLACK_CLIENT_SECRET": fake.api.client_secret, "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": fake.api_url, "DATABASE_URL": database_url}
    return await asyncio.to_thread(CliRunner().invoke, main, ["doctor"], env=env)


async def test_doctor_checks_each_installed_workspace_with_its_own_token(fake: Any, two: Any,  # noqa: F811
                                                                        database_url: str) -> None:
    bot, db = two
    await retention.heartbeat(db, CLOCK_HEARTBEAT)
    nothing = await doctor(fake, database_url)
    assert "no workspace has installed Earshot yet" in nothing.output
    # The install page cannot name who runs it: a warning, with the settings to set.
    assert ("[warn] the Add to Slack page cannot say who runs Earshot (OPERATOR_NAME, OPERATOR_CONTACT, "
            "PRIVACY_POLICY_URL not set)") in nothing.output
    assert nothing.exit_code == 0, nothing.output
    for team in (A, B):
        assert (await fake.install(bot.base_url, team=team)).status == 200
    fake.revoke(B)
    res = await doctor(fake, database_url)
    assert f"the bot token works (team {A}" in res.output
    assert f"workspace {B} (Beta Bank): the bot token was refused by auth.test (token_revoked)" in res.output
    assert res.exit_code == 1
