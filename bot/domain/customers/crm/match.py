"""Which customer a CRM company is (pure, over a light copy of the registry loaded once per
sync): by CRM id, then by web domain, then by name or alias (casefolded). Two CRM companies
never merge into one customer: a domain or name already held by another company of the same
CRM is a conflict to report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.domain.customers.crm.records import Company
from storage.models import Customer
from storage.repositories.customers import customer_key


def looks_like_domain(alias: str) -> bool:
    return "." in alias and " " not in alias.strip() and "@" not in alias


@dataclass(eq=False)
class Known:
    """What matching needs of a customer (its row is loaded only when the sync writes it)."""

    id: int | None  # None: created in this page, not flushed yet
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    crm: str | None = None
    crm_id: str | None = None

    @classmethod
    def of(cls, row: Customer) -> Known:
        return cls(
            row.id,
            row.name,
            tuple(row.aliases or ()),
            tuple(row.domains or ()),
            row.crm,
            row.crm_id,
        )


@dataclass
class Index:
    """A workspace's customers, indexed for matching, kept current as the sync writes."""

    by_crm: dict[tuple[str, str], Known] = field(default_factory=dict)
    by_domain: dict[str, list[Known]] = field(default_factory=dict)
    by_key: dict[str, Known] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: Iterable[Known]) -> Index:
        index = cls()
        for row in rows:
            index.add(row)
        return index

    def add(self, row: Known) -> None:
        if row.crm and row.crm_id:
            self.by_crm[(row.crm, row.crm_id)] = row
        for d in {
            *(row.domains or ()),
            *(a.casefold() for a in row.aliases or () if looks_like_domain(a)),
        }:
            held = self.by_domain.setdefault(d.casefold(), [])
            if all(h is not row and (h.id is None or h.id != row.id) for h in held):
                held.append(row)
        for spelling in (row.name, *(row.aliases or ())):
            self.by_key.setdefault(customer_key(spelling), row)


@dataclass(frozen=True)
class Match:
    row: Known | None  # None: create one (when ``why`` is None too)
    how: str = ""  # "CRM id", "domain", "name"
    why: str | None = None  # could not match: why
    domain_ok: bool = True  # the company's domain may be stored on the customer


def _other(row: Known, c: Company) -> str | None:
    """Why ``row`` cannot be ``c``: it is kept in step with another CRM record."""
    if row.crm and row.crm_id and (row.crm, row.crm_id) != (c.crm, c.crm_id):
        return f"“{row.name}” is already {row.crm} record {row.crm_id}"
    return None


def match(index: Index, c: Company, claimed: dict[str, Company]) -> Match:
    """The customer ``c`` is; ``claimed``: domains the companies applied so far this sync hold."""
    domain = c.domain.casefold() if c.domain else None
    first = claimed.get(domain) if domain else None
    clash = (
        f"its domain {domain} is also that of {c.crm} company “{first.name}” ({first.crm_id}); two "
        "companies with one domain are not merged: give one of them its own domain in the CRM"
        if first is not None and first.crm_id != c.crm_id
        else None
    )
    row = index.by_crm.get((c.crm, c.crm_id))
    if row is not None:
        return Match(row, "CRM id", domain_ok=clash is None)
    if clash:
        return Match(None, why=clash)
    if domain:
        held = index.by_domain.get(domain, [])
        free = [r for r in held if _other(r, c) is None]
        if held and not free:
            return Match(
                None,
                why=f"its domain {domain} belongs to {_other(held[0], c)}; two companies "
                "with one domain are not merged: give one of them its own domain in the CRM",
            )
        if len(free) > 1:
            return Match(
                None,
                why=f"several customers have the domain {domain} "
                f"({', '.join(r.name for r in free[:3])}); keep it on one of them",
            )
        if free:
            return Match(free[0], "domain")
    row = index.by_key.get(customer_key(c.name))
    if row is not None:
        other = _other(row, c)
        if other:
            return Match(None, why=f"its name is taken: {other}")
        return Match(row, "name")
    return Match(None)
