"""The before/after check: rate ratio of complaint shares with exposure = all remarks."""

from __future__ import annotations

import datetime as dt
import json
import math

from bot.domain.loop import impact
from bot.domain.loop.impact import Side, compare
from bot.domain.loop.verdict_events import verdict_data


def test_a_quiet_month_is_not_a_success():
    # Complaint counts halve because half as much feedback was captured: the share is the same.
    c = compare(Side(24, 160), Side(12, 80), days=28)
    assert c.verdict == impact.NO_CHANGE and c.ratio == 1.0
    assert c.low is not None and c.high is not None and c.low < 1 < c.high


def test_a_real_drop_in_share_is_improved_and_a_rise_is_worse():
    better = compare(Side(40, 160), Side(4, 80), days=28)
    assert better.verdict == impact.IMPROVED and better.high is not None and better.high < 1
    worse = compare(Side(8, 160), Side(20, 80), days=28)
    assert worse.verdict == impact.WORSE and worse.low is not None and worse.low > 1


def test_too_early_until_two_weeks_and_enough_remarks_each_side():
    assert compare(Side(40, 160), Side(0, 80), days=13.9).verdict == impact.TOO_EARLY
    assert compare(Side(40, 160), Side(0, 29), days=28).verdict == impact.TOO_EARLY
    assert compare(Side(10, 29), Side(0, 80), days=28).verdict == impact.TOO_EARLY
    assert compare(Side(40, 160), Side(0, 80), days=14).verdict == impact.IMPROVED


def test_no_complaints_either_side_is_no_clear_change():
    c = compare(Side(0, 100), Side(0, 100), days=28)
    assert c.verdict == impact.NO_CHANGE and c.ratio is None


def test_windows_are_equal_and_at_most_four_weeks():
    ship = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    w = impact.windows(ship, ship + dt.timedelta(days=10))
    assert w.ship - w.before_start == dt.timedelta(days=10) and w.days == 10
    w = impact.windows(ship, ship + dt.timedelta(days=100))
    assert w.after_end == ship + dt.timedelta(days=28) and w.before_start == ship - dt.timedelta(days=28)


def test_wilson_interval_contains_the_share():
    lo, hi = impact.wilson(5, 20)
    assert 0 < lo < 0.25 < hi < 1
    assert impact.wilson(0, 0) == (0.0, 1.0)


def test_none_before_and_some_after_reads_as_an_unbounded_ratio():
    # Praise 0/12 -> 13/16 used to read "ratio inf [1.70–6755399441055743.00]".
    c = compare(Side(0, 12), Side(13, 16), days=21)
    assert c.high is not None and c.ratio is not None and math.isinf(c.high) and math.isinf(c.ratio)
    assert c.figures().endswith(", ratio ∞ [1.70–∞]")


def test_an_unbounded_verdict_is_null_in_the_webhook_not_infinity():
    # json.dumps(inf) writes "Infinity", which no strict JSON reader accepts.
    ship = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    result = impact.Impact(impact.windows(ship, ship + dt.timedelta(days=28)),
                           compare(Side(0, 40), Side(12, 40), days=28), compare(Side(5, 40), Side(5, 40), days=28))
    data = json.loads(json.dumps(verdict_data(result), allow_nan=False))
    assert data["complaints"]["ratio"] is None and data["complaints"]["high"] is None
    assert data["complaints"]["low"] > 1
