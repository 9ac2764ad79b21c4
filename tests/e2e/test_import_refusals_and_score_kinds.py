"""Gaps in the sources (issue 21): an import file with one ``external_id`` on two rows, or
with no rows at all, is refused whole (exit 2, nothing written); a score's kind is taken in
any case by the import and by the API over HTTP, and the OpenAPI document says so.
The import runs through the CLI's entry point against the real database; the API through
the running app. File shapes are ours (docs/sources.md, "Import")."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest
from jsonschema import Draft202012Validator

from storage.models import Remark, Workspace
from tests.e2e import digest_support as ds
from tests.e2e.queries import TEAM, count, remarks
from tests.e2e.test_import_and_tokens_cli import cli
from tests.e2e.test_intake_api import fields, post, token


async def test_a_csv_with_one_external_id_on_two_rows_is_refused_naming_both_lines(db, database_url, tmp_path: Path):
    await ds.workspace(db)
    path = tmp_path / "survey.csv"
    path.write_text("external_id,text,score_kind,score_value\n"
                    "r1,The onboarding call was useful,csat,4\n"
                    "r2,Billing is confusing,csat,2\n"
                    "r1,The onboarding call was useful but long,csat,3\n", encoding="utf-8")
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "typeform")
    assert res.exit_code == 2, res.output
    assert ("survey.csv: line 4: external_id: 'r1' is also on line 2: each row's id must be "
            "unique in the file") in res.output
    assert "1 problem(s) in survey.csv; nothing was imported." in res.output
    assert await count(db, Remark) == 0


async def test_a_jsonl_id_repeated_as_number_and_text_is_refused_but_another_source_is_not(
        db, database_url, tmp_path: Path):
    await ds.workspace(db)
    path = tmp_path / "calls.jsonl"
    path.write_text("\n".join([
        json.dumps({"text": "Setup was painless", "external_id": 7}),
        json.dumps({"text": "Setup was painless", "external_id": 7, "source": "calls-eu"}),  # its own key
        "",
        json.dumps({"text": "Setup took a week", "external_id": "7"}),  # the same id as line 1
    ]) + "\n", encoding="utf-8")
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "calls")
    assert res.exit_code == 2, res.output
    assert "calls.jsonl: line 4: external_id: '7' is also on line 1" in res.output
    assert "line 2" not in res.output
    assert await count(db, Remark) == 0
    # Without the repeat, the file goes in: two remarks, one per source.
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "calls")
    assert res.exit_code == 0, res.output
    assert await count(db, Remark) == 2


@pytest.mark.parametrize(("name", "content"), [
    ("empty.csv", ""),
    ("header.csv", "external_id,text,score_kind,score_value\n"),
    ("header-and-blank-lines.csv", "text,customer\n\n\n"),
    ("empty.jsonl", ""),
    ("blank.jsonl", "\n  \n\t\n"),
])
async def test_a_file_without_rows_is_an_error_and_writes_nothing(db, database_url, tmp_path: Path,
                                                                 name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "typeform")
    assert res.exit_code == 2, res.output
    assert f"earshot: {name} has no rows; nothing was imported." in res.output
    assert "Imported" not in res.output
    assert await count(db, Remark) == 0 and await count(db, Workspace) == 0


async def test_an_import_takes_a_score_kind_in_any_case_and_stores_it_lower_case(db, database_url, tmp_path: Path):
    await ds.workspace(db)
    path = tmp_path / "survey.csv"
    path.write_text("external_id,text,score_kind,score_value\n1,The refund never came,CSAT,1\n"
                    "2,Great support team,Nps,10\n", encoding="utf-8")
    res = await cli(database_url, "import", str(path), "--team", TEAM, "--source", "typeform")
    assert res.exit_code == 0, res.output
    jsonl = tmp_path / "reviews.jsonl"
    jsonl.write_text(json.dumps({"text": "Crashes on launch", "score": {"kind": "STARS", "value": 1}}) + "\n"
                     + json.dumps({"text": "Meh", "score": {"kind": "CES", "value": 3}}) + "\n", encoding="utf-8")
    res = await cli(database_url, "import", str(jsonl), "--team", TEAM, "--source", "appstore")
    assert res.exit_code == 2, res.output
    assert "reviews.jsonl: line 2: score.kind: must be one of csat, nps, stars (in any case)" in res.output
    jsonl.write_text(jsonl.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    res = await cli(database_url, "import", str(jsonl), "--team", TEAM, "--source", "appstore")
    assert res.exit_code == 0, res.output
    got = sorted((r.text, r.score_kind, r.score_value, r.sentiment) for r in await remarks(db))
    assert got == [("Crashes on launch", "stars", 1, "complaint"), ("Great support team", "nps", 10, "praise"),
                   ("The refund never came", "csat", 1, "complaint")]


async def test_the_api_takes_a_score_kind_in_any_case_and_names_an_unknown_one(bot, db):
    tok = await token(db)
    status, _, answer = await post(bot, {"text": "The export is slow", "source": "zendesk",
                                         "external_id": 1, "score": {"kind": "CSAT", "value": 2}}, tok)
    assert status == 201, answer
    assert answer["sentiment"] == "complaint"  # CSAT 2 is a complaint: the score was read
    status, _, answer = await post(bot, {"text": "Would recommend", "source": "zendesk",
                                         "external_id": 2, "score": {"kind": "Nps", "value": 9}}, tok)
    assert status == 201, answer
    assert sorted((r.score_kind, r.score_value) for r in await remarks(db)) == [("csat", 2), ("nps", 9)]
    status, _, answer = await post(bot, {"text": "Hm", "source": "zendesk", "external_id": 3,
                                         "score": {"kind": "CES", "value": 3}}, tok)
    assert status == 422 and fields(answer) == {"score.kind"}, answer
    [error] = answer["errors"]
    assert error["message"] == "must be one of csat, nps, stars (in any case)"
    assert await count(db, Remark) == 2


async def test_the_openapi_document_lets_a_score_kind_be_any_case(bot):
    async with aiohttp.ClientSession() as http, http.get(f"{bot.base_url}/api/v1/openapi.json") as r:
        assert r.status == 200
        document = await r.json()
    kind = document["components"]["schemas"]["Score"]["properties"]["kind"]
    assert "any case" in kind["description"] and "lower case" in kind["description"]
    check = Draft202012Validator(kind)
    for ok in ("csat", "CSAT", "Nps", "stars", "STARS"):
        assert check.is_valid(ok), ok
    for bad in ("ces", "csat ", "", "npsx", 3):
        assert not check.is_valid(bad), bad
