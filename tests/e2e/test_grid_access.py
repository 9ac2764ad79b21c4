"""Enterprise Grid, after the install: an org admin adds a workspace to the org-wide install
(`team_access_granted`) and it works at once with the org's token, no reinstall; one removed
(`team_access_revoked`) stops like an uninstall of that workspace, the others go on; the
org-wide install removed (`app_uninstalled` for the organisation) deletes the organisation's
own installation rows and stops every workspace. All through signed deliveries from the
stand-in, whose org token reaches only the workspaces it was given."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.digest.build import schedule_of
from bot.digest.periods import current_period
from bot.fakeslack import FakeSlack
from bot.fakeslack.state import Workspace as FakeWorkspace
from bot.server.scheduler import DigestScheduler
from bot.server.worker import access_change, org_wide
from storage.db import transaction
from storage.models import Delivery, Process, Remark, Workspace, utcnow
from storage.repositories.installations import bots_table, installations_table
from storage.repositories.workspaces import WorkspaceRepository
from tests.conftest import settled
from tests.e2e import test_enterprise_grid
from tests.e2e.queries import ALICE, CARLA, SUPPORT
from tests.e2e.test_enterprise_grid import EAST, ORG, WEST

grid = test_enterprise_grid.grid  # the same Grid organisation (East, West) and Earshot in OAuth mode

NORTH = "T0NORTH001"


async def capture(fake: FakeSlack, bot: Any, team: str, words: str) -> Any:
    ws = fake.workspace(team)
    msg = ws.post_message(SUPPORT, CARLA, words)
    return await fake.simulator(bot.url, workspace=ws).react(ALICE, SUPPORT, msg["ts"], "memo")


async def remarks_of(db: Any, team: str) -> list[Remark]:
    async with db() as s:
        return list((await s.scalars(select(Remark).where(Remark.team_id == team))).all())


async def token_rows(db: Any) -> list[tuple[str, str | None, str | None]]:
    async with db() as s:
        return [(t.name, r.enterprise_id, r.team_id) for t in (installations_table, bots_table)
                for r in (await s.execute(select(t.c.enterprise_id, t.c.team_id))).all()]


async def post_digest(bot: Any, db: Any, team: str) -> str:
    async with transaction(db) as s:
        await WorkspaceRepository(s).update(team, digest_channel_id=SUPPORT, digest_enabled=True)
        ws = await WorkspaceRepository(s).get(team)
    period = current_period(schedule_of(ws, "UTC"), utcnow())
    return (await DigestScheduler(bot.runtime.services).poster.post(team, period, force=True)).status


async def test_a_workspace_added_to_the_org_install_works_without_a_reinstall(fake: FakeSlack, grid: Any) -> None:
    bot, db = grid
    assert (await fake.install(bot.base_url, team=ORG)).status == 200
    north = fake.add_workspace(FakeWorkspace.default(team_id=NORTH, team_name="Grid North", domain="north",
                                                     enterprise_id=ORG))
    granted = await fake.grant_team_access(bot.url, ORG, [NORTH])
    assert granted.status == 200
    await settled(bot)
    async with db() as s:
        ws = await s.get(Workspace, NORTH)
        assert ws is not None and ws.uninstalled_at is None
        assert (await s.scalars(select(Process).where(Process.team_id == NORTH))).all()  # starter processes
        [done] = (await s.scalars(select(Delivery).where(Delivery.delivery_key.like("ev:%")))).all()
        assert done.done_at is not None and done.last_error is None and done.body == ""
    assert ("slack_bots", ORG, NORTH) in await token_rows(db)
    # No reinstall: a reaction in the new workspace is captured with the org's token...
    await capture(fake, bot, NORTH, "North: the invoice is wrong again")
    await settled(bot)
    assert [r.text for r in await remarks_of(db, NORTH)] == ["North: the invoice is wrong again"]
    assert fake.calls_by(NORTH, "reactions.add")
    assert all(c.params.get("team_id") == NORTH for c in fake.calls_by(NORTH, "reactions.add"))
    # ...and work outside a request (the digest) finds that token too.
    assert await post_digest(bot, db, NORTH) == "posted"
    posted = [c for c in fake.calls_by(NORTH, "chat.postMessage") if c.params.get("metadata")]
    assert len(posted) == 1 and "North" in repr(posted[0].params)
    assert north.team.id == NORTH and not await remarks_of(db, EAST)
    # Granted once more (an admin's second click): nothing doubles, nothing is lost.
    async with db() as s:
        processes = len((await s.scalars(select(Process).where(Process.team_id == NORTH))).all())
    assert (await fake.grant_team_access(bot.url, ORG, [NORTH])).status == 200
    await settled(bot)
    async with db() as s:
        assert len((await s.scalars(select(Process).where(Process.team_id == NORTH))).all()) == processes
    assert len(await remarks_of(db, NORTH)) == 1


async def test_a_workspace_removed_from_the_org_install_stops_and_the_others_go_on(fake: FakeSlack,
                                                                                   grid: Any) -> None:
    bot, db = grid
    assert (await fake.install(bot.base_url, team=ORG)).status == 200
    await capture(fake, bot, WEST, "West: refunds are slow")
    await settled(bot)
    assert (await fake.revoke_team_access(bot.url, ORG, [WEST])).status == 200
    await settled(bot)
    async with db() as s:
        assert (await s.get(Workspace, WEST)).uninstalled_at is not None
        assert (await s.get(Workspace, EAST)).uninstalled_at is None
    rows = await token_rows(db)
    assert not [r for r in rows if r[2] == WEST]
    assert ("slack_installations", ORG, None) in rows and ("slack_bots", ORG, EAST) in rows
    # West does no work: its events are finished unrun, its commands told, no digest.
    fake.clear_calls()
    late = await capture(fake, bot, WEST, "West: a late remark")
    assert late.status == 200
    west = fake.simulator(bot.url, workspace=fake.workspace(WEST))
    assert (await west.slash(ALICE, SUPPORT, "help")).status == 200  # Bolt finds no token for West
    said = await fake.wait_for("response_url")
    assert "not installed" in said[0].params["text"]
    # Slack still letting the org's token reach West (its change not yet everywhere): Earshot
    # itself refuses the work.
    fake.api.org_access[ORG].add(WEST)
    fake.workspace(WEST).org_install = True
    told = await west.slash(ALICE, SUPPORT, "help")
    fake.api.org_access[ORG].discard(WEST)
    fake.workspace(WEST).org_install = False
    assert told.status == 200 and "not installed" in told.body
    await settled(bot)
    assert [r.text for r in await remarks_of(db, WEST)] == ["West: refunds are slow"]  # kept (grace)
    assert await bot.runtime.services.clients.for_team(WEST) is None
    assert not [c for c in fake.calls_by(WEST) if c.method != "auth.test"]
    # East goes on.
    await capture(fake, bot, EAST, "East: invoices are fine now")
    await settled(bot)
    assert [r.text for r in await remarks_of(db, EAST)] == ["East: invoices are fine now"]
    # Added back within the grace period: everything kept, working again.
    assert (await fake.grant_team_access(bot.url, ORG, [WEST])).status == 200
    await settled(bot)
    async with db() as s:
        assert (await s.get(Workspace, WEST)).uninstalled_at is None
    await capture(fake, bot, WEST, "West: back again")
    await settled(bot)
    assert sorted(r.text for r in await remarks_of(db, WEST)) == ["West: back again", "West: refunds are slow"]


async def test_uninstalling_the_org_wide_install_forgets_its_rows_and_stops_every_workspace(
        fake: FakeSlack, grid: Any) -> None:
    bot, db = grid
    assert (await fake.install(bot.base_url, team=ORG)).status == 200
    await capture(fake, bot, EAST, "East: the invoice is wrong")
    await capture(fake, bot, WEST, "West: the refund is slow")
    await settled(bot)
    assert any(r[2] is None for r in await token_rows(db))  # the organisation's own rows
    assert (await fake.uninstall_org(bot.url, ORG)).status == 200
    await settled(bot)
    assert await token_rows(db) == []
    async with db() as s:
        for team in (EAST, WEST):
            assert (await s.get(Workspace, team)).uninstalled_at is not None
    fake.clear_calls()
    for team in (EAST, WEST):
        await capture(fake, bot, team, f"{team}: after the uninstall")
        told = await fake.simulator(bot.url, workspace=fake.workspace(team)).slash(ALICE, SUPPORT, "help")
        assert told.status == 200
    await settled(bot)
    for team in (EAST, WEST):
        assert len(await remarks_of(db, team)) == 1  # nothing new; the data waits for the grace
        assert await bot.runtime.services.clients.for_team(team) is None
    assert not [c for c in fake.calls if c.method not in ("response_url",)]


# The shapes Slack's docs show for these events (the envelope's team_id and authorization
# differ between examples): all are read the same way.
DOC_GRANTED = {
    "token": "XXYYZZ", "team_id": "T123ABC456", "api_app_id": "A123ABC456", "type": "event_callback",
    "event": {"type": "team_access_granted", "team_ids": ["T1XX3", "TXX34"], "event_ts": "1.2"},
    "authorizations": [{"enterprise_id": "EXXXXX", "team_id": "T123ABC456", "is_bot": False,
                        "is_enterprise_install": False}],
    "event_id": "Ev123ABC456", "event_time": 123456789,
}


@pytest.mark.parametrize("payload", [
    DOC_GRANTED,
    {**DOC_GRANTED, "team_id": None, "enterprise_id": "EXXXXX", "authorizations": []},
])
def test_team_access_events_are_read_from_every_documented_shape(payload: dict[str, Any]) -> None:
    assert access_change(payload) == ("team_access_granted", "EXXXXX", ["T1XX3", "TXX34"])
    revoked = {**payload, "event": {**payload["event"], "type": "team_access_revoked"}}
    assert access_change(revoked) == ("team_access_revoked", "EXXXXX", ["T1XX3", "TXX34"])
    assert access_change({**payload, "event": {"type": "team_access_granted", "team_ids": "T1"}}) is None


def test_only_an_org_wide_authorization_makes_an_uninstall_the_organisations() -> None:
    org = {"type": "event_callback", "team_id": None, "enterprise_id": "E1", "event": {"type": "app_uninstalled"},
           "authorizations": [{"enterprise_id": "E1", "team_id": None, "is_enterprise_install": True}]}
    assert org_wide(org) == "E1"
    workspace = {**org, "team_id": "T1", "authorizations": [{"enterprise_id": "E1", "team_id": "T1",
                                                             "is_enterprise_install": False}]}
    assert org_wide(workspace) is None
