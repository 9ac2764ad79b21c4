"""`earshot import` on the CSV and JSONL files spreadsheets and survey tools write: a
byte-order mark (Excel's "CSV UTF-8"), CRLF line ends, columns in another order or another
case, columns Earshot does not know, a column named twice, text that a spreadsheet would
take for a formula (OWASP "CSV Injection"). docs/sources.md, "Import"."""

from __future__ import annotations

from pathlib import Path

from storage.models import Remark
from tests.e2e import digest_support as ds
from tests.e2e.queries import TEAM, count, remarks
from tests.e2e.test_import_and_tokens_cli import cli


async def run(database_url: str, path: Path, data: bytes):
    path.write_bytes(data)
    return await cli(database_url, "import", str(path), "--team", TEAM, "--source", "survey")


async def test_a_bom_crlf_and_columns_in_another_order_and_case_are_imported(db, database_url, tmp_path: Path):
    await ds.workspace(db)
    res = await run(database_url, tmp_path / "excel.csv",
                    "\ufeffSaid_At, Text ,External_ID,Score_Value,SCORE_KIND\r\n"
                    "2025-01-02T10:00:00Z,Great onboarding,o1,5,csat\r\n"
                    "2025-01-03T10:00:00Z,\"Billing page\r\ncrashes\",o2,1,Stars\r\n".encode())
    assert res.exit_code == 0, res.output
    assert "2 new remark(s), 0 known already" in res.output
    rows = await remarks(db)
    assert [(r.external_id, r.text, r.score_kind, r.score_value, r.said_at.day) for r in rows] == [
        ("o1", "Great onboarding", "csat", 5, 2), ("o2", "Billing page\ncrashes", "stars", 1, 3)]
    res = await run(database_url, tmp_path / "lines.jsonl",
                    b'\xef\xbb\xbf{"text": "J one", "external_id": "j1"}\r\n\r\n{"text": "J two", "external_id": "j2"}\r\n')
    assert res.exit_code == 0 and "2 new remark(s)" in res.output, res.output
    again = await run(database_url, tmp_path / "lines.jsonl", (tmp_path / "lines.jsonl").read_bytes())
    assert "0 new remark(s), 2 known already" in again.output
    assert await count(db, Remark) == 4


async def test_unknown_columns_are_named_once_on_the_header_line_and_nothing_is_written(
        db, database_url, tmp_path: Path):
    await ds.workspace(db)
    body = "".join(f"Answer {i},r{i},firefox,10.0.0.{i % 250}\n" for i in range(500))
    res = await run(database_url, tmp_path / "survey.csv", ("text,external_id,browser,ip\n" + body).encode())
    assert res.exit_code == 2
    assert "survey.csv: line 1: browser: is not a column Earshot knows" in res.output
    assert "survey.csv: line 1: ip: is not a column Earshot knows" in res.output
    assert "line 2:" not in res.output  # not once per row: 500 rows would bury it
    assert "2 problem(s) in survey.csv; nothing was imported." in res.output
    # A column named twice: one of its cells would silently win.
    res = await run(database_url, tmp_path / "twice.csv", b"text,Text,external_id\nfirst,second,t1\n")
    assert res.exit_code == 2 and "twice.csv: line 1: text: is a column twice in the header row" in res.output
    # A trailing comma (a column without a name, every cell empty) is no column at all.
    res = await run(database_url, tmp_path / "trailing.csv", b"text,external_id,\nThe export hangs,x1,\n")
    assert res.exit_code == 0 and "1 new remark(s)" in res.output, res.output
    assert [r.text for r in await remarks(db)] == ["The export hangs"]


async def test_formula_text_is_stored_as_given_and_exported_defused(db, database_url, tmp_path: Path):
    await ds.workspace(db)
    res = await run(database_url, tmp_path / "f.csv",
                    b'text,external_id,contact,customer\n'
                    b'"=HYPERLINK(""http://evil.test"",""x"")",f1,+1 555 1234,@SUM(A1)\n')
    assert res.exit_code == 0, res.output
    [r] = await remarks(db)
    assert (r.text, r.contact, r.customer) == ('=HYPERLINK("http://evil.test","x")', "+1 555 1234", "@SUM(A1)")
    out = tmp_path / "out.csv"
    res = await cli(database_url, "export", "--team", TEAM, "--format", "csv", "-o", str(out))
    assert res.exit_code == 0, res.output
    exported = out.read_text()
    assert "'=HYPERLINK" in exported and "'+1 555 1234" in exported and "'@SUM(A1)" in exported
    assert ",=HYPERLINK" not in exported and ',"=HYPERLINK' not in exported
    header = exported.splitlines()[0].split(",")
    assert {"source", "contact", "score_kind", "score_value", "external_id"} <= set(header)


async def test_an_empty_or_blank_said_at_is_absent_in_csv_and_jsonl_rows(db, database_url, tmp_path: Path):
    # A survey export leaves a cell of spaces where no time was kept, and a JSONL body from a
    # no-code tool carries "" for an unmapped field (docs/sources.md, "Import"): both are absent,
    # the remark said when imported, as an empty cell always was. They were 422 on said_at.
    from storage.models import utcnow

    await ds.workspace(db)
    before = utcnow().replace(microsecond=0, tzinfo=None)
    res = await run(database_url, tmp_path / "blank.csv",
                    b"text,external_id,said_at\nNo time kept,b1,   \nNone here either,b2,\n")
    assert res.exit_code == 0 and "2 new remark(s)" in res.output, res.output
    res = await run(database_url, tmp_path / "blank.jsonl",
                    b'{"text": "Unmapped time", "external_id": "b3", "said_at": ""}\n'
                    b'{"text": "Tab only", "external_id": "b4", "said_at": "\\t"}\n')
    assert res.exit_code == 0 and "2 new remark(s)" in res.output, res.output
    rows = await remarks(db)
    assert sorted(r.external_id for r in rows) == ["b1", "b2", "b3", "b4"]
    assert all(r.said_at.replace(tzinfo=None) >= before for r in rows), [r.said_at for r in rows]
