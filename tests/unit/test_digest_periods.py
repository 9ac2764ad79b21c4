"""Digest periods in the workspace's time zone: slots stay at local time across DST, and
periods tile the UTC days exactly."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.digest.periods import (
    Schedule,
    ScheduleError,
    current_period,
    due_period,
    parse_time,
    parse_timezone,
    parse_weekday,
    period_containing,
    previous_periods,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_slot_keeps_local_time_across_spring_and_autumn_dst():
    s = Schedule(0, "09:00", BERLIN)
    # Berlin moves to CEST on 30 March 2025 and back on 26 October 2025.
    assert s.last_slot(utc(2025, 3, 28, 12)) == utc(2025, 3, 24, 8)  # CET: 09:00 = 08:00Z
    assert s.last_slot(utc(2025, 4, 1, 12)) == utc(2025, 3, 31, 7)  # CEST: 09:00 = 07:00Z
    assert s.next_slot(utc(2025, 10, 21)) == utc(2025, 10, 27, 8)


def test_slot_inside_the_spring_forward_gap_resolves_to_a_real_instant():
    s = Schedule(6, "02:30", BERLIN)  # 02:30 does not exist on 30 March 2025
    slot = s.next_slot(utc(2025, 3, 29))
    assert slot.astimezone(BERLIN).date() == dt.date(2025, 3, 30)


def test_last_slot_is_inclusive_and_before_the_slot_is_last_week():
    s = Schedule(0, "09:00", BERLIN)
    assert s.last_slot(utc(2025, 3, 10, 8)) == utc(2025, 3, 10, 8)
    assert s.last_slot(utc(2025, 3, 10, 7, 59)) == utc(2025, 3, 3, 8)


def test_due_period_is_the_seven_utc_days_before_the_slot():
    p = due_period(Schedule(0, "09:00", BERLIN), utc(2025, 3, 10, 8, 1))
    assert (p.start, p.end, p.days) == (dt.date(2025, 3, 3), dt.date(2025, 3, 10), 7)
    assert p.label() == "3–9 Mar 2025" and p.key == "2025-03-03"


def test_periods_tile_across_dst_without_gaps_or_overlaps():
    s = Schedule(0, "00:30", BERLIN)  # close to UTC midnight: the UTC day shifts with DST
    last = due_period(s, utc(2025, 4, 20))
    chain = previous_periods(s, last, 8)
    for a, b in zip(chain, chain[1:], strict=False):
        assert a.end == b.start
    assert sum(p.days for p in chain) == (chain[-1].end - chain[0].start).days
    assert {p.days for p in chain} <= {6, 7, 8}


def test_current_period_runs_from_the_last_slot_to_today():
    p = current_period(Schedule(0, "09:00", NEW_YORK), utc(2025, 3, 12, 15))
    assert (p.start, p.end) == (dt.date(2025, 3, 10), dt.date(2025, 3, 13))


def test_period_containing_a_day():
    s = Schedule(0, "09:00", BERLIN)
    assert period_containing(s, dt.date(2025, 3, 9)).start == dt.date(2025, 3, 3)
    assert period_containing(s, dt.date(2025, 3, 10)).start == dt.date(2025, 3, 10)


@pytest.mark.parametrize("text, expected", [("mon", 0), ("Monday", 0), ("tu", 1), ("SUN", 6), ("thurs", 3)])
def test_weekdays(text, expected):
    assert parse_weekday(text) == expected


@pytest.mark.parametrize("bad", ["funday", "m", "", "8"])
def test_unknown_weekday(bad):
    with pytest.raises(ScheduleError, match="weekday"):
        parse_weekday(bad)


def test_times_and_time_zones():
    assert parse_time("9:05") == "09:05"
    for bad in ("24:00", "9", "09:60", "nine"):
        with pytest.raises(ScheduleError, match="HH:MM"):
            parse_time(bad)
    assert parse_timezone("Asia/Kolkata") == "Asia/Kolkata"
    for bad in ("Mars/Base", "../etc/passwd", "Europe/ Berlin", ""):
        with pytest.raises(ScheduleError, match="time zone"):
            parse_timezone(bad)
