"""The process registry from Slack: signed `/feedback process …` and `/feedback processes` commands."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.domain.filing.corrections import correct_process
from storage.models import Process, Remark, Workspace
from tests.conftest import SECRET, TOKEN, settled, start_bot
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT

STARTERS = ["Billing", "Delivery", "Onboarding", "Product quality", "Support"]


async def say(slack, user: str, text: str) -> str:
    """Run `/feedback <text>` as ``user``; the private reply's text (blocks included)."""
    delivery = await slack.slash(user, SUPPORT, text)
    assert delivery.status == 200, delivery.body
    body = delivery.json()
    assert body is not None, "expected an immediate reply"
    assert body.get("response_type") == "ephemeral"
    parts = [body.get("text", "")]
    for block in body.get("blocks", []):
        if block.get("type") == "section":
            parts.append(block["text"]["text"])
        elif block.get("type") == "context":
            parts.extend(e.get("text", "") for e in block["elements"])
    return "\n".join(parts)


async def processes(db) -> dict[str, Process]:
    async with db() as s:
        return {p.name: p for p in (await s.scalars(select(Process))).all()}


async def model_version(db) -> int:
    async with db() as s:
        return (await s.scalar(select(Workspace.model_version))) or 0


async def test_listing_seeds_the_starter_set_for_anyone(slack, db):
    out = await say(slack, BOB, "processes")
    for name in STARTERS:
        assert f"*{name}*" in out
    assert "5 active" in out and "0 remarks this week" in out
    assert sorted(await processes(db)) == STARTERS


async def test_admin_adds_a_process_with_keywords(slack, db):
    out = await say(slack, ALICE, 'process add "Data import" CSV, spreadsheet upload, csv')
    assert "Added *Data import*" in out
    p = (await processes(db))["Data import"]
    assert p.keywords == ["CSV", "spreadsheet upload"] and not p.archived
    out = await say(slack, ALICE, "process add Renewals: renewal, contract end")
    assert (await processes(db))["Renewals"].keywords == ["renewal", "contract end"]
    listed = await say(slack, CARLA, "processes")
    assert "*Data import*" in listed and "Keywords: CSV, spreadsheet upload" in listed


async def test_non_admin_cannot_change_the_registry_but_can_list(slack, db):
    assert "*Billing*" in await say(slack, BOB, "processes")
    before = await model_version(db)
    for text in ("process add Sales", "process archive Billing", "process rename Billing to Money"):
        out = await say(slack, BOB, text)
        assert "Only workspace admins" in out
    assert "Sales" not in await processes(db) and "Billing" in await processes(db)
    assert await model_version(db) == before


async def test_admin_users_setting_grants_registry_rights(fake, db, database_url):
    settings = Settings(
        _env_file=None, slack_bot_token=TOKEN, slack_signing_secret=SECRET,
        slack_api_url=fake.api_url, database_url=database_url, admin_users=BOB,
    )
    running, stop = await start_bot(settings)
    sim = fake.simulator(running.url)
    try:
        out = await say(sim, BOB, "process add Sales quote, proposal")
        assert "Added *Sales*" in out
        assert "Only workspace admins" in await say(sim, CARLA, "process add Legal")
    finally:
        await sim.close()
        await stop()
    assert "Sales" in await processes(db) and "Legal" not in await processes(db)


async def test_names_are_unique_ignoring_case(slack, db):
    out = await say(slack, ALICE, "process add billing")
    assert "“Billing” exists already" in out
    out = await say(slack, ALICE, "process add BILLING invoice")
    assert "exists already" in out
    assert len([n for n in await processes(db) if n.casefold() == "billing"]) == 1


async def test_a_near_duplicate_name_is_suggested_and_can_be_forced(slack, db):
    out = await say(slack, ALICE, "process add Biling")
    assert "looks like the existing process “Billing”" in out and "--force" in out
    assert "Biling" not in await processes(db)
    out = await say(slack, ALICE, "process add --force Biling")
    assert "Added *Biling*" in out


async def test_rename_keeps_every_remark_filed_under_it(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "We were charged twice for the same invoice")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    async with db() as s:
        remark = await s.scalar(select(Remark))
    billing = (await processes(db))["Billing"]
    await correct_process(bot.runtime.services, team_id=remark.team_id, remark_id=remark.id,
                          process_id=billing.id, by=ALICE)

    before = await model_version(db)
    out = await say(slack, ALICE, "process rename billing to Invoicing & payments")
    # & is escaped in mrkdwn, as Slack asks (it shows as &).
    assert "Renamed *Billing* to *Invoicing &amp; payments*. Its remark stays filed under it." in out
    renamed = (await processes(db))["Invoicing & payments"]
    assert renamed.id == billing.id and "Billing" not in await processes(db)
    async with db() as s:
        assert (await s.get(Remark, remark.id)).process_id == billing.id
    assert await model_version(db) > before
    listed = await say(slack, BOB, "processes")
    assert "*Invoicing &amp; payments* · no owner · 1 remark this week" in listed

    out = await say(slack, ALICE, 'process rename "Invoicing & payments" "Support"')
    assert "Another process is called “Support”" in out
    out = await say(slack, ALICE, "process rename Invoicing & payments to invoicing & PAYMENTS")
    assert "Renamed" in out and "invoicing & PAYMENTS" in await processes(db)


async def test_describe_keywords_and_owner(slack, db):
    out = await say(slack, ALICE, "process describe Product quality Bugs, crashes and slow pages.")
    assert "*Product quality*: _Bugs, crashes and slow pages._" in out
    assert (await processes(db))["Product quality"].description == "Bugs, crashes and slow pages."

    out = await say(slack, ALICE, "process keywords add Billing chargeback, Invoice , dunning letter")
    assert "Added chargeback, dunning letter" in out and "Invoice already there" in out
    kws = (await processes(db))["Billing"].keywords
    assert kws[-2:] == ["chargeback", "dunning letter"] and len(kws) == len({k.lower() for k in kws})

    out = await say(slack, ALICE, "process keywords remove Billing VAT chargeback nonsense")
    assert "Removed VAT, chargeback" in out and "nonsense not among its keywords" in out
    assert "VAT" not in (await processes(db))["Billing"].keywords

    out = await say(slack, ALICE, "process owner Billing <@U0CARLA001|carla>")
    assert "<@U0CARLA001> owns *Billing*" in out
    assert (await processes(db))["Billing"].owner_user_id == CARLA
    await say(slack, ALICE, "process owner Delivery <@U0DAN00001>")
    assert (await processes(db))["Delivery"].owner_user_id == "U0DAN00001"
    assert "<@U0CARLA001>" in await say(slack, BOB, "processes")
    out = await say(slack, ALICE, "process owner Billing none")
    assert "no owner now" in out and (await processes(db))["Billing"].owner_user_id is None
    out = await say(slack, ALICE, "process owner Billing <@U0BOT00001>")
    assert "can't own a process" in out
    out = await say(slack, ALICE, "process owner Billing carla")
    assert "is not a person" in out
    # Unescaped mentions (the command's "escape users" setting off) are looked up by name.
    await say(slack, ALICE, "process owner Billing @carla")
    assert (await processes(db))["Billing"].owner_user_id == CARLA
    assert "can't find anyone called @zed" in await say(slack, ALICE, "process owner Billing @zed")


async def test_archive_and_restore(slack, bot, db):
    out = await say(slack, ALICE, "process archive Delivery")
    assert "Archived *Delivery*" in out
    assert (await processes(db))["Delivery"].archived
    model = await bot.runtime.services.filing.model_for("T0001")
    assert str((await processes(db))["Delivery"].id) not in model.process_keys
    listed = await say(slack, BOB, "processes")
    assert "4 active, 1 archived" in listed and "*Delivery*  :file_cabinet: _archived_" in listed
    assert "archived already" in await say(slack, ALICE, "process archive delivery")
    assert "exists already but is archived" in await say(slack, ALICE, "process add Delivery")

    out = await say(slack, ALICE, "process restore delivery")
    assert "Restored *Delivery*" in out and not (await processes(db))["Delivery"].archived
    model = await bot.runtime.services.filing.model_for("T0001")
    assert str((await processes(db))["Delivery"].id) in model.process_keys


async def test_unknown_process_names_get_a_suggestion(slack, db):
    out = await say(slack, ALICE, "process archive Bilings")
    assert "There is no process called “Bilings”. Did you mean “Billing”?" in out
    out = await say(slack, ALICE, "process describe Quality Bugs")
    assert "Did you mean “Product quality”?" in out
    out = await say(slack, ALICE, "process rename Onbording flow to Welcome")
    assert "no process called “Onbording flow”" in out and "“Onboarding”" in out


@pytest.mark.parametrize("text, problem", [
    ("process", None),
    ("process help", None),
    ("process frobnicate Billing", "`frobnicate` is not something"),
    ("process add", "Give the new process a name"),
    ("process rename Billing", "Say which process and its new name"),
    ("process keywords Billing refund", "Use `keywords add"),
    ("process owner Billing", "Say which process and who owns it"),
    ('process add "Unclosed name', "never closed"),
])
async def test_malformed_calls_get_usage_help(slack, db, text, problem):
    out = await say(slack, ALICE, text)
    assert "/feedback process add Billing" in out  # the usage
    if problem:
        assert problem in out


@pytest.mark.parametrize("text, problem", [
    ("process add " + "x" * 81, "up to 80"),
    ("process add ***", "at least one letter"),
    ("process add Unfiled", "means “no process”"),
    ("process add <@U0BOB00001>", "Slack formatting"),
    ("process keywords add Billing " + "y" * 61, "keywords can be up to 60"),
    ("process describe Billing " + "z " * 600, "descriptions can be up to 1,000"),
])
async def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(slack, db, text, problem):
    await say(slack, BOB, "processes")  # seed
    before = {n: (p.keywords, p.description) for n, p in (await processes(db)).items()}
    out = await say(slack, ALICE, text)
    assert problem in out
    after = {n: (p.keywords, p.description) for n, p in (await processes(db)).items()}
    assert after == before


async def test_every_registry_change_bumps_the_model_version(slack, db):
    await say(slack, BOB, "processes")
    versions = [await model_version(db)]
    for text in ("process add Sales", "process describe Sales Quotes", "process keywords add Sales quote",
                 "process owner Sales <@U0BOB00001>", "process archive Sales", "process restore Sales",
                 "process rename Sales to Deals"):
        out = await say(slack, ALICE, text)
        assert ":white_check_mark:" in out or "Archived *Sales*" in out
        versions.append(await model_version(db))
    assert versions == sorted(set(versions)), versions


async def test_listing_stays_within_block_kit_limits_with_many_processes(slack, db, bot):
    from bot.domain.processes.registry import add_process

    sessions = bot.runtime.services.sessions
    await say(slack, BOB, "processes")
    for i in range(120):
        await add_process(sessions, "T0001", f"Process number {i:03d}",
                          [f"keyword{j} for process {i}" for j in range(12)],
                          description="A long description of this process. " * 10, force=True)
    delivery = await slack.slash(BOB, SUPPORT, "processes")
    body = delivery.json()
    assert len(body["blocks"]) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in body["blocks"] if b["type"] == "section")
    listed = str(body["blocks"])
    assert all(f"Process number {i:03d}" in listed for i in range(120))
