"""The digest's statistics: pure functions over counts, no I/O.

Ranking in plain words (also in docs/digest.md):

* Each process gets a *complaint share* for the last four periods: the part of its
  remarks that were complaints. A remark that several teammates captured counts a bit
  more (each extra capture adds half a remark), because more people heard it.
* We do not rank by the share itself, which would put one lone complaint (100 %) on top.
  We rank by how low the share could plausibly be: the lower end of a 95 % Wilson
  confidence interval. Certainty comes only from the number of distinct remarks, so a
  lone remark, however loudly endorsed, stays uncertain, and a steady pattern of many
  remarks earns a high bound.
* That bound is multiplied by ``log2(1 + complaints)`` (distinct remarks) so that, of two
  processes with the same share, the one with more complaints ranks first, without
  letting sheer volume swamp the share.
* Weighing by customer (``/feedback digest weigh tier|value``, off by default) changes only
  that volume term: ``log2(1 + Σ w)`` over the distinct complaints instead of
  ``log2(1 + complaints)``. A remark from no registered customer weighs 1; by tier, a
  registered customer's remark weighs ``tier_weight`` (3 Enterprise, 2 Mid-market, 1 other);
  by value, ``1 + value / median value`` of the registered customers that have one.
  The share and its certainty stay unweighted: a big customer makes a pattern louder,
  not more certain.
* Consolidate mirrors it for praise, for processes praised in at least two of the last
  four periods with no more than one complaint in five remarks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Z = 1.96  # 95 % two-sided
ENDORSEMENT_WEIGHT = 0.5  # each extra capture of a remark adds half a remark
WINDOW = 4  # periods the ranking looks at (this one and the three before)
QUIET_PERIODS = 3  # periods without a remark before a process counts as gone quiet
MIN_QUIET_HISTORY = 3  # remarks it needs before that to be worth mentioning
CONSOLIDATE_MIN_WEEKS = 2
CONSOLIDATE_MAX_COMPLAINT_SHARE = 0.2
CONSOLIDATE_MIN_LOWER = 0.4
SPARK = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Counts:
    """Remarks and endorsements (captures) per sentiment, for one process and span."""

    praise: int = 0
    complaint: int = 0
    neutral: int = 0
    praise_endorsements: int = 0
    complaint_endorsements: int = 0
    neutral_endorsements: int = 0
    suggestion: int = 0  # ideas: remarks proposing a change
    suggestion_endorsements: int = 0

    @property
    def total(self) -> int:
        return self.praise + self.complaint + self.neutral + self.suggestion

    @property
    def endorsements(self) -> int:
        return (self.praise_endorsements + self.complaint_endorsements + self.neutral_endorsements
                + self.suggestion_endorsements)

    def remarks(self, sentiment: str) -> int:
        return int(getattr(self, sentiment))

    def weighted(self, sentiment: str) -> float:
        """Remarks of ``sentiment`` with extra captures counted as part-remarks."""
        n = self.remarks(sentiment)
        extra = max(0, int(getattr(self, f"{sentiment}_endorsements")) - n)
        return n + ENDORSEMENT_WEIGHT * extra

    @property
    def weighted_total(self) -> float:
        return sum(self.weighted(s) for s in SENTIMENTS)

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, ...]:
        return (self.praise, self.complaint, self.neutral, self.praise_endorsements,
                self.complaint_endorsements, self.neutral_endorsements, self.suggestion,
                self.suggestion_endorsements)

    def added(self, sentiment: str, remarks: int, endorsements: int) -> Counts:
        if sentiment not in SENTIMENTS:
            return self
        values = dict(zip(_FIELDS, self.as_tuple(), strict=True))
        values[sentiment] += remarks
        values[f"{sentiment}_endorsements"] += endorsements
        return Counts(**values)


SENTIMENTS = ("praise", "complaint", "neutral", "suggestion")
_FIELDS = ("praise", "complaint", "neutral", "praise_endorsements", "complaint_endorsements",
           "neutral_endorsements", "suggestion", "suggestion_endorsements")
# Where a sentiment's remarks and endorsements sit in ``Counts.as_tuple()``.
FIELD_INDEX = {s: (_FIELDS.index(s), _FIELDS.index(f"{s}_endorsements")) for s in SENTIMENTS}


def total(counts: Iterable[Counts]) -> Counts:
    out = Counts()
    for c in counts:
        out = out + c
    return out


def wilson_lower(share: float, n: float, z: float = Z) -> float:
    """Lower bound of the Wilson score interval for an observed ``share`` of ``n`` trials."""
    if n <= 0:
        return 0.0
    share = min(max(share, 0.0), 1.0)
    z2 = z * z
    centre = share + z2 / (2 * n)
    margin = z * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n))
    return max(0.0, (centre - margin) / (1 + z2 / n))


def tier_weight(tier: str | None) -> float:
    """How much a remark from a customer of ``tier`` weighs when the digest weighs by tier."""
    t = (tier or "").casefold()
    if "enterprise" in t:
        return 3.0
    if t.startswith("mid"):
        return 2.0
    return 1.0


def value_weight(value: int | None, median: float) -> float:
    """How much a remark from a customer worth ``value`` a year weighs (by value)."""
    if not value or median <= 0:
        return 1.0
    return 1.0 + value / median


def share_score(c: Counts, sentiment: str, volume: float | None = None) -> tuple[float, float]:
    """(score, lower bound) of ``sentiment``'s share in ``c``.

    The share is endorsement-weighted; the certainty comes from distinct remarks only.
    ``volume``: the customer-weighted number of remarks (default: the distinct remarks).
    """
    weighted_total = c.weighted_total
    if weighted_total <= 0 or c.remarks(sentiment) == 0:
        return 0.0, 0.0
    share = c.weighted(sentiment) / weighted_total
    lower = wilson_lower(share, c.total)
    # Volume counts distinct remarks too: endorsements make a remark louder, not more numerous.
    n = c.remarks(sentiment) if volume is None else max(volume, 0.0)
    return lower * math.log2(1 + n), lower


@dataclass(frozen=True)
class Ranked:
    process_id: int
    score: float
    lower: float  # lower bound of the share
    window: Counts  # the last WINDOW periods together
    now: Counts  # this period


def _window(series: Sequence[Counts]) -> Counts:
    return total(series[-WINDOW:])


def rank_improve(series: Mapping[int, Sequence[Counts]], *, limit: int = 5,
                 weights: Mapping[int, float] | None = None) -> list[Ranked]:
    """Processes with a complaint this period, most in need of improvement first.

    ``series`` maps process id to its counts per period, oldest first, this period last.
    ``weights``: per process, the customer-weighted complaints of the window (see above).
    """
    ranked = []
    for pid, weeks in series.items():
        if not weeks or weeks[-1].complaint == 0:
            continue
        window = _window(weeks)
        score, lower = share_score(window, "complaint", (weights or {}).get(pid))
        ranked.append(Ranked(pid, score, lower, window, weeks[-1]))
    ranked.sort(key=lambda r: (-r.score, -r.window.complaint, -r.now.complaint, r.process_id))
    return ranked[:limit]


def rank_consolidate(
    series: Mapping[int, Sequence[Counts]], *, exclude: Iterable[int] = (), limit: int = 3,
    weights: Mapping[int, float] | None = None,
) -> list[Ranked]:
    """Processes consistently praised with few complaints, strongest evidence first."""
    skip = set(exclude)
    ranked = []
    for pid, weeks in series.items():
        if pid in skip or not weeks:
            continue
        recent = list(weeks[-WINDOW:])
        window = total(recent)
        if sum(1 for w in recent if w.praise) < CONSOLIDATE_MIN_WEEKS:
            continue
        if window.total and window.complaint / window.total > CONSOLIDATE_MAX_COMPLAINT_SHARE:
            continue
        if not (weeks[-1].praise or (len(weeks) > 1 and weeks[-2].praise)):
            continue  # praise that stopped a while ago is not "consistent"
        score, lower = share_score(window, "praise", (weights or {}).get(pid))
        if lower < CONSOLIDATE_MIN_LOWER:
            continue
        ranked.append(Ranked(pid, score, lower, window, weeks[-1]))
    ranked.sort(key=lambda r: (-r.score, -r.window.praise, r.process_id))
    return ranked[:limit]


@dataclass(frozen=True)
class Mover:
    process_id: int
    before: Counts
    now: Counts

    @property
    def magnitude(self) -> int:
        return abs(self.now.complaint - self.before.complaint) + abs(self.now.praise - self.before.praise)

    @property
    def worse(self) -> bool:
        return (self.now.complaint - self.before.complaint) > (self.now.praise - self.before.praise)


def movers(series: Mapping[int, Sequence[Counts]], *, limit: int = 3, minimum: int = 2) -> list[Mover]:
    """Biggest changes in praise and complaints against the previous period."""
    out = []
    for pid, weeks in series.items():
        if len(weeks) < 2:
            continue
        m = Mover(pid, weeks[-2], weeks[-1])
        if m.magnitude >= minimum:
            out.append(m)
    out.sort(key=lambda m: (-m.magnitude, m.process_id))
    return out[:limit]


def gone_quiet(series: Mapping[int, Sequence[Counts]], *, limit: int = 5) -> list[tuple[int, int]]:
    """(process id, remarks before) for processes silent for the last QUIET_PERIODS periods."""
    out = []
    for pid, weeks in series.items():
        if len(weeks) <= QUIET_PERIODS:
            continue
        recent, before = weeks[-QUIET_PERIODS:], weeks[:-QUIET_PERIODS]
        earlier = sum(w.total for w in before)
        if all(w.total == 0 for w in recent) and earlier >= MIN_QUIET_HISTORY:
            out.append((pid, earlier))
    out.sort(key=lambda t: (-t[1], t[0]))
    return out[:limit]


def sparkline(values: Sequence[int]) -> str:
    """``[0, 1, 3, 8]`` -> ``"▁▂▃█"``; all zeros give a flat line."""
    if not values:
        return ""
    top = max(values)
    if top <= 0:
        return SPARK[0] * len(values)
    return "".join(SPARK[min(len(SPARK) - 1, round(v / top * (len(SPARK) - 1)))] for v in values)


def change(now: int, before: int) -> str:
    """``"up 4"``, ``"down 2"`` or ``"no change"``: words, not arrows a reader must decode."""
    d = now - before
    if d > 0:
        return f"up {d}"
    if d < 0:
        return f"down {-d}"
    return "no change"


def moved(what: str, before: int, now: int) -> str:
    """``"complaints up 2 (3 → 5)"``, ``"praise down 1 (2 → 1)"``, ``"praise unchanged (0)"``."""
    if now == before:
        return f"{what} unchanged ({now})"
    return f"{what} {change(now, before)} ({before} → {now})"
