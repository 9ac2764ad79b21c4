"""The worker's hold on a burst of acknowledged intake remarks (bot/server/intake_hold.py):
held while 32 or more wait and one arrived in the last 0.5 s, never past the stated lag."""

from __future__ import annotations

import datetime as dt

from bot.server.intake_hold import Hold

T0 = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
HOLD = Hold("api", max_lag=5.0)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_a_burst_is_held_until_it_pauses_or_its_oldest_reaches_the_lag():
    # 100 waiting, the newest 0.1 s old: held until 0.5 s after the newest.
    assert HOLD.until(((1, at(0)), (100, at(1.0))), at(1.1)) == at(1.5)
    # Still arriving 4.8 s on: the bound ends it 5 s after the oldest came.
    assert HOLD.until(((1, at(0)), (900, at(4.8))), at(4.9)) == at(5.0)


def test_no_hold_for_a_few_remarks_a_pause_or_an_oldest_past_the_lag():
    assert HOLD.until(None, at(0)) is None
    assert HOLD.until(((1, at(0)), (31, at(0.1))), at(0.2)) is None  # 31: not a burst
    assert HOLD.until(((1, at(0)), (100, at(1.0))), at(1.5)) is None  # quiet for 0.5 s
    assert HOLD.until(((1, at(0)), (900, at(4.9))), at(5.0)) is None  # the oldest waited 5 s
