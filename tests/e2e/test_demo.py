"""`earshot demo`, run as a person would: a real process, its output, its folder, `--keep`
with `earshot demo send`, Ctrl-C, and a port that is taken.

One demo process serves the whole file (with --keep, so it can be talked to afterwards);
on EARSHOT_TEST_DB=postgres it runs on a fresh PostgreSQL database (--database-url).
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.db import backend, create_database, drop_database

PNG = b"\x89PNG\r\n\x1a\n"
ROUTES = {"reaction", "forward", "watch", "mention", "shortcut", "command"}


def earshot(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot", *args]


def env() -> dict[str, str]:
    # Whatever the developer's environment holds, the demo must not depend on it.
    out = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    out["SLACK_BOT_TOKEN"] = "xoxb-not-used-by-the-demo"
    return out


@dataclass
class Kept:
    proc: subprocess.Popen[bytes]
    folder: Path
    stdout: Path
    stderr: Path
    elapsed: float

    def output(self) -> str:
        return self.stdout.read_text(encoding="utf-8")


async def wait_until(check, timeout: float, what: str) -> None:  # noqa: ANN001, ASYNC109
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} within {timeout}s")


@pytest.fixture(scope="module")
async def kept(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Kept]:
    tmp = tmp_path_factory.mktemp("demo")
    folder = tmp / "out"
    args = ["demo", "--keep", "--out", str(folder)]
    url = None
    if backend() == "postgres":
        url = await create_database(tmp)
        args += ["--database-url", url]
    stdout, stderr = tmp / "stdout.txt", tmp / "stderr.txt"
    began = time.monotonic()
    with stdout.open("wb") as out, stderr.open("wb") as err:
        proc = subprocess.Popen(earshot(*args), stdout=out, stderr=err, env=env(), cwd=tmp)
    state = folder / "demo.json"
    try:
        await wait_until(lambda: state.exists() or proc.poll() is not None, 180, "the demo got ready")
        assert proc.poll() is None, stderr.read_text()
        await wait_until(lambda: "Still running" in stdout.read_text(encoding="utf-8"), 5,
                         "the demo printed its --keep instructions")
        yield Kept(proc, folder, stdout, stderr, time.monotonic() - began)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if url:
            await drop_database(url)


def summary(kept: Kept) -> dict:
    return json.loads((kept.folder / "summary.json").read_text(encoding="utf-8"))


def send(kept: Kept, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(earshot("demo", "send", "--out", str(kept.folder), *args), env=env(),
                          capture_output=True, text=True, timeout=60)


async def test_demo_plays_seven_weeks_in_under_two_minutes_and_prints_the_digest(kept: Kept):
    out = kept.output()
    done = re.search(r"Done in ([\d.]+) s", out)
    assert done and float(done.group(1)) < 120, out[-500:]
    assert kept.elapsed < 120  # a bound for a loaded test box, not the figure (README)
    for section in ("Improve", "Consolidate", "Changed since last period", "Unfiled"):
        assert section in out, section
    # The terminal shows what Slack would have: confirmations with their controls, no raw mrkdwn.
    assert "Filed as customer feedback" in out and "[ Undo ]" in out
    assert "<@U" not in out and "<#C" not in out
    assert "Traceback" not in kept.stderr.read_text()


async def test_every_capture_route_files_remarks(kept: Kept):
    s = summary(kept)
    assert s["step_errors"] == []
    assert set(s["remarks_by_route"]) == ROUTES
    assert s["steps_by_kind"]["Correct"] == 1 and s["steps_by_kind"]["Edit"] == 1
    assert s["outside_loopback_connections_refused"] == []


async def test_each_week_digest_is_posted_exactly_once_by_the_scheduler(kept: Kept):
    s = summary(kept)
    assert [d["week"] for d in s["digests"]] == [1, 2, 3, 4, 5, 6, 7]
    assert all(d["posts"] == 1 for d in s["digests"])
    # Two scheduler ticks per week: the second one must not post again.
    assert s["scheduler_ticks"] == 14
    assert len({d["ts"] for d in s["digests"]}) == 7


async def test_the_loop_closes_started_from_the_digest_shipped_by_github_and_checked(kept: Kept):
    loop = summary(kept)["loop"]
    alice, bob, carla, dan = "U0ALICE001", "U0BOB00001", "U0CARLA001", "U0DAN00001"
    # The capturers of the ticked Billing complaints, once each; Dan shipped it (no DM to him).
    assert loop["shipped_dms"] == sorted([alice, bob, carla])
    # The account owners of the customers who raised them hear it too, once each, as owners.
    assert loop["account_owner_shipped_dms"] == sorted([alice, carla])
    # The week 7 check says improved: the owner and the same capturers hear it, once each.
    assert loop["worked_dms"] == sorted([alice, bob, carla, dan])
    # ... and the account owners again, as owners of the customers whose remarks it answered.
    assert loop["account_owner_worked_dms"] == sorted([alice, carla])
    assert loop["praise_notes"] >= 1
    verdict = loop["did_it_work"]
    assert "*Improved*" in verdict and "Billing" in verdict and "→" in verdict
    out = kept.output()
    assert "Closing the loop" in out and "GitHub webhook → HTTP 200: shipped 1" in out
    assert "One DM each to the 2 account owners of the customers who raised them" in out
    assert "DM to Alice Moreau, as account owner" in out and "whose account you own" in out
    worked = out[out.index("It worked: one DM each") :]
    assert "It worked for their accounts: one DM each to the 2 account owners" in worked
    assert "DM to Alice Moreau, as account owner" in worked and "It answered remarks from" in worked
    assert "Did it work?" in out


async def test_digest_files_are_block_kit_within_limits_with_a_chart(kept: Kept):
    for week in range(1, 8):
        blocks = json.loads((kept.folder / f"digest-week-{week}.json").read_text())["blocks"]
        assert 0 < len(blocks) <= 50
        for b in blocks:
            text = (b.get("text") or {}).get("text", "")
            assert len(text) <= (150 if b["type"] == "header" else 3000)
        assert (kept.folder / f"digest-week-{week}-chart.png").read_bytes().startswith(PNG)


async def test_the_last_digest_tells_the_story(kept: Kept):
    blocks = json.loads((kept.folder / "digest-week-3.json").read_text())["blocks"]
    texts = [(b.get("text") or {}).get("text", "") for b in blocks]
    improve = [t for t in texts if re.match(r"\*\d+\. ", t)]
    # Billing got worse every week and tops the list; the lone Delivery complaint comes later.
    assert improve[0].startswith("*1. Billing*")
    assert any("Delivery" in t for t in improve[1:])
    consolidate = texts.index(next(t for t in texts if "*Consolidate*" in t))
    assert "Onboarding" in texts[consolidate + 1]
    assert any("*Billing* got worse: complaints up 2 (3 → 5)" in t for t in texts)  # Changed, in words
    assert any("*Unfiled*" in t for t in texts)
    # Whose complaints: the registry's tiers and values (issue 22 item 9).
    assert re.search(r":office: complaints from Enterprise \d · Mid-market \d · SMB \d · [\d,]+/year "
                     r"across \d customers", improve[0]), improve[0]


async def test_the_company_has_a_registry_and_every_remark_finds_its_customer(kept: Kept):
    """Issue 22 item 9: the registry stayed empty and a third of the remarks had no customer
    though the text named it."""
    customers = summary(kept)["customers"]
    assert customers["registered"] == 8
    assert customers["remarks_with_customer"] == summary(kept)["remarks"]
    registry = (kept.folder / "customers.yaml").read_text(encoding="utf-8")
    assert "tier: Enterprise" in registry and "value: 180000" in registry
    # Account owners (Alice, Carla) hear about their customers' remarks: at most one note a day.
    alice, carla = "U0ALICE001", "U0CARLA001"
    assert set(customers["account_owner_notes"]) == {alice, carla}
    out = kept.output()
    assert "earshot customers import customers.yaml" in out and "8 created" in out
    assert "Account owners hear about their customers" in out and "whose account you own" in out
    assert "Customer: Brightline Foods" in out  # the reaction's confirmation names the customer


async def test_theme_names_are_words_and_never_a_customer(kept: Kept):
    """Issue 22 item 10: theme labels were word stems, sometimes a customer's name."""
    names = {"kestrel", "freight", "pinecone", "labs", "harbor", "goods", "oakridge", "dental",
             "brightline", "foods", "atlas", "couriers", "fernhill", "schools", "greenfield", "clinics"}
    labels = []
    for week in range(1, 8):
        blocks = json.loads((kept.folder / f"digest-week-{week}.json").read_text())["blocks"]
        for b in blocks:
            labels += re.findall(r":label: \*([^*]+)\*", (b.get("text") or {}).get("text", ""))
    assert labels
    words = {w.casefold() for label in labels for w in re.split(r"[ ·]+", label) if w}
    assert not words & names, labels
    stems = {"invoic", "charg", "excellen", "sess", "arriv", "renew"}
    assert not words & stems, labels


async def test_remarks_csv_is_readable_and_follows_edits_deletions_and_corrections(kept: Kept):
    with (kept.folder / "remarks.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == summary(kept)["remarks"] >= 20
    assert all(r["text"] and r["sentiment"] for r in rows)
    texts = [r["text"] for r in rows]
    assert any(t.endswith("we need to talk before the renewal.") for t in texts)  # the edit
    assert not any(t.startswith("Internal: Greg") for t in texts)  # the deletion
    snowflake = [r for r in rows if "Snowflake" in r["text"]]
    assert snowflake[0]["process"] == "Product quality" and snowflake[0]["process_decided_by"] == "Bob Okafor"
    assert snowflake[1]["process"] == "Product quality" and snowflake[1]["process_decided_by"].startswith("auto")
    kestrel = [r for r in rows if "watch" in r["routes"]]
    assert kestrel and all(r["customer"] == "Kestrel Freight" for r in kestrel)


async def test_send_files_your_own_remarks_in_the_kept_demo(kept: Kept):
    typed = send(kept, "feedback", "[Billing] (Acme Corp) The refund still has not arrived")
    assert typed.returncode == 0, typed.stderr
    assert "Filed as customer feedback" in typed.stdout and "Billing" in typed.stdout
    assert "Acme Corp" in typed.stdout

    said = send(kept, "say", "Harbor Goods love the new export, it is much faster", "--as", "bob")
    assert said.returncode == 0, said.stderr
    ts = re.search(r"with ts (\d+\.\d+)", said.stdout).group(1)
    reacted = send(kept, "react", ts, "--as", "alice")
    assert reacted.returncode == 0, reacted.stderr
    assert "Filed as customer feedback" in reacted.stdout and "Harbor Goods love" in reacted.stdout



async def test_ctrl_c_stops_the_kept_demo_cleanly(kept: Kept):
    kept.proc.send_signal(signal.SIGINT)
    assert kept.proc.wait(timeout=20) == 130
    err = kept.stderr.read_text()
    assert "Traceback" not in err and "stopped (Ctrl-C)" in err
    assert not (kept.folder / "demo.json").exists()  # so `send` says no demo is running


async def test_a_taken_port_names_the_flag(tmp_path: Path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = await asyncio.create_subprocess_exec(
            *earshot("demo", "--quiet", "--port", str(port), "--out", str(tmp_path)),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), cwd=tmp_path)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2
    assert f"port {port}" in err.decode() and "--port" in err.decode()
    assert b"Traceback" not in err
