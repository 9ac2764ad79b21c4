"""What a CRM sync reads (one company, as either CRM gives it) and what it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit


def domain_of(website: str | None) -> str | None:
    """A company's web domain as a CRM writes it: ``https://www.Acme.com/about`` -> ``acme.com``."""
    if not website or not website.strip():
        return None
    raw = website.strip()
    try:
        host = urlsplit(raw if "//" in raw else "//" + raw).hostname or ""
    except ValueError:
        return None
    host = host.casefold().removeprefix("www.").strip(".")
    return host if "." in host and len(host) <= 253 else None


class CrmError(Exception):
    """The CRM refused or failed; the sync stops here, keeping the pages already applied."""


@dataclass(frozen=True)
class Company:
    """One CRM company (HubSpot company, Salesforce Account), cleaned of nothing yet."""

    crm: str
    crm_id: str
    name: str
    domain: str | None = None
    revenue: Decimal | None = None
    currency: str | None = None
    tier: str | None = None
    owner_email: str | None = None
    owner_note: str | None = None  # why the owner's email is unknown (an owner id the CRM lacks)


@dataclass
class SyncReport:
    team_id: str
    crm: str
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # "Name (crm id): why"
    notes: list[str] = field(default_factory=list)  # applied, but something was kept as it was
    pages: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        line = (
            f"{self.crm}: {len(self.created)} {verb}created, {len(self.updated)} {verb}updated, "
            f"{len(self.unchanged)} unchanged, {len(self.unmatched)} could not be matched "
            f"({self.pages} page{'s' if self.pages != 1 else ''})"
        )
        return line + (f"; stopped: {self.error}" if self.error else "")

    def lines(self) -> list[str]:
        out = [self.summary()]
        for label, items in (
            ("created", self.created),
            ("updated", self.updated),
            ("could not match", self.unmatched),
            ("note", self.notes),
        ):
            out.extend(f"  {label}: {item}" for item in items)
        return out
