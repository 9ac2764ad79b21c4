"""`earshot processes import|export` through click's CliRunner, against the test database."""

from __future__ import annotations

import asyncio

import yaml
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli.main import main
from bot.domain.processes import registry
from storage.models import Process

FILE = """processes:
  - name: Billing
    description: Invoices and refunds.
    keywords: [invoice, refund]
    owner: "<@U0ALICE001>"
  - name: Security reviews
    keywords: [security questionnaire, pen test]
"""


async def earshot(database_url: str, *args: str):
    """Run ``earshot ARGS`` in a thread (the command runs its own event loop)."""
    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": ""}
    return await asyncio.to_thread(runner.invoke, main, list(args), env=env, catch_exceptions=False)


async def names(db, team: str = "T0001") -> list[str]:
    async with db() as s:
        return sorted((await s.scalars(select(Process.name).where(Process.team_id == team))).all())


async def test_import_export_round_trip_and_idempotent_import(db, database_url, tmp_path):
    await registry.names(db, "T0001")  # the bot has met the workspace: starter set
    path = tmp_path / "processes.yaml"
    path.write_text(FILE)

    first = await earshot(database_url, "processes", "import", str(path))  # the only workspace
    assert first.exit_code == 0, first.output
    assert "T0001: 1 created, 1 updated, 0 unchanged." in first.output
    assert "created: Security reviews" in first.output

    again = await earshot(database_url, "processes", "import", str(path), "--team", "T0001")
    assert again.exit_code == 0 and "0 created, 0 updated, 2 unchanged" in again.output

    out = tmp_path / "export.yaml"
    exported = await earshot(database_url, "processes", "export", "-o", str(out))
    assert exported.exit_code == 0, exported.output
    data = yaml.safe_load(out.read_text())
    by_name = {p["name"]: p for p in data["processes"]}
    assert by_name["Billing"] == {"name": "Billing", "description": "Invoices and refunds.",
                                  "keywords": ["invoice", "refund"], "owner": "U0ALICE001"}
    assert len(by_name) == 6

    # Export to stdout (also as `-o -`), archive one, re-import the earlier export: a merge
    # keeps the archive (the file does not say `archived`), --replace puts it back as it was.
    stdout = await earshot(database_url, "processes", "export")
    assert stdout.output == out.read_text()
    assert (await earshot(database_url, "processes", "export", "-o", "-")).output == stdout.output
    await registry.set_archived(db, "T0001", "Support", True)
    merged = await earshot(database_url, "processes", "import", str(out))
    assert "0 created, 0 updated, 6 unchanged" in merged.output
    assert (await db_process(db, "Support")).archived
    back = await earshot(database_url, "processes", "import", str(out), "--replace")
    assert "0 created, 1 updated, 5 unchanged" in back.output and "status: archived → active" in back.output
    assert not (await db_process(db, "Support")).archived

    # The old spelling still works, with a note.
    old = await earshot(database_url, "processes", "export", "--output", str(tmp_path / "old.yaml"))
    assert old.exit_code == 0 and "--output is now -o/--out" in old.output
    assert (tmp_path / "old.yaml").read_text() == out.read_text()


async def db_process(db, name: str) -> Process:
    async with db() as s:
        return await s.scalar(select(Process).where(Process.name == name))


async def test_malformed_yaml_names_the_line_and_imports_nothing(db, database_url, tmp_path):
    await registry.names(db, "T0001")
    path = tmp_path / "bad.yaml"
    path.write_text("processes:\n  - name: New one\n  - name: Other\n    keywords: [a, b\n  - name: X\n")
    result = await earshot(database_url, "processes", "import", str(path), "--team", "T0001")
    assert result.exit_code == 2
    assert "line 5" in result.output and "Nothing was imported" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "New one" not in await names(db)


async def test_dry_run_and_archive_missing(db, database_url, tmp_path):
    await registry.names(db, "T0001")
    path = tmp_path / "p.yaml"
    path.write_text(FILE)
    dry = await earshot(database_url, "processes", "import", str(path), "--dry-run", "--archive-missing")
    assert dry.exit_code == 0 and dry.output.startswith("Dry run: T0001: 1 would be created")
    assert "4 would be archived" in dry.output
    assert "Security reviews" not in await names(db)
    real = await earshot(database_url, "processes", "import", str(path), "--archive-missing")
    assert "4 archived" in real.output
    assert (await db_process(db, "Onboarding")).archived


async def test_which_workspace(db, database_url, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(FILE)
    none_yet = await earshot(database_url, "processes", "export")
    assert none_yet.exit_code == 2 and "no workspace yet" in none_yet.output
    # Before the bot has met the workspace: the file replaces the starter set.
    new = await earshot(database_url, "processes", "import", str(path), "--team", "T0009")
    assert new.exit_code == 0 and "2 created" in new.output
    assert await names(db, "T0009") == ["Billing", "Security reviews"]
    await registry.names(db, "T0001")
    two = await earshot(database_url, "processes", "export")
    assert two.exit_code == 2 and "pick one with --team" in two.output
    unknown = await earshot(database_url, "processes", "export", "--team", "T0404")
    assert unknown.exit_code == 2 and "no workspace T0404" in unknown.output
    bad_team = await earshot(database_url, "processes", "import", str(path), "--team", "acme")
    assert bad_team.exit_code == 2 and "not a Slack team id" in bad_team.output
    missing = await earshot(database_url, "processes", "import", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "no such file" in missing.output


async def test_dry_run_shows_each_field_and_keeps_what_the_file_leaves_out(db, database_url, tmp_path):
    """Issue 22 item 7: `- name: billing` with one keyword removed took Billing's owner and
    description, lowercased its name, and the dry run only said "updated: billing"."""
    await registry.names(db, "T0001")
    path = tmp_path / "p.yaml"
    path.write_text(FILE)
    await earshot(database_url, "processes", "import", str(path))
    path.write_text("processes:\n  - name: billing\n    keywords: [invoice]\n")
    dry = await earshot(database_url, "processes", "import", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines() == [
        "Dry run: T0001: 0 would be created, 1 would be updated, 0 unchanged.",
        "  updated: Billing",
        "    keywords: 2 → 1 (- refund)",
        "    kept (not in the file): description, owner",
    ]
    await earshot(database_url, "processes", "import", str(path))
    billing = await db_process(db, "Billing")
    assert billing.keywords == ["invoice"] and billing.owner_user_id == "U0ALICE001"
    assert billing.description == "Invoices and refunds."
