"""`earshot digest --preview` from a terminal: only DATABASE_URL is needed (no Slack settings
at all), `--team` may be left out when the database holds one workspace, and the text is
readable: no raw `<@U…>`, `<#C…>` or `<url|label>` Slack markup. When the workspace's Slack
token is configured, the people it names are looked up (users.info, the stand-in's answer
shaped as https://api.slack.com/methods/users.info documents it)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys

from click.testing import CliRunner

from bot.cli.main import main
from storage.models import utcnow
from tests.conftest import SECRET, TOKEN
from tests.e2e import digest_support as ds
from tests.e2e.queries import BOB, CARLA, DAN, FEEDBACK


async def seed(db) -> None:
    """Last week's period holds an owned process and a remark with no customer whose text
    carries Slack markup; the week's slot was an hour ago."""
    slot = (utcnow() - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    await ds.workspace(db, timezone="UTC", digest_channel_id=FEEDBACK, digest_weekday=slot.weekday(),
                       digest_time=f"{slot:%H:%M}")
    billing = await ds.process(db, "Billing", owner=DAN)
    await ds.remark(db, process_id=billing, sentiment="complaint", at=slot - dt.timedelta(days=2),
                    text=f"<@{BOB}> says the invoice in <#C0SUPPORT1|support> is wrong, see "
                         "<https://example.com/inv/7|the invoice> &amp; fix it")
    await ds.remark(db, process_id=billing, sentiment="complaint", at=slot - dt.timedelta(days=3),
                    text="Charged twice for March", customer="Acme")


def bare_env(database_url: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))},
            "DATABASE_URL": database_url}


async def test_the_preview_needs_no_slack_settings_and_reads_like_text(db, database_url, tmp_path):
    await seed(db)
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "bot", "digest", "--preview"], env=bare_env(database_url),
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "IMPROVE" in out and "Billing" in out and "Charged twice for March" in out
    for raw in ("<@", "<#", "<http", "&amp;", "|view>"):
        assert raw not in out, (raw, out)
    assert f"owner @{DAN}" in out  # no Slack to ask: the id, readable
    assert ("@U0BOB00001 says the invoice in #support is wrong, see the invoice "
            "(https://example.com/inv/7) & fix it") in out  # a labelled link shows its address
    assert f"— @{CARLA}" in out and "https://acme-support.slack.com/archives/C0SUPPORT1/p" in out
    assert "complaints (up 2 on last period)" in out

    # The same preview into a file; the Block Kit form is still there for Slack's own tools.
    runner = CliRunner()
    to_file = await asyncio.to_thread(runner.invoke, main, ["digest", "-o", str(tmp_path / "d.txt")],
                                      env={"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "",
                                           "SLACK_SIGNING_SECRET": ""})
    assert to_file.exit_code == 0, to_file.output
    assert (tmp_path / "d.txt").read_text() == out
    as_json = await asyncio.to_thread(runner.invoke, main, ["digest", "--preview", "--json"],
                                      env={"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": ""})
    assert '"blocks"' in as_json.stdout and f"<@{DAN}>" in as_json.stdout


async def test_with_the_slack_token_configured_people_are_named(fake, settings, db, database_url):
    await seed(db)
    env = {"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": settings.slack_api_url}
    result = await asyncio.to_thread(CliRunner().invoke, main, ["digest"], env=env)
    assert result.exit_code == 0, result.output
    assert "owner @Dan Kowalski" in result.stdout and "— @Carla Reyes" in result.stdout
    assert "<@" not in result.stdout
    asked = sorted(c.params.get("user") for c in fake.calls_to("users.info"))
    assert asked == sorted([DAN, CARLA])


async def test_which_workspace_to_preview(db, database_url):
    await seed(db)
    await ds.workspace(db, "T0002")
    env = {"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": ""}
    two = await asyncio.to_thread(CliRunner().invoke, main, ["digest"], env=env)
    assert two.exit_code == 2 and "2 workspaces (T0001, T0002): pick one with --team" in two.output
    chosen = await asyncio.to_thread(CliRunner().invoke, main, ["digest", "--team", "T0001"], env=env)
    assert chosen.exit_code == 0 and "Billing" in chosen.stdout
    post_to_file = await asyncio.to_thread(CliRunner().invoke, main,
                                           ["digest", "--post", "-o", "x.txt", "--team", "T0001"], env=env)
    assert post_to_file.exit_code == 2 and "--out goes with --preview" in post_to_file.output
