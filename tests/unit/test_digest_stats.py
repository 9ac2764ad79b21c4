"""Ranking: a planted pattern (one process getting worse, one praised every week, one lone
loud complaint) must come out right, and the statistics behave as documented."""

from __future__ import annotations

import pytest

from bot.digest import stats
from bot.digest.stats import Counts


def weeks(complaints: list[int], praise: list[int] | None = None, neutral: int = 0,
          captures: int = 1) -> list[Counts]:
    praise = praise or [0] * len(complaints)
    return [Counts(praise=p, complaint=c, neutral=neutral, praise_endorsements=p,
                   complaint_endorsements=c * captures, neutral_endorsements=neutral)
            for c, p in zip(complaints, praise, strict=True)]


WORSE, PRAISED, LONE, MIXED, QUIET = 1, 2, 3, 4, 5
PLANTED = {
    WORSE: weeks([0, 0, 1, 1, 2, 3, 4, 6], praise=[1] * 8),
    PRAISED: weeks([0] * 8, praise=[3] * 8),
    LONE: weeks([0] * 7 + [1], captures=6),  # one complaint, captured by six teammates
    MIXED: weeks([1] * 8, praise=[6] * 8),
    QUIET: weeks([0, 0, 0, 0, 0, 0, 0, 0], praise=[2, 2, 1, 0, 0, 0, 0, 0]),
}


def test_steady_worsening_pattern_tops_improve_and_lone_complaint_does_not():
    ranked = stats.rank_improve(PLANTED)
    ids = [r.process_id for r in ranked]
    assert ids[0] == WORSE
    assert LONE in ids and ids.index(LONE) > ids.index(WORSE)
    assert PRAISED not in ids


def test_lone_complaint_never_outranks_a_pattern_however_loud():
    for captures in (1, 5, 50):
        series = {LONE: weeks([0] * 7 + [1], captures=captures),
                  WORSE: weeks([0, 0, 0, 0, 0, 1, 1, 2], praise=[2] * 8)}
        assert stats.rank_improve(series)[0].process_id == WORSE


def test_consistently_praised_process_is_consolidated():
    improve = [r.process_id for r in stats.rank_improve(PLANTED)]
    ranked = stats.rank_consolidate(PLANTED, exclude=improve)
    assert ranked[0].process_id == PRAISED
    assert WORSE not in [r.process_id for r in ranked]
    assert QUIET not in [r.process_id for r in ranked]  # praise stopped weeks ago


def test_processes_shown_in_improve_are_not_consolidated():
    assert MIXED not in [r.process_id for r in stats.rank_consolidate(PLANTED, exclude=[MIXED])]


def test_movers_and_gone_quiet():
    moved = stats.movers(PLANTED)
    assert moved[0].process_id == WORSE and moved[0].worse
    quiet = stats.gone_quiet({QUIET: weeks([0] * 8, praise=[2, 2, 1, 0, 0, 0, 0, 0])})
    assert quiet == [(QUIET, 5)]
    assert stats.gone_quiet({PRAISED: PLANTED[PRAISED]}) == []


@pytest.mark.parametrize("share, n, expected", [(1.0, 1, 0.2065), (0.5, 100, 0.4038), (0.0, 10, 0.0)])
def test_wilson_lower_bound_matches_the_textbook(share, n, expected):
    assert stats.wilson_lower(share, n) == pytest.approx(expected, abs=1e-3)


def test_endorsements_raise_the_share_but_not_the_certainty():
    one = Counts(complaint=1, praise=1, complaint_endorsements=1, praise_endorsements=1)
    loud = Counts(complaint=1, praise=1, complaint_endorsements=5, praise_endorsements=1)
    assert stats.share_score(loud, "complaint")[0] > stats.share_score(one, "complaint")[0]
    # Certainty is capped by the two distinct remarks: the bound stays below one remark's worth.
    assert stats.share_score(loud, "complaint")[1] < stats.wilson_lower(1.0, 2)


def test_sparkline_and_change():
    assert stats.sparkline([0, 1, 3, 7]) == "▁▂▄█"
    assert stats.sparkline([0, 0]) == "▁▁"
    assert stats.change(5, 2) == "up 3" and stats.change(1, 4) == "down 3" and stats.change(2, 2) == "no change"
    assert stats.moved("complaints", 3, 5) == "complaints up 2 (3 → 5)"
    assert stats.moved("praise", 2, 1) == "praise down 1 (2 → 1)"
    assert stats.moved("praise", 0, 0) == "praise unchanged (0)"
