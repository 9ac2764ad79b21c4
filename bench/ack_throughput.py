"""How many signed events per second `earshot serve` acknowledges *durably*, against plain
Bolt acking the same events, in the same run, on SQLite and PostgreSQL.

Both servers run as separate processes on loopback; this process plays Slack (signed
deliveries from a pool of concurrent connections, plus the Web API stand-in for auth.test).
Earshot's 200 means the delivery is committed to the database; plain Bolt's 200 means
only that a listener was scheduled. The figure to read is the ratio.

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


def bodies(n: int, team: str, app_id: str) -> list[bytes]:
    out = []
    for i in range(n):
        ts = f"{1764160000 + i}.000100"
        event = payloads.reaction_added("U0ALICE001", "thumbsup", "C0SUPPORT1", ts, "U0CARLA001", ts)
        env = payloads.event_envelope(event, team_id=team, api_app_id=app_id, event_id=f"Ev{uuid.uuid4().hex[:10].upper()}")
        out.append(json.dumps(env).encode())
    return out


async def blast(url: str, events: list[bytes], concurrency: int) -> tuple[float, int]:
    """Send every event; returns (events acknowledged per second, non-2xx count)."""
    queue = list(reversed(events))
    bad = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:
        async def sender() -> None:
            nonlocal bad
            while queue:
                body = queue.pop()
                async with http.post(url, data=body, headers=signed_headers(body, SECRET)) as r:
                    await r.read()
                    if r.status >= 300:
                        bad += 1
        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return len(events) / elapsed, bad


async def stored_deliveries(database_url: str) -> int:
    from sqlalchemy import func, select

    from storage.db import create_engine
    from storage.models import Delivery

    engine = create_engine(database_url)
    async with engine.connect() as conn:
        n = await conn.scalar(select(func.count()).select_from(Delivery))
    await engine.dispose()
    return int(n or 0)


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
    team, app_id = fake.state.team.id, fake.state.app_id
    results: dict[str, list[float]] = {"plain Bolt (ack only)": [], "earshot serve (durable ack)": []}
    total_sent = 0
    try:
        for _round in range(args.rounds):
            for label in results:
                port = free_port()
                if label.startswith("plain"):
                    cmd = [sys.executable, "-c", PLAIN_BOLT]
                else:
                    cmd = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
                proc = subprocess.Popen(cmd, env={**env, "PORT": str(port)}, cwd=tmp)
                try:
                    await wait_listening(port, proc)
                    url_ = f"http://127.0.0.1:{port}/slack/events"
                    await blast(url_, bodies(50, team, app_id), 8)  # warm-up (auth.test, pools)
                    rate, bad = await blast(url_, bodies(args.events, team, app_id), args.concurrency)
                    if bad:
                        print(f"  ! {label}: {bad} non-2xx answers")
                    results[label].append(rate)
                    if label.startswith("earshot"):
                        total_sent += 50 + args.events
                finally:
                    proc.terminate()
                    proc.wait(timeout=20)
        durable = await stored_deliveries(url)
    finally:
        if drop:
            await drop_scratch_database(drop)
    base = statistics.median(results["plain Bolt (ack only)"])
    ours = statistics.median(results["earshot serve (durable ack)"])
    print(f"\n{kind}: {args.events} signed reaction_added events, {args.concurrency} concurrent connections, "
          f"median of {args.rounds} rounds")
    for label, rates in results.items():
        print(f"  {label:30s} {statistics.median(rates):8.0f} events/s   (rounds: {', '.join(f'{r:.0f}' for r in rates)})")
    pairs = [o / b for o, b in zip(results["earshot serve (durable ack)"], results["plain Bolt (ack only)"], strict=True)]
    print(f"  ratio earshot / plain Bolt      {statistics.median(pairs):8.2f}   "
          f"(median of per-round ratios: {', '.join(f'{r:.2f}' for r in pairs)}; medians {ours / base:.2f})")
    print(f"  deliveries stored durably       {durable} of {total_sent} acknowledged")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    async with FakeSlack(bot_token=TOKEN, signing_secret=SECRET) as fake:
        for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
            await run_db(kind, args, fake)


if __name__ == "__main__":
    asyncio.run(main())
