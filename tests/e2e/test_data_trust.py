"""What Earshot keeps of customer text, end to end: handled deliveries keep no payload, a
deletion in Slack leaves no copy anywhere, old text expires, a person can be erased, and an
uninstalled workspace stops all work and is purged."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

from click.testing import CliRunner, Result
from sqlalchemy import func, select, text

from bot.cli.main import main
from bot.domain.privacy import retention
from bot.domain.services import Services
from bot.server.scheduler import DigestScheduler
from storage.db import transaction
from storage.models import (
    Base,
    Capture,
    Delivery,
    OwnerAlert,
    Remark,
    RemarkDaily,
    Workspace,
    utcnow,
)
from storage.repositories.digests import DigestRepository
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, TEAM, captures, count, remarks

MARKER = "Zanzibar invoices doubled"


async def everything(db: Any) -> str:
    """Every row of every table, as text: what a database dump would show."""
    out = []
    async with db() as s:
        for table in Base.metadata.sorted_tables:
            for row in (await s.execute(select(table))).all():
                out.append(f"{table.name}: {tuple(row)!r}")
    return "\n".join(out)


async def captured(fake: Any, slack: Any, bot: Any, words: str, *, by: str = ALICE) -> dict[str, Any]:
    msg = fake.state.post_message(SUPPORT, CARLA, words)
    await slack.react(by, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    return msg


async def cli(database_url: str, *args: str, input: str | None = None) -> Result:
    """Run ``earshot ARGS`` as an admin would (its own event loop, in a thread)."""
    env = {"DATABASE_URL": database_url}
    return await asyncio.to_thread(
        CliRunner().invoke, main, list(args), env=env, input=input, catch_exceptions=False)


async def test_a_handled_delivery_keeps_its_key_and_state_but_no_payload(fake, slack, bot, db):
    await captured(fake, slack, bot, f"{MARKER} for Acme, awful")
    async with db() as s:
        rows = (await s.scalars(select(Delivery))).all()
    assert rows and all(r.done_at is not None and r.body == "" and r.delivery_key for r in rows)
    assert MARKER not in (await everything(db)).replace(MARKER, "", 1)  # only the remark has it
    # Deduplication still works on the key alone: Slack's retry adds nothing.
    await slack.deliverer.resend_last()
    await settled(bot)
    assert len(await remarks(db)) == 1 and len(await captures(db)) == 1


async def test_a_deleted_remark_leaves_no_copy_of_its_text(fake, slack, bot, db):
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    msg = await captured(fake, slack, bot, f"{MARKER} again, terrible billing")
    [r] = await remarks(db)
    async with transaction(db) as s:
        await s.execute(Remark.__table__.update().values(process_id=billing, sentiment="complaint"))
        await s.execute(Capture.__table__.update().values(note=f"note: {MARKER}"))
        s.add(OwnerAlert(team_id=TEAM, owner_user_id=BOB, process_id=billing, remark_id=r.id))
        # A delivery given up on after failures still holds the original event.
        s.add(Delivery(team_id=TEAM, delivery_key="Ev0GIVENUP1", kind="event",
                       body=json.dumps({"event": {"text": MARKER}}), done_at=utcnow(),
                       attempts=5, last_error="listener failed (status 500)"))
    assert (await everything(db)).count(MARKER) >= 3
    await slack.delete(CARLA, SUPPORT, msg["ts"])
    await settled(bot)
    dump = await everything(db)
    assert MARKER not in dump, dump
    assert await count(db, OwnerAlert) == 0 and await remarks(db) == []
    # The given-up delivery's key stays (deduplication), its payload does not.
    async with db() as s:
        kept = await s.scalar(select(Delivery).where(Delivery.delivery_key == "Ev0GIVENUP1"))
    assert kept is not None and kept.body == ""


async def test_old_remark_text_expires_but_counts_and_filing_stay(settings, db):
    await ds.workspace(db)
    billing = await ds.process(db, "Billing")
    now = utcnow()
    old = await ds.remark(db, process_id=billing, sentiment="complaint", at=now - dt.timedelta(days=40),
                          text=f"{MARKER} long ago", customer="Acme", captures=3)
    new = await ds.remark(db, process_id=billing, sentiment="complaint", at=now - dt.timedelta(days=2),
                          text="recent complaint about billing", customer="Globex")
    async with db() as s:
        rollup_before = (await s.execute(select(func.sum(RemarkDaily.remarks),
                                                func.sum(RemarkDaily.endorsements)))).one()
    services = Services.create(settings.model_copy(update={"remark_text_retention_days": 30}))
    try:
        await DigestScheduler(services).retention()
    finally:
        await services.close()
    async with db() as s:
        o = await s.get(Remark, old)
        n = await s.get(Remark, new)
        rollup_after = (await s.execute(select(func.sum(RemarkDaily.remarks),
                                                func.sum(RemarkDaily.endorsements)))).one()
        quotes = await DigestRepository(s).quotes(TEAM, [(billing, "complaint")],
                                                  now - dt.timedelta(days=60), now)
    assert o.text == "" and o.text_expired_at is not None
    assert (o.process_id, o.sentiment, o.customer, o.endorsements) == (billing, "complaint", "Acme", 3)
    assert n.text == "recent complaint about billing" and n.text_expired_at is None
    assert tuple(rollup_after) == tuple(rollup_before)
    assert [q.remark_id for q in quotes] == [new]  # the expired remark is counted, never quoted
    assert MARKER not in await everything(db)


async def test_retention_unset_keeps_text(settings, db):
    await ds.workspace(db)
    rid = await ds.remark(db, process_id=None, sentiment="neutral",
                          at=utcnow() - dt.timedelta(days=4000), text="ancient words")
    assert settings.remark_text_retention_days is None
    assert await retention.expire_text(db, retention_days=settings.remark_text_retention_days) == 0
    async with db() as s:
        assert (await s.get(Remark, rid)).text == "ancient words"


async def test_erase_user_from_the_cli_removes_text_and_identity_keeps_counts(fake, slack, bot, db,
                                                                              database_url):
    await captured(fake, slack, bot, f"{MARKER}, says Carla's customer", by=ALICE)
    msg2 = fake.state.post_message(SUPPORT, BOB, "Bob relays: the export is slow")
    await slack.react(CARLA, SUPPORT, msg2["ts"], "memo")
    await slack.react(ALICE, SUPPORT, msg2["ts"], "memo")
    await settled(bot)
    async with db() as s:
        before = (await s.execute(select(func.sum(RemarkDaily.remarks),
                                         func.sum(RemarkDaily.endorsements)))).one()
    result = await cli(database_url, "workspace", "erase-user", "--team", TEAM, CARLA)
    assert result.exit_code == 0, result.output
    assert f"Erased {CARLA}" in result.output
    dump = await everything(db)
    assert CARLA not in dump and MARKER not in dump
    r1, r2 = await remarks(db)
    assert r1.text == "" and r1.author_user_id.startswith("erased-")
    assert r2.text == "Bob relays: the export is slow" and r2.author_user_id == BOB
    assert sorted(c.user_id.split("-")[0] for c in await captures(db)) == [ALICE, ALICE, "erased"]
    async with db() as s:
        after = (await s.execute(select(func.sum(RemarkDaily.remarks),
                                        func.sum(RemarkDaily.endorsements)))).one()
    assert tuple(after) == tuple(before)


async def test_erase_in_slack_is_for_admins(fake, slack, bot, db):
    await captured(fake, slack, bot, f"{MARKER} from Carla")
    denied = await slack.slash(BOB, SUPPORT, f"erase <@{CARLA}>")
    assert "Only workspace admins" in json.dumps(denied.json())
    [r] = await remarks(db)
    assert r.text.startswith(MARKER)
    done = await slack.slash(ALICE, SUPPORT, f"erase <@{CARLA}|carla>")
    assert done.status == 200 and "Erased from Earshot" in json.dumps(done.json())
    await settled(bot)
    [r] = await remarks(db)
    assert r.text == "" and r.author_user_id.startswith("erased-")
    assert MARKER not in await everything(db)


# Uninstall ---------------------------------------------------------------------------------

async def _pending_delivery(db: Any, key: str) -> None:
    """A delivery received before the uninstall, not yet worked on (leased elsewhere)."""
    async with transaction(db) as s:
        s.add(Delivery(team_id=TEAM, delivery_key=key, kind="event", attempts=1,
                       received_at=utcnow() - dt.timedelta(minutes=1),
                       lease_until=utcnow() + dt.timedelta(seconds=1),
                       body=json.dumps({"type": "event_callback", "team_id": TEAM,
                                        "event": {"type": "reaction_added", "user": ALICE,
                                                  "reaction": "memo",
                                                  "item": {"type": "message", "channel": SUPPORT,
                                                           "ts": "1.000001"}}})))


async def test_app_uninstalled_stops_all_work_then_the_data_goes_after_the_grace(fake, slack, bot, db,
                                                                                  settings):
    await ds.workspace(db, digest_channel_id=SUPPORT)
    await captured(fake, slack, bot, "The invoice was late")
    await _pending_delivery(db, "Ev0PENDING1")
    fake.clear_calls()
    assert (await slack.uninstall()).status == 200
    await settled(bot)
    async with db() as s:
        ws = await s.get(Workspace, TEAM)
        pending = await s.scalar(select(Delivery).where(Delivery.delivery_key == "Ev0PENDING1"))
        scheduled = await DigestRepository(s).schedules()
    assert ws.uninstalled_at is not None
    assert pending.done_at is not None and pending.body == "" and "app_uninstalled" in pending.last_error
    assert scheduled == []  # no digest for it
    assert [c.method for c in fake.calls] == []  # nothing was run, no token used
    assert await count(db, Delivery, Delivery.last_error.like("%listener failed%")) == 0
    # Within the grace period nothing is deleted.
    assert await retention.purge_due(db, grace_days=30, now=utcnow() + dt.timedelta(days=29)) == []
    assert len(await remarks(db)) == 1
    assert await retention.purge_due(db, grace_days=30, now=utcnow() + dt.timedelta(days=31)) == [TEAM]
    async with db() as s:
        for table in Base.metadata.sorted_tables:
            if "team_id" in table.c:
                n = await s.scalar(select(func.count()).select_from(table).where(table.c.team_id == TEAM))
                assert n == 0, table.name


async def test_a_new_event_within_the_grace_means_reinstalled_and_keeps_everything(fake, slack, bot, db):
    await captured(fake, slack, bot, "The invoice was late")
    await slack.revoke_tokens(oauth=[ALICE])
    await settled(bot)
    async with db() as s:
        assert (await s.get(Workspace, TEAM)).uninstalled_at is not None
    await captured(fake, slack, bot, "Onboarding was lovely", by=BOB)
    async with db() as s:
        assert (await s.get(Workspace, TEAM, populate_existing=True)).uninstalled_at is None
    assert len(await remarks(db)) == 2


async def test_revoked_user_tokens_alone_do_not_stop_the_bot(fake, slack, bot, db):
    await captured(fake, slack, bot, "The invoice was late")
    await slack.revoke_tokens(oauth=[ALICE], bot=False)
    await settled(bot)
    async with db() as s:
        assert (await s.get(Workspace, TEAM)).uninstalled_at is None


async def test_purge_from_the_cli_deletes_every_row_of_that_workspace_only(fake, slack, bot, db,
                                                                            database_url):
    await captured(fake, slack, bot, "The invoice was late")
    await ds.workspace(db, team_id="T0OTHER01")
    await ds.remark(db, process_id=None, sentiment="neutral", at=utcnow(), text="other team",
                    team_id="T0OTHER01")
    refused = await cli(database_url, "workspace", "purge", "--team", TEAM, input="n\n")
    assert refused.exit_code != 0 and len(await remarks(db)) == 2
    result = await cli(database_url, "workspace", "purge", "--team", TEAM, "--yes")
    assert result.exit_code == 0, result.output
    assert "Purged T0001" in result.output
    async with db() as s:
        left = (await s.execute(text("SELECT team_id FROM remarks"))).scalars().all()
        for table in Base.metadata.sorted_tables:
            if "team_id" in table.c:
                n = await s.scalar(select(func.count()).select_from(table).where(table.c.team_id == TEAM))
                assert n == 0, table.name
    assert left == ["T0OTHER01"]


async def test_the_worker_skips_deliveries_of_an_uninstalled_workspace(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "The invoice was late")
    await ds.workspace(db)
    async with transaction(db) as s:
        await s.execute(Workspace.__table__.update().values(uninstalled_at=utcnow()))
        s.add(Delivery(team_id=TEAM, delivery_key="Ev0BEFORE01", kind="event",
                       received_at=utcnow() - dt.timedelta(minutes=1),
                       body=json.dumps({"type": "event_callback", "team_id": TEAM,
                                        "event": {"type": "reaction_added", "user": ALICE,
                                                  "reaction": "memo", "event_ts": msg["ts"],
                                                  "item": {"type": "message", "channel": SUPPORT,
                                                           "ts": msg["ts"]}}})))
    fake.clear_calls()
    bot.runtime.worker.wake()
    await settled(bot)
    async with db() as s:
        row = await s.scalar(select(Delivery).where(Delivery.delivery_key == "Ev0BEFORE01"))
        ws = await s.get(Workspace, TEAM)
    assert row.done_at is not None and row.body == "" and row.last_error is None
    assert ws.uninstalled_at is not None  # an old delivery is not a reinstall
    assert await remarks(db) == [] and fake.calls == []
