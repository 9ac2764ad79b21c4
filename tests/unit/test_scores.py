"""Scores: the tone a score tells, CSAT and NPS with their intervals, and before/after."""

from __future__ import annotations

import math

import pytest

from bot.domain.capture.scores import out_of_range, tone
from bot.domain.loop import scores
from bot.domain.loop.impact import IMPROVED, NO_CHANGE, TOO_EARLY, WORSE


@pytest.mark.parametrize(("kind", "value", "told"), [
    ("csat", 1, "complaint"), ("csat", 2, "complaint"), ("csat", 3, None), ("csat", 4, None),
    ("csat", 5, "praise"), ("stars", 1, "complaint"), ("stars", 5, "praise"),
    ("nps", 0, "complaint"), ("nps", 6, "complaint"), ("nps", 7, None), ("nps", 8, None),
    ("nps", 9, "praise"), ("nps", 10, "praise"),
])
def test_a_score_tells_the_tone_only_at_its_ends(kind, value, told):
    assert tone(kind, value) == told


def test_ranges():
    assert out_of_range("csat", 0) and out_of_range("csat", 6) and out_of_range("stars", 6)
    assert out_of_range("nps", 11) and out_of_range("nps", -1) and out_of_range("ces", 3)
    assert out_of_range("nps", 0) is None and out_of_range("csat", 5) is None


def test_csat_is_the_share_of_4_and_5_with_a_wilson_interval():
    f = scores.csat({5: 30, 4: 10, 3: 5, 1: 5})
    assert f is not None and f.n == 50 and f.value == pytest.approx(0.8)
    # Wilson 95 % for 40/50: [0.670, 0.888] (e.g. statsmodels proportion_confint method="wilson").
    assert (round(f.low, 3), round(f.high, 3)) == (0.670, 0.888)
    assert f.text() == "CSAT 80 % [67–89 %], n=50"
    assert scores.csat({}) is None


def test_nps_is_promoters_minus_detractors_with_an_adjusted_wald_interval():
    # 50 promoters, 30 passives, 20 detractors of 100: NPS +30. Adjusted Wald (Rocks 2016):
    # p' = 50.75/103, d' = 20.75/103, Var' = (p' + d' - (p' - d')²) / 103.
    f = scores.nps({10: 30, 9: 20, 8: 15, 7: 15, 3: 20})
    p, d = 50.75 / 103, 20.75 / 103
    margin = 1.96 * math.sqrt((p + d - (p - d) ** 2) / 103)
    assert f is not None and f.value == pytest.approx(0.3)
    assert (f.low, f.high) == (pytest.approx(p - d - margin), pytest.approx(p - d + margin))
    assert f.text() == "NPS +30 [+14 to +44], n=100"


def test_an_nps_of_only_promoters_or_detractors_is_not_certain():
    # The plain Wald interval had width zero here: "+100 [+100 to +100]" from 3 answers.
    for counts, shown in (({10: 3}, "NPS +100 [-7 to +100], n=3"), ({10: 10}, "NPS +100 [+48 to +100], n=10"),
                          ({0: 10}, "NPS -100 [-100 to -48], n=10")):
        f = scores.nps(counts)
        assert f is not None and f.text() == shown and f.high - f.low > 0.4
    same = scores.compare_nps({10: 12}, {10: 12}, days=28)
    assert same.low is not None and same.high is not None and same.low < 0 < same.high


def test_before_and_after_give_a_verdict_only_with_enough_answers_and_time():
    bad, good = {1: 30, 2: 10, 5: 10}, {5: 40, 4: 5, 1: 5}
    assert scores.compare_csat(bad, good, days=21).verdict == IMPROVED
    assert scores.compare_csat(good, bad, days=21).verdict == WORSE
    assert scores.compare_csat(good, good, days=21).verdict == NO_CHANGE
    assert scores.compare_csat(bad, good, days=7).verdict == TOO_EARLY
    assert scores.compare_csat({1: 5}, {5: 5}, days=21).verdict == TOO_EARLY  # 5 answers a side
    detractors, promoters = {2: 40, 8: 10}, {10: 40, 8: 10}
    assert scores.compare_nps(detractors, promoters, days=28).verdict == IMPROVED
    assert scores.compare_nps(promoters, detractors, days=28).verdict == WORSE
    change = scores.compare_nps(detractors, promoters, days=28)
    assert change.diff == pytest.approx(1.6) and "NPS improved" in change.summary()


def test_the_csat_difference_interval_is_newcombes():
    # Newcombe (1998) method 10, at z = 1.96: 56/70 vs 48/80 -> difference 0.2,
    # interval [0.0524, 0.3339] (Newcombe's own worked example, Table II).
    change = scores.compare_csat({5: 48, 1: 32}, {5: 56, 1: 14}, days=28, z=1.96)
    assert change.diff == pytest.approx(0.2)
    assert (round(change.low, 4), round(change.high, 4)) == (0.0524, 0.3339)



def test_an_nps_change_stays_within_200_points():
    # -100 before and +83 after used to read "change +183 [+131 to +236]".
    c = scores.compare_nps({1: 12}, {10: 11, 1: 1}, days=21)
    assert c.high == 2.0 and c.low is not None and c.low > 1.0
    assert c.summary().endswith(f"change +183 [{100 * c.low:+.0f} to +200]")
