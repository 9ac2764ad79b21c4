"""Digest periods: when a workspace's weekly slot falls, and which days a digest covers.

A workspace posts at its *slot*: a weekday and a local time in its time zone (default
Monday 09:00). Slots are computed with ``zoneinfo``, so 09:00 stays 09:00 local across
daylight-saving changes.

The remark roll-up counts per UTC day, so a period is a run of whole UTC days: from the
UTC day of the previous slot (inclusive) to the UTC day of this slot (exclusive). Periods
therefore tile time exactly: every remark falls in exactly one period, and nothing said
after a slot can belong to the digest posted at that slot. Near a DST change a period
whose slot sits close to UTC midnight can be 6 or 8 days long; that is rare and harmless.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ScheduleError(ValueError):
    """A weekday, time or time zone a person typed that we cannot use; the message says why."""


def parse_weekday(text: str) -> int:
    """``"mon"``, ``"Monday"`` -> 0 ... ``"sun"`` -> 6."""
    word = text.strip().lower().rstrip(".")
    if len(word) >= 2:
        for i, day in enumerate(WEEKDAYS):
            if day.startswith(word) and (len(word) >= 3 or word in ("mo", "tu", "we", "th", "fr", "sa", "su")):
                return i
    raise ScheduleError(
        f"`{text}` is not a weekday. Use one of: {', '.join(d.capitalize() for d in WEEKDAYS)} "
        "(or mon, tue, ...)."
    )


def parse_time(text: str) -> str:
    """``"9:00"`` -> ``"09:00"``; 24-hour clock."""
    m = _TIME.match(text.strip())
    if not m:
        raise ScheduleError(f"`{text}` is not a time. Use 24-hour HH:MM, e.g. 09:00 or 16:30.")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def parse_timezone(text: str) -> str:
    """A valid IANA time zone name (``Europe/Berlin``), or ScheduleError."""
    name = text.strip()
    if not name or " " in name or name.startswith(("/", ".")) or ".." in name:
        raise ScheduleError(f"`{text}` is not a time zone. Use an IANA name such as Europe/Berlin.")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"`{name}` is not a time zone I know. Use an IANA name such as Europe/Berlin, "
            "America/New_York or UTC."
        ) from None
    return name


def zone(name: str | None, default: str = "UTC") -> ZoneInfo:
    """The workspace's zone; an unknown stored name falls back to ``default``."""
    for candidate in (name, default, "UTC"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


@dataclass(frozen=True)
class Schedule:
    weekday: int  # 0 = Monday
    time: str  # "HH:MM", local
    tz: ZoneInfo

    def slot_on(self, day: dt.date) -> dt.datetime:
        """The slot on local date ``day`` (which must be the right weekday), as aware UTC."""
        hour, minute = (int(x) for x in self.time.split(":"))
        local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)
        # A slot inside a spring-forward gap (e.g. 02:30) resolves to the first valid instant.
        return local.astimezone(dt.UTC)

    def last_slot(self, now: dt.datetime) -> dt.datetime:
        """The most recent slot at or before ``now``."""
        local_today = now.astimezone(self.tz).date()
        back = (local_today.weekday() - self.weekday) % 7
        day = local_today - dt.timedelta(days=back)
        slot = self.slot_on(day)
        if slot > now:
            slot = self.slot_on(day - dt.timedelta(days=7))
        return slot

    def next_slot(self, now: dt.datetime) -> dt.datetime:
        """The first slot strictly after ``now``."""
        last = self.last_slot(now)
        return self.slot_on(last.astimezone(self.tz).date() + dt.timedelta(days=7))

    def previous_slot(self, slot: dt.datetime) -> dt.datetime:
        return self.slot_on(slot.astimezone(self.tz).date() - dt.timedelta(days=7))


@dataclass(frozen=True)
class Period:
    """Whole UTC days ``[start, end)``; ``slot`` is when its digest is due (None: in progress)."""

    start: dt.date
    end: dt.date
    slot: dt.datetime | None = None

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), tzinfo=dt.UTC)

    @property
    def end_at(self) -> dt.datetime:
        return dt.datetime.combine(self.end, dt.time(), tzinfo=dt.UTC)

    @property
    def key(self) -> str:
        return self.start.isoformat()

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def label(self) -> str:
        """``"3–9 Mar 2025"``: the days covered, inclusive."""
        last = self.end - dt.timedelta(days=1)
        if self.start.year != last.year:
            return f"{self.start:%-d %b %Y} – {last:%-d %b %Y}"
        if self.start.month != last.month:
            return f"{self.start:%-d %b} – {last:%-d %b %Y}"
        return f"{self.start.day}–{last:%-d %b %Y}"


def period_for_slot(schedule: Schedule, slot: dt.datetime) -> Period:
    """The period whose digest is posted at ``slot``."""
    prev = schedule.previous_slot(slot)
    return Period(start=prev.astimezone(dt.UTC).date(), end=slot.astimezone(dt.UTC).date(), slot=slot)


def due_period(schedule: Schedule, now: dt.datetime) -> Period:
    """The latest period whose slot has passed: what the scheduler posts."""
    return period_for_slot(schedule, schedule.last_slot(now))


def current_period(schedule: Schedule, now: dt.datetime) -> Period:
    """The period in progress (from the last slot's day up to and including today)."""
    last = schedule.last_slot(now)
    return Period(start=last.astimezone(dt.UTC).date(),
                  end=now.astimezone(dt.UTC).date() + dt.timedelta(days=1))


def period_containing(schedule: Schedule, day: dt.date) -> Period:
    """The period that counts UTC day ``day`` (its slot may still be in the future)."""
    # Its slot is the first one falling on a later UTC day.
    after = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return period_for_slot(schedule, schedule.next_slot(after - dt.timedelta(microseconds=1)))


def previous_periods(schedule: Schedule, period: Period, count: int) -> list[Period]:
    """``count`` consecutive periods ending with ``period`` (oldest first)."""
    out = [period]
    # The slot that closed the period before ``period``: the first slot on its start day.
    slot = schedule.next_slot(period.start_at - dt.timedelta(microseconds=1))
    end = period.start
    while len(out) < count:
        start = schedule.previous_slot(slot).astimezone(dt.UTC).date()
        out.append(Period(start=start, end=end, slot=slot))
        end = start
        slot = schedule.previous_slot(slot)
    return list(reversed(out))
