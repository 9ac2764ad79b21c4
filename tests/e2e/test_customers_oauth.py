"""`earshot customers import` in OAuth mode checks each owner with Slack (users.info) using the
token of the workspace imported into, found in the installation store, not SLACK_BOT_TOKEN;
a workspace with no installation gets its owners checked for form only, and is told so."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from sqlalchemy import select

from bot.cli.main import main
from bot.fakeslack import FakeSlack
from storage.models import Customer
from tests.conftest import SECRET
from tests.e2e import test_oauth_installs
from tests.e2e.test_oauth_installs import A, B

two = test_oauth_installs.two  # Earshot in OAuth mode, a second workspace in the stand-in
ONLY_IN_A = "U0ONLYA001"


async def earshot(fake: FakeSlack, database_url: str, *args: str) -> Result:
    env = {"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_CLIENT_ID": fake.api.client_id, "SLACK_CLIENT_SECRET": fake.api.client_secret,
           "SLACK_API_URL": fake.api_url}
    return await asyncio.to_thread(CliRunner().invoke, main, list(args), env=env, catch_exceptions=False)


async def customers(db: Any, team: str) -> list[str]:
    async with db() as s:
        return [c.name for c in (await s.scalars(select(Customer).where(Customer.team_id == team))).all()]


async def test_owners_are_checked_with_the_workspaces_own_token(fake: FakeSlack, two: Any, database_url: str,
                                                                tmp_path: Path) -> None:
    bot, db = two
    for team in (A, B):
        assert (await fake.install(bot.base_url, team=team)).status == 200
    fake.workspace(A).add_user(ONLY_IN_A, "anna", "Anna Only-in-A")
    path = tmp_path / "customers.yaml"
    path.write_text(f"customers:\n  - name: Acme Corp\n    owner: {ONLY_IN_A}\n")
    fake.clear_calls()
    # Into A: A's token knows the owner.
    ok = await earshot(fake, database_url, "customers", "import", str(path), "--team", A)
    assert ok.exit_code == 0, ok.output
    assert [c.params.get("user") for c in fake.calls_by(A, "users.info")] == [ONLY_IN_A]
    # Into B: B's token does not; refused, nothing written.
    refused = await earshot(fake, database_url, "customers", "import", str(path), "--team", B)
    assert refused.exit_code == 2
    assert f"the owner {ONLY_IN_A} of “Acme Corp” is not a user of this workspace" in refused.output
    assert fake.calls_by(B, "users.info")
    assert await customers(db, A) == ["Acme Corp"] and await customers(db, B) == []


async def test_a_workspace_without_an_installation_is_checked_for_form_only_and_told(
        fake: FakeSlack, two: Any, database_url: str, tmp_path: Path) -> None:
    bot, db = two
    path = tmp_path / "customers.yaml"
    path.write_text(f"customers:\n  - name: Acme Corp\n    owner: {ONLY_IN_A}\n")
    result = await earshot(fake, database_url, "customers", "import", str(path), "--team", B)
    assert result.exit_code == 0, result.output
    assert f"Earshot is not installed in {B}" in result.output and "form only" in result.output
    assert not fake.calls_to("users.info")
    assert await customers(db, B) == ["Acme Corp"]
