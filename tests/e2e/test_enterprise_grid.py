"""Enterprise Grid: an org-wide install reaches every workspace of the organisation (the
install page names them), each workspace keeps its own state under its own team id, works
with the org's token, and colleagues from sibling workspaces are not taken for customers
(a Slack Connect organisation still is)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.digest.build import schedule_of
from bot.digest.periods import current_period
from bot.domain.customers.connect import clear_cache
from bot.fakeslack import FakeSlack
from bot.fakeslack.state import Workspace as FakeWorkspace
from bot.server.scheduler import DigestScheduler
from storage.db import transaction
from storage.models import Remark, utcnow
from storage.repositories.workspaces import WorkspaceRepository
from tests.conftest import SECRET, RunningBot, settled, start_bot
from tests.e2e.queries import ALICE, BOB, CARLA
from tests.e2e.test_oauth_installs import warm_classifier

ORG, EAST, WEST = "E0GRID0001", "T0EAST0001", "T0WEST0001"
SHARED = "C0SHARED01"
SIBLING, CUSTOMER = "U0WESTIE01", "U0CUSTOM01"


@pytest.fixture
async def grid(fake: FakeSlack, database_url: str, db: Any) -> AsyncIterator[tuple[RunningBot, Any]]:
    clear_cache()
    east = fake.add_workspace(FakeWorkspace.default(team_id=EAST, team_name="Grid East", domain="east",
                                                    enterprise_id=ORG))
    fake.add_workspace(FakeWorkspace.default(team_id=WEST, team_name="Grid West", domain="west",
                                             enterprise_id=ORG))
    east.add_team(WEST, "Grid West", "west", enterprise_id=ORG)
    east.add_team("T0CUSTCO01", "Customer Co", "customer-co")
    east.add_user(SIBLING, "westie", "Wes West", team_id=WEST)
    east.add_user(CUSTOMER, "cust", "Cus Tomer", team_id="T0CUSTCO01")
    east.add_channel("shared", id=SHARED, members=[ALICE, BOB, CARLA, SIBLING, CUSTOMER],
                     is_ext_shared=True, shared_team_ids=[EAST, WEST, "T0CUSTCO01"])
    settings = Settings(_env_file=None, slack_signing_secret=SECRET,  # type: ignore[call-arg]
                        slack_client_id=fake.api.client_id, slack_client_secret=fake.api.client_secret,
                        slack_api_url=fake.api_url, database_url=database_url, log_level="DEBUG")
    await warm_classifier()
    running, stop = await start_bot(settings)
    fake.api.redirect_uri = f"{running.base_url}/slack/oauth_redirect"
    yield running, db
    await stop()


async def test_org_wide_install_names_its_workspaces_and_keeps_them_apart(fake: FakeSlack, grid: Any) -> None:
    bot, db = grid
    page = await fake.install(bot.base_url, team=ORG)
    assert page.status == 200, page.text
    assert "Grid East" in page.text and "Grid West" in page.text and "2 workspace(s)" in page.text
    east = fake.workspace(EAST)
    sim = fake.simulator(bot.url, workspace=east)
    colleague = east.post_message(SHARED, SIBLING, "Colleague from West: invoices look odd")
    customer = east.post_message(SHARED, CUSTOMER, "Customer: the invoice is wrong again")
    await sim.react(ALICE, SHARED, colleague["ts"], "memo")
    await sim.react(ALICE, SHARED, customer["ts"], "memo")
    await settled(bot)
    async with db() as s:
        found = {r.message_ts: r for r in (await s.scalars(select(Remark))).all()}
    assert {r.team_id for r in found.values()} == {EAST}
    assert found[colleague["ts"]].customer is None
    assert found[customer["ts"]].customer == "Customer Co"
    # The org's one token, answered for East.
    assert fake.calls_by(EAST, "reactions.add") and not fake.calls_by(WEST)
    # Work outside a request (the digest) finds the org's token through the workspace.
    async with transaction(db) as s:
        await WorkspaceRepository(s).update(EAST, digest_channel_id=SHARED, digest_enabled=True)
        ws = await WorkspaceRepository(s).get(EAST)
    period = current_period(schedule_of(ws, "UTC"), utcnow())
    outcome = await DigestScheduler(bot.runtime.services).poster.post(EAST, period, force=True)
    assert outcome.status == "posted"
    posted = [c for c in fake.calls_by(EAST, "chat.postMessage") if c.params.get("metadata")]
    assert len(posted) == 1 and posted[0].params.get("team_id") == EAST
