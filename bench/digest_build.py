"""How long building the weekly digest takes with 1,000,000 remarks over 52 weeks and 50
processes in one workspace: from the roll-up (what Earshot does) against loading the
rows the digest covers as ORM objects and counting in Python, in the same run, on SQLite
and PostgreSQL.

Seeding is bulk (sqlite3 executemany / asyncpg COPY) with the roll-up computed alongside,
exactly as the repository would have kept it; the schema comes from the real migrations.

    python bench/digest_build.py                   # both databases
    python bench/digest_build.py --db sqlite --remarks 200000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict

import asyncpg

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from sqlalchemy import select  # noqa: E402

from bench._common import PG, create_scratch_database, drop_scratch_database  # noqa: E402
from bot.digest.build import HISTORY, build_digest, schedule_of  # noqa: E402
from bot.digest.periods import due_period, previous_periods  # noqa: E402
from storage.db import create_engine, session_factory  # noqa: E402
from storage.migrate import upgrade_async  # noqa: E402
from storage.models import Capture, Remark, Workspace  # noqa: E402

TEAM = "T0BENCH01"
PROCESSES = 50
WEEKS = 52
USERS = [f"U{n:09d}" for n in range(40)]
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def rows(n: int, seed: int = 7):
    """Remarks, captures and the roll-up, generated together."""
    rnd = random.Random(seed)
    start = NOW - dt.timedelta(weeks=WEEKS)
    span = int((NOW - start).total_seconds())
    bias = [rnd.uniform(0.05, 0.7) for _ in range(PROCESSES)]  # complaint share per process
    remarks, captures = [], []
    daily: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    cap_id = 0
    for i in range(1, n + 1):
        said = start + dt.timedelta(seconds=rnd.randrange(span))
        pid = None if rnd.random() < 0.05 else rnd.randrange(1, PROCESSES + 1)
        u = rnd.random()
        share = bias[(pid or 1) - 1]
        sentiment = "complaint" if u < share else ("praise" if u < share + (1 - share) * 0.7 else "neutral")
        endorsements = 1 if rnd.random() < 0.85 else rnd.randint(2, 4)
        text = f"Remark {i} about process {pid}: " + "lorem ipsum " * rnd.randint(1, 12)
        remarks.append((i, TEAM, f"C0BENCH001:{i}.000100", "C0BENCH001", f"{i}.000100",
                        f"https://bench.slack.com/archives/C0BENCH001/p{i}000100", text,
                        USERS[rnd.randrange(len(USERS))], f"Customer {rnd.randrange(800)}", pid,
                        sentiment, endorsements, said, said, said))
        for k in rnd.sample(USERS, endorsements):
            cap_id += 1
            captures.append((cap_id, TEAM, i, k, "reaction", said))
        roll = daily[(TEAM, said.date(), pid or 0, sentiment)]
        roll[0] += 1
        roll[1] += endorsements
    daily_rows = [(*k, r, e) for k, (r, e) in daily.items()]
    return remarks, captures, daily_rows


REMARK_COLS = ("id", "team_id", "source_key", "channel_id", "message_ts", "permalink", "text",
               "author_user_id", "customer", "process_id", "sentiment", "endorsements", "said_at",
               "created_at", "updated_at")
CAPTURE_COLS = ("id", "team_id", "remark_id", "user_id", "route", "created_at")
DAILY_COLS = ("team_id", "day", "process_id", "sentiment", "remarks", "endorsements")


def base_rows():
    ws = (TEAM, "Bench Co", "Europe/Berlin", "C0BENCH001", 0, "09:00", True, True, 0, True, NOW, NOW)
    procs = [(p, TEAM, f"Process {p}", f"process {p}", "", "[]", f"U{p:09d}", True, False, NOW, NOW)
             for p in range(1, PROCESSES + 1)]
    return ws, procs


WS_COLS = ("team_id", "name", "timezone", "digest_channel_id", "digest_weekday", "digest_time",
           "digest_enabled", "digest_chart", "model_version", "processes_seeded", "created_at", "updated_at")
PROC_COLS = ("id", "team_id", "name", "name_key", "description", "keywords", "owner_user_id",
             "owner_alerts", "archived", "created_at", "updated_at")


def _ins(table: str, cols: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


def seed_sqlite(path: str, data) -> None:
    remarks, captures, daily = data
    ws, procs = base_rows()
    fmt = lambda v: v.replace(tzinfo=None).isoformat(" ") if isinstance(v, dt.datetime) else v  # noqa: E731
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(_ins("workspaces", WS_COLS), [fmt(v) for v in ws])
    con.executemany(_ins("processes", PROC_COLS), [[fmt(v) for v in p] for p in procs])
    con.executemany(_ins("remarks", REMARK_COLS), ([fmt(v) for v in r] for r in remarks))
    con.executemany(_ins("captures", CAPTURE_COLS), ([fmt(v) for v in c] for c in captures))
    con.executemany(_ins("remark_daily", DAILY_COLS), ([v.isoformat() if isinstance(v, dt.date) else v for v in d] for d in daily))
    con.commit()
    con.execute("ANALYZE")
    con.close()


async def seed_pg(dsn: str, data) -> None:
    remarks, captures, daily = data
    ws, procs = base_rows()
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table("workspaces", records=[ws], columns=WS_COLS)
        await conn.copy_records_to_table("processes", records=[(*p[:5], "[]", *p[6:]) for p in procs],
                                         columns=PROC_COLS)
        await conn.copy_records_to_table("remarks", records=remarks, columns=REMARK_COLS)
        await conn.copy_records_to_table("captures", records=captures, columns=CAPTURE_COLS)
        await conn.copy_records_to_table("remark_daily", records=daily, columns=DAILY_COLS)
        await conn.execute("SELECT setval(pg_get_serial_sequence('remarks','id'), (SELECT max(id) FROM remarks))")
        # What autovacuum would have done by now: statistics and the visibility map
        # (without it, index-only scans fall back to the heap).
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def naive(sessions, ws, period) -> dict:
    """The obvious way: load the remarks the digest covers as ORM objects, count in Python."""
    periods = previous_periods(schedule_of(ws), period, HISTORY)
    bounds = [p.start_at for p in periods] + [period.end_at]
    async with sessions() as s:
        remarks = (await s.scalars(select(Remark).where(
            Remark.team_id == ws.team_id, Remark.said_at >= bounds[0], Remark.said_at < bounds[-1]))).all()
        this = [r.id for r in remarks if r.said_at >= period.start_at]
        caps = (await s.scalars(select(Capture).where(Capture.team_id == ws.team_id,
                                                       Capture.remark_id.in_(this)))).all() if this else []
    counts: Counter = Counter()
    for r in remarks:
        week = sum(1 for b in bounds[1:-1] if r.said_at >= b)
        counts[(week, r.process_id or 0, r.sentiment)] += 1
    customers = {r.customer for r in remarks if r.said_at >= period.start_at}
    return {"cells": len(counts), "customers": len(customers), "capturers": len({c.user_id for c in caps})}


async def measure(url: str, repeats: int) -> tuple[float, float]:
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        async with sessions() as s:
            ws = await s.get(Workspace, TEAM)
        period = due_period(schedule_of(ws), NOW)
        await build_digest(sessions, ws, period)  # warm caches and the pool
        rollup = []
        for _ in range(repeats):
            t = time.perf_counter()
            d = await build_digest(sessions, ws, period)
            rollup.append(time.perf_counter() - t)
        t = time.perf_counter()
        await naive(sessions, ws, period)
        rows_s = time.perf_counter() - t
        print(f"    digest: {d.totals.total:,} remarks this period, {len(d.improve)} to improve, "
              f"{d.unfiled:,} unfiled")
        return statistics.median(rollup), rows_s
    finally:
        await engine.dispose()


async def run(db: str, n: int, repeats: int) -> None:
    t = time.perf_counter()
    data = rows(n)
    print(f"[{db}] generated {len(data[0]):,} remarks, {len(data[1]):,} captures, "
          f"{len(data[2]):,} roll-up rows in {time.perf_counter() - t:.1f}s")
    if db == "sqlite":
        tmp = tempfile.mkdtemp()
        path = os.path.join(tmp, "bench.db")
        url = f"sqlite+aiosqlite:///{path}"
        await upgrade_async(url)
        t = time.perf_counter()
        seed_sqlite(path, data)
    else:
        name = await create_scratch_database()
        url = f"postgresql+asyncpg://{PG.split('://', 1)[1]}/{name}"
        await upgrade_async(url)
        t = time.perf_counter()
        await seed_pg(f"{PG}/{name}", data)
    print(f"[{db}] seeded in {time.perf_counter() - t:.1f}s")
    try:
        rollup, naive_s = await measure(url, repeats)
        print(f"[{db}] build digest from roll-ups: {rollup * 1000:.1f} ms (median of {repeats})")
        print(f"[{db}] load the window's rows into Python and count: {naive_s * 1000:.0f} ms")
        print(f"[{db}] ratio: {naive_s / rollup:.0f}x")
    finally:
        if db == "postgres":
            await drop_scratch_database(name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--remarks", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    for db in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        asyncio.run(run(db, args.remarks, args.repeats))


if __name__ == "__main__":
    main()
