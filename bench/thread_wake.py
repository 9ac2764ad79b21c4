"""What waking a driver thread costs the thread that wakes it, with and without
storage.db.yield_on_wake (SCHED_BATCH) on the woken thread: a busy thread (as the event loop
under load) hands work to another through a SimpleQueue (as aiosqlite does for each call),
then keeps busy while the other runs a little Python, and waits for its answer. Printed: the
put's mean and slowest time, and the busy thread's CPU a hand-off. The woken thread, if it
preempts the busy one, then waits for the GIL the preempted thread still holds: on a loaded
machine the put takes tens of microseconds instead of one or two.

    python bench/thread_wake.py                 # 4 pairs of 2,000 hand-offs
    python bench/thread_wake.py --pairs 6 --n 4000
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from storage.db import yield_on_wake  # noqa: E402


def run(n: int, *, yielding: bool) -> tuple[float, float, float]:
    """(the put's mean us, its slowest ms, the busy thread's CPU us a hand-off)."""
    work: queue.SimpleQueue[int | None] = queue.SimpleQueue()
    done: queue.SimpleQueue[int] = queue.SimpleQueue()

    def driver() -> None:
        if yielding:
            yield_on_wake()
        while (item := work.get()) is not None:
            done.put(sum(range(200)) + item)  # a little Python, as a batch's statements

    t = threading.Thread(target=driver)
    t.start()
    total = slowest = 0.0
    cpu = time.thread_time()
    for i in range(n):
        sum(range(2000))  # the loop's own work before the hand-off ...
        t0 = time.perf_counter()
        work.put_nowait(i)
        took = time.perf_counter() - t0
        total, slowest = total + took, max(slowest, took)
        sum(range(2000))  # ... and after it, while the driver runs
        done.get()
    cpu = time.thread_time() - cpu
    work.put(None)
    t.join()
    return total / n * 1e6, slowest * 1e3, cpu / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--n", type=int, default=2000, help="hand-offs a run (default 2000)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    for _ in range(args.pairs):
        for yielding in (False, True):
            mean, worst, cpu = run(args.n, yielding=yielding)
            print(f"  {'SCHED_BATCH' if yielding else 'normal':11s} put mean {mean:6.1f} us, slowest {worst:5.1f} ms;"
                  f" busy thread's CPU {cpu:5.1f} us a hand-off")


if __name__ == "__main__":
    main()
