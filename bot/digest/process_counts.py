"""Each process with this period's counts, as the digest counts them (the read API's
``GET /api/v1/processes``): the same daily roll-up, the same periods (the workspace's
digest schedule, the period in progress and the one before), the same ``Counts``; and the
improvements of each process with their *Did it work?* verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.digest.build import schedule_of
from bot.digest.periods import Period, current_period, previous_periods
from bot.digest.stats import Counts
from bot.domain.loop import impact
from bot.domain.loop.improvements import check
from bot.domain.services import Services
from storage.models import Improvement, Process, Workspace
from storage.repositories.digests import DigestRepository
from storage.repositories.reads import ReadRepository
from storage.repositories.workspaces import WorkspaceRepository


@dataclass(frozen=True)
class Checked:
    improvement: Improvement
    remarks: int
    result: impact.Impact | None  # None until it ships


@dataclass(frozen=True)
class ProcessFigures:
    process: Process
    now: Counts  # the period in progress
    before: Counts  # the period before it
    improvements: list[Checked] = field(default_factory=list)


async def processes_page(
    services: Services, team_id: str, *, after: int | None, limit: int, include_archived: bool
) -> tuple[Period, Period, Counts, list[ProcessFigures]]:
    """(this period, the one before, this period's unfiled remarks, up to ``limit`` processes
    past id ``after``)."""
    now = services.clock()
    async with services.sessions() as session:
        ws = await WorkspaceRepository(session).get(team_id) or Workspace(team_id=team_id)
        schedule = schedule_of(ws, services.settings.default_timezone)
        before, period = previous_periods(schedule, current_period(schedule, now), 2)
        repo = ReadRepository(session)
        processes = await repo.processes(
            team_id, after=after, limit=limit, include_archived=include_archived
        )
        counts: dict[int, list[Counts]] = {p.id: [Counts(), Counts()] for p in processes}
        rows = await DigestRepository(session).bucket_counts(
            team_id, [before.start, period.start, period.end]
        )
        unfiled = Counts()
        for bucket, pid, sentiment, remarks, endorsements in rows:
            if pid == 0 and bucket == 1:  # the roll-up's unfiled row
                unfiled = unfiled.added(sentiment, remarks, endorsements)
            if pid in counts:
                counts[pid][bucket] = counts[pid][bucket].added(sentiment, remarks, endorsements)
        checked: dict[int, list[Checked]] = {p.id: [] for p in processes}
        if processes:
            for imp, _, n in await repo.improvements(team_id, process_ids=list(counts)):
                checked[imp.process_id].append(Checked(imp, n, await check(session, imp, now)))
    return (
        period,
        before,
        unfiled,
        [ProcessFigures(p, counts[p.id][1], counts[p.id][0], checked[p.id]) for p in processes],
    )
