"""Stopping a background loop (bot/server/background.py) always returns: a cancel that lands
as the loop's event is set is not lost, and a task that ignores its cancel is left behind
after a bounded wait instead of holding the stop for ever (docs/durability.md, "A graceful stop")."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys

from bot.server.background import Background, wait_set

BOUND = 10.0  # far above the wait after a cancel: reached only by a stop that hangs


async def returns(stop: asyncio.Task[None]) -> None:
    finished, _ = await asyncio.wait({stop}, timeout=BOUND)
    assert stop in finished, "the stop has not returned"
    stop.result()


async def cancel_as_the_event_is_set(wait: str) -> bool:
    """A loop waiting for an event, cancelled in the same turn of the event loop as the
    event is set (the callback that sets it starts the stop): whether the stop returns."""
    event = asyncio.Event()

    async def loop() -> None:
        while True:
            event.clear()
            if wait == "wait_set":
                await wait_set(event, 60)
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), 60)

    background = Background(loop, name="loop")
    await background.start()
    await asyncio.sleep(0.01)  # the loop is waiting
    stopping: asyncio.Future[asyncio.Task[None]] = asyncio.get_running_loop().create_future()

    def job_ended() -> None:
        event.set()
        stopping.set_result(asyncio.create_task(background.stop()))

    asyncio.get_running_loop().call_soon(job_ended)
    stop = await stopping
    finished, _ = await asyncio.wait({stop}, timeout=BOUND)
    for task in [t for t in asyncio.all_tasks() if t.get_name() == "loop"]:  # left behind
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    return stop in finished


async def test_a_cancel_landing_as_the_event_is_set_ends_the_loop():
    assert await cancel_as_the_event_is_set("wait_set")


async def test_a_loop_that_loses_its_cancel_does_not_hold_the_stop(caplog):
    # Why wait_set exists: 3.11's wait_for returns the event's result instead of the cancel,
    # and the loop runs on. The stop still returns: its wait after the cancel is bounded.
    caplog.set_level(logging.WARNING)
    assert await cancel_as_the_event_is_set("wait_for")
    if sys.version_info < (3, 12):
        assert "loop did not end" in caplog.text


async def test_a_task_that_ignores_its_cancel_is_left_behind_with_a_warning(caplog):
    released = asyncio.Event()

    async def stubborn() -> None:
        while not released.is_set():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(30)

    background = Background(stubborn, name="stubborn")
    await background.start()
    await asyncio.sleep(0.01)
    caplog.set_level(logging.WARNING)
    await returns(asyncio.create_task(background.stop(grace=0.1)))
    assert "stubborn did not end" in caplog.text and "left behind" in caplog.text
    assert not background.running
    released.set()
    for task in [t for t in asyncio.all_tasks() if t.get_name() == "stubborn"]:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
