"""Did it work? Before/after comparison of a process's feedback around a ship date. No I/O.

In plain words (also in docs/loop.md):

* We compare the *share* of all remarks captured in the workspace that were complaints
  about the process, before and after the ship date, not the raw count: a quiet week
  (fewer remarks captured overall) is then not mistaken for success.
* The windows have equal length: after the ship, everything so far (at most 4 weeks);
  before it, the same number of days just before the ship.
* Given the complaints on both sides together (k), the number that fall after the ship
  is binomial: if nothing changed, its expected part is the workspace's remarks after
  over remarks in both windows. The rate ratio (share after / share before) and its
  confidence interval come from a Wilson interval on that conditional proportion.
* Verdict: *improved* if the whole interval is below 1, *worse* if it is above 1, else
  *no clear change*. *Too early to tell* until at least ``MIN_DAYS`` have passed since the
  ship and each window holds at least ``MIN_REMARKS`` remarks in the workspace.
* The verdict is looked at every week from week 2 to week 4, so the interval is widened
  for three looks (Bonferroni: 95 % overall, ``Z`` = 2.39), which keeps false verdicts when
  nothing changed at or below 5 % (see bench/improvement_check.py).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Protocol

WINDOW_DAYS = 28
MIN_DAYS = 14
MIN_REMARKS = 30  # all remarks in the workspace, in each window
LOOKS = 3  # weeks 2, 3 and 4 after the ship
Z = 2.394  # two-sided 95 % / 3 looks (normal quantile of 1 - 0.05 / 6)

IMPROVED, NO_CHANGE, WORSE, TOO_EARLY = "improved", "no clear change", "worse", "too early to tell"
VERDICT_EMOJI = {IMPROVED: ":white_check_mark:", NO_CHANGE: ":heavy_minus_sign:",
                 WORSE: ":x:", TOO_EARLY: ":hourglass_flowing_sand:"}


@dataclass(frozen=True)
class Windows:
    before_start: dt.datetime
    ship: dt.datetime
    after_end: dt.datetime

    @property
    def days(self) -> float:
        return (self.after_end - self.ship).total_seconds() / 86400


def windows(shipped_at: dt.datetime, now: dt.datetime) -> Windows:
    """Equal windows either side of the ship: the time since (at most 4 weeks), and as long before."""
    after_end = min(now, shipped_at + dt.timedelta(days=WINDOW_DAYS))
    span = max(after_end - shipped_at, dt.timedelta(0))
    return Windows(before_start=shipped_at - span, ship=shipped_at, after_end=after_end)


@dataclass(frozen=True)
class Side:
    """One window: remarks of the sentiment on the process, and all remarks in the workspace."""

    hits: int
    exposure: int

    @property
    def share(self) -> float:
        return self.hits / self.exposure if self.exposure else 0.0


@dataclass(frozen=True)
class Comparison:
    before: Side
    after: Side
    ratio: float | None  # share after / share before; None when undefined
    low: float | None
    high: float | None
    verdict: str
    days: float

    def figures(self) -> str:
        """``3/120 (2.5 %) → 1/110 (0.9 %)``, with the ratio and interval when defined."""
        b, a = self.before, self.after
        text = (f"{b.hits}/{b.exposure} ({100 * b.share:.1f} %) → "
                f"{a.hits}/{a.exposure} ({100 * a.share:.1f} %)")
        if self.ratio is not None and self.low is not None and self.high is not None:
            ratio, high = (("∞" if math.isinf(x) else f"{x:.2f}") for x in (self.ratio, self.high))
            text += f", ratio {ratio} [{self.low:.2f}–{high}]"
        return text


def wilson(hits: int, n: int, z: float = Z) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion."""
    if n <= 0:
        return 0.0, 1.0
    p = hits / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    den = 1 + z2 / n
    return max(0.0, (centre - margin) / den), min(1.0, (centre + margin) / den)


def _odds_to_ratio(p: float, scale: float) -> float:
    # Wilson's upper bound for "every hit after" is 1 up to rounding (0.9999999999999998):
    # that is an unbounded ratio, not 6.8e15.
    if p >= 1.0 - 1e-9:
        return math.inf
    return p / (1 - p) * scale


def compare(before: Side, after: Side, *, days: float, z: float = Z, min_days: float = MIN_DAYS,
            min_remarks: int = MIN_REMARKS) -> Comparison:
    """Rate ratio of ``after`` over ``before`` (exposure = all remarks), with a verdict."""
    ratio: float | None = None
    low: float | None = None
    high: float | None = None
    k = before.hits + after.hits
    if before.exposure > 0 and after.exposure > 0 and k > 0:
        scale = before.exposure / after.exposure
        lo_p, hi_p = wilson(after.hits, k, z)
        low, high = _odds_to_ratio(lo_p, scale), _odds_to_ratio(hi_p, scale)
        ratio = (after.share / before.share) if before.hits else math.inf
    if days < min_days or before.exposure < min_remarks or after.exposure < min_remarks:
        verdict = TOO_EARLY
    elif high is not None and high < 1.0:
        verdict = IMPROVED
    elif low is not None and low > 1.0:
        verdict = WORSE
    else:
        verdict = NO_CHANGE
    return Comparison(before, after, ratio, low, high, verdict, days)


class ScoreChange(Protocol):  # bot.domain.loop.scores.Change
    def summary(self) -> str: ...


@dataclass(frozen=True)
class Impact:
    """Complaints and praise compared around the ship; ``verdict`` is the complaints' one.
    ``scores``: CSAT and NPS compared the same way, when the process has scored remarks."""

    windows: Windows
    complaints: Comparison
    praise: Comparison
    scores: tuple[ScoreChange, ...] = field(default=())

    @property
    def verdict(self) -> str:
        return self.complaints.verdict

    def praise_verdict(self) -> str:
        """For praise, more is better: a rise is an improvement."""
        v = self.praise.verdict
        return {IMPROVED: "less praise", WORSE: "more praise"}.get(v, v)

    def summary(self) -> str:
        c = self.complaints
        weeks = c.days / 7
        text = (f"{VERDICT_EMOJI[c.verdict]} *{c.verdict.capitalize()}* "
                f"({weeks:.1f} week{'s' if round(weeks, 1) != 1 else ''} after): complaints "
                f"{c.figures()}; praise {self.praise.figures()} ({self.praise_verdict()})")
        return "\n".join([text, *(s.summary() for s in self.scores)])
