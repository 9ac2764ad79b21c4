"""`earshot import` of a 10,000-row CSV end to end (a fresh database, the real command in a
subprocess: reading, checking every row, filing each through the capture path), on SQLite
and PostgreSQL. The target is under 30 s on this machine. Beside it, as a baseline from the
same run: the same file checked only (a file with one bad row, so nothing is written).

    python bench/import_throughput.py                 # both databases, 10,000 rows
    python bench/import_throughput.py --db sqlite --rows 2000
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench._common import PG, create_scratch_database, drop_scratch_database  # noqa: E402

TEAM = "T0BENCH01"
PHRASES = ["the invoice export times out", "onboarding was smooth, thank you", "refunds take weeks",
           "the mobile app logs me out", "support answered within minutes", "pricing page is confusing"]


def write_csv(path: str, rows: int, *, bad_line: int | None = None) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["external_id", "text", "customer", "contact", "score_kind", "score_value", "said_at"])
        for i in range(rows):
            score = "7" if bad_line == i + 2 else str(1 + i % 5)
            w.writerow([f"row-{i}", f"Survey {i}: {PHRASES[i % len(PHRASES)]} ({i % 97})",
                        f"Customer {i % 50}", f"person{i}@c{i % 50}.example", "csat", score,
                        f"2025-0{1 + i % 9}-1{i % 9}T10:00:00Z"])


def run_import(url: str, path: str) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """(wall seconds, CPU seconds of the import process, its result)."""
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), "earshot"), "import", path, "--team", TEAM,
                           "--source", "bench"], env=env, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done


async def one(kind: str, rows: int) -> None:
    from storage.migrate import upgrade_async

    tmp = tempfile.mkdtemp(prefix="earshot-import-")
    name = None
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
    else:
        name = await create_scratch_database()
        url = f"{PG}/{name}"
    try:
        await upgrade_async(url)
        good, bad = f"{tmp}/good.csv", f"{tmp}/bad.csv"
        write_csv(good, rows)
        write_csv(bad, rows, bad_line=rows // 2)
        checked, checked_cpu, done = run_import(url, bad)
        assert done.returncode == 1, done.stderr[-500:]
        took, cpu, done = run_import(url, good)
        assert done.returncode == 0, done.stderr[-2000:]
        again, again_cpu, redo = run_import(url, good)
        assert f"0 new remark(s), {rows} known already" in redo.stdout, redo.stdout
        load = os.getloadavg()[0]
        print(f"{kind:8}  {rows} rows: import {took:5.1f} s wall, {cpu:5.1f} s CPU ({rows / took:,.0f} rows/s); "
              f"check only {checked:4.1f} s ({checked_cpu:.1f} CPU); re-import (all known) {again:5.1f} s "
              f"({again_cpu:.1f} CPU); load average {load:.1f} on {os.cpu_count()} cores")
    finally:
        if name:
            await drop_scratch_database(name)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--rows", type=int, default=10_000)
    args = ap.parse_args()
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        asyncio.run(one(kind, args.rows))


if __name__ == "__main__":
    main()
