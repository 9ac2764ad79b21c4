"""The process registry's rules (bot/domain/processes/registry.py) and its YAML import/export
(bot/domain/processes/registry_file.py) against the real test database, and the `/feedback process` text
grammar and listing (handlers/commands/process.py) as pure functions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.processes import registry, registry_file
from bot.domain.processes.process_file import ProcessFileError
from bot.domain.processes.registry import RegistryError, UnknownProcessName
from handlers.commands.process import listing, parse_add, parse_rename, split_keywords, take_name
from storage.db import transaction
from storage.models import Process, Remark, Workspace
from storage.repositories import RemarkRepository

T1, T2 = "T0001", "T0002"
STARTERS = ["Billing", "Delivery", "Onboarding", "Product quality", "Support"]


async def rows(db, team: str = T1) -> dict[str, Process]:
    async with db() as s:
        return {p.name: p for p in (await s.scalars(select(Process).where(Process.team_id == team))).all()}


async def version(db, team: str = T1) -> int:
    async with db() as s:
        return await s.scalar(select(Workspace.model_version).where(Workspace.team_id == team)) or 0


# -- validation ----------------------------------------------------------------------


def test_names_are_trimmed_and_checked():
    assert registry.clean_name("  Product   quality ") == "Product quality"
    assert registry.clean_name("“Billing”") == "Billing"
    assert registry.clean_name("x" * 80) == "x" * 80
    for bad, why in [("", "needs a name"), ("x" * 81, "up to 80"), ("--", "letter or digit"),
                     ("a [b]", "Slack formatting"), ("none", "no process"), ("UNFILED", "no process")]:
        with pytest.raises(RegistryError, match=why):
            registry.clean_name(bad)


def test_keywords_are_normalised_and_deduplicated_ignoring_case():
    assert registry.clean_keywords(["  late   invoice ", "Invoice", "invoice", "", "'VAT',", "vat"]) == [
        "late invoice", "Invoice", "VAT"]
    with pytest.raises(RegistryError, match="up to 60"):
        registry.clean_keywords(["k" * 61])


@pytest.mark.parametrize("text, owner", [
    ("<@U0ALICE001|alice>", "U0ALICE001"), ("<@U0ALICE001>", "U0ALICE001"), ("U0ALICE001", "U0ALICE001"),
    ("none", None), ("Nobody", None), ("-", None), ("<@W0ENTERPR1>", "W0ENTERPR1"),
])
def test_owner_mentions_are_parsed(text, owner):
    assert registry.parse_owner(text) == owner


@pytest.mark.parametrize("text", ["alice", "<#C0GENERAL1|general>", "<@U0A> <@U0B>", "u0alice001"])
def test_anything_else_is_not_an_owner(text):
    with pytest.raises(RegistryError, match="not a person"):
        registry.parse_owner(text)


def test_suggestions_catch_typos_and_words_of_longer_names():
    names = STARTERS
    assert registry.suggest("Biling", names) == ["Billing"]
    assert registry.suggest("quality", names) == ["Product quality"]
    assert registry.suggest("zzz", names) == []


# -- the command grammar ---------------------------------------------------------------


def test_take_name_prefers_quotes_then_the_longest_known_name():
    known = ["Product quality", "Product", "Billing"]
    assert take_name("Product quality slow pages", known) == ("Product quality", "slow pages")
    assert take_name("product slow pages", known) == ("product", "slow pages")
    assert take_name('"Product quality" x', known) == ("Product quality", "x")
    assert take_name("“Billing” refund", known) == ("Billing", "refund")
    assert take_name("Unknown thing here", known) == ("Unknown", "thing here")


def test_add_grammar():
    assert parse_add("Billing invoice refund") == ("Billing", ["invoice", "refund"], False)
    assert parse_add('"Data import" csv, spreadsheet upload') == ("Data import", ["csv", "spreadsheet upload"], False)
    assert parse_add("Data import: csv, upload") == ("Data import", ["csv", "upload"], False)
    assert parse_add("--force Biling") == ("Biling", [], True)
    assert parse_add("Biling --force") == ("Biling", [], True)


def test_rename_grammar():
    known = ["Support", "Product quality", "Time to value"]
    assert parse_rename("Support to Customer care", known) == ("Support", "Customer care")
    assert parse_rename("Product quality -> Quality", known) == ("Product quality", "Quality")
    assert parse_rename('"Time to value" "Activation"', known) == ("Time to value", "Activation")
    assert parse_rename("Time to value to Activation", known) == ("Time to value", "Activation")
    assert parse_rename("Support Help", known) == ("Support", "Help")
    assert parse_rename("Onbording flow to Welcome", known) == ("Onbording flow", "Welcome")


def test_keywords_split_on_commas_or_words():
    assert split_keywords("refund, late invoice") == ["refund", "late invoice"]
    assert split_keywords('refund "late invoice" VAT') == ["refund", "late invoice", "VAT"]
    assert split_keywords("") == []


def test_listing_stays_within_block_kit_limits_and_says_what_it_left_out():
    class P:
        def __init__(self, i):
            self.id, self.name, self.archived = i, f"Process {i:04d}", i % 7 == 0
            self.owner_user_id = "U0ALICE001"
            self.description = "d" * 400
            self.keywords = [f"keyword {j}" for j in range(40)]

    items = [registry.Listed(P(i), i % 5) for i in range(1000)]
    out = listing(items)
    assert len(out["blocks"]) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in out["blocks"] if b["type"] == "section")
    assert "earshot processes export" in str(out["blocks"][-1])
    assert out["text"].startswith("857 active processes, 143 archived")


# -- operations against the database ------------------------------------------------


async def test_first_touch_seeds_the_starter_set_once(db):
    assert await registry.names(db, T1) == STARTERS
    await registry.add_process(db, T1, "Sales")
    assert await registry.names(db, T1) == [*STARTERS[:3], "Product quality", "Sales", "Support"]


async def test_add_refuses_duplicates_ignoring_case_and_near_duplicates_unless_forced(db):
    with pytest.raises(RegistryError, match="exists already"):
        await registry.add_process(db, T1, "BILLING")
    with pytest.raises(RegistryError, match="looks like the existing process “Billing”"):
        await registry.add_process(db, T1, "Billings")
    with pytest.raises(RegistryError, match="looks like the existing process “Product quality”"):
        await registry.add_process(db, T1, "product-quality")
    p = await registry.add_process(db, T1, "Billings", ["x"], force=True)
    assert p.name == "Billings" and p.keywords == ["x"]
    assert sorted(await rows(db)) == sorted([*STARTERS, "Billings"])


async def test_a_refused_change_still_seeds_and_changes_nothing_else(db):
    with pytest.raises(RegistryError):
        await registry.add_process(db, T1, "Support")
    assert sorted(await rows(db)) == STARTERS


async def test_rename_keeps_the_row_and_its_remarks(db):
    await registry.names(db, T1)
    billing = (await rows(db))["Billing"]
    async with transaction(db) as s:
        remark, _ = await RemarkRepository(s).upsert(T1, source_key="typed:1", text="charged twice",
                                                     process_id=billing.id)
    r = await registry.rename_process(db, T1, "billing", "Invoicing")
    assert (r.old_name, r.process.name, r.remarks) == ("Billing", "Invoicing", 1)
    assert (await rows(db))["Invoicing"].id == billing.id
    async with db() as s:
        assert (await s.get(Remark, remark.id)).process_id == billing.id
    with pytest.raises(RegistryError, match="Another process is called “Support”"):
        await registry.rename_process(db, T1, "Invoicing", "SUPPORT")
    with pytest.raises(UnknownProcessName, match="Did you mean “Invoicing”"):
        await registry.rename_process(db, T1, "Invoicng", "Money")
    # Only the capitalisation: allowed, the same process.
    await registry.rename_process(db, T1, "Invoicing", "INVOICING")
    assert "INVOICING" in await rows(db)


async def test_keywords_owner_description_archive(db):
    await registry.names(db, T1)
    ch = await registry.add_keywords(db, T1, "Billing", ["Chargeback", "invoice", "chargeback"])
    assert ch.changed == ["Chargeback"] and ch.skipped == ["invoice"]
    ch = await registry.remove_keywords(db, T1, "Billing", ["CHARGEBACK", "nope"])
    assert ch.changed == ["Chargeback"] and ch.skipped == ["nope"]
    assert "Chargeback" not in (await rows(db))["Billing"].keywords

    await registry.set_owner(db, T1, "Billing", "U0CARLA001")
    assert (await rows(db))["Billing"].owner_user_id == "U0CARLA001"
    await registry.set_owner(db, T1, "Billing", None)
    assert (await rows(db))["Billing"].owner_user_id is None

    await registry.describe_process(db, T1, "Billing", "  Money   matters ")
    assert (await rows(db))["Billing"].description == "Money matters"
    with pytest.raises(RegistryError, match="up to 1,000"):
        await registry.describe_process(db, T1, "Billing", "x" * 1001)

    p, remarks = await registry.set_archived(db, T1, "billing", True)
    assert p.archived and remarks == 0
    assert "Billing" not in [x.process.name for x in await registry.list_processes(db, T1)
                             if not x.process.archived]
    with pytest.raises(RegistryError, match="archived already"):
        await registry.set_archived(db, T1, "Billing", True)
    with pytest.raises(RegistryError, match="archived"):
        await registry.add_process(db, T1, "billing")
    await registry.set_archived(db, T1, "Billing", False)
    assert not (await rows(db))["Billing"].archived


async def test_every_change_bumps_the_model_version_and_a_no_op_does_not(db):
    await registry.names(db, T1)
    v = await version(db)
    await registry.add_keywords(db, T1, "Billing", ["chargeback"])
    assert await version(db) == v + 1
    await registry.add_keywords(db, T1, "Billing", ["CHARGEBACK"])  # nothing new
    await registry.set_owner(db, T1, "Billing", None)  # had none
    assert await version(db) == v + 1
    await registry.set_owner(db, T1, "Billing", "U0BOB00001")
    await registry.rename_process(db, T1, "Billing", "Money")
    assert await version(db) == v + 3


async def test_workspaces_never_see_each_others_processes(db):
    await registry.add_process(db, T1, "Sales")
    assert "Sales" not in await registry.names(db, T2)
    with pytest.raises(UnknownProcessName):
        await registry.set_archived(db, T2, "Sales", True)
    await registry.rename_process(db, T2, "Billing", "Money")
    assert "Billing" in await rows(db, T1) and "Money" not in await rows(db, T1)


async def test_remark_counts_cover_the_last_seven_days(db):
    import datetime as dt

    await registry.names(db, T1)
    billing = (await rows(db))["Billing"]
    now = dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC)
    async with transaction(db) as s:
        repo = RemarkRepository(s)
        for i, days in enumerate([0, 3, 6, 7, 30]):
            await repo.upsert(T1, source_key=f"typed:{i}", text="x", process_id=billing.id,
                              said_at=now - dt.timedelta(days=days))
    listed = {x.process.name: x.remarks_this_week for x in await registry.list_processes(db, T1, today=now.date())}
    assert listed["Billing"] == 3 and listed["Support"] == 0


# -- import / export ----------------------------------------------------------------

FILE = """processes:
  - name: Billing
    description: Money.
    keywords: [invoice, refund]
    owner: U0ALICE001
  - name: Security reviews
    keywords: security questionnaire, pen test
  - name: Old thing
    archived: true
"""


async def test_import_creates_updates_and_is_idempotent(db):
    await registry.names(db, T1)
    v = await version(db)
    report = await registry_file.import_processes(db, T1, FILE)
    assert (report.created, report.updated, report.unchanged) == (["Security reviews", "Old thing"], ["Billing"], [])
    p = await rows(db)
    assert p["Billing"].keywords == ["invoice", "refund"] and p["Billing"].owner_user_id == "U0ALICE001"
    assert p["Old thing"].archived and p["Security reviews"].keywords == ["security questionnaire", "pen test"]
    assert await version(db) == v + 1

    again = await registry_file.import_processes(db, T1, FILE)
    assert not again.changed and again.unchanged == ["Billing", "Security reviews", "Old thing"]
    assert await version(db) == v + 1


async def test_import_round_trips_an_export(db):
    await registry.names(db, T1)
    await registry.set_owner(db, T1, "Support", "U0BOB00001")
    await registry.set_archived(db, T1, "Delivery", True)
    exported = await registry_file.export_processes(db, T1)
    assert "archived: true" in exported and "owner: U0BOB00001" in exported
    report = await registry_file.import_processes(db, T2, exported)
    assert sorted(report.created) == STARTERS
    assert await registry_file.export_processes(db, T2) == exported.replace(T1, T2)
    assert not (await registry_file.import_processes(db, T1, exported)).changed


async def test_archive_missing_and_dry_run(db):
    await registry.names(db, T1)
    dry = await registry_file.import_processes(db, T1, FILE, archive_missing=True, dry_run=True)
    assert sorted(dry.archived) == ["Delivery", "Onboarding", "Product quality", "Support"]
    assert "would be created" in dry.summary()
    assert sorted(await rows(db)) == STARTERS and not any(p.archived for p in (await rows(db)).values())
    await registry_file.import_processes(db, T1, FILE, archive_missing=True)
    active = sorted(n for n, p in (await rows(db)).items() if not p.archived)
    assert active == ["Billing", "Security reviews"]


FIFTEEN = ["invoice", "refund", "chargeback", "receipt", "VAT", "pricing", "plan", "renewal",
           "payment", "card", "charge", "discount", "credit note", "billing portal", "late fee"]


async def billing_with_fifteen_keywords(db) -> None:
    """The issue's Billing: an owner, a description and 15 keywords."""
    await registry.names(db, T1)
    await registry_file.import_processes(db, T1, "processes:\n  - name: Billing\n"
                                         "    description: Invoices, refunds and plan changes.\n"
                                         f"    keywords: [{', '.join(FIFTEEN)}]\n    owner: U0ALICE001\n")


async def test_a_listed_process_keeps_the_fields_the_file_leaves_out(db):
    await billing_with_fifteen_keywords(db)
    v = await version(db)
    fourteen = [k for k in FIFTEEN if k != "refund"]
    text = f"processes:\n  - name: billing\n    keywords: [{', '.join(fourteen)}]\n"

    dry = await registry_file.import_processes(db, T1, text, dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged, dry.archived) == ([], ["Billing"], [], [])
    assert dry.details() == ["updated: Billing", "  keywords: 15 → 14 (- refund)",
                             "  kept (not in the file): description, owner"]
    assert (await rows(db))["Billing"].keywords == FIFTEEN and await version(db) == v

    report = await registry_file.import_processes(db, T1, text)
    assert report.updated == ["Billing"]
    billing = (await rows(db))["Billing"]  # the stored capitalisation stays
    assert billing.keywords == fourteen and billing.owner_user_id == "U0ALICE001"
    assert billing.description == "Invoices, refunds and plan changes." and not billing.archived
    assert await version(db) == v + 1
    assert not (await registry_file.import_processes(db, T1, text)).changed


async def test_a_field_written_empty_is_cleared_and_each_change_is_shown(db):
    await billing_with_fifteen_keywords(db)
    text = ("processes:\n  - name: BILLING\n    owner:\n    keywords: [invoice, refund, dunning]\n"
            "    archived: true\n")
    report = await registry_file.import_processes(db, T1, text)
    assert report.details() == [
        "updated: Billing",
        "  keywords: 15 → 3 (+ dunning; - chargeback, receipt, VAT, pricing, plan, renewal, payment, "
        "card and 5 more)",
        "  owner: U0ALICE001 → (none)",
        "  status: active → archived",
        "  kept (not in the file): description",
    ]
    billing = (await rows(db))["Billing"]
    assert billing.owner_user_id is None and billing.archived and billing.description


async def test_replace_makes_the_file_the_whole_registry(db):
    await billing_with_fifteen_keywords(db)
    text = "processes:\n  - name: billing\n    keywords: [invoice]\n  - name: Renewals\n"
    dry = await registry_file.import_processes(db, T1, text, replace=True, dry_run=True)
    assert dry.details()[:5] == [
        "created: Renewals", "updated: billing", "  name: Billing → billing",
        "  description: “Invoices, refunds and plan changes.” → (none)",
        "  keywords: 15 → 1 (- refund, chargeback, receipt, VAT, pricing, plan, renewal, payment "
        "and 6 more)"]
    assert sorted(dry.archived) == ["Delivery", "Onboarding", "Product quality", "Support"]
    await registry_file.import_processes(db, T1, text, replace=True)
    p = await rows(db)
    assert p["billing"].keywords == ["invoice"] and p["billing"].owner_user_id is None
    assert sorted(n for n, x in p.items() if not x.archived) == ["Renewals", "billing"]


async def test_an_unseeded_workspace_takes_the_file_instead_of_the_starter_set(db):
    await registry_file.import_processes(db, T2, FILE)
    assert sorted(await registry.names(db, T2)) == ["Billing", "Old thing", "Security reviews"]


@pytest.mark.parametrize("text, line, why", [
    ("processes:\n  - name: A\n  - name: B\n    owner: alice\n", 4, "'owner' must be a Slack user id"),
    ("processes:\n  - name: A\n  - name: '[x]'\n", 3, "Slack formatting"),
    ("processes:\n  - name: A\n  - name: a\n", 3, "duplicate process name"),
    ("processes:\n  - name: A\n    keywords: [x\n", 4, "not valid YAML"),
    ("processes:\n  - name: A\n    keywords: ['" + "k" * 61 + "']\n", 3, "up to 60"),
])
async def test_a_bad_file_names_the_line_and_imports_nothing(db, text, line, why):
    await registry.names(db, T1)
    v = await version(db)
    with pytest.raises(ProcessFileError, match=why) as err:
        await registry_file.import_processes(db, T1, text)
    assert err.value.line == line
    assert sorted(await rows(db)) == STARTERS and await version(db) == v
