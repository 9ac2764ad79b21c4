"""The intake API's throughput for new remarks against a plain aiohttp JSON endpoint, in the
same run and with the same client, on SQLite and PostgreSQL.

Servers run as separate processes on loopback; this process is the client (aiohttp, N
concurrent connections, keep-alive), sending a distinct remark per request (a new external
id each time) with a bearer token. Three servers, rounds alternating the order:

* plain aiohttp: decodes the JSON body and answers 201 (no auth, no storage): the baseline.
* earshot, respond-async: ``Prefer: respond-async``: token checked (and its rate spent) in
  the database, body validated, process checked, stored in the durable inbox (group
  commit), 202; an ``earshot worker`` files it behind the answer, as for Slack deliveries.
* earshot, filed: the default: the remark is filed through the capture path before the
  201 that carries its process, sentiment and confidence.

After each earshot round the bench waits for the worker and checks that every answered
remark was stored. Beside each rate: latency p50/p99, the server's CPU per request, and the
worker's CPU per request during the blast (what it took from the same cores).

``--before PATH`` adds a fourth server: respond-async on the source tree at PATH (e.g. a
``git archive`` of the commit before a change), with its own worker, in the same rounds
and order, so a change's before and after share the machine's load; beside its ratio, the
server CPU a request of each.

``--worker-after`` starts the worker only once the blast is over (a diagnosis: what the
acknowledgements gain when nothing files beside them; not how Earshot runs).

``--ack-only`` starts no worker at all and checks that every answered request was stored
(not filed): the acknowledgement alone, short enough for a loaded machine, where filing
12,000 remarks behind the rounds takes longer than the rounds (during a burst the worker
holds the API's filing anyway: docs/api.md).

    python bench/api_throughput.py                     # both databases
    python bench/api_throughput.py --db sqlite --requests 1000 --concurrency 32
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from typing import NamedTuple

import aiohttp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench._common import PG, create_scratch_database, drop_scratch_database  # noqa: E402
from bench.ack_throughput import cpu_seconds, free_port, pct, wait_listening  # noqa: E402
from bot.fakeslack import FakeSlack  # noqa: E402

TOKEN, SECRET, TEAM = "xoxb-bench", "bench-secret", "T0001"
BEFORE = "earshot, respond-async, before"
PHRASES = ["the invoice export times out", "onboarding was smooth, thank you", "refunds take weeks",
           "the mobile app logs me out", "support answered within minutes"]

PLAIN = textwrap.dedent(
    """
    import os
    from aiohttp import web

    async def remarks(request):
        body = await request.json()
        return web.json_response({"id": 1, "received": len(body)}, status=201)

    app = web.Application()
    app.router.add_post("/api/v1/remarks", remarks)
    web.run_app(app, host="127.0.0.1", port=int(os.environ["PORT"]), print=None, access_log=None)
    """
)


def bodies(n: int) -> list[bytes]:
    return [json.dumps({"text": f"Ticket {i}: {PHRASES[i % len(PHRASES)]}", "source": "bench",
                        "external_id": uuid.uuid4().hex, "customer": f"Customer {i % 40}",
                        "score": {"kind": "csat", "value": 1 + i % 5}}).encode() for i in range(n)]


async def blast(url: str, payloads: list[bytes], concurrency: int, headers: dict[str, str],
                ) -> tuple[float, int, list[float]]:
    queue = list(reversed(payloads))
    bad = 0
    latencies: list[float] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
        async def sender() -> None:
            nonlocal bad
            while queue:
                body = queue.pop()
                t0 = time.perf_counter()
                async with http.post(url, data=body, headers=headers) as r:
                    await r.read()
                    latencies.append(time.perf_counter() - t0)
                    bad += r.status >= 300
        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return len(payloads) / elapsed, bad, latencies


async def remark_count(url: str) -> tuple[int, int]:
    """(remarks, unfinished deliveries)."""
    from sqlalchemy import func, select

    from storage.db import create_engine
    from storage.models import Delivery, Remark

    engine = create_engine(url)
    async with engine.connect() as conn:
        remarks = await conn.scalar(select(func.count()).select_from(Remark))
        pending = await conn.scalar(select(func.count()).select_from(Delivery).where(Delivery.done_at.is_(None)))
    await engine.dispose()
    return int(remarks or 0), int(pending or 0)


class Scratch(NamedTuple):
    url: str
    drop: str | None  # the PostgreSQL database to drop afterwards
    env: dict[str, str]  # the servers' environment
    token: str
    dir: str  # the servers' working directory (and SQLite's file)


async def scratch(kind: str, fake: FakeSlack, *, prefix: str, rate_per_minute: int) -> Scratch:
    """A migrated scratch database with one API token, for a bench's servers."""
    from bot.domain.workspace import api_tokens
    from storage.db import create_engine, session_factory
    from storage.migrate import upgrade_async
    from storage.models import utcnow

    tmp, drop = tempfile.mkdtemp(prefix=prefix), None
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
    else:
        drop = await create_scratch_database()
        url = f"{PG}/{drop}"
    await upgrade_async(url)
    engine = create_engine(url)
    made = await api_tokens.create(session_factory(engine), TEAM, "bench", by="bench", at=utcnow(),
                                   rate_per_minute=rate_per_minute)
    await engine.dispose()
    env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": fake.api_url, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    return Scratch(url, drop, env, made.token, tmp)


async def run_db(kind: str, args: argparse.Namespace, fake: FakeSlack) -> None:
    url, drop, env, token, tmp = await scratch(kind, fake, prefix="earshot-api-bench-", rate_per_minute=1_000_000)
    auth = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    labels = ["plain aiohttp JSON endpoint", "earshot, respond-async (202)", "earshot, filed (201)"]
    if args.filed_requests <= 0:
        labels = labels[:2]
    if args.before:
        labels.insert(2, BEFORE)
    rates: dict[str, list[float]] = {label: [] for label in labels}
    lat: dict[str, list[float]] = {label: [] for label in labels}
    cpu: dict[str, list[float]] = {label: [] for label in labels}
    wcpu: dict[str, list[float]] = {label: [] for label in labels}
    answered = 0
    try:
        for round_ in range(args.rounds):
            order = labels if round_ % 2 == 0 else labels[::-1]
            for label in order:
                port = free_port()
                plain = label.startswith("plain")
                cmd = ([sys.executable, "-c", PLAIN] if plain else
                       [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port), "--no-worker"])
                # The tree before runs from its own source (ahead of this one on the path).
                tree = dict(env, PYTHONPATH=os.path.abspath(args.before)) if label == BEFORE else env
                proc = subprocess.Popen(cmd, env={**tree, "PORT": str(port)}, cwd=tmp)
                def start_worker(tree: dict[str, str] = tree) -> subprocess.Popen[bytes]:
                    return subprocess.Popen([sys.executable, "-m", "bot", "worker"],
                                            env=dict(tree, WORKER_POLL_SECONDS="0.2"), cwd=tmp)
                worker = None if plain or args.worker_after or args.ack_only else start_worker()
                headers = dict(auth, **({"Prefer": "respond-async"} if "async" in label else {}))
                n = args.requests if "async" in label or plain else args.filed_requests
                try:
                    await wait_listening(port, proc)
                    target = f"http://127.0.0.1:{port}/api/v1/remarks"
                    await blast(target, bodies(50), 8, headers)  # warm-up: pools, the model
                    # A worker long up, as in production: started, and the warm-up filed.
                    deadline = time.monotonic() + 120
                    while worker is not None and (await remark_count(url))[1] and time.monotonic() < deadline:
                        await asyncio.sleep(0.1)
                    c0, w0 = cpu_seconds(proc.pid), cpu_seconds(worker.pid if worker else None)
                    rate, bad, latencies = await blast(target, bodies(n), args.concurrency, headers)
                    cpu[label].append((cpu_seconds(proc.pid) - c0) / n * 1000)
                    wcpu[label].append((cpu_seconds(worker.pid if worker else None) - w0) / n * 1000)
                    if worker is None and not plain and not args.ack_only:
                        worker = start_worker()
                    rates[label].append(rate)
                    lat[label].extend(latencies)
                    if bad:
                        print(f"  ! {label}: {bad} non-2xx answers")
                    if not plain:
                        answered += 50 + n
                        deadline = time.monotonic() + 900
                        while not args.ack_only and (await remark_count(url))[1] and time.monotonic() < deadline:
                            await asyncio.sleep(0.25)
                finally:
                    for p in (proc, worker):
                        if p is not None:
                            p.terminate()
                            p.wait(timeout=20)
        remarks, pending = await remark_count(url)
        if args.ack_only:  # stored, not filed: every answered request is an unfinished delivery
            remarks, pending = pending, 0
    finally:
        if drop:
            await drop_scratch_database(drop)
    print(f"\n{kind}: new remarks, {args.concurrency} concurrent connections, median of {args.rounds} "
          f"rounds (order alternating); {args.requests} requests a round ({args.filed_requests} filed)")
    base = statistics.median(rates[labels[0]])
    for label in labels:
        r = statistics.median(rates[label])
        print(f"  {label:30s} {r:8.0f} req/s  ratio {r / base:5.2f}   p50 {pct(lat[label], 50) * 1000:6.1f} ms"
              f"  p99 {pct(lat[label], 99) * 1000:7.1f} ms   server CPU {statistics.median(cpu[label]):.2f} ms/req"
              f"  worker CPU {statistics.median(wcpu[label]):.2f} ms/req")
    per_round = [a / b for a, b in zip(rates[labels[1]], rates[labels[0]], strict=True)]
    print(f"  respond-async / plain, per round: {', '.join(f'{r:.2f}' for r in per_round)}"
          f"  (min {min(per_round):.2f}, median {statistics.median(per_round):.2f}, max {max(per_round):.2f})")
    if args.before:
        before = [a / b for a, b in zip(rates[BEFORE], rates[labels[0]], strict=True)]
        print(f"  before ({args.before}) / plain, per round: {', '.join(f'{r:.2f}' for r in before)}"
              f"  (median {statistics.median(before):.2f}); server CPU a request, per round: before "
              f"{', '.join(f'{c:.3f}' for c in cpu[BEFORE])}, after {', '.join(f'{c:.3f}' for c in cpu[labels[1]])}, "
              f"plain {', '.join(f'{c:.3f}' for c in cpu[labels[0]])} ms")
    ok = remarks == answered and pending == 0
    what = "requests stored (not filed: --ack-only)" if args.ack_only else "remarks stored"
    print(f"  {what} {remarks} of {answered} answered; {pending} unfinished" + ("" if ok else "  ! MISMATCH"))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--filed-requests", type=int, default=300, help="0 skips the filed (201) path")
    parser.add_argument("--concurrency", default="32,128",
                        help="client connections, comma-separated: each is measured in turn (default 32,128)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", metavar="PATH",
                        help="also run respond-async on the source tree at PATH (the tree before a change)")
    parser.add_argument("--worker-after", action="store_true",
                        help="diagnosis: start the worker only after each blast")
    parser.add_argument("--ack-only", action="store_true",
                        help="no worker: check that every answered request was stored, not filed")
    args = parser.parse_args()
    async with FakeSlack(bot_token=TOKEN, signing_secret=SECRET) as fake:
        for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
            for concurrency in (int(c) for c in str(args.concurrency).split(",")):
                await run_db(kind, argparse.Namespace(**{**vars(args), "concurrency": concurrency}), fake)


if __name__ == "__main__":
    asyncio.run(main())
