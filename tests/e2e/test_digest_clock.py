"""Real processes: two `earshot clock`s and an `earshot serve` (which runs the clock itself
unless told --no-clock) race for the same period against one database; the digest is posted exactly once, also
when Slack rate-limits the first post. A clock that was down over its slot catches up."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from bot.digest.render import METADATA_EVENT
from storage.models import DigestRun, utcnow
from tests.conftest import SECRET, TOKEN, eventually
from tests.e2e import digest_support as ds
from tests.e2e.queries import FEEDBACK
from tests.e2e.test_durability import healthy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "DIGEST_"))}
    env.update(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=settings.slack_api_url,
        DATABASE_URL=settings.database_url, DIGEST_POLL_SECONDS="0.2", LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1", **extra,
    )
    return env


def _start(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot", *args], env=env, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


async def _stop(procs: list[subprocess.Popen]) -> list[str]:
    logs = []
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            _, err = await asyncio.to_thread(p.communicate, timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        logs.append(err or "")
    return logs


def digests(fake) -> list:
    return [c for c in fake.calls_to("chat.postMessage")
            if c.ok and (c.params.get("metadata") or {}).get("event_type") == METADATA_EVENT]


async def scheduled_at(db, slot: dt.datetime) -> None:
    """A workspace whose weekly slot (UTC) was at ``slot``, with feedback in its period."""
    await ds.workspace(db, timezone="UTC", digest_channel_id=FEEDBACK, installer_user_id=ds.ALICE,
                       digest_weekday=slot.weekday(), digest_time=f"{slot:%H:%M}")
    billing = await ds.process(db, "Billing", owner=ds.BOB)
    await ds.remark(db, process_id=billing, sentiment="complaint", at=slot - dt.timedelta(days=2),
                    text="Invoice wrong again", customer="Acme")


async def runs(db) -> list[DigestRun]:
    async with db() as s:
        return list((await s.scalars(select(DigestRun))).all())


async def test_two_clocks_and_a_serve_post_each_period_exactly_once(fake, settings, db, tmp_path):
    slot = (utcnow() - dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    await scheduled_at(db, slot)
    fake.fail_next("chat.postMessage", "ratelimited", retry_after=0)
    env = _env(settings)
    procs = [
        _start(["clock"], env, tmp_path),
        _start(["clock"], env, tmp_path),
        _start(["serve", "--port", str(_free_port()), "--host", "127.0.0.1"], env, tmp_path),
    ]
    try:
        await eventually(lambda: digests(fake), timeout=30)
        [run] = await eventually(
            lambda: _posted(db), timeout=10)
        # Give every process several more polls to (wrongly) post again.
        await asyncio.sleep(1.5)
    finally:
        logs = await _stop(procs)
    assert len(digests(fake)) == 1, logs
    attempts = fake.calls_to("chat.postMessage")
    assert attempts[0].status == 429  # the first post was rate-limited, then retried once
    assert (run.status, run.late, run.message_ts) == ("posted", False, digests(fake)[0].response["ts"])
    assert len(await runs(db)) == 1


async def test_serve_runs_the_clock_unless_told_not_to(fake, settings, db, tmp_path):
    slot = (utcnow() - dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    await scheduled_at(db, slot)
    ports = _free_port(), _free_port()
    quiet = _start(["serve", "--port", str(ports[0]), "--host", "127.0.0.1", "--no-clock"],
                   _env(settings), tmp_path)
    split = _start(["serve", "--port", str(ports[1]), "--host", "127.0.0.1"],
                   _env(settings, RUN_SCHEDULER="false", WORKER="separate"), tmp_path)
    whole = None
    try:
        for port in ports:
            await eventually(lambda port=port: healthy(port), timeout=30)
        await asyncio.sleep(1.5)  # several polls (0.2 s) in which a clock would have posted
        [quiet_log, split_log] = await _stop([quiet, split])
        assert "This process runs: web, worker. Run `earshot clock` beside it." in quiet_log
        assert "This process runs: web. Run `earshot worker` and `earshot clock` beside it." in split_log
        assert digests(fake) == [] and await runs(db) == []
        whole = _start(["serve", "--port", str(_free_port()), "--host", "127.0.0.1"], _env(settings), tmp_path)
        [run] = await eventually(lambda: _posted(db), timeout=30)
    finally:
        whole_log = (await _stop([whole]))[0] if whole else ""
    assert "This process runs: web, worker, clock." in whole_log
    assert len(digests(fake)) == 1 and run.status == "posted"


async def _posted(db):
    return [r for r in await runs(db) if r.status == "posted"]


async def test_clock_down_over_its_slot_catches_up_when_started(fake, settings, db, tmp_path):
    slot = (utcnow() - dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    await scheduled_at(db, slot)
    procs = [_start(["clock"], _env(settings), tmp_path)]
    try:
        [run] = await eventually(lambda: _posted(db), timeout=30)
    finally:
        logs = await _stop(procs)
    assert run.late, logs
    [post] = digests(fake)
    assert "Posted late" in str(post.params["blocks"])


async def test_earshot_digest_cli_previews_and_posts_once(fake, settings, db, tmp_path):
    slot = (utcnow() - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    await scheduled_at(db, slot)
    from click.testing import CliRunner

    from bot.cli.main import main

    env = {k: v for k, v in _env(settings).items() if k.isupper() and not k.startswith("PYTHON")}

    def cli(*args: str):  # in a thread: the command runs its own event loop
        return CliRunner().invoke(main, ["digest", "--team", ds.TEAM, *args], env=env)

    preview = await asyncio.to_thread(cli, "--preview")
    assert preview.exit_code == 0, preview.output
    assert "IMPROVE" in preview.stdout and "Billing" in preview.stdout
    as_json = await asyncio.to_thread(cli, "--preview", "--json")
    assert '"blocks"' in as_json.stdout
    first = await asyncio.to_thread(cli, "--post")
    assert first.exit_code == 0 and "Posted the digest" in first.stdout, first.output
    again = await asyncio.to_thread(cli, "--post")
    assert "already posted" in again.stdout
    forced = await asyncio.to_thread(cli, "--post", "--force")
    assert "Posted the digest" in forced.stdout, forced.output
    assert len(digests(fake)) == 2
    bad = await asyncio.to_thread(cli, "--preview", "--period", "yesterday")
    assert bad.exit_code == 2


async def test_posting_the_last_complete_week_says_so_and_how_to_post_the_current_one(
        fake, settings, db, tmp_path):
    slot = (utcnow() - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    await scheduled_at(db, slot)
    billing = await ds.process(db, "Support")
    # Feedback in the week that started at the last slot: not in the posted period.
    await ds.remark(db, process_id=billing, sentiment="complaint", at=utcnow() - dt.timedelta(minutes=5))
    from click.testing import CliRunner

    from bot.cli.main import main

    env = {k: v for k, v in _env(settings).items() if k.isupper() and not k.startswith("PYTHON")}
    result = await asyncio.to_thread(
        lambda: CliRunner().invoke(main, ["digest", "--team", ds.TEAM, "--post"], env=env))
    assert result.exit_code == 0, result.output
    assert "That is the last complete period" in result.stdout
    assert "has 1 remark(s) so far" in result.stdout
    assert f"earshot digest --team {ds.TEAM} --post --period " in result.stdout
