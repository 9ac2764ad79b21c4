"""docs/deploy.md's install, followed as written: the manifest with your URL, a `.env` with the
token and signing secret, `earshot migrate` on PostgreSQL, `earshot serve`, `/invite @Earshot`
and `/feedback digest channel #...` in Slack, then `earshot doctor`, which must be all green.
Each command runs as its own process from a fresh directory, reading only that `.env` (the
stand-in plays Slack: its token, secret and Web API URL). Then the served clock posts the first
digest when its slot comes, with nothing else started."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import yaml

from bot.fakeslack import FakeSlack
from tests.conftest import SECRET, TOKEN, eventually
from tests.db import backend, create_database, drop_database
from tests.e2e.queries import ALICE, FEEDBACK
from tests.e2e.test_digest_clock import digests
from tests.e2e.test_durability import free_port, healthy

ROOT = Path(__file__).resolve().parents[2]
EARSHOT = str(Path(sys.executable).parent / "earshot")  # what `.venv/bin/earshot` is
DOC = (ROOT / "docs/deploy.md").read_text()
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def documented(*commands: str) -> None:
    """The step is in docs/deploy.md exactly as the test runs it."""
    for command in commands:
        assert command in DOC, f"docs/deploy.md no longer says: {command}"


def clean_env(**extra: str) -> dict[str, str]:
    """A shell's environment with no Earshot setting in it: only .env configures Earshot."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "DATABASE_", "DIGEST_", "PORT", "WORKER", "RUN_", "EARSHOT_"))}
    return {**env, "PYTHONUNBUFFERED": "1", **extra}


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EARSHOT, *args], cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=120)


async def test_the_documented_install_ends_with_doctor_all_green(fake: FakeSlack, tmp_path: Path) -> None:
    home = tmp_path / "earshot"
    home.mkdir()
    documented("python3 -m venv .venv && .venv/bin/pip install .")  # the venv this test runs in

    documented(".venv/bin/earshot manifest --url https://earshot.your-company.com > slack-manifest.yml")
    manifest = await asyncio.to_thread(run, ["manifest", "--url", "https://earshot.your-company.com"], home)
    assert manifest.returncode == 0, manifest.stderr
    app = yaml.safe_load(manifest.stdout)
    assert app["settings"]["event_subscriptions"]["request_url"] == "https://earshot.your-company.com/slack/events"
    # (Creating the app in Slack from it: the stand-in is that app, with this token and secret.)

    documented("SLACK_BOT_TOKEN=xoxb-your-bot-token", "SLACK_SIGNING_SECRET=your-signing-secret")
    port = free_port()
    env_file = [f"SLACK_BOT_TOKEN={TOKEN}", f"SLACK_SIGNING_SECRET={SECRET}",
                # Test only: Slack is the stand-in, the port a free one, and the clock polls
                # every second instead of every 30.
                f"SLACK_API_URL={fake.api_url}", f"PORT={port}", "HOST=127.0.0.1", "DIGEST_POLL_SECONDS=1"]
    pg = None
    if backend() == "postgres":
        pg = await create_database(tmp_path)  # a fresh, empty database
        env_file.append(f"DATABASE_URL={pg}")
    (home / ".env").write_text("\n".join(env_file) + "\n")
    serve = None
    try:
        if pg:
            documented(".venv/bin/earshot migrate")
            migrated = await asyncio.to_thread(run, ["migrate"], home)
            assert migrated.returncode == 0, migrated.stderr

        documented(".venv/bin/earshot serve", "This process runs: web, worker, clock.")
        serve = subprocess.Popen([EARSHOT, "serve"], cwd=home, env=clean_env(), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
        await eventually(lambda: healthy(port), timeout=60, interval=0.1)
        if not pg:
            assert (home / "earshot.db").exists()  # SQLite, created and migrated by serve

        documented("/invite @Earshot", "/feedback digest channel #customer-feedback")
        assert {ALICE, fake.state.bot_user_id} <= set(fake.state.channels[FEEDBACK].members)  # invited
        slack = fake.simulator(f"http://127.0.0.1:{port}/slack/events")
        answer = await slack.slash(ALICE, FEEDBACK, f"digest channel <#{FEEDBACK}|customer-feedback>")
        assert answer.status == 200 and f"The digest will be posted to <#{FEEDBACK}>" in answer.body, answer.body

        documented(".venv/bin/earshot doctor", "[ok  ] the clock is running", "Nothing that would break Earshot.")
        doctor = await asyncio.to_thread(run, ["doctor"], home)
        assert doctor.returncode == 0, doctor.stdout + doctor.stderr
        lines = doctor.stdout.splitlines()
        assert all(line.startswith(("[ok  ]", "Nothing")) for line in lines), doctor.stdout
        for check in ("the bot token has every scope", "the bot is in the digest channel #customer-feedback",
                      "the clock is running", "no delivery is waiting for a worker"):
            assert any(check in line for line in lines), (check, doctor.stdout)

        # The first digest: its slot comes (here: set to a minute ago) and the clock in
        # `earshot serve` posts it, once.
        slot = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        for text in ("digest timezone UTC", f"digest schedule {DAYS[slot.weekday()]} {slot:%H:%M}"):
            assert (await slack.slash(ALICE, FEEDBACK, text)).status == 200
        [digest] = await eventually(lambda: digests(fake), timeout=30, interval=0.1)
        assert digest.params["channel"] == FEEDBACK
        await slack.close()
    finally:
        log = ""
        if serve is not None:
            serve.send_signal(signal.SIGTERM)
            _, log = await asyncio.to_thread(serve.communicate, timeout=30)
        if pg:
            await drop_database(pg)
    assert "This process runs: web, worker, clock." in log
    assert len(digests(fake)) == 1
