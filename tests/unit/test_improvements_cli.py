"""`earshot improvements --team T [--json]` through click's CliRunner, against the test database."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

from click.testing import CliRunner

from storage.db import transaction
from storage.models import utcnow
from storage.repositories.improvements import ImprovementRepository
from tests.e2e import digest_support as ds
from tests.e2e.queries import BOB, CARLA


async def earshot(database_url: str, *args: str):
    from bot.cli.main import main

    env = {"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": ""}
    return await asyncio.to_thread(CliRunner().invoke, main, list(args), env=env, catch_exceptions=False)


async def seeded(db) -> tuple[int, int]:
    """Billing: shipped 28 days ago, complaints 10 a week before, 1 after (of 34 / 17 remarks a week)."""
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    ship = utcnow() - dt.timedelta(days=28)
    async with transaction(db) as s:
        ids = []
        for week in range(8):
            start = ship + dt.timedelta(days=7 * (week - 4))
            after = week >= 4
            for i, (pid, sentiment, n) in enumerate([(billing, "complaint", 1 if after else 10),
                                                     (None, "neutral", 16 if after else 24)]):
                for j in range(n):
                    ids.append(await ds.remark(s, process_id=pid, sentiment=sentiment,
                                               at=start + dt.timedelta(hours=1 + 3 * j + i)))
        repo = ImprovementRepository(s)
        done = await repo.create(ds.TEAM, process_id=billing, title="One invoice per order", description="",
                                 owner_user_id=BOB, proposed_by=BOB, link="https://github.com/acme/billing/issues/42",
                                 remark_ids=ids[:3], at=ship - dt.timedelta(days=2))
        await repo.set_status(ds.TEAM, done.id, "shipped", by=BOB, at=ship)
        planned = await repo.create(ds.TEAM, process_id=billing, title="Card retries", description="",
                                    owner_user_id=CARLA, proposed_by=CARLA, link=None, remark_ids=[],
                                    at=utcnow())
    return done.id, planned.id


async def test_lists_improvements_with_status_remarks_and_verdict(db, database_url):
    done, planned = await seeded(db)
    out = await earshot(database_url, "improvements", "--team", ds.TEAM)
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0] == f"{ds.TEAM}: 2 improvements"
    shipped = next(i for i, line in enumerate(lines) if line.startswith(f"#{done} One invoice per order"))
    assert "Billing · shipped" in lines[shipped] and f"owner {BOB}" in lines[shipped]
    assert "3 remarks" in lines[shipped] and "https://github.com/acme/billing/issues/42" in lines[shipped]
    assert lines[shipped + 1].strip().startswith("improved: complaints 40/136 (29.4 %) → 4/68 (5.9 %)")
    assert any(line.startswith(f"#{planned} Card retries · Billing · planned") for line in lines)


async def test_json_has_one_object_per_improvement(db, database_url, tmp_path):
    done, planned = await seeded(db)
    out = await earshot(database_url, "improvements", "--team", ds.TEAM, "--json")
    assert out.exit_code == 0, out.output
    rows = {r["id"]: r for r in map(json.loads, out.output.splitlines())}
    assert rows[done]["verdict"] == "improved" and rows[done]["status"] == "shipped"
    assert rows[done]["complaints_before"] == [40, 136] and rows[done]["complaints_after"] == [4, 68]
    assert rows[done]["remarks"] == 3 and rows[done]["team"] == ds.TEAM
    assert rows[planned]["verdict"] is None and rows[planned]["owner"] == CARLA
    # --team may be left out (one workspace) and -o writes the same lines to a file.
    target = tmp_path / "improvements.jsonl"
    to_file = await earshot(database_url, "improvements", "--json", "-o", str(target))
    assert to_file.exit_code == 0 and to_file.output == ""
    assert target.read_text() == out.output


async def test_an_unknown_team_is_one_line_and_exit_2(db, database_url):
    await seeded(db)
    out = await earshot(database_url, "improvements", "--team", "T0NOPE")
    assert out.exit_code == 2 and "no workspace T0NOPE" in out.output
