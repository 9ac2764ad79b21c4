"""The intake API's acknowledgement (``Prefer: respond-async``, 202 once stored) against a
plain aiohttp JSON endpoint, in short blasts interleaved many times against servers kept up,
so a machine shared with other work drifts against both sides alike.

bench/api_throughput.py starts each server anew for every round (one blast each, a few
seconds apart, start-up in between); on a loaded machine its rounds swing more than the
servers differ. Here every server starts once, is warmed up, and then the rounds alternate
the order (plain first in even rounds, Earshot first in odd ones), each blast a few hundred
milliseconds to a second, so the two blasts of a round are taken under nearly the same load.
Read the median of the per-round ratios, with their min and max.

The baseline does what the acknowledgement must do besides storing and checking: it takes
the bearer token from the header (no lookup), reads and decodes the JSON body, and answers
the same ``202`` bytes with the same headers (prebuilt, as Earshot's). It stores nothing.

Beside each ratio: the server's CPU a request (from /proc, 10 ms ticks: blasts of 2,000 or
more read it to ~5 %), which other work on the machine disturbs less than the rate.

No worker runs by default (the acknowledgement alone: during a burst the worker holds the
API's filing anyway, docs/api.md); ``--worker`` runs an ``earshot worker`` beside each
Earshot server and, after each of its blasts, waits until it has filed everything, so the
filing is done behind the acknowledgements and never during the plain endpoint's blast.
Afterwards every answered request is checked stored (and filed, with ``--worker``).

    python bench/api_paired.py --db sqlite --rounds 9 --requests 2000 --concurrency 64
    python bench/api_paired.py --before /tmp/tree-before   # adds the tree at PATH, same rounds
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench._common import drop_scratch_database  # noqa: E402
from bench.ack_throughput import TICKS, cpu_seconds, free_port, wait_listening  # noqa: E402
from bench.api_throughput import SECRET, TOKEN, blast, bodies, remark_count, scratch  # noqa: E402
from bot.fakeslack import FakeSlack  # noqa: E402

PLAIN = textwrap.dedent(
    """
    import json, os
    from aiohttp import web

    BODY = json.dumps({"status": "accepted", "filed_as": "pending"}).encode()
    HEADERS = {"Content-Type": "application/json"}

    async def remarks(request):
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return web.Response(status=401)
        json.loads(await request.read())
        return web.Response(body=BODY, status=202, headers=HEADERS)

    app = web.Application()
    app.router.add_post("/api/v1/remarks", remarks)
    web.run_app(app, host="127.0.0.1", port=int(os.environ["PORT"]), print=None, access_log=None)
    """
)
PLAIN_LABEL, OURS, BEFORE = "plain", "earshot", "before"


class Server:
    def __init__(self, label: str, cmd: list[str], env: dict[str, str], cwd: str, worker: bool) -> None:
        self.label, self.port = label, free_port()
        self.proc = subprocess.Popen(cmd + ([] if label == PLAIN_LABEL else ["--port", str(self.port)]),
                                     env={**env, "PORT": str(self.port)}, cwd=cwd)
        self.worker = (subprocess.Popen([sys.executable, "-m", "bot", "worker"],
                                        env=dict(env, WORKER_POLL_SECONDS="0.2"), cwd=cwd)
                       if worker else None)
        self.rates: list[float] = []
        self.cpu: list[float] = []  # ms a request
        self.main: list[float] = []  # of which the event loop's thread (the process's first)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1/remarks"

    def stop(self) -> None:
        for p in (self.proc, self.worker):
            if p is not None:
                p.terminate()
                p.wait(timeout=20)


def main_cpu(pid: int) -> float:
    """The CPU seconds of a process's first thread (its event loop's) so far; 0 without /proc."""
    try:
        with open(f"/proc/{pid}/task/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


async def drained(url: str, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while (await remark_count(url))[1] and time.monotonic() < deadline:
        await asyncio.sleep(0.2)


async def run_db(kind: str, args: argparse.Namespace, fake: FakeSlack) -> None:
    url, drop, env, token, tmp = await scratch(kind, fake, prefix="earshot-api-paired-",
                                               rate_per_minute=100_000_000)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}",
               "Prefer": "respond-async"}
    serve = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--no-worker"]
    servers = [Server(PLAIN_LABEL, [sys.executable, "-c", PLAIN], env, tmp, False),
               Server(OURS, serve, env, tmp, args.worker)]
    if args.before:  # the tree before runs from its own source (ahead of this one on the path)
        servers.append(Server(BEFORE, serve, dict(env, PYTHONPATH=os.path.abspath(args.before)), tmp, args.worker))
    answered = 0
    loads: list[float] = []
    try:
        for s in servers:
            await wait_listening(s.port, s.proc)
            await blast(s.url, bodies(200), 8, headers)  # warm-up: imports, pools, the token cache
            answered += 200 * (s.label != PLAIN_LABEL)
        if args.worker:
            await drained(url)
        for round_ in range(args.rounds):
            loads.append(os.getloadavg()[0])
            for s in (servers if round_ % 2 == 0 else servers[::-1]):
                c0, m0 = cpu_seconds(s.proc.pid), main_cpu(s.proc.pid)
                rate, bad, _ = await blast(s.url, bodies(args.requests), args.concurrency, headers)
                s.cpu.append((cpu_seconds(s.proc.pid) - c0) / args.requests * 1000)
                s.main.append((main_cpu(s.proc.pid) - m0) / args.requests * 1000)
                s.rates.append(rate)
                if bad:
                    print(f"  ! {s.label}: {bad} non-2xx answers")
                if s.label != PLAIN_LABEL:
                    answered += args.requests
                    if args.worker:
                        await drained(url)
        remarks, pending = await remark_count(url)
    finally:
        for s in servers:
            s.stop()
        if drop:
            await drop_scratch_database(drop)
    stored = remarks if args.worker else pending  # without a worker every answer is an unfinished delivery
    print(f"\n{kind}: {args.rounds} rounds of {args.requests} new remarks a server, {args.concurrency} "
          f"connections, servers kept up, order alternating; load average {min(loads):.1f}-{max(loads):.1f}; "
          f"{'worker filing behind each blast' if args.worker else 'no worker (acknowledgement alone)'}")
    plain = servers[0]
    for s in servers:
        ratios = [a / b for a, b in zip(s.rates, plain.rates, strict=True)]
        cpu = [a / b for a, b in zip(s.cpu, plain.cpu, strict=True)]
        print(f"  {s.label:8s} {statistics.median(s.rates):7.0f} req/s (rounds {min(s.rates):.0f}-{max(s.rates):.0f})"
              f"  server CPU {statistics.median(s.cpu):.3f} ms/req ({statistics.median(s.main):.3f} the loop's thread)"
              + ("" if s is plain else
                 f"  ratio / plain: median {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max "
                 f"{max(ratios):.2f}); CPU a request / plain's: median {statistics.median(cpu):.2f}"))
        if s is not plain and args.verbose:
            print(f"           per round: {', '.join(f'{r:.2f}' for r in ratios)}")
    ok = stored == answered and (not args.worker or pending == 0)
    print(f"  {'remarks filed' if args.worker else 'requests stored'} {stored} of {answered} answered"
          + ("" if ok else "  ! MISMATCH"))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=2000, help="a blast's requests (default 2000)")
    parser.add_argument("--concurrency", type=int, default=64, help="client connections (default 64)")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--before", metavar="PATH", help="also run the source tree at PATH, in the same rounds")
    parser.add_argument("--worker", action="store_true", help="an earshot worker files behind each blast")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every round's ratio")
    args = parser.parse_args()
    async with FakeSlack(bot_token=TOKEN, signing_secret=SECRET) as fake:
        for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
            await run_db(kind, args, fake)


if __name__ == "__main__":
    asyncio.run(main())
