"""Stopping the bot while a channel's history is being brought in (docs/durability.md, "A
graceful stop"): the stop returns within its grace whatever the job is doing, and what it cut
short is finished after the restart, its summary sent once.

A stop once hung for good in CI when it came as a backfill ended: the runner's loop was
cancelled as it woke for that job's end, and Python 3.11's ``asyncio.wait_for`` returns the
wait's result instead of raising the cancellation when both happen together (bpo-42130,
fixed in 3.12), so the loop kept polling and the stop waited on it for ever. Each stop here
is awaited with a generous bound, so a regression fails instead of hanging the run."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.util import await_only

from storage.models import Capture, Remark
from tests.conftest import eventually, settled, start_bot
from tests.e2e.queries import ALICE, CARLA, FEEDBACK, GENERAL, count
from tests.e2e.test_backfill import FAST, SUMMARY, ago, answer, done, job  # noqa: F401
from tests.e2e.test_backfill import bot as bot  # noqa: F401  (the fast bot fixture)
from tests.e2e.test_backfill import fast_settings as fast_settings  # noqa: F401

BOUND = 20.0  # far above any grace here: reached only by a stop that hangs


def summaries(fake) -> list[Any]:
    """The DM calls Slack took that carried a summary."""
    calls = sorted(fake.calls_to("chat.postMessage") + fake.calls_to("chat.update"), key=lambda c: c.at)
    return [c for c in calls if c.ok and c.params["text"].startswith(SUMMARY)]


def backfill_task() -> list[asyncio.Task[Any]]:
    """The job's task, in a list (a task itself is awaitable: ``eventually`` would await it)."""
    return [t for t in asyncio.all_tasks() if t.get_name().startswith("backfill-")]


async def returns(stop: Any) -> None:
    """Await ``stop``, failing (not hanging) if it has not returned after BOUND seconds. Not
    ``asyncio.wait_for``: its own cancel at the bound can end a hung stop, which then looks
    as if it had returned."""
    task = asyncio.ensure_future(stop)
    finished, _ = await asyncio.wait({task}, timeout=BOUND)
    assert task in finished, f"the stop has not returned after {BOUND}s"
    task.result()


def seed(fake, n: int) -> None:
    for i in range(n):
        fake.state.post_message(FEEDBACK, CARLA, f"Remark {i}: the invoice export misses a column ({i})",
                                ts=ago(fake, 20 - i * 0.2))


async def test_a_stop_asked_as_a_job_ends_returns(fake, db, fast_settings):
    # The stop begins in the very callback that tells the runner its job ended: the moment
    # its loop, idle until the next poll (a long one here), wakes for it. The summary is
    # slow, so the job is caught running.
    running, stop_bot = await start_bot(fast_settings.model_copy(update={"backfill_poll_seconds": 60.0}))
    slack = fake.simulator(running.url)
    try:
        fake.slow_down("chat.update", 0.5)
        answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))
        assert await running.runtime.backfills.start_due() == 1  # not waiting for the next poll
        [task] = backfill_task()
        stopping: asyncio.Future[asyncio.Task[None]] = asyncio.get_running_loop().create_future()
        task.add_done_callback(lambda _: stopping.set_result(
            asyncio.create_task(running.runtime.backfills.stop())))
        stop = await asyncio.wait_for(stopping, timeout=BOUND)
        await returns(stop)
    finally:
        await slack.close()
        await returns(stop_bot())
    assert (await job(db)).status == "done" and len(summaries(fake)) == 1


async def test_a_summary_cut_short_by_the_stop_is_sent_once_after_the_restart(fake, db, fast_settings, caplog):
    # Slack takes longer to answer the summary than the stop's grace: the job is cancelled
    # after the grace, and the process that takes it over sends the summary, once. (No
    # progress update between the pages here: the summary is the only chat.update.)
    running, stop_bot = await start_bot(fast_settings.model_copy(update={"backfill_progress_pages": 1000}))
    slack = fake.simulator(running.url)
    try:
        seed(fake, 20)  # two pages
        fake.slow_down("chat.update", 30.0)
        answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))
        assert (await done(db)).pages == 2
        caplog.set_level(logging.WARNING)
        await returns(running.runtime.stop(grace=0.5))
        assert "backfill-" in caplog.text and "cut short" in caplog.text
    finally:
        await slack.close()
        await returns(stop_bot())
    assert summaries(fake) == []
    fake.slow_down("chat.update", 0)
    again, stop = await start_bot(fast_settings)
    try:
        await eventually(lambda: summaries(fake), timeout=30)
        await settled(again)
        await asyncio.sleep(1.5)  # a lease (1 s here) and a poll: a second summary would be out
    finally:
        await returns(stop())
    [summary] = summaries(fake)
    assert "20 filed as remarks" in summary.params["text"]
    finished = await job(db)
    assert finished.status == "done" and finished.lease_until is None
    assert finished.resumes == 0  # taken over only to send the summary: no reading resumed


async def test_a_stop_within_the_grace_lets_the_summary_out_and_nothing_is_sent_again(
        fake, slack, bot, db, fast_settings):
    fake.slow_down("chat.update", 0.5)
    seed(fake, 5)
    answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))
    await done(db)
    await returns(bot.runtime.stop(grace=10.0))
    assert len(summaries(fake)) == 1
    fake.slow_down("chat.update", 0)
    again, stop = await start_bot(fast_settings)
    try:
        await asyncio.sleep(1.5)  # a lease (1 s here) and a poll
        await settled(again)
    finally:
        await returns(stop())
    assert len(summaries(fake)) == 1


async def test_a_job_cut_short_mid_commit_resumes_from_its_saved_cursor(
        fake, slack, bot, db, fast_settings, caplog):
    # Every commit of the job's task takes a second (a slow disk): a stop with a shorter grace
    # cancels the job in the middle of one, and its page is either saved or read again.
    seed(fake, 60)
    slow = {"on": False}

    def slow_commit(_conn: Any) -> None:
        task = asyncio.current_task()
        if slow["on"] and task is not None and task.get_name().startswith("backfill-"):
            await_only(asyncio.sleep(1.0))

    engine = bot.runtime.services.engine.sync_engine
    event.listen(engine, "commit", slow_commit)
    try:
        answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))

        async def some_pages() -> bool:
            return (await job(db)).pages >= 1

        await eventually(some_pages, timeout=30)
        slow["on"] = True
        await asyncio.sleep(0.3)  # into a commit
        caplog.set_level(logging.WARNING)
        await returns(bot.runtime.stop(grace=0.2))
        assert "backfill-" in caplog.text and "cut short" in caplog.text
    finally:
        slow["on"] = False
        event.remove(engine, "commit", slow_commit)
    stopped = await job(db)
    assert stopped.status == "running" and stopped.pages >= 1 and stopped.cursor is not None
    again, stop = await start_bot(fast_settings)
    try:
        finished = await done(db)
        await eventually(lambda: summaries(fake), timeout=30)
        await settled(again)
    finally:
        await returns(stop())
    assert finished.status == "done" and finished.resumes >= 1
    assert await count(db, Remark) == 60 and await count(db, Capture) == 60
    async with db() as s:
        assert await s.scalar(select(func.count(func.distinct(Remark.message_ts)))) == 60
    assert finished.captured + finished.known == 60
    assert len(summaries(fake)) == 1
