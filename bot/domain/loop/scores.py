"""Scores with their uncertainty (issue 21): CSAT and NPS for a period, and before/after a
change. Pure; the counts come in as {value: remarks}.

* **CSAT** is the share of satisfied answers, 4 or 5, with a Wilson 95 % interval. Star
  ratings (1-5) are folded into CSAT the same way (4-5 stars satisfied): both rate one
  experience on five steps, and one figure per process reads better than two.
* **NPS** is promoters (9-10) minus detractors (0-6), as a share (shown ×100). Its standard
  error is the usual one for the mean of a +1/0/-1 variable: Var(NPS) = (p + d - (p - d)²) / n,
  i.e. (Var(p) + Var(d) - 2 Cov(p, d)) with Var(p) = p(1-p)/n and Cov(p, d) = -pd/n
  (A. Engelhardt, "Net Promoter Score confidence intervals 2: maths and stats", 2016,
  https://www.cybaea.net/journal/2016/01/14/NPS-confidence-intervals-stats/). The interval
  is the *adjusted Wald* one (B. Rocks, "Interval estimation for the Net Promoter Score",
  The American Statistician 70(4), 2016): add 3 pseudo-answers, 3/4 promoter, 3/2 passive,
  3/4 detractor, then NPS' ± z·SE' on those counts, clipped to [-1, 1]. The plain Wald
  interval has width zero when every answer is a promoter (or a detractor); this one does
  not, and its coverage stays near 95 % on small samples. The figure shown is the raw NPS.
* **Before/after** ("Did it work?") uses the complaint share's rigour (bot/domain/loop/impact.py):
  equal windows around the ship, *too early to tell* before ``MIN_DAYS`` or with fewer than
  ``MIN_SCORES`` answers on a side, and z = 2.394 for three weekly looks. CSAT's change is
  Newcombe's hybrid score interval for a difference of proportions (method 10, built from
  the two Wilson intervals); NPS's is the difference ± z·sqrt(Var₁' + Var₂'), with the
  adjusted variances above (never zero). A score is a
  share of its own answers, so it is already normalised for how much feedback came in.
  *improved* when the whole interval is above 0, *worse* when below, else *no clear change*.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.loop.impact import (
    IMPROVED,
    MIN_DAYS,
    NO_CHANGE,
    TOO_EARLY,
    VERDICT_EMOJI,
    WORSE,
    Z,
    wilson,
)

Z95 = 1.96
MIN_SCORES = 10  # answers on each side of the ship before a verdict
ADJUST = 3.0  # NPS's pseudo-answers (adjusted Wald, Rocks 2016)


@dataclass(frozen=True)
class Figure:
    kind: str  # "csat" (stars folded in) or "nps"
    n: int
    value: float  # CSAT: share 0-1; NPS: -1..1
    low: float
    high: float

    def text(self) -> str:
        if self.kind == "csat":
            return f"CSAT {100 * self.value:.0f} % [{100 * self.low:.0f}–{100 * self.high:.0f} %], n={self.n}"
        return f"NPS {100 * self.value:+.0f} [{100 * self.low:+.0f} to {100 * self.high:+.0f}], n={self.n}"


def satisfied(counts: Mapping[int, int]) -> tuple[int, int]:
    """(satisfied answers, answers) of CSAT/stars counts."""
    return sum(n for v, n in counts.items() if v >= 4), sum(counts.values())


def nps_parts(counts: Mapping[int, int]) -> tuple[float, float, int]:
    """(promoters share, detractors share, answers)."""
    n = sum(counts.values())
    if not n:
        return 0.0, 0.0, 0
    return (sum(c for v, c in counts.items() if v >= 9) / n,
            sum(c for v, c in counts.items() if v <= 6) / n, n)


def nps_variance(p: float, d: float, n: float) -> float:
    return (p + d - (p - d) ** 2) / n if n else math.inf


def csat(counts: Mapping[int, int], z: float = Z95) -> Figure | None:
    good, n = satisfied(counts)
    if not n:
        return None
    low, high = wilson(good, n, z)
    return Figure("csat", n, good / n, low, high)


def adjusted_variance(counts: Mapping[int, int]) -> float:
    """Var(NPS) after adding 3 pseudo-answers (3/4 promoter, 3/2 passive, 3/4 detractor):
    Rocks's adjusted Wald, which never gives a zero-width interval ("all 10 answers were
    promoters" is not certainty)."""
    p, d, n = nps_parts(counts)
    pa, da = (p * n + ADJUST / 4) / (n + ADJUST), (d * n + ADJUST / 4) / (n + ADJUST)
    return nps_variance(pa, da, n + ADJUST)


def nps(counts: Mapping[int, int], z: float = Z95) -> Figure | None:
    p, d, n = nps_parts(counts)
    if not n:
        return None
    centre = (p * n + ADJUST / 4) / (n + ADJUST) - (d * n + ADJUST / 4) / (n + ADJUST)
    margin = z * math.sqrt(adjusted_variance(counts))
    return Figure("nps", n, p - d, max(-1.0, centre - margin), min(1.0, centre + margin))


@dataclass(frozen=True)
class Change:
    kind: str
    before: Figure | None
    after: Figure | None
    diff: float | None
    low: float | None
    high: float | None
    verdict: str

    def summary(self) -> str:
        name = "CSAT" if self.kind == "csat" else "NPS"
        b = self.before.text().removeprefix(f"{name} ") if self.before else "no answers"
        a = self.after.text().removeprefix(f"{name} ") if self.after else "no answers"
        scale, unit = (100, " points") if self.kind == "csat" else (100, "")
        moved = ""
        if self.diff is not None and self.low is not None and self.high is not None:
            moved = (f", change {scale * self.diff:+.0f}{unit} "
                     f"[{scale * self.low:+.0f} to {scale * self.high:+.0f}]")
        return f"{VERDICT_EMOJI[self.verdict]} {name} {self.verdict}: {b} → {a}{moved}"


def _verdict(low: float | None, high: float | None, enough: bool) -> str:
    if not enough or low is None or high is None:
        return TOO_EARLY
    return IMPROVED if low > 0 else WORSE if high < 0 else NO_CHANGE


def compare_csat(before: Mapping[int, int], after: Mapping[int, int], *, days: float,
                 z: float = Z) -> Change:
    (g1, n1), (g2, n2) = satisfied(before), satisfied(after)
    diff = low = high = None
    if n1 and n2:
        p1, p2 = g1 / n1, g2 / n2
        l1, u1 = wilson(g1, n1, z)
        l2, u2 = wilson(g2, n2, z)
        diff = p2 - p1
        low = diff - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
        high = diff + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    enough = days >= MIN_DAYS and n1 >= MIN_SCORES and n2 >= MIN_SCORES
    return Change("csat", csat(before), csat(after), diff, low, high, _verdict(low, high, enough))


def compare_nps(before: Mapping[int, int], after: Mapping[int, int], *, days: float,
                z: float = Z) -> Change:
    (p1, d1, n1), (p2, d2, n2) = nps_parts(before), nps_parts(after)
    diff = low = high = None
    if n1 and n2:
        diff = (p2 - d2) - (p1 - d1)
        margin = z * math.sqrt(adjusted_variance(before) + adjusted_variance(after))
        low, high = max(-2.0, diff - margin), min(2.0, diff + margin)  # NPS moves 200 points at most
    enough = days >= MIN_DAYS and n1 >= MIN_SCORES and n2 >= MIN_SCORES
    return Change("nps", nps(before), nps(after), diff, low, high, _verdict(low, high, enough))
