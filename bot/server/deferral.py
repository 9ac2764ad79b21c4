"""A delivery handed back to be run again at a time, not failed: Slack's rate limit left its
capture no slot now (bot.domain.workspace.pacing.RateLimited, turned into ``RETRY_AT`` by
Bolt's error handler). The worker and the inline runner record it with
``InboxRepository.defer``: no attempt is counted, so waiting one's turn is never a reason to
give a delivery up (docs/durability.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from slack_bolt.response import BoltResponse

# A dispatch that asks to be run again at a time (ISO-8601): Slack's rate limit left it no
# slot now (bot.domain.workspace.pacing.RateLimited). Not a failure: no attempt is counted.
RETRY_AT = "x-earshot-retry-at"
# A delivery handed back for its rate slot this long after it arrived is given up (Slack
# refusing a workspace's reads for a day is an outage, not a queue).
DEFER_LIMIT = dt.timedelta(days=1)


@dataclass(frozen=True)
class Deferred:
    """Run the delivery again at ``until`` (it waits for a rate slot, in no process)."""

    until: dt.datetime


def deferred_of(resp: BoltResponse) -> Deferred | None:
    """The time a dispatch asked to be run again at (RETRY_AT), if it did."""
    value = resp.headers.get(RETRY_AT)
    text = value[0] if isinstance(value, list | tuple) and value else value
    try:
        until = dt.datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None
    if until is None:
        return None
    return Deferred(until if until.tzinfo else until.replace(tzinfo=dt.UTC))
