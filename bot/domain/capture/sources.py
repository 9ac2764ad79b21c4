"""Sources you can see (issue 21): each source's volume, and the integrations gone silent.

A remark's source is the route a teammate captured it by (reaction, forward, watch,
mention, shortcut, command), another app's name, ``api:<token name>`` or ``import``.
Volumes count deliveries (when Earshot received a remark), so an import of old survey
answers shows as this week's delivery. A source that is not a teammate's route nor an
import, that delivered in the four weeks before and nothing in the last seven days, is
flagged: an integration that broke is the likely reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.services import Services
from storage.models import ROUTES, utcnow
from storage.repositories.source_volumes import SourceRepository

WEEK = dt.timedelta(days=7)
WINDOW = dt.timedelta(weeks=4)
SILENT_AFTER = dt.timedelta(days=7)


@dataclass(frozen=True)
class Volume:
    source: str
    week: int  # delivered in the last 7 days
    four_weeks: int  # delivered in the last 28 days
    last_seen: dt.datetime
    silent: bool  # an integration that delivered before and nothing for 7 days


def is_integration(source: str) -> bool:
    return source not in ROUTES and source != "import"


def silent(source: str, last_seen: dt.datetime, now: dt.datetime) -> bool:
    return is_integration(source) and now - WINDOW - SILENT_AFTER <= last_seen < now - SILENT_AFTER


async def volumes(services: Services, team_id: str, *, now: dt.datetime | None = None) -> list[Volume]:
    """Every source of the workspace, busiest in the last four weeks first; sources silent
    for more than five weeks are left out (they are history, not news)."""
    now = now or utcnow()
    async with services.sessions() as session:
        rows = await SourceRepository(session).volumes(team_id, week_start=now - WEEK,
                                                        window_start=now - WINDOW)
    out = [Volume(s, w, m, last, silent(s, last, now)) for s, w, m, last in rows
           if last >= now - WINDOW - SILENT_AFTER]
    return sorted(out, key=lambda v: (-v.four_weeks, v.source))
