"""What one acknowledged intake API request costs the server besides HTTP, in-process on
SQLite: decoding and validating its body, and its share of the acceptor's group commit
(token check and rate upsert, the inbox row, the commit), as CPU per request (every thread
of this process) at several batch sizes; against, in the same run, the floor: the same rows
inserted and committed with the sqlite3 module alone (no token, no SQLAlchemy, no asyncio),
and the floor's wall time per commit (SQLite's default synchronous=FULL: one fsync of the WAL),
which bounds how fast any durable acknowledgement can be.

    python bench/api_accept_cost.py            # batches of 8, 32 and 128
    python bench/api_accept_cost.py --rows 2560 --batches 32,128
    python bench/api_accept_cost.py --prefill 50000   # an inbox holding what production keeps
    python bench/api_accept_cost.py --db postgres     # the acceptor on PostgreSQL (floor: sqlite3's)

``--prefill N`` first stores N acknowledged deliveries through the acceptor itself (so their
keys are this tree's) and marks them finished, as the inbox holds two days of finished
deliveries (worker.KEEP_FINISHED): a batch's cost grows with its indexes' size where its
rows land on pages of their own.

Run it on two commits to compare them; bench/api_throughput.py has the end-to-end figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.api_throughput import TEAM, bodies  # noqa: E402


class _Services:  # what the acceptor reads of Services
    def __init__(self, engine: Any, sessions: Any) -> None:
        self.engine, self.sessions = engine, sessions


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1280)
    parser.add_argument("--batches", default="8,32,128")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--prefill", type=int, default=0, help="finished deliveries stored first")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite",
                        help="postgres: the acceptor on PostgreSQL (this process's CPU; the server's is not "
                             "counted); the floor stays sqlite3's")
    args = parser.parse_args()

    from storage.db import create_engine
    from storage.migrate import upgrade_async

    tmp = tempfile.mkdtemp(prefix="earshot-accept-")
    url, scratch = f"sqlite+aiosqlite:///{tmp}/a.db", None
    if args.db == "postgres":
        from bench._common import PG, create_scratch_database

        scratch = await create_scratch_database()
        url = f"{PG}/{scratch}"
    await upgrade_async(url)
    await upgrade_async(f"sqlite+aiosqlite:///{tmp}/floor.db")
    engine = create_engine(url)
    try:
        await measure(args, engine, tmp)
    finally:
        await engine.dispose()
        if scratch is not None:
            from bench._common import drop_scratch_database

            await drop_scratch_database(scratch)


async def measure(args: argparse.Namespace, engine: Any, tmp: str) -> None:
    from bot.domain.capture import incoming
    from bot.domain.capture.intake import key_of
    from bot.domain.workspace import api_tokens
    from bot.server.api.accept import Acceptor, Pending
    from storage.db import session_factory
    from storage.models import utcnow

    sessions = session_factory(engine)
    made = await api_tokens.create(
        sessions, TEAM, "bench", by="bench", at=utcnow(), rate_per_minute=10**9
    )
    acceptor = Acceptor(_Services(engine, sessions))  # type: ignore[arg-type]  # it reads these two only
    # Started, as in `earshot serve`: the batches below are written as its writer writes
    # them (this task calls _store itself, the writer idle meanwhile).
    await acceptor.start()
    if args.prefill:
        from sqlalchemy import text

        old = [Pending(made.token, b.decode(), None, None) for b in bodies(args.prefill)]
        for i in range(0, len(old), 250):
            await acceptor._store(old[i : i + 250])
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE deliveries SET done_at = received_at"))
        print(f"prefilled: {args.prefill} finished deliveries")
    raw = bodies(args.rows)

    now = utcnow()
    c0 = time.process_time()
    texts = [b.decode("utf-8") for b in raw]
    # incoming.check: what the acknowledged path runs (the same checks as incoming.parse).
    parsed = [(incoming.check(json.loads(t), now=now), t) for t in texts]
    pending = [
        Pending(token=made.token, body=t, process=None, key=key_of(p.source, p.external_id))
        for p, t in parsed
        if isinstance(p, incoming.Checked)
    ]
    decode = (time.process_time() - c0) / len(raw) * 1e6
    print(f"decode + validate + the stored body (json + pydantic): {decode:.0f} us CPU a request")
    try:  # the one-pass check (msgspec) the acknowledged path runs, where this commit has it
        from bot.domain.capture import incoming_fast
    except ImportError:
        pass
    else:
        c0 = time.process_time()
        fast = [(incoming_fast.check_body(b, now=now), b.decode()) for b in raw]
        once = (time.process_time() - c0) / len(raw) * 1e6
        assert all(p is not None for p, _ in fast)
        print(f"decode + validate + the stored body (one pass, msgspec): {once:.1f} us CPU a request")

    floor = sqlite3.connect(f"{tmp}/floor.db", isolation_level=None)
    floor.execute("PRAGMA journal_mode=WAL")
    sql = (
        "INSERT INTO deliveries (team_id, delivery_key, kind, body, received_at, attempts, lease_until) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    print(
        f"{'batch':>6} {'acceptor us CPU/req':>20} {'sqlite3 floor':>14} {'ratio':>6} {'commit ms':>10}"
        f"   (median of {args.rounds}; commit: the floor's wall time a batch, the disk's fsync)"
    )
    for size in (int(b) for b in args.batches.split(",")):
        ours, base, walls = [], [], []
        for _ in range(args.rounds):
            c0 = time.process_time()
            for i in range(0, len(pending), size):
                await acceptor._store(pending[i : i + size])
            ours.append((time.process_time() - c0) / len(pending) * 1e6)
            c0 = time.process_time()
            for i in range(0, len(pending), size):
                rows = [
                    (
                        TEAM,
                        f"api:{uuid.uuid4().hex}",
                        "api",
                        p.body,
                        now.isoformat(),
                        0,
                        None,
                    )
                    for p in pending[i : i + size]
                ]
                t0 = time.perf_counter()
                floor.execute("BEGIN")
                floor.executemany(sql, rows)
                floor.execute("COMMIT")
                walls.append(time.perf_counter() - t0)
            base.append((time.process_time() - c0) / len(pending) * 1e6)
        o, b = statistics.median(ours), statistics.median(base)
        print(f"{size:>6} {o:>20.0f} {b:>14.0f} {o / b:>6.1f} {statistics.median(walls) * 1000:>10.1f}")
    await acceptor.stop()


if __name__ == "__main__":
    asyncio.run(main())
