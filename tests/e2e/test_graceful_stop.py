"""Stopping mid-burst: `earshot serve` gets SIGTERM, as Heroku sends it before a restart
(https://devcenter.heroku.com/articles/dynos#shutdown), while 30 teammates' reactions are
being worked through; or SIGKILL, as after the 30 s that follow. (`earshot worker` and
`earshot socket` stop through the same Runtime.stop, tested in-process here.)

A graceful stop finishes and records what is in flight, so after the restart every capturer
has exactly one private confirmation and every message one mark; after a hard kill an owed
confirmation is sent at most once more, and none is lost.
"""

from __future__ import annotations

import asyncio
import collections
import signal
import subprocess

from bot.fakeslack import payloads
from storage.models import Capture, Delivery, OwedEffect, Remark
from tests.conftest import eventually, start_bot
from tests.e2e.queries import CARLA, SUPPORT, count
from tests.e2e.test_durability import free_port, healthy, start_serve
from tests.e2e.test_worker_role import stop

BURST = 30
# Slack is slow to take the mark: each capture's calls are in flight for a while (its
# confirmation long answered) when the stop comes, and the burst outlasts a short grace.
SLOW_MARK = 2.5


def capturers(fake, n: int = BURST) -> list[str]:
    """``n`` teammates in #support (a private confirmation needs the user in the channel)."""
    channel = fake.state.channel(SUPPORT)
    users = [fake.state.add_user(f"U0CAP{i:05d}", f"capturer{i}").id for i in range(n)]
    channel.members.extend(users)
    return users


async def react_all(fake, port_or_url: int | str, users: list[str],
                    texts: list[str] | None = None) -> list[dict]:
    """Carla posts a message per user (``texts``, else numbered
    remarks) and each user reacts with :memo: to one, all at once, as Slack delivers
    reaction_added (bot/fakeslack/payloads/events.py, after
    docs.slack.dev/reference/events/reaction_added)."""
    texts = texts or [f"Remark {i}: the export times out" for i in range(len(users))]
    messages = [fake.state.post_message(SUPPORT, CARLA, text) for text in texts]
    url = port_or_url if isinstance(port_or_url, str) else f"http://127.0.0.1:{port_or_url}/slack/events"
    deliverer = fake.deliverer(url)
    try:
        acked = await asyncio.gather(*(
            deliverer.send_event(payloads.reaction_added(user, "memo", SUPPORT, m["ts"], CARLA,
                                                         fake.state.next_ts()))
            for user, m in zip(users, messages, strict=True)))
    finally:
        await deliverer.close()
    assert [r.status for r in acked] == [200] * len(users)
    return messages


async def all_done(db) -> bool:
    return (await count(db, Delivery, Delivery.done_at.is_(None)) == 0
            and await count(db, OwedEffect) == 0)


def confirmations(fake) -> collections.Counter[str]:
    """How many private confirmations each capturer got (every call Slack saw)."""
    return collections.Counter(c.params["user"] for c in fake.calls_to("chat.postEphemeral"))


def marks(fake) -> collections.Counter[str]:
    return collections.Counter(c.params["timestamp"] for c in fake.calls_to("reactions.add"))


async def exited(proc: subprocess.Popen) -> None:
    await eventually(lambda: proc.poll() is not None, timeout=30)


async def mid_burst(fake) -> None:
    """Some confirmations went out, others are on their way."""
    await eventually(lambda: sum(c.ok for c in fake.calls_to("chat.postEphemeral")) >= 3, timeout=60)


async def test_sigterm_mid_burst_confirms_and_marks_each_capture_exactly_once(fake, settings, db, tmp_path):
    users = capturers(fake)
    port = free_port()
    proc = start_serve(fake, settings.database_url, port, tmp_path)
    fake.slow_down("reactions.add", SLOW_MARK)
    try:
        await eventually(lambda: healthy(port), timeout=30)
        messages = await react_all(fake, port, users)
        await mid_burst(fake)
        proc.send_signal(signal.SIGTERM)
        await exited(proc)  # the stand-in keeps answering meanwhile
        assert proc.returncode == 0
        await stopped_cleanly(db)

        fake.slow_down("reactions.add", 0)
        proc = start_serve(fake, settings.database_url, port, tmp_path)
        await eventually(lambda: all_done(db), timeout=60)
    finally:
        fake.slow_down("reactions.add", 0)
        stop(proc)
    await each_once(fake, db, users, messages)


async def test_a_stopped_runtime_leaves_nothing_half_done(fake, settings, db):
    """`earshot serve`, `earshot worker` and `earshot socket` all stop through Runtime.stop."""
    users = capturers(fake)
    running, stop_running = await start_bot(settings, lease_seconds=1.0)
    fake.slow_down("reactions.add", SLOW_MARK)
    try:
        messages = await react_all(fake, running.url, users)
        await mid_burst(fake)
        await stop_running()
        await stopped_cleanly(db)
        fake.slow_down("reactions.add", 0)
        _, stop_running = await start_bot(settings, lease_seconds=1.0)
        await eventually(lambda: all_done(db), timeout=30)
    finally:
        fake.slow_down("reactions.add", 0)
        await stop_running()
    await each_once(fake, db, users, messages)


async def stopped_cleanly(db) -> None:
    # Each delivery is finished, or handed back unstarted (free for the next process).
    assert await count(db, Delivery, Delivery.done_at.is_(None), Delivery.lease_until.is_not(None)) == 0
    assert 0 < await count(db, Delivery, Delivery.done_at.is_(None)) < BURST, "the stop should land mid-burst"
    assert await count(db, OwedEffect) == 0  # what was sent was recorded: nothing repeats


async def each_once(fake, db, users: list[str], messages: list[dict]) -> None:
    assert await count(db, Remark) == BURST and await count(db, Capture) == BURST
    assert confirmations(fake) == {user: 1 for user in users}
    assert marks(fake) == {m["ts"]: 1 for m in messages}


async def test_sigkill_mid_burst_confirms_each_capture_at_least_once_at_most_twice(fake, settings, db,
                                                                                   tmp_path):
    users = capturers(fake)
    port = free_port()
    proc = start_serve(fake, settings.database_url, port, tmp_path)
    fake.slow_down("reactions.add", SLOW_MARK)
    try:
        await eventually(lambda: healthy(port), timeout=30)
        messages = await react_all(fake, port, users)
        await mid_burst(fake)
        proc.send_signal(signal.SIGKILL)
        await exited(proc)
        assert await count(db, Delivery, Delivery.done_at.is_(None)) > 0, "the kill should land mid-burst"
        fake.slow_down("reactions.add", 0)
        proc = start_serve(fake, settings.database_url, port, tmp_path)
        await eventually(lambda: all_done(db), timeout=60)
    finally:
        fake.slow_down("reactions.add", 0)
        stop(proc)
    assert await count(db, Remark) == BURST and await count(db, Capture) == BURST
    got = confirmations(fake)
    assert set(got) == set(users) and all(1 <= n <= 2 for n in got.values()), got
    assert set(marks(fake)) == {m["ts"] for m in messages} and all(n <= 2 for n in marks(fake).values())
