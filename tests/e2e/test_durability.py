"""A 200 means stored: kill `earshot serve` mid-burst, restart it, and nothing is lost or doubled."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys

import aiohttp
from sqlalchemy import select

from bot.fakeslack import payloads
from storage.models import Capture, Delivery, Remark
from tests.conftest import SECRET, TOKEN, eventually
from tests.e2e.queries import ALICE, CARLA, SUPPORT, count


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(fake, database_url: str, port: int, cwd) -> subprocess.Popen:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "INFO",
        "INBOX_LEASE_SECONDS": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=open(os.path.join(cwd, "serve.log"), "a"),
    )


async def healthy(port: int) -> bool:
    try:
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as r:
            return r.status == 200
    except aiohttp.ClientError:
        return False


async def test_killed_mid_burst_every_acknowledged_delivery_is_filed_exactly_once(fake, settings, db, tmp_path):
    port = free_port()
    proc = start_serve(fake, settings.database_url, port, tmp_path)
    try:
        await eventually(lambda: healthy(port), timeout=30)
        # A slow Slack keeps work queued behind the acks, so the kill lands mid-work.
        fake.slow_down("conversations.history", 0.15)
        messages = [fake.state.post_message(SUPPORT, CARLA, f"Remark {i}: exports time out") for i in range(30)]
        deliverer = fake.deliverer(f"http://127.0.0.1:{port}/slack/events")
        results = await asyncio.gather(*(
            deliverer.send_event(payloads.reaction_added(ALICE, "memo", SUPPORT, m["ts"], CARLA, fake.state.next_ts()))
            for m in messages
        ))
        acked = [r for r in results if r.status == 200]
        assert len(acked) == len(messages)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        unfinished = await count(db, Delivery, Delivery.done_at.is_(None))
        assert unfinished > 0, "the kill should have interrupted work (test is not exercising recovery)"

        fake.slow_down("conversations.history", 0)
        proc = start_serve(fake, settings.database_url, port, tmp_path)
        await eventually(lambda: healthy(port), timeout=30)

        async def all_done() -> bool:
            return await count(db, Delivery, Delivery.done_at.is_(None)) == 0

        await eventually(all_done, timeout=30)
        assert await count(db, Remark) == len(messages)
        assert await count(db, Capture) == len(messages)
        async with db() as s:
            keys = (await s.scalars(select(Remark.message_ts))).all()
        assert sorted(keys) == sorted(m["ts"] for m in messages)

        # Slack retrying every one of them afterwards changes nothing.
        retried = await asyncio.gather(*(deliverer.send_envelope(r.envelope, retry_num=1) for r in acked))
        assert all(r.status == 200 for r in retried)
        await eventually(all_done, timeout=10)
        assert await count(db, Remark) == len(messages) and await count(db, Capture) == len(messages)
        await deliverer.close()
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=20)
