"""`earshot import` and `earshot api-token` from the command line, against the real
database; a token made by the CLI is then used over HTTP against the running app.
File shapes are ours (docs/sources.md, "Import"): CSV with a header row, or JSON Lines."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path

import aiohttp
from click.testing import CliRunner

from bot.cli.main import main
from storage.models import Remark
from tests.e2e import digest_support as ds
from tests.e2e.queries import TEAM, count, remarks


async def cli(database_url: str, *args: str):
    return await asyncio.to_thread(CliRunner().invoke, main, list(args),
                                   env={"DATABASE_URL": database_url}, catch_exceptions=False)


async def test_one_bad_row_among_10000_is_named_and_nothing_is_written(db, database_url, tmp_path: Path):
    await ds.workspace(db)
    path = tmp_path / "survey.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["external_id", "text", "score_kind", "score_value", "said_at"])
        for i in range(10_000):
            w.writerow([f"r{i}", f"Answer {i}: the onboarding call was useful", "csat",
                        "9" if i == 6_789 else "4", "2025-01-02T10:00:00Z"])
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "typeform")
    assert res.exit_code == 2, res.output
    # Line 1 is the header: row i is on line i + 2.
    assert "survey.csv: line 6791: score.value: a csat score is a whole number from 1 to 5" in res.output
    assert "1 problem(s) in survey.csv; nothing was imported." in res.output
    assert await count(db, Remark) == 0


async def test_a_csv_import_files_each_row_and_a_rerun_changes_nothing(db, database_url, tmp_path: Path):
    await ds.workspace(db)
    path = tmp_path / "backlog.csv"
    path.write_text("text,customer,contact,score_kind,score_value,said_at,url\n"
                    "Refund took three weeks,Globex,bo@globex.io,csat,1,2025-02-01T09:00:00Z,https://x.test/1\n"
                    "\"Loved the new dashboard, thanks\",,,nps,10,2025-02-02T09:00:00Z,\n", encoding="utf-8")
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "helpdesk")
    assert res.exit_code == 0, res.output
    assert "2 new remark(s), 0 known already" in res.output
    rows = await remarks(db)
    assert [(r.source, r.sentiment, r.score_kind, r.score_value, r.customer) for r in rows] == [
        ("import", "complaint", "csat", 1, "Globex"), ("import", "praise", "nps", 10, None)]
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "helpdesk")
    assert "0 new remark(s), 2 known already" in res.output
    assert await count(db, Remark) == 2


async def test_a_jsonl_import_names_bad_lines_and_unknown_processes(db, database_url, tmp_path: Path):
    await ds.workspace(db)
    path = tmp_path / "calls.jsonl"
    path.write_text("\n".join([
        json.dumps({"text": "Setup was painless", "external_id": 1}),
        "[1, 2]",
        json.dumps({"text": "ok", "external_id": 2, "said_at": "2999-01-01"}),
        "{not json",
    ]) + "\n", encoding="utf-8")
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "calls")
    assert res.exit_code == 2
    assert "line 2: (body): must be a JSON object, not an array" in res.output
    assert "line 3: said_at: must not be in the future" in res.output
    assert "line 4: (row): is not valid JSON" in res.output
    path.write_text(json.dumps({"text": "Setup was painless", "process": "Nope"}) + "\n", encoding="utf-8")
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "calls")
    assert res.exit_code == 2 and "line 1: process: no active process is named 'Nope'" in res.output
    assert await count(db, Remark) == 0


async def test_a_bad_row_is_named_by_the_line_it_starts_on_and_odd_files_by_line(db, database_url, tmp_path: Path):
    await ds.workspace(db)
    path = tmp_path / "export.csv"
    # A blank line, then a row whose quoted cell runs over lines 4-6 (a survey export keeps
    # the respondent's line breaks); its score is out of range; a time off the calendar.
    path.write_text("external_id,text,score_kind,score_value,said_at\n1,Setup was easy,,,\n\n"
                    '2,"The export\nis missing\ncolumns",csat,7,\n3,Fine,,,0001-01-01T00:00:00+14:00\n',
                    encoding="utf-8")
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "survey")
    assert res.exit_code == 2, res.output
    assert "export.csv: line 4: score.value: a csat score is a whole number from 1 to 5" in res.output
    assert "export.csv: line 7: said_at: is out of range" in res.output
    # Saved as Latin-1 by a spreadsheet: the line to fix, not a codec's byte offset.
    path.write_bytes("text\nFine\nCaf\xe9 menu is slow\n".encode("latin-1"))
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "survey")
    assert res.exit_code == 2 and "line 3 is not UTF-8 text" in res.output, res.output
    assert await count(db, Remark) == 0


async def test_a_survey_export_saved_as_excel_unicode_text_is_read(db, database_url, tmp_path: Path):
    """Excel's "Unicode text" (and many Windows tools) save UTF-16 with a byte-order mark:
    it imports as UTF-8 would, accented words intact."""
    await ds.workspace(db)
    path = tmp_path / "export.csv"
    path.write_bytes("external_id,text\n1,Le café est lent\n".encode("utf-16"))
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "survey")
    assert res.exit_code == 0, res.output
    assert [r.text for r in await remarks(db)] == ["Le café est lent"]


async def test_a_token_made_by_the_cli_works_until_it_is_revoked(bot, db, database_url):
    await ds.workspace(db)
    res = await cli(database_url, "api-token", "create", "n8n", "--team", TEAM)
    assert res.exit_code == 0, res.output
    token = res.stdout.strip().splitlines()[-1]
    assert token.startswith("esk_")
    listed = await cli(database_url, "api-token", "list", "--team", TEAM)
    assert "n8n" in listed.output and token not in listed.output
    again = await cli(database_url, "api-token", "create", "n8n", "--team", TEAM)
    assert again.exit_code == 1 and "exists already" in again.output

    async def send() -> int:
        async with aiohttp.ClientSession() as http, http.post(
                f"{bot.base_url}/api/v1/remarks", json={"text": "Where is my invoice?", "source": "n8n"},
                headers={"Authorization": f"Bearer {token}"}) as r:
            return r.status

    assert await send() == 201
    res = await cli(database_url, "api-token", "revoke", "n8n", "--team", TEAM)
    assert res.exit_code == 0 and "Revoked n8n." in res.output
    assert await send() == 401
    assert (await cli(database_url, "api-token", "revoke", "n8n", "--team", TEAM)).exit_code == 1


async def test_a_batch_writes_the_rows_capture_writes(bot, db):
    """bulk.capture_many (imports) against capture() (the API) for the same remarks."""
    from bot.domain.capture import bulk
    from bot.domain.capture.incoming import parse
    from bot.domain.capture.intake import file_incoming, request_of
    from bot.domain.capture.record import Route
    from storage.models import Capture, utcnow

    services = bot.runtime.services
    await ds.workspace(db)
    await ds.process(db, "Refunds Desk")
    # The named process first: it is a lesson (the model is rebuilt), so every remark after
    # it, one by one or in the batch, is classified by the same model.
    bodies = [{"text": "Onboarding was lovely, thank you all", "source": "s", "process": "refunds desk"},
              {"text": "The invoice export times out again", "source": "s", "customer": "Acme",
               "contact": "jo@acme.io", "score": {"kind": "nps", "value": 3}, "note": "from a call",
               "said_at": "2025-01-02T10:00:00Z", "url": "https://x.test/1"},
              {"text": "ok", "source": "s"}]
    items = [parse(b, now=utcnow()) for b in bodies]
    for i, item in enumerate(items):
        await file_incoming(services, TEAM, item, capturer="import", source="import", route=Route.IMPORT,
                            key=f"one:{i}")
    from storage.repositories import ProcessRepository
    async with db() as s:
        onboarding = await ProcessRepository(s).by_name(TEAM, "Refunds Desk")
    reqs = [request_of(TEAM, item, capturer="import", source="import", route=Route.IMPORT, key=f"many:{i}",
                       process=onboarding if item.process else None) for i, item in enumerate(items)]
    written = await bulk.capture_many(services, TEAM, reqs)
    assert [w.created for w in written] == [True, True, True]
    skip = {"id", "source_key", "created_at", "updated_at", "classified_at", "process_decided_at",
            "sentiment_decided_at"}
    rows = await remarks(db)
    by_key = {r.source_key: {c: v for c, v in vars(r).items() if not c.startswith("_") and c not in skip}
              for r in rows}
    for i in range(3):
        one, many = by_key[f"one:{i}"], by_key[f"many:{i}"]
        if "said_at" not in bodies[i]:  # said when filed: a moment apart
            one.pop("said_at"), many.pop("said_at")
        assert one == many, i
    async with db() as s:
        from sqlalchemy import select
        caps = (await s.scalars(select(Capture).order_by(Capture.id))).all()
    assert {(c.user_id, c.route, c.note) for c in caps[:3]} == {(c.user_id, c.route, c.note) for c in caps[3:]}
    again = await bulk.capture_many(services, TEAM, reqs)  # a re-import changes nothing
    assert [w.created for w in again] == [False] * 3 and await count(db, Remark) == 6


async def test_a_jsonl_line_holding_a_line_separator_is_one_row(db, database_url, tmp_path: Path):
    # JSON allows U+2028, U+2029 and U+0085 unescaped inside strings (RFC 8259; JavaScript's
    # JSON.stringify and json.dumps(ensure_ascii=False) leave them so); a tweet or chat
    # message holds them. Only "\n" ends a JSON Lines row.
    await ds.workspace(db)
    path = tmp_path / "tweets.jsonl"
    path.write_text("\n".join([
        json.dumps({"text": "The refund took three weeks\u2028and nobody called back", "external_id": "t1"},
                   ensure_ascii=False),
        json.dumps({"text": "Lovely staff\u0085at the airport desk", "external_id": "t2"}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "tweets")
    assert res.exit_code == 0, res.output
    assert "2 new remark(s), 0 known already" in res.output
    assert sorted(r.external_id for r in await remarks(db)) == ["t1", "t2"]
