"""The group commit's writer (bot/server/batching.py): after a commit it may wait a little
for the senders it answered, so their next requests share one commit instead of the first
of them being committed alone and the rest waiting for two (docs/api.md, Throughput)."""

from __future__ import annotations

import asyncio

from bot.server.batching import GroupCommit

SENDERS = 16
COMMIT = 0.05  # seconds a simulated commit takes (the disk's flush)


class Recorder(GroupCommit[int, int]):
    def __init__(self, *, linger: float) -> None:
        super().__init__(max_batch=500, name="test", linger=linger)
        self.sizes: list[int] = []

    async def _flush(self, batch: list[tuple[int, asyncio.Future[int]]]) -> None:
        self.sizes.append(len(batch))
        await asyncio.sleep(COMMIT)
        for item, fut in batch:
            fut.set_result(item)


async def _senders(writer: Recorder, rounds: int) -> None:
    async def sender(i: int) -> None:
        for r in range(rounds):
            # Senders answered together come back spread out (the network, their own work):
            # sender i after i turns of the event loop.
            for _ in range(i):
                await asyncio.sleep(0)
            assert await writer.submit(i * 100 + r) == i * 100 + r

    await writer.start()
    try:
        await asyncio.gather(*(sender(i) for i in range(SENDERS)))
    finally:
        await writer.stop()


async def test_answered_senders_share_the_next_commit():
    writer = Recorder(linger=1.0)  # capped at half a commit's time: 25 ms, far more than needed
    await _senders(writer, rounds=4)
    # The first commit takes sender 0 alone (nothing answered before it to wait for); from
    # then on one commit a round, all of them in it.
    assert writer.sizes[:4] == [1, SENDERS, SENDERS, SENDERS]


async def test_without_linger_the_first_to_come_back_is_committed_alone():
    writer = Recorder(linger=0.0)
    await _senders(writer, rounds=4)
    assert writer.sizes == [1, SENDERS - 1] * 4


async def test_a_stop_ends_the_wait_and_stores_what_came():
    writer = Recorder(linger=1.0)
    await writer.start()
    first = [asyncio.ensure_future(writer.submit(i)) for i in range(4)]
    assert await asyncio.gather(*first) == [0, 1, 2, 3]
    late = asyncio.ensure_future(writer.submit(9))  # fewer than the 4 answered: it lingers
    await asyncio.sleep(0)
    await writer.stop(grace=5.0)
    assert await late == 9
