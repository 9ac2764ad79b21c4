"""Other work while captures wait for Slack's rate limit (the limited mode), end to end.

The bot runs over HTTP against the stand-in, which enforces one ``conversations.history``
call per window; Earshot paces at one call every 10 s (the limited mode's minute shortened,
BACKFILL_CALLS_PER_MINUTE=6). Three teammates' reactions need a read each, so their slots
are 10, 20 and 30 s away; just after them, 20 other teammates react to a message already
filed (an endorsement: no read). Measured: how long until every endorsement is confirmed,
and when the three waiting captures are filed (from the first capture's read, which
took the slot before theirs: 30 s is their last slot). Two runs in the same process:

* **handback** (shipped): a capture whose slot is more than INLINE_WAIT (2 s) away keeps
  its slot and hands its delivery back, to be run again then;
* **in-worker** (the baseline, the behaviour before): INLINE_WAIT set to an hour, so a
  capture sleeps in the worker until its slot.

Then the ratio baseline/handback of the endorsements' time. Real time on a shared machine
varies; the ratio is the figure.

    python bench/pacing_handback.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from aiohttp import web  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.domain.workspace import pacing  # noqa: E402
from bot.fakeslack import FakeSlack  # noqa: E402
from bot.server.runtime import Runtime  # noqa: E402
from bot.server.web import build_web_app  # noqa: E402
from storage.migrate import upgrade_async  # noqa: E402
from storage.models import Remark  # noqa: E402

TOKEN, SECRET = "xoxb-bench", "bench-secret"
SUPPORT, CARLA, ALICE = "C0SUPPORT1", "U0CARLA001", "U0ALICE001"
WAITING, OTHERS = 3, 20


async def until(check: Any, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError("the bench's condition was not met")
        await asyncio.sleep(0.05)


async def one_run(inline_wait: float, waiting: int = WAITING, others_n: int = OTHERS) -> dict[str, Any]:
    pacing.INLINE_WAIT = inline_wait
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        await upgrade_async(url)
        async with FakeSlack(bot_token=TOKEN, signing_secret=SECRET) as fake:
            settings = Settings(_env_file=None, slack_bot_token=TOKEN, slack_signing_secret=SECRET,  # type: ignore[call-arg]
                                slack_api_url=fake.api_url, database_url=url, log_level="WARNING",
                                slack_history_tier="limited", backfill_calls_per_minute=6.0)
            runtime = Runtime.create(settings, lease_seconds=30.0)
            await runtime.start()
            runner = web.AppRunner(build_web_app(runtime))
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            slack = fake.simulator(f"http://127.0.0.1:{port}/slack/events")
            fake.api.rate_limit(pacing.HISTORY, 1, window=8.0)
            others = [fake.state.add_user(f"U0BENCH{i:03d}", name=f"bench{i}").id for i in range(others_n)]
            members = fake.state.channel(SUPPORT).members
            for uid in others:
                members.add(uid) if isinstance(members, set) else members.append(uid)

            async def filed() -> int:
                async with runtime.services.sessions() as session:
                    return int(await session.scalar(select(func.count()).select_from(Remark)) or 0)

            try:
                first = fake.state.post_message(SUPPORT, CARLA, "The export to CSV drops the currency column")
                await slack.react(ALICE, SUPPORT, first["ts"], "memo")

                async def one() -> bool:
                    return await filed() == 1
                await until(one)
                for i in range(waiting):
                    msg = fake.state.post_message(SUPPORT, CARLA, f"Password reset emails arrive late ({i})")
                    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
                await asyncio.sleep(0.5)  # the waiting captures are leased first
                start = time.monotonic()
                await asyncio.gather(*(slack.react(uid, SUPPORT, first["ts"], "memo") for uid in others))

                async def confirmed() -> bool:
                    users = {c.params.get("user") for c in fake.calls_to("chat.postEphemeral")}
                    return set(others) <= users
                await until(confirmed)
                endorsed = time.monotonic() - start

                async def all_filed() -> bool:
                    return await filed() == 1 + waiting
                await until(all_filed)
                calls = fake.calls_to(pacing.HISTORY)
                captured = time.time() - calls[0].at  # from the first capture's read: its slot
            finally:
                await slack.close()
                await runner.cleanup()
                await runtime.stop()
                await runtime.services.close()
    gaps = [round(b.at - a.at, 2) for a, b in zip(calls, calls[1:], strict=False)]
    return {"endorsed": endorsed, "captured": captured, "calls": len(calls), "gaps": gaps,
            "refused": sum(1 for c in calls if c.status == 429)}


def show(name: str, r: dict[str, Any]) -> None:
    print(f"{name:10} {OTHERS} endorsements confirmed after {r['endorsed']:5.1f} s; {WAITING} waiting captures "
          f"filed {r['captured']:5.1f} s after the first read; history calls {r['calls']:.0f} ({r['refused']:.0f} refused "
          f"with 429), {r['gaps']} s apart")


async def main() -> None:
    # A first capture in a process loads the classifier (seconds on a busy machine): were it
    # counted, the waiting captures' slots would be taken after it, not 10 s apart.
    await one_run(2.0, waiting=0, others_n=1)
    handback = await one_run(2.0)
    baseline = await one_run(3600.0)
    print(f"limited mode, one history call every 10 s; {WAITING} captures waiting for a slot, then "
          f"{OTHERS} endorsements (no read)")
    show("handback", handback)
    show("in-worker", baseline)
    print(f"in-worker/handback: endorsements' time {baseline['endorsed'] / handback['endorsed']:.1f}x; "
          f"captures' time {baseline['captured'] / handback['captured']:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
