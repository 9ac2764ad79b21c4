"""Two workspaces, one Earshot: Slack's limits on ``conversations.history`` are per
workspace (docs.slack.dev/apis/web-api/rate-limits: "per app per workspace"), so one
workspace's backfill and captures waiting for its budget must not hold up another's
(bot.domain.workspace.pacing, bot.server.backfills). Both installed through the stand-in's
OAuth flow (tests/e2e/test_oauth_installs.py); signed ``reaction_added`` events and
``/feedback watch`` commands (the stand-in's payloads, after api.slack.com/events/
reaction_added and api.slack.com/interactivity/slash-commands); the stand-in enforcing one
history call per window in each workspace. The limited mode's minute is 30 s here, so a
workspace that has just read waits that long: nothing in these tests waits for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.fakeslack import FakeSlack
from bot.fakeslack.state import Workspace as FakeWorkspace
from storage.models import Backfill, Remark
from tests.conftest import SECRET, RunningBot, eventually, start_bot
from tests.e2e.queries import ALICE, BOB, CARLA, FEEDBACK, GENERAL, SUPPORT
from tests.e2e.test_backfill import ago, answer
from tests.e2e.test_oauth_installs import warm_classifier
from tests.e2e.test_pacing_per_person import handed_back

A, B = "T0001", "T0002"
HISTORY = "conversations.history"
WINDOW = 30.0  # seconds between a workspace's history calls (2 a minute)


@pytest.fixture
async def two(fake: FakeSlack, database_url: str, db: Any) -> AsyncIterator[RunningBot]:
    fake.add_workspace(FakeWorkspace.default(team_id=B, team_name="Beta Bank", domain="beta-bank"))
    settings = Settings(_env_file=None, slack_signing_secret=SECRET,  # type: ignore[call-arg]
                        slack_client_id=fake.api.client_id, slack_client_secret=fake.api.client_secret,
                        slack_api_url=fake.api_url, database_url=database_url, log_level="DEBUG",
                        slack_history_tier="limited", backfill_calls_per_minute=60.0 / WINDOW,
                        backfill_poll_seconds=0.05, backfill_progress_pages=1)
    await warm_classifier()
    running, stop = await start_bot(settings)
    fake.api.redirect_uri = f"{running.base_url}/slack/oauth_redirect"
    for team in (A, B):
        assert (await fake.install(running.base_url, team=team)).status == 200
    # Slack's limit, per workspace (a little shorter than the pace, as in test_backfill_budget.py).
    fake.api.rate_limit(HISTORY, 1, window=WINDOW - 4)
    yield running
    await stop()


async def jobs(db) -> dict[str, Backfill]:
    async with db() as s:
        rows = (await s.scalars(select(Backfill).execution_options(populate_existing=True))).all()
    return {j.team_id: j for j in rows}


async def filed(db, team: str, ts: str) -> list[Remark]:
    async with db() as s:
        return list((await s.scalars(select(Remark).where(Remark.team_id == team, Remark.message_ts == ts))).all())


async def a_backfill_waiting_for_its_slot(fake, sim) -> None:
    """Workspace A brings in a channel of three pages: its first page read, the next is a
    window away."""
    for i in range(40):
        fake.workspace(A).post_message(FEEDBACK, CARLA, f"Remark {i}: the invoice export misses column {i}",
                                       ts=ago(fake, 20 - i * 0.3))
    answer(await sim.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))
    await fake.wait_for(HISTORY, 1, timeout=20)


async def test_a_workspace_waiting_for_its_budget_holds_up_no_capture_of_another(fake, db, two):
    sa = fake.simulator(two.url, workspace=fake.workspace(A))
    sb = fake.simulator(two.url, workspace=fake.workspace(B))
    try:
        await a_backfill_waiting_for_its_slot(fake, sa)
        ma = fake.workspace(A).post_message(SUPPORT, CARLA, "Alpha: the checkout page times out")
        await sa.react(ALICE, SUPPORT, ma["ts"], "memo")
        await handed_back(db, 1)  # A's capture waits for A's next slot, behind nothing of B's
        mb = fake.workspace(B).post_message(SUPPORT, CARLA, "Beta: refunds take three weeks")
        await sb.react(BOB, SUPPORT, mb["ts"], "memo")
        [rb] = await eventually(lambda: filed(db, B, mb["ts"]), timeout=20)
        still = await filed(db, A, ma["ts"]), (await jobs(db))[A]
    finally:
        await sa.close()
        await sb.close()
    assert "refunds take three weeks" in rb.text
    assert still[0] == [] and still[1].status == "running"  # A still waits
    calls = fake.calls_to(HISTORY)
    assert [(c.team_id, c.status) for c in calls] == [(A, 200), (B, 200)]


async def test_a_workspace_waiting_for_its_budget_holds_up_no_backfill_of_another(fake, db, two):
    # The runner worked one job at a time to its end: a long backfill in the limited mode
    # (a page a minute, hours for a busy channel) held every other workspace's backfill
    # back for as long, though each workspace has a budget of its own.
    sa = fake.simulator(two.url, workspace=fake.workspace(A))
    sb = fake.simulator(two.url, workspace=fake.workspace(B))
    try:
        await a_backfill_waiting_for_its_slot(fake, sa)
        for i in range(5):
            fake.workspace(B).post_message(FEEDBACK, CARLA, f"Beta remark {i}: the card reader drops payments",
                                           ts=ago(fake, 10 - i))
        answer(await sb.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))

        async def b_done() -> Backfill | None:
            j = (await jobs(db)).get(B)
            return j if j is not None and j.status in ("done", "failed") else None

        finished = await eventually(b_done, timeout=20)
        a_job = (await jobs(db))[A]
    finally:
        await sa.close()
        await sb.close()
    assert finished.status == "done" and finished.captured == 5
    assert a_job.status == "running"  # A still waits for its next slot
    calls = fake.calls_to(HISTORY)
    assert [(c.team_id, c.status) for c in calls] == [(A, 200), (B, 200)]
