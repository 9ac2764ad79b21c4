"""How many signed events per second `earshot serve` acknowledges *durably*, against plain
Bolt acking the same events, in the same run, on SQLite and PostgreSQL.

Both servers run as separate processes on loopback; this process plays Slack (signed
deliveries from a pool of concurrent connections, plus the Web API stand-in for auth.test).
Earshot's 200 means the delivery is committed to the database; plain Bolt's 200 means
only that a listener was scheduled. The figure to read is the ratio.

Earshot runs as in production with a worker role: `earshot serve --no-worker` (verify,
store, acknowledge) beside an `earshot worker` process that files every event (the
reactions use the capture emoji on real messages of the stand-in workspace), at its
default priority (`WORKER_NICE`, 10: the kernel runs the acknowledgements first). After
each round the bench waits until the worker has finished, then checks that every
acknowledged delivery was stored and processed, and that a remark exists for every message.

Rounds alternate which side goes first (plain Bolt first in even rounds, Earshot first in
odd ones), so a machine shared with other jobs drifts against both sides alike; read the
median of the per-round ratios. Beside each rate: the ack latency p50/p99, and (on Linux)
the CPU the server process spent per acknowledgement, a figure other jobs disturb less.

    python bench/ack_throughput.py                 # both databases
    python bench/ack_throughput.py --db sqlite --events 3000 --concurrency 64
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from typing import Any

import aiohttp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench._common import PG, create_scratch_database, drop_scratch_database  # noqa: E402
from bot.fakeslack import FakeSlack, payloads  # noqa: E402
from bot.fakeslack.signing import signed_headers  # noqa: E402

TOKEN, SECRET = "xoxb-bench", "bench-secret"

PLAIN_BOLT = textwrap.dedent(
    """
    import os
    from aiohttp import web
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.adapter.aiohttp import to_bolt_request, to_aiohttp_response
    from slack_sdk.web.async_client import AsyncWebClient

    app = AsyncApp(client=AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
                   signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    @app.event("reaction_added")
    async def on_reaction(event):
        pass

    async def handle(request):
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", handle)
    web.run_app(web_app, host="127.0.0.1", port=int(os.environ["PORT"]), print=None, access_log=None)
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            _, w = await asyncio.open_connection("127.0.0.1", port)
            w.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError("server did not start")


def bodies(n: int, fake: FakeSlack) -> list[bytes]:
    """``n`` capture reactions, each on a message of its own in the stand-in workspace."""
    out = []
    team, app_id = fake.state.team.id, fake.state.app_id
    for i in range(n):
        ts = fake.state.post_message("C0SUPPORT1", "U0CARLA001", f"Bench remark {i}: exports time out")["ts"]
        event = payloads.reaction_added("U0ALICE001", "memo", "C0SUPPORT1", ts, "U0CARLA001", fake.state.next_ts())
        env = payloads.event_envelope(event, team_id=team, api_app_id=app_id, event_id=f"Ev{uuid.uuid4().hex[:10].upper()}")
        out.append(json.dumps(env).encode())
    return out


async def blast(url: str, events: list[bytes], concurrency: int) -> tuple[float, int, list[float]]:
    """Send every event; returns (events acknowledged per second, non-2xx count, latencies)."""
    queue = list(reversed(events))
    bad = 0
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:
        async def sender() -> None:
            nonlocal bad
            while queue:
                body = queue.pop()
                headers = signed_headers(body, SECRET)
                t0 = time.perf_counter()
                async with http.post(url, data=body, headers=headers) as r:
                    await r.read()
                    latencies.append(time.perf_counter() - t0)
                    if r.status >= 300:
                        bad += 1
        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return len(events) / elapsed, bad, latencies


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU a live process has used so far (0 where /proc is missing)."""
    if pid is None:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def counts(database_url: str) -> tuple[int, int, int, int]:
    """(deliveries stored, of them finished without error, unfinished, remarks)."""
    from sqlalchemy import ColumnElement, func, select

    from storage.db import create_engine
    from storage.models import Delivery, Remark

    engine = create_engine(database_url)
    async with engine.connect() as conn:
        async def n(*where: ColumnElement[bool]) -> Any:
            return await conn.scalar(select(func.count()).select_from(Delivery).where(*where))
        stored = await n()
        ok = await n(Delivery.done_at.is_not(None), Delivery.last_error.is_(None))
        pending = await n(Delivery.done_at.is_(None))
        remarks = await conn.scalar(select(func.count()).select_from(Remark))
    await engine.dispose()
    return int(stored or 0), int(ok or 0), int(pending or 0), int(remarks or 0)


async def wait_processed(database_url: str, timeout: float) -> float:
    """Seconds until no delivery is left unfinished (raises past ``timeout``)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if (await counts(database_url))[2] == 0:
            return time.perf_counter() - started
        await asyncio.sleep(0.25)
    raise RuntimeError(f"the worker did not finish within {timeout:.0f}s")


async def run_db(kind: str, args: argparse.Namespace, fake: FakeSlack) -> None:
    from storage.migrate import upgrade_async

    tmp = tempfile.mkdtemp(prefix="earshot-bench-")
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        drop = None
    else:
        name = await create_scratch_database()
        url = f"{PG}/{name}"
        drop = name
    await upgrade_async(url)
    env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": fake.api_url, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    labels = ["plain Bolt (ack only)", "earshot serve (durable ack)"]
    results: dict[str, list[float]] = {label: [] for label in labels}
    lat: dict[str, list[float]] = {label: [] for label in labels}
    cpu: dict[str, list[float]] = {label: [] for label in labels}  # server CPU ms per ack
    worker_cpu: list[float] = []  # the worker's CPU seconds during the earshot blast
    total_sent = 0
    drain: list[float] = []
    worker_env = dict(env, WORKER_POLL_SECONDS="0.2")
    if args.worker_nice is not None:
        worker_env["WORKER_NICE"] = str(args.worker_nice)
    try:
        for round_ in range(args.rounds):
            for label in (labels if round_ % 2 == 0 else labels[::-1]):
                port = free_port()
                if label.startswith("plain"):
                    cmd = [sys.executable, "-c", PLAIN_BOLT]
                else:
                    cmd = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
                    cmd.append("--no-worker")
                proc = subprocess.Popen(cmd, env={**env, "PORT": str(port)}, cwd=tmp)
                worker = None
                if label.startswith("earshot"):
                    worker = subprocess.Popen([sys.executable, "-m", "bot", "worker"], env=worker_env, cwd=tmp)
                try:
                    await wait_listening(port, proc)
                    url_ = f"http://127.0.0.1:{port}/slack/events"
                    await blast(url_, bodies(50, fake), 8)  # warm-up (auth.test, pools)
                    events = bodies(args.events, fake)
                    c0, w0 = cpu_seconds(proc.pid), cpu_seconds(worker.pid if worker else None)
                    rate, bad, latencies = await blast(url_, events, args.concurrency)
                    c1, w1 = cpu_seconds(proc.pid), cpu_seconds(worker.pid if worker else None)
                    if bad:
                        print(f"  ! {label}: {bad} non-2xx answers")
                    results[label].append(rate)
                    lat[label].extend(latencies)
                    cpu[label].append((c1 - c0) / args.events * 1000)
                    if worker is not None:
                        worker_cpu.append(w1 - w0)
                        total_sent += 50 + args.events
                        drain.append(await wait_processed(url, timeout=900))
                finally:
                    for p in (proc, worker):
                        if p is not None:
                            p.terminate()
                            p.wait(timeout=20)
        stored, ok, pending, remarks = await counts(url)
    finally:
        if drop:
            await drop_scratch_database(drop)
    base = statistics.median(results[labels[0]])
    ours = statistics.median(results[labels[1]])
    nice = "WORKER_NICE default" if args.worker_nice is None else f"WORKER_NICE={args.worker_nice}"
    print(f"\n{kind}: {args.events} signed reaction_added events, {args.concurrency} concurrent connections, "
          f"median of {args.rounds} rounds (order alternating); earshot = serve --no-worker + earshot worker ({nice})")
    for label, rates in results.items():
        print(f"  {label:30s} {statistics.median(rates):8.0f} events/s   (rounds: {', '.join(f'{r:.0f}' for r in rates)})"
              f"   ack latency p50 {pct(lat[label], 50) * 1000:.1f} ms, p99 {pct(lat[label], 99) * 1000:.1f} ms"
              f"   server CPU {statistics.median(cpu[label]):.2f} ms/ack")
    pairs = [o / b for o, b in zip(results[labels[1]], results[labels[0]], strict=True)]
    print(f"  ratio earshot / plain Bolt      {statistics.median(pairs):8.2f}   "
          f"(median of per-round ratios: {', '.join(f'{r:.2f}' for r in pairs)}; medians {ours / base:.2f}; "
          f"server CPU per ack {statistics.median(cpu[labels[1]]) / max(1e-9, statistics.median(cpu[labels[0]])):.2f}x plain Bolt's)")
    print(f"  deliveries stored durably       {stored} of {total_sent} acknowledged; "
          f"{ok} processed without error, {pending} unfinished; {remarks} remarks filed")
    print(f"  worker during each blast        {', '.join(f'{c:.1f}' for c in worker_cpu)} CPU s; caught up "
          f"{', '.join(f'{d:.1f}' for d in drain)} s after each round's last ack")
    if not (stored == ok == remarks == total_sent and pending == 0):
        print("  ! NOT every acknowledged delivery was stored and processed")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker-nice", type=int, default=None,
                        help="WORKER_NICE for `earshot worker` (default: its own default, 10; "
                             "0 runs the background work at the acknowledgements' priority)")
    args = parser.parse_args()
    async with FakeSlack(bot_token=TOKEN, signing_secret=SECRET) as fake:
        for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
            await run_db(kind, args, fake)


if __name__ == "__main__":
    asyncio.run(main())
