"""storage.db.yield_on_wake: the thread that calls it (the API acceptor's SQLite thread) is in
Linux's SCHED_BATCH class, so waking it never preempts the event loop that woke it; other
threads keep their class."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from storage.db import yield_on_wake


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SCHED_BATCH is Linux's")
def test_only_the_calling_thread_moves_to_the_batch_class():
    seen: list[int] = []

    def run() -> None:
        yield_on_wake()
        seen.append(os.sched_getscheduler(0))

    t = threading.Thread(target=run)
    t.start()
    t.join()
    assert seen == [os.SCHED_BATCH]
    assert os.sched_getscheduler(0) == os.SCHED_OTHER  # this thread, the loop's, unchanged
