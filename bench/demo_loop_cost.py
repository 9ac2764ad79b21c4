"""What closing the loop costs the demo: the same `earshot demo` run (the real bot, the Slack
stand-in, a throwaway SQLite file) timed in two parts, the three feedback weeks (the baseline,
what the demo played before) and the loop's four weeks (an improvement from the digest, the
GitHub webhook, 45 more remarks, four more digests); prints both and their ratio.

    python bench/demo_loop_cost.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from bot.demo import story as s
from bot.demo.runner import Demo, Options


async def one() -> tuple[float, float, str | None]:
    demo = Demo(Options())
    await demo.start()
    try:
        steps = s.story()
        split = next(i for i, x in enumerate(steps) if isinstance(x, s.WeekEnds) and x.week == 3) + 1
        began = time.monotonic()
        for step in steps[:split]:
            await demo.play(step)
        feedback = time.monotonic() - began
        for step in steps[split:]:
            await demo.play(step)
        loop = time.monotonic() - began - feedback
        verdict = next((b["text"]["text"] for b in demo.digests[-1].blocks
                        if "*Did it work?*" in (b.get("text") or {}).get("text", "")), None)
        return feedback, loop, verdict
    finally:
        await demo.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    feedback, loop = [], []
    verdict = None
    for _ in range(args.runs):
        f, lp, verdict = asyncio.run(one())
        feedback.append(f)
        loop.append(lp)
        print(f"run: feedback weeks {f:.1f} s, loop weeks {lp:.1f} s, whole story / feedback weeks "
              f"{(f + lp) / f:.2f}")
    f, lp = statistics.median(feedback), statistics.median(loop)
    print(f"median of {args.runs}: feedback weeks (baseline) {f:.1f} s; loop weeks {lp:.1f} s; "
          f"whole story {f + lp:.1f} s = {(f + lp) / f:.2f} x the baseline")
    print("last digest's Did it work?:", (verdict or "(none)").splitlines()[-1])


if __name__ == "__main__":
    main()
