"""`earshot customers sync` of N HubSpot companies (100 a page, every one with a domain, a
revenue and an owner) against the HubSpot stand-in, as the real command in a subprocess, on
SQLite and PostgreSQL: the first sync (creates every customer) and a rerun (all unchanged).
Baseline from the same run: `earshot customers import` of a YAML file with the same N
customers into a fresh database (the hand-typed path, one transaction, no HTTP).

    python bench/crm_sync.py                  # both databases, 2,000 companies
    python bench/crm_sync.py --db sqlite --companies 500
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench._common import PG, create_scratch_database, drop_scratch_database  # noqa: E402
from tests.e2e.crm_standins import HubSpotCompany, HubSpotStandIn  # noqa: E402

TEAM = "T0BENCH01"


async def run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        os.path.join(os.path.dirname(sys.executable), "earshot"),
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{out.decode()}")
    return wall, next((line for line in out.decode().splitlines() if "hubspot:" in line), "")


async def database(kind: str, tmp: str, tag: str) -> tuple[str, str | None]:
    from storage.migrate import upgrade_async

    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp}/{tag}.db"
        name = None
    else:
        name = await create_scratch_database()
        url = f"{PG.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"
    await upgrade_async(url)
    return url, name


async def one(kind: str, n: int) -> None:
    tmp = tempfile.mkdtemp(prefix="earshot-crm-")
    companies = [
        HubSpotCompany(
            str(1000 + i),
            f"Company {i}",
            f"c{i}.example",
            str(1000 * (i + 1)),
            owner_id=str(1 + i % 20),
        )
        for i in range(n)
    ]
    owners = {str(k): f"owner{k}@example.com" for k in range(1, 21)}
    created: list[str | None] = []
    try:
        async with HubSpotStandIn(companies=companies, owners=owners) as hub:
            url, name = await database(kind, tmp, "sync")
            created.append(name)
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "LOG_LEVEL": "WARNING",
                "HUBSPOT_TOKEN": hub.token,
                "HUBSPOT_API_URL": hub.url,
            }
            env.pop(
                "SLACK_BOT_TOKEN", None
            )  # owners are not looked up in Slack: the CRM side alone
            first, first_line = await run(["customers", "sync", "--team", TEAM], env)
            again, again_line = await run(["customers", "sync", "--team", TEAM], env)
        url, name = await database(kind, tmp, "import")
        created.append(name)
        path = os.path.join(tmp, "customers.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(
                "customers:\n"
                + "".join(
                    f"  - name: Company {i}\n    aliases: [c{i}.example]\n    tier: customer\n    value: {1000 * (i + 1)}\n"
                    for i in range(n)
                )
            )
        base, _ = await run(
            ["customers", "import", path, "--team", TEAM],
            {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"},
        )
    finally:
        for name in created:
            if name:
                await drop_scratch_database(name)
    print(f"{kind}: {n} companies, {n // 100 + (n % 100 > 0)} pages")
    print(f"  baseline `customers import` of the same {n}: {base:.2f} s")
    print(f"  first sync:  {first:.2f} s ({first / base:.2f}x the import)  {first_line}")
    print(f"  rerun:       {again:.2f} s ({again / base:.2f}x the import)  {again_line}")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument("--companies", type=int, default=2000)
    a = ap.parse_args()
    for kind in ("sqlite", "postgres") if a.db == "both" else (a.db,):
        asyncio.run(one(kind, a.companies))


if __name__ == "__main__":
    main()
