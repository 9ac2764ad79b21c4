"""The worker's hold on the intake API's acknowledged remarks during a burst (docs/api.md,
Throughput): filing waits, within a stated bound, so acknowledgements have the cores first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

Arrival = tuple[int, dt.datetime]  # a delivery's id and when it was received


@dataclass(frozen=True)
class Hold:
    """Deliveries of ``kind`` (the intake API's acknowledged remarks) wait while they arrive
    fast, so the acknowledgements of a burst have the cores first (docs/api.md, Throughput).

    They wait while at least ``burst`` are unfiled, one arrived in the last ``quiet``
    seconds, and the oldest never leased arrived less than ``max_lag`` seconds ago: a
    remark's filing starts at most ``max_lag`` seconds after it arrived (plus the wait for
    the worker's capacity, as without a hold), a lone one's at once. The state is read from
    the database on each pass, so a restarted worker holds and ends the hold the same way;
    one process also never holds longer than ``max_lag`` on its own clock (web processes'
    clocks apart from its own). Other deliveries (Slack's) are leased as always.
    """

    kind: str
    max_lag: float
    quiet: float = 0.5
    burst: int = 32

    def until(self, seen: tuple[Arrival, Arrival] | None, now: dt.datetime) -> dt.datetime | None:
        """When the hold ends, or None when there is none. ``seen``: the oldest never-leased
        and the newest unfinished delivery of ``kind`` (InboxRepository.arrivals)."""
        if seen is None:
            return None
        (first, oldest), (last, newest) = seen
        if (last - first + 1 < self.burst or (now - newest).total_seconds() >= self.quiet
                or (now - oldest).total_seconds() >= self.max_lag):
            return None
        return min(newest + dt.timedelta(seconds=self.quiet), oldest + dt.timedelta(seconds=self.max_lag))
