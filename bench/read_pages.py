"""What a page of ``GET /api/v1/remarks`` costs at any depth: the read API's keyset pages
(``(said_at, id)`` after the cursor's position) against OFFSET pages of the same query, read
from the front and from the back of the same workspace, in the same run.

The workspace is digest_build.py's (remarks over 52 weeks and 50 processes, seeded in
bulk into a database built by the real migrations); each page is 200 remarks loaded through
the read API's own repository (bot.domain.reads.remarks.page), newest first.

    python bench/read_pages.py                        # SQLite and PostgreSQL, 200,000 remarks
    python bench/read_pages.py --db sqlite --remarks 50000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from types import SimpleNamespace
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from sqlalchemy import and_, select  # noqa: E402

from bench._common import PG, create_scratch_database, drop_scratch_database  # noqa: E402
from bench.digest_build import TEAM, rows, seed_pg, seed_sqlite  # noqa: E402
from bot.domain.reads import remarks as reads  # noqa: E402
from storage.db import create_engine, session_factory  # noqa: E402
from storage.migrate import upgrade_async  # noqa: E402
from storage.models import Process, Remark  # noqa: E402
from storage.repositories.reads import RemarkFilter  # noqa: E402

PAGE = 200
SAMPLE = 5  # pages timed at each end
ROUNDS = 3


async def positions(services: Any, f: RemarkFilter) -> list[Any]:
    """Where each page starts (None: the first), walking every page with the cursor's position."""
    out: list[Any] = [None]
    while True:
        items = await reads.page(services, TEAM, f, after=out[-1], newest_first=True, limit=PAGE + 1)
        if len(items) <= PAGE:
            return out
        last = items[PAGE - 1].remark
        out.append((last.said_at, last.id))


async def keyset(services: Any, f: RemarkFilter, after: Any) -> float:
    """One page after the position ``after`` (what the read API does)."""
    t0 = time.perf_counter()
    await reads.page(services, TEAM, f, after=after, newest_first=True, limit=PAGE + 1)
    return time.perf_counter() - t0


async def offset(sessions: Any, f: RemarkFilter, at: int) -> float:
    """One page at OFFSET ``at`` of the same query (the baseline)."""
    cond = [Remark.team_id == TEAM]
    if f.process_id is not None:
        cond += [Remark.process_id == f.process_id]
    if f.sentiment is not None:
        cond += [Remark.sentiment == f.sentiment]
    t0 = time.perf_counter()
    async with sessions() as s:
        stmt = (select(Remark, Process.name)
                .outerjoin(Process, and_(Process.id == Remark.process_id, Process.team_id == Remark.team_id))
                .where(*cond).order_by(Remark.said_at.desc(), Remark.id.desc()).offset(at).limit(PAGE + 1))
        (await s.execute(stmt)).all()
    return time.perf_counter() - t0


def ms(xs: list[float]) -> float:
    return statistics.median(xs) * 1000


async def measure(url: str, label: str) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    services = SimpleNamespace(sessions=sessions)  # all reads.page uses
    for name, f in (("every remark", RemarkFilter()),
                    ("process 3, complaints", RemarkFilter(process_id=3, sentiment="complaint"))):
        starts = await positions(services, f)
        pages = len(starts)
        ends = {"first": range(min(SAMPLE, pages)), "last": range(max(0, pages - SAMPLE), pages)}
        took: dict[tuple[str, str], list[float]] = {}
        for _ in range(ROUNDS):  # paired and alternating, so a busy moment hits both ways alike
            for end, idx in ends.items():
                for i in idx:
                    took.setdefault(("keyset", end), []).append(await keyset(services, f, starts[i]))
                    took.setdefault(("offset", end), []).append(await offset(sessions, f, i * PAGE))
        k_first, k_last = ms(took[("keyset", "first")]), ms(took[("keyset", "last")])
        o_first, o_last = ms(took[("offset", "first")]), ms(took[("offset", "last")])
        print(f"{label:<10} {name:<22} {pages:>5} pages | keyset first {k_first:6.1f} ms, last {k_last:6.1f} ms "
              f"(x{k_last / k_first:.2f}) | OFFSET first {o_first:6.1f} ms, last {o_last:6.1f} ms "
              f"(x{o_last / o_first:.2f}) | last pages: OFFSET / keyset = {o_last / k_last:.1f}")
    await engine.dispose()


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--remarks", type=int, default=200_000)
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = ap.parse_args()
    data = rows(args.remarks)
    print(f"{args.remarks:,} remarks, pages of {PAGE}; median of {SAMPLE} pages at each end, {ROUNDS} times each")
    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bench.db")
            url = f"sqlite+aiosqlite:///{path}"
            await upgrade_async(url)
            seed_sqlite(path, data)
            await measure(url, "SQLite")
    if args.db in ("postgres", "both"):
        name = await create_scratch_database()
        try:
            url = f"{PG.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"
            await upgrade_async(url)
            await seed_pg(f"{PG}/{name}", data)
            await measure(url, "PostgreSQL")
        finally:
            await drop_scratch_database(name)


if __name__ == "__main__":
    asyncio.run(main())
