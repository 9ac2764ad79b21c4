"""Memory per role, for sizing a deployment: one `earshot serve` (web, worker and clock in one
process) against the roles apart as the Procfile and compose.yaml run them (`serve --no-clock
--no-worker`, `worker`, `clock`), in the same run, against the Slack stand-in.

For each set-up: resident memory (VmRSS) once healthy and idle for a few seconds; then a
burst of capture reactions (the worker loads the classifier and word vectors), and a weekly
digest posted by the clock with its chart (matplotlib); then the peak (VmHWM) of each process.
The last line is the ratio of the roles' summed peaks to the one process's.

    python bench/role_memory.py                  # SQLite
    python bench/role_memory.py --db postgres
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench._common import PG, create_scratch_database, drop_scratch_database  # noqa: E402
from bench.ack_throughput import SECRET, TOKEN, blast, free_port, wait_listening, wait_processed  # noqa: E402
from bot.fakeslack import FakeSlack, payloads  # noqa: E402

ALICE, FEEDBACK = "U0ALICE001", "C0FEEDBAK1"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


REMARKS = ("The invoice was wrong again and we were billed twice", "Billing sent the refund late, again",
           "Onboarding was great, the kickoff call was really helpful", "Support answered fast and fixed it",
           "Exports keep timing out on big reports", "The new dashboard is lovely, thanks")


def bodies(n: int, fake: FakeSlack) -> list[bytes]:
    """``n`` capture reactions on messages of their own, praise and complaints about a few processes."""
    out = []
    for i in range(n):
        ts = fake.state.post_message("C0SUPPORT1", "U0CARLA001", f"{REMARKS[i % len(REMARKS)]} (#{i})")["ts"]
        event = payloads.reaction_added(ALICE, "memo", "C0SUPPORT1", ts, "U0CARLA001", fake.state.next_ts())
        env = payloads.event_envelope(event, team_id=fake.state.team.id, api_app_id=fake.state.app_id,
                                      event_id=f"Ev{uuid.uuid4().hex[:10].upper()}")
        out.append(json.dumps(env).encode())
    return out


def memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, kb = line.split()[:2]
                values[key] = int(kb) / 1024
    return values["VmRSS:"], values["VmHWM:"]


def digests(fake: FakeSlack) -> int:
    return sum(1 for c in fake.calls_to("chat.postMessage") if c.ok and c.params.get("metadata"))


async def setup(kind: str, fake: FakeSlack, env: dict[str, str], roles: dict[str, list[str]],
                events: int) -> dict[str, tuple[float, float]]:
    """Start ``roles`` on a fresh database; idle RSS, then peaks after a burst and a digest."""
    from storage.migrate import upgrade_async

    tmp = tempfile.mkdtemp(prefix="earshot-mem-")
    name = None
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp}/mem.db"
    else:
        name = await create_scratch_database()
        url = f"{PG}/{name}"
    await upgrade_async(url)
    port = free_port()
    env = {**env, "DATABASE_URL": url, "PORT": str(port)}
    procs = {role: subprocess.Popen([sys.executable, "-m", "bot", *args], env=env, cwd=tmp)
             for role, args in roles.items()}
    try:
        await wait_listening(port, procs["web"])
        await asyncio.sleep(4)
        idle = {role: memory(p.pid)[0] for role, p in procs.items()}
        url_ = f"http://127.0.0.1:{port}/slack/events"
        await blast(url_, bodies(events, fake), 16)
        await wait_processed(url, timeout=600)
        sim = fake.simulator(url_)
        # The clock runs a day ahead (CLOCK_OFFSET_SECONDS), so the period due now holds today's
        # remarks and the digest has a chart to draw.
        now = dt.datetime.now(dt.UTC) + dt.timedelta(days=1, minutes=-1)
        before = digests(fake)
        for text in (f"digest channel <#{FEEDBACK}|customer-feedback>", "digest timezone UTC",
                     f"digest schedule {DAYS[now.weekday()]} {now:%H:%M}"):
            await sim.slash(ALICE, FEEDBACK, text)
        deadline = time.monotonic() + 120
        while digests(fake) == before:
            if time.monotonic() > deadline:
                raise RuntimeError("no digest was posted")
            await asyncio.sleep(0.25)
        await sim.close()
        while not fake.calls_to("files.completeUploadExternal"):  # the chart follows the digest
            if time.monotonic() > deadline:
                raise RuntimeError("no chart was posted")
            await asyncio.sleep(0.25)
        fake.calls.clear()
        return {role: (idle[role], memory(p.pid)[1]) for role, p in procs.items()}
    finally:
        for p in procs.values():
            p.terminate()
            p.wait(timeout=30)
        if name:
            await drop_scratch_database(name)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--events", type=int, default=300)
    args = parser.parse_args()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))},
           "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "LOG_LEVEL": "WARNING",
           "DIGEST_POLL_SECONDS": "1", "WORKER_POLL_SECONDS": "0.2",
           "CLOCK_OFFSET_SECONDS": str(24 * 3600)}
    async with FakeSlack(bot_token=TOKEN, signing_secret=SECRET) as fake:
        env["SLACK_API_URL"] = fake.api_url
        one = await setup(args.db, fake, env, {"web": ["serve", "--host", "127.0.0.1"]}, args.events)
        apart = await setup(args.db, fake, env, {"web": ["serve", "--host", "127.0.0.1", "--no-clock", "--no-worker"],
                                                 "worker": ["worker"], "clock": ["clock"]}, args.events)
    print(f"\n{args.db}: idle RSS, then peak RSS (VmHWM) after {args.events} captures and one digest with its chart")
    print(f"  {'earshot serve (web + worker + clock)':42s} idle {one['web'][0]:5.0f} MB   peak {one['web'][1]:5.0f} MB")
    for role, (idle, peak) in apart.items():
        label = {"web": "serve --no-clock --no-worker", "worker": "worker", "clock": "clock"}[role]
        print(f"  {'earshot ' + label:42s} idle {idle:5.0f} MB   peak {peak:5.0f} MB")
    total = sum(p for _, p in apart.values())
    print(f"  {'the three roles together':42s} idle {sum(i for i, _ in apart.values()):5.0f} MB   peak {total:5.0f} MB"
          f"   ({total / one['web'][1]:.2f}x the one process's peak)")


if __name__ == "__main__":
    asyncio.run(main())
