"""Build a workspace's digest for one period: aggregates in, a ``Digest`` out (no Slack).

Six round trips: one GROUP BY over the roll-up for the last ``HISTORY`` periods, the
processes, the headline (capturers, customers, unfiled backlog) in one statement, the
period's remarks by source and its scores per process, and at most three quotes per
process shown in another (plus one for older praise, rarely).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.digest import stats
from bot.digest.periods import Period, Schedule, previous_periods, zone
from bot.digest.stats import Counts
from bot.domain.customers.registry import Directory
from bot.domain.customers.rules import entry_of
from bot.domain.filing import themes as theme_reads
from bot.domain.loop import improvements as improvement_checks
from bot.domain.loop import scores as score_stats
from storage.models import Workspace
from storage.repositories.customers import CustomerRepository
from storage.repositories.digests import DigestRepository, ProcessRow, QuoteRow
from storage.repositories.improvements import ImprovementRepository
from storage.repositories.source_volumes import SourceRepository

HISTORY = 8  # periods shown in trends and the chart
SHIPPED_FOR = dt.timedelta(weeks=6)  # "Did it work?" covers improvements shipped this recently
QUOTES = 3
IDEAS = 5  # processes shown under "Ideas from customers"


@dataclass(frozen=True)
class ProcessLine:
    process_id: int
    name: str
    owner_user_id: str | None
    now: Counts
    before: Counts
    window: Counts
    score: float
    lower: float
    complaints_trend: list[int]
    praise_trend: list[int]
    quotes: list[QuoteRow] = field(default_factory=list)
    mix: CustomerMix | None = None  # who the complaints (Improve) or praise (Consolidate) came from
    themes: list[theme_reads.ThemeLine] = field(default_factory=list)  # biggest first, last 4 periods


@dataclass(frozen=True)
class CustomerMix:
    """The registered customers behind a process's remarks of one sentiment, last 4 periods."""

    tiers: tuple[tuple[str, int], ...]  # (tier, remarks), most first; "no tier" last
    value: int  # yearly value of the distinct customers, summed
    customers: int  # distinct registered customers


WEIGH_MODES = ("off", "tier", "value")


@dataclass(frozen=True)
class Moved:
    process_id: int
    name: str
    before: Counts
    now: Counts
    worse: bool


@dataclass(frozen=True)
class Shipped:
    """An improvement shipped in the last weeks, with its before/after check."""

    improvement_id: int
    title: str
    process_name: str
    shipped_at: dt.datetime
    summary: str


@dataclass
class Digest:
    team_id: str
    period: Period
    periods: list[Period]
    tz: str
    totals: Counts
    previous: Counts
    capturers: int
    customers: int
    improve: list[ProcessLine]
    consolidate: list[ProcessLine]
    movers: list[Moved]
    quiet: list[tuple[str, int]]  # (process name, remarks before it went quiet)
    unfiled: int
    unfiled_now: int  # unfiled remarks said this period
    chart: dict[str, tuple[list[int], list[int]]]  # name -> (praise, complaints) per period, by name
    late: bool = False
    in_progress: bool = False
    shipped: list[Shipped] = field(default_factory=list)
    ideas: list[ProcessLine] = field(default_factory=list)  # "Ideas from customers"
    by_source: dict[str, int] = field(default_factory=dict)  # remarks said this period per source
    languages: dict[str, int] = field(default_factory=dict)  # this period's remarks not in English, per language
    scores: list[tuple[str, list[score_stats.Figure]]] = field(default_factory=list)  # per process
    # Chart process name -> [(period index, improvement title)]: where an improvement shipped.
    chart_shipped: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.totals.total == 0
    capture_emoji: str = "memo"  # the configured capture emoji, for the how-to lines



def schedule_of(ws: Workspace, default_tz: str = "UTC") -> Schedule:
    return Schedule(weekday=ws.digest_weekday or 0, time=ws.digest_time or "09:00",
                    tz=zone(ws.timezone, default_tz))


async def build_digest(
    sessions: async_sessionmaker[AsyncSession], ws: Workspace, period: Period, *,
    default_tz: str = "UTC", in_progress: bool = False, capture_emoji: str = "memo",
) -> Digest:
    schedule = schedule_of(ws, default_tz)
    periods = previous_periods(schedule, period, HISTORY)
    bounds = [p.start for p in periods] + [period.end]
    team_id = ws.team_id
    async with sessions() as session:
        repo = DigestRepository(session)
        rows = await repo.bucket_counts(team_id, bounds)
        # Plain int cells first, one Counts per cell at the end: a few thousand roll-up
        # rows would otherwise each build an intermediate Counts.
        cells: dict[int, list[list[int]]] = {}
        for bucket, pid, sentiment, remarks, endorsements in rows:
            weeks = cells.setdefault(pid, [[0] * len(stats.FIELD_INDEX) * 2 for _ in periods])
            at = stats.FIELD_INDEX.get(sentiment)
            if at is not None:  # as Counts.added: an unknown sentiment is not counted
                weeks[bucket][at[0]] += remarks
                weeks[bucket][at[1]] += endorsements
        series = {pid: [Counts(*w) for w in weeks] for pid, weeks in cells.items()}
        all_weeks = [Counts(*map(sum, zip(*(w[i] for w in cells.values()), strict=True)))
                     for i in range(len(periods))]
        unfiled_weeks = series.pop(0, [Counts()] * len(periods))
        processes = {p.id: p for p in await repo.processes(team_id)}
        # Archived or deleted processes keep their history but are not ranked.
        series = {pid: s for pid, s in series.items() if pid in processes and not processes[pid].archived}
        totals, previous = all_weeks[-1], all_weeks[-2] if len(all_weeks) > 1 else Counts()
        if totals.total == 0:
            return Digest(team_id, period, periods, schedule.tz.key, totals, previous, 0, 0, [], [],
                          [], [], await repo.unfiled_count(team_id), 0, {}, in_progress=in_progress, capture_emoji=capture_emoji)
        capturers, customers, unfiled = await repo.headline(team_id, period.start_at, period.end_at)
        sources = SourceRepository(session)
        by_source = await sources.said_by_source(team_id, period.start_at, period.end_at)
        languages = await repo.other_languages(team_id, period.start_at, period.end_at)
        scored = _scores(await sources.score_counts(team_id, period.start_at, period.end_at), processes)
        shipped, ship_weeks = await _shipped(session, team_id, period, periods, processes)
        since = periods[-stats.WINDOW].start_at if len(periods) >= stats.WINDOW else periods[0].start_at
        mixes, weights = await _customer_mix(session, team_id, since, period.end_at, series,
                                             weigh=ws.digest_weigh or "off")
        improve = stats.rank_improve(series, weights=weights.get("complaint"))
        consolidate = stats.rank_consolidate(series, exclude=[r.process_id for r in improve],
                                             weights=weights.get("praise"))
        ideas = _ideas(series)
        wanted = [(r.process_id, "complaint") for r in improve] + [
            (r.process_id, "praise") for r in consolidate] + [(pid, "suggestion") for pid in ideas]
        quotes: dict[tuple[int | None, str], list[QuoteRow]] = defaultdict(list)
        for q in await repo.quotes(team_id, wanted, period.start_at, period.end_at, per=QUOTES):
            quotes[(q.process_id, q.sentiment)].append(q)
        # Consolidate quotes may come from earlier weeks if this one had no praise.
        missing = [(r.process_id, "praise") for r in consolidate if not quotes[(r.process_id, "praise")]]
        if missing:
            for q in await repo.quotes(team_id, missing, since, period.end_at, per=1):
                quotes[(q.process_id, q.sentiment)].append(q)
        # Themes over the same 4 periods as the ranking; "new" when first seen this period. A
        # remark already quoted on its item is not quoted again as a theme's example.
        shown = [q.remark_id for r in improve for q in quotes[(r.process_id, "complaint")][:QUOTES]] + [
            q.remark_id for r in consolidate for q in quotes[(r.process_id, "praise")][:1]]
        themes = await theme_reads.top_themes(session, team_id, wanted, since, period.end_at,
                                              new_since=period.start_at, quoted=set(shown))

    def line(r: stats.Ranked, sentiment: str, n_quotes: int) -> ProcessLine:
        p = processes[r.process_id]
        weeks = series[r.process_id]
        return ProcessLine(
            process_id=p.id, name=p.name, owner_user_id=p.owner_user_id, now=weeks[-1],
            before=weeks[-2] if len(weeks) > 1 else Counts(), window=r.window, score=r.score,
            lower=r.lower, complaints_trend=[w.complaint for w in weeks],
            praise_trend=[w.praise for w in weeks], quotes=quotes[(p.id, sentiment)][:n_quotes],
            mix=mixes.get((p.id, sentiment)), themes=themes.get((p.id, sentiment), []),
        )

    def idea_line(pid: int) -> ProcessLine:
        p, weeks = processes[pid], series[pid]
        window = stats.total(weeks[-stats.WINDOW:])
        return ProcessLine(
            process_id=p.id, name=p.name, owner_user_id=p.owner_user_id, now=weeks[-1],
            before=weeks[-2] if len(weeks) > 1 else Counts(), window=window, score=0.0,
            lower=0.0, complaints_trend=[w.complaint for w in weeks],
            praise_trend=[w.praise for w in weeks], quotes=quotes[(p.id, "suggestion")][:QUOTES],
        )

    moved = [
        Moved(m.process_id, processes[m.process_id].name, m.before, m.now, m.worse)
        for m in stats.movers(series)
    ]
    quiet = [(processes[pid].name, n) for pid, n in stats.gone_quiet(series)]
    # Panels in name order, not this week's rank, so a process sits in the same place every week.
    chart_ids = sorted(_chart_processes(series, [r.process_id for r in improve] + [r.process_id for r in consolidate]),
                       key=lambda pid: (processes[pid].name.casefold(), pid))
    chart = {processes[pid].name: ([w.praise for w in series[pid]], [w.complaint for w in series[pid]])
             for pid in chart_ids}
    chart_shipped = {processes[pid].name: ship_weeks[pid] for pid in chart_ids if pid in ship_weeks}
    return Digest(
        team_id=team_id, period=period, periods=periods, tz=schedule.tz.key, totals=totals,
        previous=previous, capturers=capturers, customers=customers,
        improve=[line(r, "complaint", QUOTES) for r in improve],
        consolidate=[line(r, "praise", 1) for r in consolidate],
        ideas=[idea_line(pid) for pid in ideas],
        movers=moved, quiet=quiet, unfiled=unfiled, unfiled_now=unfiled_weeks[-1].total,
        chart=chart, in_progress=in_progress, shipped=shipped, capture_emoji=capture_emoji,
        by_source=by_source, scores=scored, chart_shipped=chart_shipped, languages=languages,
    )


UNFILED = "Unfiled"  # the scores line of remarks without a process


def _scores(counts: dict[tuple[int, str], dict[int, int]],
            processes: dict[int, ProcessRow]) -> list[tuple[str, list[score_stats.Figure]]]:
    """Per process with scores this period: CSAT (stars folded in) and NPS, most answers first.
    Scored remarks no process took (an NPS answer without a comment) are a line of their own,
    *Unfiled*, rather than left out of every figure."""
    by_process: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for (pid, kind), values in counts.items():
        if pid and pid not in processes:
            continue  # a process not in this digest
        into = by_process[pid]["nps" if kind == "nps" else "csat"]
        for value, n in values.items():
            into[value] = into.get(value, 0) + n
    out = []
    for pid, kinds in by_process.items():
        figures = [f for f in (score_stats.csat(kinds.get("csat", {})), score_stats.nps(kinds.get("nps", {})))
                   if f is not None]
        out.append((processes[pid].name if pid else UNFILED, figures))
    return sorted(out, key=lambda t: (-sum(f.n for f in t[1]), t[0]))


def _ideas(series: dict[int, list[Counts]]) -> list[int]:
    """Processes with ideas (suggestions) this period, most first."""
    with_ideas = [(w[-1].suggestion, w[-1].suggestion_endorsements, pid)
                  for pid, w in series.items() if w and w[-1].suggestion]
    with_ideas.sort(key=lambda t: (-t[0], -t[1], t[2]))
    return [pid for *_, pid in with_ideas[:IDEAS]]


async def _customer_mix(
    session: AsyncSession, team_id: str, start: dt.datetime, end: dt.datetime,
    series: dict[int, list[Counts]], *, weigh: str,
) -> tuple[dict[tuple[int, str], CustomerMix], dict[str, dict[int, float]]]:
    """Per (process, sentiment): the registered customers' tiers and value; and, when the
    workspace weighs the ranking, each process's customer-weighted remarks of the window
    (stats module docstring). Two queries; none past the first when nobody is registered."""
    registered = await CustomerRepository(session).list(team_id)
    if not registered:
        return {}, {}
    directory = Directory.of(entry_of(c) for c in registered)
    values = [c.yearly_value for c in registered if c.yearly_value]
    median = float(statistics.median(values)) if values else 0.0
    counted: dict[tuple[int, str], dict[str, tuple[int, str | None, int | None]]] = defaultdict(dict)
    for pid, sentiment, name, n in await DigestRepository(session).customer_counts(team_id, start, end):
        entry = directory.named(name)
        if entry is None:
            continue
        seen = counted[(pid, sentiment)].get(entry.key, (0, entry.tier, entry.yearly_value))
        counted[(pid, sentiment)][entry.key] = (seen[0] + n, entry.tier, entry.yearly_value)
    mixes: dict[tuple[int, str], CustomerMix] = {}
    weights: dict[str, dict[int, float]] = defaultdict(dict)
    for (pid, sentiment), by_customer in counted.items():
        tiers: dict[str, int] = defaultdict(int)
        for n, tier, _ in by_customer.values():
            tiers[tier or "no tier"] += n
        order = sorted(tiers.items(), key=lambda kv: (kv[0] == "no tier", -kv[1], kv[0]))
        mixes[(pid, sentiment)] = CustomerMix(
            tiers=tuple(order), value=sum(v or 0 for _, _, v in by_customer.values()),
            customers=len(by_customer))
        if weigh in ("tier", "value") and pid in series:
            window = stats.total(series[pid][-stats.WINDOW:]).remarks(sentiment)
            named = sum(n for n, _, _ in by_customer.values())
            weighed = sum(n * (stats.tier_weight(t) if weigh == "tier" else stats.value_weight(v, median))
                          for n, t, v in by_customer.values())
            weights[sentiment][pid] = max(0, window - named) + weighed
    return mixes, weights


async def _shipped(session: AsyncSession, team_id: str, period: Period, periods: list[Period],
                   processes: dict[int, ProcessRow]) -> tuple[list[Shipped], dict[int, list[tuple[int, str]]]]:
    """Improvements shipped in the last weeks, checked as at the end of the period; and, per
    process, the chart's periods in which one shipped (period index, title)."""
    out = []
    weeks: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = await ImprovementRepository(session).shipped_since(
        team_id, min(periods[0].start_at, period.end_at - SHIPPED_FOR), period.end_at)
    for imp in sorted(rows, key=lambda i: (i.shipped_at or period.end_at, i.id)):
        if imp.shipped_at is None:
            continue
        at = utc(imp.shipped_at)
        week = next((i for i, p in enumerate(periods) if p.start_at <= at < p.end_at), None)
        if week is not None:
            weeks[imp.process_id].append((week, imp.title))
        if at < period.end_at - SHIPPED_FOR:
            continue
        result = await improvement_checks.check(session, imp, period.end_at)
        if result is None:
            continue
        process = processes.get(imp.process_id)
        out.append(Shipped(imp.id, imp.title, process.name if process else "?", imp.shipped_at,
                           result.summary()))
    out.sort(key=lambda sh: sh.shipped_at, reverse=True)  # newest first, as before
    return out, weeks


def _chart_processes(series: dict[int, list[Counts]], first: list[int], limit: int = 8) -> list[int]:
    """The ranked processes, topped up with the busiest others, at most ``limit``."""
    chosen = list(dict.fromkeys(first))[:limit]
    busiest = sorted(series, key=lambda pid: -sum(w.praise + w.complaint for w in series[pid]))
    for pid in busiest:
        if len(chosen) >= limit:
            break
        if pid not in chosen and any(w.praise + w.complaint for w in series[pid]):
            chosen.append(pid)
    return chosen


def utc(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC)
