"""`earshot serve --no-worker` only verifies, stores and acknowledges; `earshot worker`, a
process of its own, works through what it stored. Slash commands still answer inline."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from bot.fakeslack import payloads
from storage.models import Capture, Delivery, Remark
from tests.conftest import SECRET, TOKEN, eventually
from tests.e2e.queries import ALICE, CARLA, SUPPORT, count
from tests.e2e.test_durability import free_port, healthy


def earshot(args: list[str], fake, database_url: str, cwd, **extra: str) -> subprocess.Popen:
    env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": fake.api_url, "DATABASE_URL": database_url, "LOG_LEVEL": "INFO",
           "WORKER_POLL_SECONDS": "0.2", **extra}
    return subprocess.Popen([sys.executable, "-m", "bot", *args], env=env, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=20)


async def test_earshot_worker_processes_what_a_web_process_without_worker_stored(fake, settings, db, tmp_path):
    port = free_port()
    web = earshot(["serve", "--host", "127.0.0.1", "--port", str(port), "--no-worker"],
                  fake, settings.database_url, tmp_path)
    worker: subprocess.Popen | None = None
    try:
        await eventually(lambda: healthy(port), timeout=30)
        deliverer = fake.deliverer(f"http://127.0.0.1:{port}/slack/events")
        messages = [fake.state.post_message(SUPPORT, CARLA, f"Remark {i}: exports time out") for i in range(12)]
        results = await asyncio.gather(*(
            deliverer.send_event(payloads.reaction_added(ALICE, "memo", SUPPORT, m["ts"], CARLA, fake.state.next_ts()))
            for m in messages))
        assert all(r.status == 200 for r in results)
        # Stored, and nobody works on them: the web process runs no worker.
        assert await count(db, Delivery, Delivery.done_at.is_(None)) == len(messages)
        assert await count(db, Delivery, Delivery.attempts > 0) == 0

        # A slash command is still answered in the response, by the web process.
        answer = await deliverer.send_command("/feedback", "help", user=ALICE, channel=SUPPORT)
        assert answer.status == 200 and "/feedback" in answer.body

        worker = earshot(["worker"], fake, settings.database_url, tmp_path)

        async def all_done() -> bool:
            return await count(db, Delivery, Delivery.done_at.is_(None)) == 0

        await eventually(all_done, timeout=60, interval=0.1)
        assert await count(db, Remark) == len(messages) and await count(db, Capture) == len(messages)
        # The worker yields the CPU to acknowledgements (WORKER_NICE, 10 by default); the
        # web process keeps its priority.
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, worker.pid) == min(19, ours + 10)
        assert os.getpriority(os.PRIO_PROCESS, web.pid) == ours
        assert await count(db, Delivery, Delivery.last_error.is_not(None)) == 0

        # Later events reach the running worker too (it polls; nobody has to wake it).
        later = fake.state.post_message(SUPPORT, CARLA, "One more remark")
        sent = await deliverer.send_event(payloads.reaction_added(ALICE, "memo", SUPPORT, later["ts"], CARLA,
                                                                  fake.state.next_ts()))
        assert sent.status == 200
        await eventually(lambda: count(db, Remark, Remark.message_ts == later["ts"]), timeout=30)
        await deliverer.close()
    finally:
        stop(web)
        if worker is not None:
            stop(worker)
