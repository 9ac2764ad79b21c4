"""A CRM sync: every company, page by page, into the customer registry.

Each page is applied in its own transaction (and bumps ``customers_version`` once), so a sync
stopped by the CRM (a token revoked on page 3) keeps pages 1 and 2; matching by CRM id makes
the next run update what this one created instead of adding it again. What a person set by
hand (``manual_fields``) stays; an empty CRM value leaves the stored one; revenue in another
currency is converted only with a configured rate.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.customers.crm.match import Index, Known, Match, match
from bot.domain.customers.crm.owners import OwnerLookup
from bot.domain.customers.crm.records import Company, CrmError, SyncReport
from bot.domain.customers.rules import MAX_ALIASES, MAX_VALUE, CustomerError, clean_name, clean_tier
from bot.domain.processes.starter import ensure_workspace
from bot.settings.crm import CrmConfig
from storage.db import transaction
from storage.models import Customer, utcnow
from storage.repositories.customers import CustomerRepository, customer_key

log = logging.getLogger(__name__)

# The fields a CRM may own, as people name them, and their columns.
CRM_FIELDS = {"tier": "tier", "value": "yearly_value", "owner": "owner_user_id"}


class Source(Protocol):
    crm: str

    def pages(self) -> AsyncIterator[list[Company]]: ...


@dataclass
class _Run:
    report: SyncReport
    config: CrmConfig
    owners: dict[str, tuple[str | None, str | None]]
    claimed: dict[str, Company] = field(default_factory=dict)
    index: Index | None = None  # the registry as matching sees it, loaded once, kept current


def _label(c: Company) -> str:
    return f"{c.name or '(no name)'} ({c.crm} {c.crm_id})"


def _value(run: _Run, c: Company, notes: list[str]) -> int | None:
    """The yearly value the CRM gives, in our currency; None: keep the stored one."""
    if c.revenue is None:
        return None
    amount = c.revenue
    if c.currency and c.currency != run.config.currency:
        rate = run.config.rates.get(c.currency)
        if rate is None:
            notes.append(
                f"{_label(c)}: revenue {c.revenue:,} {c.currency} kept out: no rate for {c.currency} "
                f"in CRM_RATES (yearly values are in {run.config.currency}); the value was left as it was"
            )
            return None
        amount = c.revenue * rate
    whole = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if not 0 <= whole <= MAX_VALUE:
        notes.append(
            f"{_label(c)}: revenue {c.revenue} is out of range; the value was left as it was"
        )
        return None
    return whole


def _wanted(
    run: _Run, c: Company, row: Customer | None, m: Match, notes: list[str]
) -> dict[str, Any]:
    """The columns the CRM sets on the customer (only those it may and has a value for)."""
    manual = set(row.manual_fields or ()) if row is not None else set()
    values: dict[str, Any] = {"crm": c.crm, "crm_id": c.crm_id}
    if c.domain and m.domain_ok:
        values["domains"] = [c.domain.casefold()]
    if "tier" not in manual and c.tier:
        try:
            values["tier"] = clean_tier(c.tier)
        except CustomerError:
            notes.append(
                f"{_label(c)}: the tier {c.tier[:40]!r} is not a short label; the tier was left as it was"
            )
    if "value" not in manual and (value := _value(run, c, notes)) is not None:
        values["yearly_value"] = value
    if "owner" not in manual:
        if c.owner_email:
            user, why = run.owners.get(c.owner_email.casefold(), (None, "not looked up"))
            if user:
                values["owner_user_id"] = user
            else:
                notes.append(f"{_label(c)}: owner not set: {why}")
        elif c.owner_note:
            notes.append(f"{_label(c)}: owner not set: {c.owner_note}")
    return values


@dataclass
class _Page:
    """One page's session and the rows it loaded or created, by the index entry they belong to."""

    session: AsyncSession
    team_id: str
    loaded: dict[int, Customer]
    created: list[tuple[Known, Customer]] = field(default_factory=list)

    async def row(self, known: Known) -> Customer | None:
        for k, row in self.created:
            if k is known:
                return row
        if known.id is None:
            return None
        return self.loaded.get(known.id) or await self.session.get(Customer, known.id)


async def _apply(page: _Page, run: _Run, index: Index, c: Company) -> bool:
    """One company into the registry; True when a row was written."""
    report = run.report
    if not c.name:
        report.unmatched.append(f"{_label(c)}: it has no name in the CRM")
        return False
    m = match(index, c, run.claimed)
    if m.why:
        report.unmatched.append(f"{_label(c)}: {m.why}")
        return False
    row = await page.row(m.row) if m.row is not None else None
    if m.row is not None and row is None:  # created by an earlier page of a dry run
        report.unchanged.append(_label(c))
        return False
    notes: list[str] = []
    changed: dict[str, Any] = {}
    values = _wanted(run, c, row, m, notes)
    repo = CustomerRepository(page.session)
    if row is None:
        try:
            name = clean_name(c.name)
        except CustomerError as e:
            report.unmatched.append(f"{_label(c)}: {e}")
            return False
        row = repo.stage(page.team_id, name=name, **values)
        known = Known.of(row)
        page.created.append((known, row))
        index.add(known)
        report.created.append(_label(c))
    else:
        key = customer_key(c.name)
        if key != row.name_key and key not in index.by_key and len(row.aliases or ()) < MAX_ALIASES:
            try:
                values["aliases"] = [*(row.aliases or ()), clean_name(c.name)]  # the CRM's spelling
            except CustomerError:
                pass
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        if changed:
            for k, v in changed.items():
                setattr(row, k, v)
            row.updated_at = utcnow()
            index.add(Known.of(row))
            report.updated.append(
                f"{_label(c)} → “{row.name}” (matched by {m.how}: {', '.join(sorted(changed))})"
            )
        else:
            report.unchanged.append(_label(c))
    if c.domain and m.domain_ok:
        run.claimed.setdefault(c.domain.casefold(), c)
    report.notes.extend(notes)
    return m.row is None or bool(changed)


async def _load(session: AsyncSession, team_id: str, run: _Run, page: list[Company]) -> _Page:
    """The page's session with the rows its companies match loaded in one query (and, on the
    first page, the light copy of the registry every page matches against)."""
    repo = CustomerRepository(session)
    if run.index is None:
        run.index = Index.of(
            Known(id_, name, tuple(aliases or ()), tuple(domains or ()), crm, crm_id)
            for id_, name, aliases, domains, crm, crm_id in await repo.matching_view(team_id)
        )
    wanted = {m.row.id for c in page if (m := match(run.index, c, run.claimed)).row and m.row.id}
    return _Page(session, team_id, await repo.by_ids(team_id, sorted(wanted)))


async def _page(
    sessions: async_sessionmaker[AsyncSession], team_id: str, run: _Run, companies: list[Company]
) -> None:
    if run.report.dry_run:
        async with sessions() as session:
            await ensure_workspace(session, team_id)
            page = await _load(session, team_id, run, companies)
            assert run.index is not None
            for c in companies:
                await _apply(page, run, run.index, c)
            await session.rollback()
        return
    async with transaction(sessions) as session:
        await ensure_workspace(session, team_id)
        page = await _load(session, team_id, run, companies)
        assert run.index is not None
        wrote = False
        for c in companies:
            wrote = await _apply(page, run, run.index, c) or wrote
        if wrote:
            await session.flush()  # one flush for the page's rows
            for known, row in page.created:
                known.id = row.id
            await CustomerRepository(session).bump_version(team_id)


async def sync(
    sessions: async_sessionmaker[AsyncSession],
    team_id: str,
    source: Source,
    *,
    config: CrmConfig,
    owner_of: OwnerLookup,
    dry_run: bool = False,
) -> SyncReport:
    """Read every page of ``source`` into ``team_id``'s registry; the report says what happened.
    A CRM error stops the sync with what was applied so far kept (``report.error``)."""
    run = _Run(SyncReport(team_id=team_id, crm=source.crm, dry_run=dry_run), config, {})
    try:
        async for page in source.pages():
            run.report.pages += 1
            for email in {c.owner_email.casefold() for c in page if c.owner_email} - set(
                run.owners
            ):
                run.owners[email] = await owner_of(
                    email
                )  # before the transaction: no Slack call holds it
            await _page(sessions, team_id, run, page)
    except CrmError as e:
        run.report.error = str(e)
    except IntegrityError:
        run.report.error = (
            "another sync of this workspace wrote the same customers at the same time; "
            "this page was not applied (the next run picks it up)"
        )
    log.info(
        "crm: team=%s %s: %d created, %d updated, %d unchanged, %d not matched, %d pages%s",
        team_id,
        source.crm,
        len(run.report.created),
        len(run.report.updated),
        len(run.report.unchanged),
        len(run.report.unmatched),
        run.report.pages,
        " (stopped)" if run.report.error else "",
    )
    return run.report
