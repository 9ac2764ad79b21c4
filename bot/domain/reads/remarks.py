"""A workspace's remarks, read back by filter (``GET /api/v1/remarks``).

Each filter is checked here, with a problem naming it when its value is not one Earshot
knows (a process, customer or theme of another workspace is unknown too). Text that was
dropped (retention, a person's erasure) is never shown: such a remark is listed with no
text, its filing intact; a remark whose Slack message was deleted is gone altogether.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.capture.incoming import Problem, when
from bot.domain.customers.registry import Directory
from bot.domain.customers.rules import entry_of
from bot.domain.filing import themes
from bot.domain.reads import lists
from bot.domain.services import Services
from storage.models import Remark
from storage.models.base import SENTIMENTS
from storage.repositories import ProcessRepository
from storage.repositories.customers import CustomerRepository
from storage.repositories.reads import ReadRepository, RemarkFilter
from storage.repositories.themes import ThemeRepository

# The digest calls suggestions "ideas": either word finds them.
SENTIMENT_WORDS = {**{s: s for s in SENTIMENTS}, "idea": "suggestion"}


@dataclass(frozen=True)
class Query:
    """The filters as the request gave them (None: not given)."""

    since: str | None = None
    until: str | None = None
    process: str | None = None
    sentiment: str | None = None
    customer: str | None = None
    source: str | None = None
    theme: str | None = None


@dataclass(frozen=True)
class Item:
    remark: Remark
    process: str | None
    theme_label: str | None

    @property
    def text(self) -> str | None:
        """The words, or None once they were dropped (retention, erasure)."""
        r = self.remark
        return None if r.text_expired_at is not None or not r.text else r.text


def _time(field: str, value: str | None, problems: list[Problem]) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return when(value)
    except ValueError as e:
        problems.append(Problem(field, str(e)))
    except OverflowError:  # a year 1 or 9999 time whose offset leaves the calendar
        problems.append(Problem(field, "is out of range"))
    return None


async def resolve(services: Services, team_id: str, q: Query) -> RemarkFilter | list[Problem]:
    """The filter ``q`` names, or every problem with it."""
    problems: list[Problem] = []
    since, until = _time("since", q.since, problems), _time("until", q.until, problems)
    if since is not None and until is not None and until <= since:
        problems.append(Problem("until", "must be later than since"))
    sentiment = None
    if q.sentiment is not None:
        sentiment = SENTIMENT_WORDS.get(q.sentiment.strip().lower())
        if sentiment is None:
            problems.append(Problem("sentiment", f"is one of {', '.join(SENTIMENTS)} (or idea)"))
    if q.source is not None and not q.source.strip():
        problems.append(Problem("source", "must not be empty"))
    async with services.sessions() as session:
        process_id = await lists.process_id(session, team_id, q.process, problems)
        customers = await _customers(session, team_id, q.customer, problems)
        theme_ids = await _themes(session, team_id, q.theme, problems)
    if problems:
        return problems
    return RemarkFilter(
        since=since,
        until=until,
        process_id=process_id,
        sentiment=sentiment,
        customers=customers,
        source=q.source.strip() if q.source else None,
        theme_ids=theme_ids,
    )


async def _customers(
    session: AsyncSession, team_id: str, name: str | None, problems: list[Problem]
) -> frozenset[str]:
    """Every spelling a remark of this customer may carry: as given, and the registry's
    name and aliases when it names a registered customer."""
    if name is None:
        return frozenset()
    name = " ".join(name.split())
    if not name:
        problems.append(Problem("customer", "must not be empty"))
        return frozenset()
    entry = Directory.of(
        entry_of(c) for c in await CustomerRepository(session).list(team_id)
    ).named(name)
    spellings = {name, *((entry.name, *entry.aliases) if entry else ())}
    # As spelt, and lower-cased (SQLite's lower() folds ASCII only: both cover the rest).
    return frozenset(spellings | {s.lower() for s in spellings})


async def _themes(
    session: AsyncSession, team_id: str, theme: str | None, problems: list[Problem]
) -> frozenset[int] | None:
    """A theme by id, or every theme whose name is ``theme`` (names can repeat across processes)."""
    if theme is None:
        return None
    wanted = theme.strip()
    if wanted.isascii() and wanted.isdigit():
        if (
            len(wanted) > 10
            or int(wanted) >= 2**31
            or await ThemeRepository(session).get(team_id, int(wanted)) is None
        ):
            problems.append(Problem("theme", f"no theme has the id {wanted}"))
            return None
        return frozenset({int(wanted)})
    processes = [
        p.id for p in await ProcessRepository(session).list(team_id, include_archived=True)
    ]
    labels = await themes.labels_of(session, team_id, processes)
    found = frozenset(tid for tid, label in labels.items() if label.casefold() == wanted.casefold())
    if not found:
        problems.append(
            Problem("theme", f"no theme is named {wanted[:80]!r} (see GET /api/v1/themes)")
        )
        return None
    return found


async def page(
    services: Services,
    team_id: str,
    f: RemarkFilter,
    *,
    after: tuple[dt.datetime, int] | None,
    newest_first: bool,
    limit: int,
) -> list[Item]:
    """Up to ``limit`` remarks past ``after``, each with its process and theme names."""
    async with services.sessions() as session:
        repo = ReadRepository(session)
        rows = await repo.remarks(team_id, f, after=after, newest_first=newest_first, limit=limit)
        of_theme = await repo.theme_processes(team_id, {r.theme_id for r, _ in rows if r.theme_id})
        labels = (
            await themes.labels_of(session, team_id, sorted(set(of_theme.values())))
            if of_theme
            else {}
        )
    return [Item(r, name, labels.get(r.theme_id) if r.theme_id else None) for r, name in rows]
