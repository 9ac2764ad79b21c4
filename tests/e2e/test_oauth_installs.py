"""OAuth installs: two workspaces added through *Add to Slack* (the real HTTP flow against
the stand-in's oauth.v2.access), driven with the same channel, user and process names, never
see each other's data, and every Slack call of each uses its own token. Bad installs (forged
or replayed state, a cancelled install), a revoked token mid-work, and events from a workspace
that was never installed or was removed change nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select, update

from bot.config import Settings
from bot.digest.build import schedule_of
from bot.digest.periods import current_period
from bot.fakeslack import FakeSlack
from bot.fakeslack.state import Workspace as FakeWorkspace
from bot.server.scheduler import DigestScheduler
from bot.server.worker import NOT_INSTALLED_REASON
from storage.db import transaction
from storage.models import Base, Capture, Delivery, Process, Remark, Workspace, utcnow
from storage.repositories.installations import bots_table, installations_table, states_table
from storage.repositories.workspaces import WorkspaceRepository
from tests.conftest import SECRET, RunningBot, eventually, settled, start_bot
from tests.e2e.queries import ALICE, BOB, CARLA, FEEDBACK, GENERAL, SUPPORT

A, B = "T0001", "T0002"


async def warm_classifier() -> None:
    """Load the word vectors and models off the event loop first: on a busy machine the first
    typed remark would otherwise hold the loop past the stand-in's 10 s request timeout."""
    from bot.classify import wordvectors
    from bot.classify.model import WorkspaceModel  # noqa: F401 - imported for its side effect

    await asyncio.to_thread(wordvectors.embed, "warm up")


@pytest.fixture
async def two(fake: FakeSlack, database_url: str, db: Any) -> AsyncIterator[tuple[RunningBot, Any]]:
    """Earshot in OAuth mode (no bot token) and a second workspace in the stand-in, with the
    same people and channel ids as the first."""
    fake.add_workspace(FakeWorkspace.default(team_id=B, team_name="Beta Bank", domain="beta-bank"))
    settings = Settings(_env_file=None, slack_signing_secret=SECRET,  # type: ignore[call-arg]
                        slack_client_id=fake.api.client_id, slack_client_secret=fake.api.client_secret,
                        slack_api_url=fake.api_url, database_url=database_url, log_level="DEBUG")
    await warm_classifier()
    running, stop = await start_bot(settings)
    fake.api.redirect_uri = f"{running.base_url}/slack/oauth_redirect"
    yield running, db
    await stop()


async def rows(db: Any) -> list[tuple[str, dict[str, Any]]]:
    out = []
    async with db() as s:
        for table in [*Base.metadata.sorted_tables, installations_table, bots_table]:
            for row in (await s.execute(select(table))).mappings().all():
                out.append((table.name, dict(row)))
    return out


async def test_two_workspaces_installed_by_oauth_stay_apart(fake: FakeSlack, two: Any) -> None:
    bot, db = two
    for team in (A, B):
        page = await fake.install(bot.base_url, team=team)
        assert page.status == 200, page.text
        assert "Earshot is installed" in page.text and team in page.text
    a_ws, b_ws = fake.workspace(A), fake.workspace(B)
    sa, sb = fake.simulator(bot.url, workspace=a_ws), fake.simulator(bot.url, workspace=b_ws)
    # The same channel, people and words in both; each files under its own new process.
    await sa.slash(ALICE, SUPPORT, 'process add "Zebra billing" zebra, invoice')
    await sb.slash(ALICE, SUPPORT, 'process add "Zebra refunds" zebra, refund')
    for sim, ws, words in ((sa, a_ws, "Alpha says the zebra invoice is wrong"),
                           (sb, b_ws, "Beta says the zebra refund is slow")):
        msg = ws.post_message(SUPPORT, CARLA, words)
        await sim.react(ALICE, SUPPORT, msg["ts"], "memo")            # reaction
        await sim.react(BOB, SUPPORT, msg["ts"], "memo")              # endorsement
        await sim.say(BOB, SUPPORT, f"<@{ws.bot_user_id}> customer note", thread_ts=msg["ts"])  # mention
        await sim.slash(CARLA, SUPPORT, f"{words.split()[0]} typed by hand about zebra")  # typed
        await sim.slash(ALICE, SUPPORT, "digest")                     # a preview
        fwd = ws.post_message(GENERAL, CARLA, f"{words.split()[0]} forwarded: zebra invoice again")
        await sim.forward(BOB, GENERAL, fwd["ts"], "dm")              # forward to the bot's DM
        await sim.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}|customer-feedback>")
        await sim.say(CARLA, FEEDBACK, f"{words.split()[0]} watched: zebra refund please")  # watched
    await settled(bot)
    async with db() as s:
        stored = {(r.team_id, r.text) for r in (await s.scalars(select(Remark))).all()}
    assert any(t == A and "Alpha" in (x or "") for t, x in stored)
    assert any(t == B and "Beta" in (x or "") for t, x in stored)
    async with db() as s:
        names = {(p.team_id, p.name) for p in (await s.scalars(select(Process))).all()}
        routes = {(c.team_id, c.route) for c in (await s.scalars(select(Capture))).all()}
    assert (A, "Zebra billing") in names and (A, "Zebra refunds") not in names
    assert (B, "Zebra refunds") in names and (B, "Zebra billing") not in names
    for team in (A, B):
        assert {r for t, r in routes if t == team} >= {"reaction", "mention", "command", "forward", "watch"}
    # No row of one workspace holds the other's words.
    for table, row in await rows(db):
        text = repr(row)
        if row.get("team_id") == A:
            assert "Beta" not in text, (table, row)
        if row.get("team_id") == B:
            assert "Alpha" not in text, (table, row)
    # Digests: each posted with its own token, about its own remarks only.
    async with transaction(db) as s:
        for team in (A, B):
            await WorkspaceRepository(s).update(team, digest_channel_id=SUPPORT, digest_enabled=True)
    scheduler = DigestScheduler(bot.runtime.services)
    for team in (A, B):
        async with db() as s:
            ws = await WorkspaceRepository(s).get(team)
        period = current_period(schedule_of(ws, "UTC"), utcnow())
        assert (await scheduler.poster.post(team, period, force=True)).status == "posted"
    for team, word in ((A, "Alpha"), (B, "Beta")):
        digest = [c for c in fake.calls_by(team, "chat.postMessage") if c.params.get("metadata")]
        assert len(digest) == 1 and word in repr(digest[0].params)
    # Every call Earshot made carried the token of the workspace it was about.
    for team in (A, B):
        mine = fake.calls_by(team)
        assert mine, team
        other = B if team == A else A
        for call in mine:
            assert other not in repr(call.params), call
        posted = [c.params.get("text", "") + repr(c.params.get("blocks", "")) for c in mine
                  if c.method in ("chat.postMessage", "chat.postEphemeral")]
        word = "Alpha" if team == A else "Beta"
        wrong = "Beta" if team == A else "Alpha"
        assert any(word in p for p in posted) and not any(wrong in p for p in posted)
    assert all(c.team_id is not None for c in fake.calls if c.method not in
               ("oauth.v2.access", "oauth.authorize", "response_url", "upload"))


async def test_a_token_of_one_team_cannot_read_another(fake: FakeSlack, two: Any) -> None:
    fake.workspace(B).add_channel("beta-only", id="C0BETAONLY", members=[ALICE])
    client = fake.client()  # team A's token
    with pytest.raises(Exception) as err:
        await client.conversations_info(channel="C0BETAONLY")
    assert "channel_not_found" in str(err.value)


async def test_forged_replayed_and_cancelled_installs_install_nothing(fake: FakeSlack, two: Any) -> None:
    bot, db = two
    cancelled = await fake.install(bot.base_url, team=A, deny=True)
    assert cancelled.status == 200 and "cancelled" in cancelled.text
    ok = await fake.install(bot.base_url, team=A)
    assert ok.status == 200
    async with aiohttp.ClientSession() as http:
        # Replayed: the same state (and cookie) a second time.
        async with http.get(ok.callback_url, headers={"Cookie": ok.cookie}) as r:
            assert r.status == 400 and "already used" in await r.text()
        # Forged: a state Earshot never issued, without the browser's cookie.
        async with http.get(f"{bot.base_url}/slack/oauth_redirect?code=x&state=forged") as r:
            assert r.status == 400 and "not started in this browser" in await r.text()
    async with db() as s:
        assert len((await s.execute(select(bots_table))).all()) == 1
        assert (await s.execute(select(states_table))).all() == []


async def test_events_from_a_workspace_never_installed_do_no_work(fake: FakeSlack, two: Any) -> None:
    bot, db = two
    sb = fake.simulator(bot.url, workspace=fake.workspace(B))
    msg = fake.workspace(B).post_message(SUPPORT, CARLA, "Never installed here")
    assert (await sb.react(ALICE, SUPPORT, msg["ts"], "memo")).status == 200
    await settled(bot)
    async with db() as s:
        assert [d.last_error for d in (await s.scalars(select(Delivery))).all()] == [NOT_INSTALLED_REASON]
    assert (await sb.slash(ALICE, SUPPORT, "help")).status == 200
    told = await fake.wait_for("response_url")
    assert "not installed" in told[0].params["text"]
    await settled(bot)
    async with db() as s:
        assert (await s.scalars(select(Remark))).all() == []


async def test_revoked_token_mid_work_stops_that_workspace_only(fake: FakeSlack, two: Any) -> None:
    bot, db = two
    for team in (A, B):
        assert (await fake.install(bot.base_url, team=team)).status == 200
    fake.revoke(A)
    sa = fake.simulator(bot.url, workspace=fake.workspace(A))
    sb = fake.simulator(bot.url, workspace=fake.workspace(B))
    ma = fake.workspace(A).post_message(SUPPORT, CARLA, "Alpha words")
    mb = fake.workspace(B).post_message(SUPPORT, CARLA, "Beta words")
    await sa.react(ALICE, SUPPORT, ma["ts"], "memo")
    await sb.react(ALICE, SUPPORT, mb["ts"], "memo")
    await settled(bot)
    async with db() as s:
        assert {r.team_id for r in (await s.scalars(select(Remark))).all()} == {B}
        done = {d.team_id: d.last_error for d in (await s.scalars(select(Delivery))).all()}
    assert done[A] == NOT_INSTALLED_REASON and done[B] is None


async def test_uninstall_forgets_the_tokens_and_a_reinstall_keeps_the_data(fake: FakeSlack, two: Any) -> None:
    bot, db = two
    assert (await fake.install(bot.base_url, team=A)).status == 200
    sa = fake.simulator(bot.url, workspace=fake.workspace(A))
    msg = fake.workspace(A).post_message(SUPPORT, CARLA, "Alpha words")
    await sa.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    await sa.uninstall()
    await settled(bot)

    async def tokens() -> int:
        async with db() as s:
            return len((await s.execute(select(bots_table))).all()) + \
                len((await s.execute(select(installations_table))).all())

    await eventually(lambda: _zero(tokens))
    # A stray event after the uninstall does no work and does not count as a reinstall.
    late = fake.workspace(A).post_message(SUPPORT, CARLA, "Alpha late words")
    await sa.react(ALICE, SUPPORT, late["ts"], "memo")
    await settled(bot)
    async with db() as s:
        assert (await s.get(Workspace, A)).uninstalled_at is not None
        assert len((await s.scalars(select(Remark))).all()) == 1
    assert (await fake.install(bot.base_url, team=A)).status == 200
    async with db() as s:
        assert (await s.get(Workspace, A)).uninstalled_at is None
    async with db() as s:
        assert len((await s.scalars(select(Remark))).all()) == 1


async def _zero(f: Any) -> bool:
    return await f() == 0


async def test_rotating_tokens_are_refreshed_before_they_expire(fake: FakeSlack, two: Any) -> None:
    bot, db = two
    fake.api.rotate_tokens = True
    assert (await fake.install(bot.base_url, team=A)).status == 200
    async with db() as s:
        first = (await s.execute(select(bots_table.c.bot_token, bots_table.c.bot_refresh_token))).one()
    assert first.bot_token.startswith("xoxe.xoxb-") and first.bot_refresh_token
    # The token is about to expire (Slack's last minutes of it; Earshot refreshes 2 hours ahead).
    fake.api.tokens[first.bot_token].expires_at = time.time() + 30
    async with transaction(db) as s:
        await s.execute(update(bots_table).values(
            bot_token_expires_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=30)))
    sa = fake.simulator(bot.url, workspace=fake.workspace(A))
    msg = fake.workspace(A).post_message(SUPPORT, CARLA, "Alpha words")
    await sa.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    assert [c for c in fake.calls_to("oauth.v2.access") if c.params.get("grant_type") == "refresh_token"]
    async with db() as s:
        tokens = {r.bot_token for r in (await s.execute(select(bots_table.c.bot_token))).all()}
        assert len((await s.scalars(select(Remark))).all()) == 1
    newest = max(tokens - {first.bot_token})
    assert fake.api.tokens[newest].team_id == A
    assert fake.calls_by(A, "reactions.add")
