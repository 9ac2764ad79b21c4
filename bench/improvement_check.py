"""How trustworthy is "Did it work?" (bot/domain/loop/impact.py)? Simulated workspaces, the real
verdict function, looked at every week from week 1 to week 6 after the ship, as Earshot shows it.

Each simulated workspace captures ``volume`` remarks a week on average; the week-to-week
volume swings (a gamma factor with a 35 % coefficient of variation, so quiet and busy weeks
happen), and one process draws a share ``share`` of all remarks as complaints (10 % by
default). Four weeks of history before the ship, up to six after.

Scenarios:

* *nothing changes*: how often is "improved" or "worse" shown at any weekly look (target ≤ 5 %)?
* *quiet after the ship*: capture volume halves after the ship, the share does not: a
  count-based check would call this a success; how often does ours (and, for contrast,
  the same test on raw complaint counts)?
* *complaints halve*: how often is "improved" shown by week 4, and how many weeks until a
  verdict other than "too early to tell" / "no clear change"?

    python bench/improvement_check.py                # 4,000 runs per cell
    python bench/improvement_check.py --runs 20000 --seed 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bot.domain.loop import impact  # noqa: E402

WEEKS_BEFORE = 4
WEEKS_AFTER = 6
CV = 0.35


def simulate(rng: np.random.Generator, *, volume: float, share: float, effect: float,
             after_volume: float = 1.0, naive: bool = False) -> list[str]:
    """The verdict shown at each weekly look 1..WEEKS_AFTER for one simulated workspace."""
    k = 1 / CV**2
    weeks = WEEKS_BEFORE + WEEKS_AFTER
    factor = rng.gamma(k, 1 / k, size=weeks)
    factor[WEEKS_BEFORE:] *= after_volume
    totals = rng.poisson(volume * factor)
    p = np.full(weeks, share)
    p[WEEKS_BEFORE:] *= effect
    complaints = rng.binomial(totals, p)
    ship = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    out = []
    for look in range(1, WEEKS_AFTER + 1):
        w = impact.windows(ship, ship + dt.timedelta(weeks=look))
        span = round(w.days / 7)  # whole weeks either side (at most 4)
        b = slice(WEEKS_BEFORE - span, WEEKS_BEFORE)
        a = slice(WEEKS_BEFORE, WEEKS_BEFORE + span)
        if naive:  # counts only: the same test with equal exposure on both sides
            before, after = impact.Side(int(complaints[b].sum()), 10**6), impact.Side(int(complaints[a].sum()), 10**6)
        else:
            before = impact.Side(int(complaints[b].sum()), int(totals[b].sum()))
            after = impact.Side(int(complaints[a].sum()), int(totals[a].sum()))
        c = impact.compare(before, after, days=w.days)
        out.append(c.verdict)
    return out


def row(rng: np.random.Generator, runs: int, **kw: float | bool) -> dict[str, float]:
    any_false = improved_by_4 = improved_final = early = 0
    first_verdict: list[int] = []
    for _ in range(runs):
        looks = simulate(rng, **kw)  # type: ignore[arg-type]
        if any(v in (impact.IMPROVED, impact.WORSE) for v in looks):
            any_false += 1
        if impact.IMPROVED in looks[:4]:
            improved_by_4 += 1
        if looks[-1] == impact.IMPROVED:
            improved_final += 1
        if looks[3] == impact.TOO_EARLY:
            early += 1
        decided = [i + 1 for i, v in enumerate(looks) if v in (impact.IMPROVED, impact.WORSE)]
        if decided:
            first_verdict.append(decided[0])
    return {
        "any_verdict": any_false / runs,
        "improved_by_week_4": improved_by_4 / runs,
        "improved_at_week_6": improved_final / runs,
        "too_early_at_week_4": early / runs,
        "median_weeks": statistics.median(first_verdict) if first_verdict else float("nan"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--share", type=float, default=0.10)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    volumes = (10, 25, 50, 100, 200, 400)
    print(f"Rule: {impact.MIN_DAYS} days after the ship and >= {impact.MIN_REMARKS} remarks in the "
          f"workspace each side; equal windows up to {impact.WINDOW_DAYS} days; z = {impact.Z} "
          f"({impact.LOOKS} looks). Process complaint share {args.share:.0%}; {args.runs} runs per row.\n")
    print("Nothing changes: share of workspaces shown 'improved' or 'worse' at any look (weeks 1-6)")
    for v in volumes:
        r = row(rng, args.runs, volume=v, share=args.share, effect=1.0)
        print(f"  {v:>4} remarks/week: {r['any_verdict']:6.1%}")
    print("\nCapture volume halves after the ship, complaint share unchanged: 'improved'/'worse' shown")
    for v in volumes:
        r = row(rng, args.runs, volume=v, share=args.share, effect=1.0, after_volume=0.5)
        n = row(rng, args.runs, volume=v, share=args.share, effect=1.0, after_volume=0.5, naive=True)
        print(f"  {v:>4} remarks/week: {r['any_verdict']:6.1%}   (comparing complaint counts instead: "
              f"{n['any_verdict']:6.1%})")
    print("\nComplaints really halve: 'improved' by week 4 / at week 6; 'too early' at week 4; "
          "median weeks to the first verdict")
    for v in volumes:
        r = row(rng, args.runs, volume=v, share=args.share, effect=0.5)
        print(f"  {v:>4} remarks/week: {r['improved_by_week_4']:6.1%} / {r['improved_at_week_6']:6.1%}; "
              f"too early {r['too_early_at_week_4']:6.1%}; median {r['median_weeks']:.1f} weeks")


if __name__ == "__main__":
    main()
