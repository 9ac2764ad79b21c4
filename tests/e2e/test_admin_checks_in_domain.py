"""Admin-only changes refuse a non-admin in the domain function that makes them, not only in
the `/feedback` handler: a crafted call that reaches the domain with someone who is not an
admin (or an admin of another workspace) changes nothing. Who is an admin is what the
stand-in's users.info says (api.slack.com/types/user: ``is_admin``, ``is_owner``)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from bot.digest import settings as digest_settings
from bot.domain.acting import NotAdmin
from bot.domain.capture import backfill
from bot.domain.capture import watch as watching
from bot.domain.customers import registry as customers
from bot.domain.customers.rules import Entry
from bot.domain.privacy import export, retention
from bot.domain.processes import registry as processes
from bot.domain.workspace.permissions import SlackAsker, clear_cache
from bot.server.scheduler import build_digest_client
from storage.models import Customer, Process, Remark, WatchedChannel, Workspace
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, CARLA, FEEDBACK, count


@pytest.fixture(autouse=True)
def fresh_answers() -> None:
    clear_cache()


async def test_domain_functions_refuse_a_non_admin_and_change_nothing(fake, bot, db):
    services = bot.runtime.services
    client = build_digest_client(services)
    await ds.workspace(db)
    remark = await ds.remark(
        db, process_id=None, sentiment="complaint", text="Invoice twice", at=dt.datetime.now(dt.UTC)
    )
    carla = SlackAsker(services, client, ds.TEAM, CARLA)  # a member, not an admin
    elsewhere = SlackAsker(services, client, "T0OTHER001", ALICE)  # an admin, of another workspace
    processes_before = await count(db, Process)

    for asker in (carla, elsewhere):
        with pytest.raises(NotAdmin):
            await processes.add_process(
                services.sessions, ds.TEAM, "Refunds", ["refund"], asker=asker
            )
        with pytest.raises(NotAdmin):
            await customers.change(
                services.sessions, ds.TEAM, None, customers.Add(Entry(name="Acme")), asker=asker
            )
        with pytest.raises(NotAdmin):
            await watching.watch(services, ds.TEAM, FEEDBACK, by=asker.user_id, asker=asker)
        with pytest.raises(NotAdmin):
            await backfill.request(
                services,
                team_id=ds.TEAM,
                channel_id=FEEDBACK,
                by=asker.user_id,
                days=30,
                asker=asker,
            )
        with pytest.raises(NotAdmin):
            await digest_settings.save(
                services, ds.TEAM, by=asker.user_id, asker=asker, digest_channel_id=FEEDBACK
            )
        with pytest.raises(NotAdmin):
            await retention.holds_user(services.sessions, ds.TEAM, CARLA, asker=asker)
        with pytest.raises(NotAdmin):
            await retention.erase_user(services.sessions, ds.TEAM, CARLA, asker=asker)
        out = io.StringIO()
        with pytest.raises(NotAdmin, match="export remarks"):
            await export.write(out, services.sessions, ds.TEAM, "csv", asker=asker)
        assert out.getvalue() == ""

    assert await count(db, Process) == processes_before
    assert await count(db, Customer) == 0 and await count(db, WatchedChannel) == 0
    async with db() as s:
        ws = await s.get(Workspace, ds.TEAM)
        kept = await s.get(Remark, remark)
    assert ws is not None and ws.digest_channel_id is None
    assert kept is not None and kept.author_user_id == "U0CARLA001" and kept.text == "Invoice twice"

    # The same calls for an admin of this workspace go through.
    alice = SlackAsker(services, client, ds.TEAM, ALICE)
    await processes.add_process(services.sessions, ds.TEAM, "Refunds", ["refund"], asker=alice)
    await customers.change(
        services.sessions, ds.TEAM, None, customers.Add(Entry(name="Acme")), asker=alice
    )
    assert await watching.watch(services, ds.TEAM, FEEDBACK, by=ALICE, asker=alice)
    assert await retention.holds_user(services.sessions, ds.TEAM, CARLA, asker=alice)
    assert await count(db, Process) == processes_before + 1 and await count(db, Customer) == 1
