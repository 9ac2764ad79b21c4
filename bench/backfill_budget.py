"""A 30-day backfill of a 5,000-message channel within Slack's Tier 3 budget for
``conversations.history``, on a simulated clock.

The stand-in enforces Tier 3 (50 calls in any 60 seconds per workspace, else HTTP 429 with
Retry-After) on a clock this process simulates; the backfill's limiter sleeps on the same
clock, so minutes of pacing pass instantly while every call, every capture and every
database write is real (SQLite). Two runs in the same process:

* **tier3**: the shipped pacing for an app installed by the company itself (or from the
  Marketplace): 40 calls a minute, 200 messages a call, against Tier 3 (50 a minute);
* **limited** (the baseline): an app distributed outside the Marketplace, SLACK_HISTORY_TIER=
  limited: 1 call a minute, 15 messages a call, against the stand-in enforcing exactly that.

Printed per run: history calls (and how many Slack refused with 429), the peak calls in any
60 simulated seconds, the modelled duration (simulated minutes of calls), and the real time
spent filing. Then the ratios paced/baseline; each run against its budget (the peak in any
minute, which is what Slack checks, and the mean over the calls' span); and the limited
mode's duration projected from the message count (1 call a minute, 15 messages a call)
beside the one the limited run modelled.

    python bench/backfill_budget.py                  # 5,000 messages over 30 days
    python bench/backfill_budget.py --messages 20000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import math
import os
import sys
import tempfile
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bot.config import Settings  # noqa: E402
from bot.domain.capture import backfill, watch  # noqa: E402
from bot.domain.services import Services  # noqa: E402
from bot.domain.workspace.pacing import HISTORY, Limiter, history_pace  # noqa: E402
from bot.fakeslack import FakeSlack  # noqa: E402
from storage.migrate import upgrade_async  # noqa: E402

TOKEN, SECRET = "xoxb-bench", "bench-secret"
TEAM, CHANNEL = "T0001", "C0FEEDBAK1"
PEOPLE = ("U0ALICE001", "U0BOB00001", "U0CARLA001")
WORDS = ("The invoice export misses the totals column again", "Onboarding took us two weeks longer than promised",
         "Support answered within minutes, great job", "The mobile app logs us out every morning",
         "Pricing page is confusing for our finance team", "Please add SSO with Azure AD",
         "Thanks!", "+1", "Hi team", "Delivery tracking was wrong for three orders this week")
TIER3 = 50


class SimClock:
    """Seconds that pass only when someone sleeps."""

    def __init__(self) -> None:
        self.start = dt.datetime.now(dt.UTC)
        self.seconds = 0.0

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.seconds)

    async def sleep(self, seconds: float) -> None:
        self.seconds += max(0.0, seconds)
        await asyncio.sleep(0)


def seed(fake: FakeSlack, messages: int, days: int) -> None:
    now = fake.state.now()
    span = days * 86_400 - 3_600
    for i in range(messages):
        at = now - span + span * i / messages
        words = WORDS[i % len(WORDS)]
        fake.state.post_message(CHANNEL, PEOPLE[i % 3], words if len(words) < 10 else f"{words} (#{i})",
                                ts=f"{int(at)}.{i % 1_000_000:06d}")


def peak_per_minute(times: list[float]) -> int:
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - 60:
            j += 1
        best = max(best, i - j + 1)
    return best


async def one_run(messages: int, days: int, *, tier: str) -> dict[str, Any]:
    clock = SimClock()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        await upgrade_async(url)
        async with FakeSlack(bot_token=TOKEN, signing_secret=SECRET) as fake:
            seed(fake, messages, days)
            fake.api.rate_limit(HISTORY, TIER3 if tier == "tier3" else 1, clock=clock.monotonic)
            fake.api.history_max = 999 if tier == "tier3" else 15
            times: list[float] = []
            fake.api.listeners.append(lambda m, p, r: times.append(clock.seconds) if m == HISTORY else None)
            settings = Settings(_env_file=None, slack_bot_token=TOKEN, slack_signing_secret=SECRET,  # type: ignore[call-arg]
                                slack_api_url=fake.api_url, database_url=url, log_level="WARNING",
                                slack_history_tier=tier)
            services = Services.create(settings)
            try:
                asked = await backfill.request(services, team_id=TEAM, channel_id=CHANNEL, by="bench", days=days)
                await watch.watch(services, TEAM, CHANNEL, by="bench")
                owner = backfill.owner_id()
                assert await backfill.claim(services, asked.job.id, owner=owner)
                limiter = Limiter(services.sessions, team_id=TEAM, method=HISTORY,
                                  pace=history_pace(settings), clock=clock.now, sleep=clock.sleep)
                client = services.clients.without_retries().client(TOKEN)
                started = time.perf_counter()
                job = await backfill.run(services, client, asked.job.id, owner=owner, limiter=limiter)
                real = time.perf_counter() - started
            finally:
                await services.close()
            calls = fake.calls_to(HISTORY)
            refused = sum(1 for c in calls if c.status == 429)
    assert job is not None and job.status == "done", job
    return {"calls": len(calls), "refused": refused, "peak": peak_per_minute(sorted(times)),
            "minutes": clock.seconds / 60, "real": real, "fetched": job.fetched, "captured": job.captured,
            "skipped": job.skipped, "pages": job.pages}


def show(name: str, r: dict[str, Any]) -> None:
    print(f"{name:8} history calls {r['calls']:4} ({r['refused']} refused with 429), peak {r['peak']:3} calls "
          f"in any simulated minute, modelled {r['minutes']:.1f} min of calls; "
          f"{r['fetched']:,} read, {r['captured']:,} filed, {r['skipped']:,} skipped as noise; "
          f"{r['real']:.1f} s real time filing")


def budget(r: dict[str, Any], allowed: int) -> str:
    """The calls against the budget: the peak in any 60 simulated seconds is what Slack
    checks; the mean over the run's span says how close the pacing runs to it."""
    mean = r["calls"] / max(r["minutes"], 1 / 60)
    verdict = "within" if r["peak"] <= allowed and r["refused"] == 0 else "OVER"
    return (f"peak {r['peak']} calls in a minute, mean {mean:.1f} a minute over {r['minutes'] * 60:.0f} s "
            f"of calls, against {allowed} a minute: {verdict} the budget")


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=5000)
    ap.add_argument("--days", type=int, default=30)
    args = ap.parse_args()
    print(f"{args.messages:,} messages over {args.days} days; Tier 3 allows {TIER3} calls a minute")
    tier3 = await one_run(args.messages, args.days, tier="tier3")
    show("tier3", tier3)
    limited = await one_run(args.messages, args.days, tier="limited")
    show("limited", limited)
    print(f"tier3/limited: calls {tier3['calls'] / limited['calls']:.3f}, modelled minutes "
          f"{tier3['minutes'] / max(limited['minutes'], 1e-9):.4f}; expected limited calls "
          f"{math.ceil(args.messages / 15)} (one per 15 messages)")
    print(f"Tier 3: {budget(tier3, TIER3)}; {tier3['real']:.0f} s real time in all")
    projected = math.ceil(args.messages / 15)  # 1 call a minute, 15 messages a call
    print(f"limited: {budget(limited, 1)}; projected {projected} calls = {projected / 60:.1f} h "
          f"(the run's modelled {limited['minutes'] / 60:.1f} h)")


if __name__ == "__main__":
    asyncio.run(main())
