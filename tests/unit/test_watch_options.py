"""``/feedback watch #channel since Nd`` read as typed: whole days or weeks from 1 to 90."""

from __future__ import annotations

import pytest

from bot.domain.capture.watch import NotWatchable, parse_options


@pytest.mark.parametrize(("typed", "days"), [("since 30d", 30), ("since 90d", 90), ("since 2w", 14),
                                             ("since 30 days", 30), ("since 30", 30), ("since 1d", 1)])
def test_whole_days_and_weeks_up_to_ninety(typed, days):
    text, options = parse_options(f"<#C1> {typed}")
    assert options.since_days == days and text.strip() == "<#C1>"


@pytest.mark.parametrize("typed", ["since 91d", "since 0d", "since 13w", "since 9999d"])
def test_out_of_range_is_refused(typed):
    # "since 0d" is told the lower end too, not only "up to 90 days".
    with pytest.raises(NotWatchable, match="from 1 day up to 90 days"):
        parse_options(f"<#C1> {typed}")


@pytest.mark.parametrize("typed", ["since abc", "since", "since -5d", "since 30x",
                                   "since 1.5d", "since 2,5d", "since 15.5d",
                                   "since 3 months", "since 1 month", "since 2 mo", "since 12 hours"])
def test_anything_else_asks_for_days(typed):
    # "since 1.5d" used to bring in one day (and ignore ".5d"); "since 3 months" three days.
    with pytest.raises(NotWatchable, match="Say how far back"):
        parse_options(f"<#C1> {typed}")
