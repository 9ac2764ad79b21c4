"""Who is an admin (issue 20, item 7): admins come from the workspace a request is for, or its
Enterprise Grid organisation, never from elsewhere. A Slack Connect partner who is an admin
of their own organisation is not one here; ``ADMIN_USERS`` names workspace:user pairs, each
an admin only in its workspace (a bare user id is single-token mode's); a Grid organisation's
admin counts in its workspaces, a sibling workspace's own admin does not. What Slack says
about a person is users.info's user object (api.slack.com/types/user; ``is_stranger`` for
a foreign workspace's member, docs.slack.dev/reference/methods/users.info; ``enterprise_user``
for Grid), as the stand-in answers it. *Thank the team* is sent once per process and period,
and only for a period Earshot offered, whatever a crafted form names."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.digest.post import DigestPoster
from bot.domain.workspace.permissions import clear_cache
from bot.fakeslack import FakeSlack
from bot.fakeslack.state import Workspace as FakeWorkspace
from bot.server.scheduler import build_digest_client
from storage.models import LoopClaim, Process
from tests.conftest import SECRET, RunningBot, settled, start_bot
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, DAN, FEEDBACK, GENERAL, SUPPORT
from tests.e2e.test_enterprise_grid import EAST, ORG, SIBLING, WEST, grid  # noqa: F401 - the fixture
from tests.e2e.test_oauth_installs import A, B, warm_classifier

PARTNER, HANK = "T0GLOBEX01", "U0HANK0001"


@pytest.fixture(autouse=True)
def fresh_answers() -> None:
    clear_cache()  # each test's people are who its stand-in says they are


async def names(db, team: str) -> set[str]:
    async with db() as s:
        return {p.name for p in (await s.scalars(select(Process).where(Process.team_id == team))).all()}


def private_text(delivery: Any) -> str:
    body = delivery.json()
    assert body["response_type"] == "ephemeral"
    return json.dumps(body)


async def test_a_slack_connect_partners_own_admin_rights_do_not_count(fake, slack, bot, db):
    fake.state.add_team(PARTNER, "Globex Corporation", "globex")
    fake.state.add_user(HANK, "hank", "Hank Scorpio", team_id=PARTNER, is_admin=True, is_owner=True)
    fake.state.add_channel("globex-acme", id="C0GLOBEX01", members=[ALICE, HANK], is_ext_shared=True,
                           shared_team_ids=[fake.state.team.id, PARTNER])
    refused = await slack.slash(HANK, "C0GLOBEX01", "process add Sabotage")
    assert "Only workspace admins" in private_text(refused)
    [info] = fake.calls_to("users.info")
    assert info.response["user"]["is_stranger"] is True and info.response["user"]["is_admin"] is True
    assert "Sabotage" not in await names(db, fake.state.team.id)
    # The workspace's own admin still is one.
    assert "Added *Legal*" in private_text(await slack.slash(ALICE, SUPPORT, "process add Legal"))


@pytest.fixture
async def two_listing_dan(fake: FakeSlack, database_url: str, db: Any) -> AsyncIterator[tuple[RunningBot, Any]]:
    """OAuth mode, two workspaces with the same people; ADMIN_USERS names Dan in A only."""
    fake.add_workspace(FakeWorkspace.default(team_id=B, team_name="Beta Bank", domain="beta-bank"))
    settings = Settings(_env_file=None, slack_signing_secret=SECRET,  # type: ignore[call-arg]
                        slack_client_id=fake.api.client_id, slack_client_secret=fake.api.client_secret,
                        slack_api_url=fake.api_url, database_url=database_url, log_level="DEBUG",
                        admin_users=f"{A}:{DAN}")
    await warm_classifier()
    running, stop = await start_bot(settings)
    fake.api.redirect_uri = f"{running.base_url}/slack/oauth_redirect"
    yield running, db
    await stop()


async def test_admin_users_pairs_apply_only_in_their_workspace(fake: FakeSlack, two_listing_dan: Any) -> None:
    bot, db = two_listing_dan
    for team in (A, B):
        assert (await fake.install(bot.base_url, team=team)).status == 200
    sa = fake.simulator(bot.url, workspace=fake.workspace(A))
    sb = fake.simulator(bot.url, workspace=fake.workspace(B))
    try:
        assert "Added *Sales*" in private_text(await sa.slash(DAN, SUPPORT, "process add Sales"))
        assert "Only workspace admins" in private_text(await sb.slash(DAN, SUPPORT, "process add Sales"))
    finally:
        await sa.close()
        await sb.close()
    assert "Sales" in await names(db, A) and "Sales" not in await names(db, B)


async def test_grid_organisation_admins_count_a_sibling_workspaces_admin_does_not(fake: FakeSlack,
                                                                                 grid: Any) -> None:  # noqa: F811
    bot, db = grid
    assert (await fake.install(bot.base_url, team=ORG)).status == 200
    east = fake.workspace(EAST)
    east.users[SIBLING].is_admin = True  # an admin of West, their own workspace
    east.add_user("U0ORGADM01", "olga", "Olga Org", team_id=WEST, is_org_admin=True)
    sim = fake.simulator(bot.url, workspace=east)
    try:
        assert "Only workspace admins" in private_text(await sim.slash(SIBLING, SUPPORT, "process add West"))
        assert "Added *Org*" in private_text(await sim.slash("U0ORGADM01", SUPPORT, "process add Org"))
    finally:
        await sim.close()
    assert await names(db, EAST) >= {"Org"} and "West" not in await names(db, EAST)


async def test_thank_the_team_is_refused_for_a_period_earshot_never_offered(fake, slack, bot, db):
    services = bot.runtime.services
    await ds.workspace(db, timezone="Europe/Berlin", digest_channel_id=FEEDBACK, installer_user_id=ALICE)
    planted = await ds.plant(db, dt.datetime(2025, 3, 3, tzinfo=dt.UTC))
    now = dt.datetime(2025, 3, 10, 8, 1, tzinfo=dt.UTC)
    services.clock = lambda: now
    await DigestPoster(services, build_digest_client(services), worker="t", now=lambda: now,
                       backoff_base=0.01).post(ds.TEAM)
    [post] = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == FEEDBACK]
    await slack.click(DAN, f"praise_thank:{planted.praised}", channel=FEEDBACK, ts=post.response["ts"])
    [opened] = await fake.wait_for("views.open")
    view = opened.response["view"]
    assert json.loads(view["private_metadata"])["period"] == "2025-W10"
    ok = await slack.submit_view(DAN, {"thank_channel": GENERAL, "thank_text": "Thank you all!"})
    assert ok.status == 200 and not ok.body
    await settled(bot)
    # The same form, resent naming other periods: another week long past, a made-up one.
    for period in ("2025-W05", "2099-W01", "soon"):
        fake.state.views[view["id"]]["private_metadata"] = json.dumps(
            {"process": planted.praised, "period": period})
        await slack.submit_view(DAN, {"thank_channel": GENERAL, "thank_text": "Thanks again!"},
                                view_id=view["id"])
    await settled(bot)
    sent = [c for c in fake.calls_to("chat.postMessage") if c.ok and c.params["channel"] == GENERAL]
    assert len(sent) == 1
    notes = [c.params["text"] for c in fake.calls_to("chat.postMessage") if c.params["channel"] == DAN]
    assert sum("out of date" in n for n in notes) == 3
    async with db() as s:
        assert [c.claim_key for c in (await s.scalars(select(LoopClaim)
                                                      .where(LoopClaim.kind == "thanks"))).all()] == [
            f"{planted.praised}:2025-W10"]
