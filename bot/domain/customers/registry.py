"""The customer registry: customers that matter, and how a remark finds its customer.

A customer has a name, aliases, a tier (free text: Enterprise, Mid-market, SMB...), an
optional yearly value (whole currency units), an account owner (a Slack user) and what
identifies it in Slack: Slack Connect team ids and channel-name rules (``ext-acme-*``).

Every change loads the whole registry, applies the change to a copy, validates the copy
whole (``check``: no name or alias used twice, no team id or rule claimed twice), and writes
it in one transaction that bumps ``workspaces.customers_version``. ``capture()`` reads the
registry through ``CustomerCache``: no query while the version it already read is current,
one query when it moved. The file import/export lives in bot/domain/customers/file.py.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.acting import Asker, require_admin
from bot.domain.customers.rules import CustomerError, Entry, check, entry_of
from bot.domain.processes.starter import ensure_workspace
from bot.slack.mrkdwn import join, md, mention, safe
from storage.db import transaction
from storage.models import Customer
from storage.repositories.customers import CustomerRepository, customer_key

# -- the registry as capture reads it ------------------------------------------------------

MIN_MENTION = 3  # shorter names and aliases are not looked for in a remark's text


@dataclass(frozen=True)
class Directory:
    """A workspace's customers, indexed for matching a remark (immutable snapshot)."""

    entries: tuple[Entry, ...] = ()
    _by_key: dict[str, Entry] = field(default_factory=dict, compare=False)
    _by_team: dict[str, Entry] = field(default_factory=dict, compare=False)
    _mention: re.Pattern[str] | None = field(default=None, compare=False)
    _by_domain: dict[str, Entry] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, entries: Iterable[Entry], domains: Iterable[tuple[str, Entry]] = ()) -> Directory:
        """``domains``: (web domain, its customer) pairs a CRM sync stored (``customers.domains``)."""
        entries = tuple(entries)
        by_domain: dict[str, Entry] = {}
        for d, e in domains:
            by_domain.setdefault(d.casefold(), e)
        by_key: dict[str, Entry] = {}
        by_team: dict[str, Entry] = {}
        for e in entries:
            for spelling in (e.name, *e.aliases):
                by_key.setdefault(customer_key(spelling), e)
            for t in e.teams:
                by_team.setdefault(t, e)
        # Longest spelling first, so "Acme Labs" wins over "Acme" where both would match.
        spellings = sorted((k for k in by_key if len(k) >= MIN_MENTION), key=len, reverse=True)
        mention = re.compile(
            r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, k.split())) for k in spellings) + r")(?!\w)",
            re.IGNORECASE) if spellings else None
        return cls(entries, by_key, by_team, mention, by_domain)

    @property
    def has_rules(self) -> bool:
        return any(e.rules for e in self.entries)

    def named(self, name: str | None) -> Entry | None:
        """The customer ``name`` is the name or an alias of (ignoring case and spacing)."""
        return self._by_key.get(customer_key(name)) if name else None

    def of_team(self, team_id: str | None) -> Entry | None:
        return self._by_team.get(team_id) if team_id else None

    def of_channel(self, channel_name: str | None) -> Entry | None:
        """The customer whose rule matches the channel name; the most specific rule wins."""
        if not channel_name:
            return None
        name = channel_name.lower()
        best: tuple[int, Entry] | None = None
        for e in self.entries:
            for r in e.rules:
                if fnmatch.fnmatchcase(name, r):
                    score = len(r.replace("*", "").replace("?", ""))
                    if best is None or score > best[0]:
                        best = (score, e)
        return best[1] if best else None

    def of_domain(self, email_or_domain: str | None) -> Entry | None:
        """The customer with an alias or CRM domain equal to this email's domain
        (``jane@eu.acme.com`` matches ``acme.com``, the most specific domain first)."""
        if not email_or_domain:
            return None
        domain = email_or_domain.rsplit("@", 1)[-1].strip().strip(".").casefold()
        parts = domain.split(".")
        for i in range(len(parts) - 1):  # never a bare top-level domain
            suffix = ".".join(parts[i:])
            found = self._by_key.get(suffix) or self._by_domain.get(suffix)
            if found is not None:
                return found
        return None

    def matching(self, given: str | None) -> str | None:
        """A name, alias or email domain given by a source, as the registry spells its
        customer; an unknown one is kept as given."""
        if not given or not given.strip():
            return None
        found = self.named(given) or (self.of_domain(given) if "." in given else None)
        return found.name if found else given.strip()

    def of_source(self, customer: str | None, contact: str | None) -> str | None:
        """The customer an outside source names (a name, alias or email domain; an unknown
        one as given), or else the one its contact's email domain belongs to."""
        named = self.matching(customer)
        if named is None and contact:
            found = self.of_domain(contact)
            named = found.name if found else None
        return named

    def canonical(self, name: str | None) -> str | None:
        """A typed or Slack-given name normalised to the registry's spelling (else as given)."""
        found = self.named(name)
        return found.name if found else (name or None)

    def mentioned(self, text: str | None) -> Entry | None:
        """The one registered customer the text names (its name or an alias, as whole words,
        capitalised as registered when the registry capitalises it), or None: none named, or
        several (the text alone cannot tell whose remark it is)."""
        if not text or self._mention is None:
            return None
        found: dict[str, Entry] = {}
        for m in self._mention.finditer(text):
            entry = self._by_key[customer_key(m.group(0))]
            spelled = next((sp for sp in (entry.name, *entry.aliases)
                            if customer_key(sp) == customer_key(m.group(0))), entry.name)
            if spelled[:1].isupper() and not m.group(0)[:1].isupper():
                continue  # "a target date" does not name the customer "Target"
            found[entry.key] = entry
        return next(iter(found.values())) if len(found) == 1 else None


class CustomerCache:
    """Each workspace's ``Directory``, reloaded when ``customers_version`` moves."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[int, Directory]] = {}

    def get(self, team_id: str, version: int) -> Directory | None:
        hit = self._held.get(team_id)
        return hit[1] if hit and hit[0] == version else None

    async def load(self, sessions: async_sessionmaker[AsyncSession], team_id: str,
                   version: int) -> Directory:
        """The directory at ``version``: from memory, or one query."""
        held = self.get(team_id, version)
        if held is not None:
            return held
        async with sessions() as session:
            rows = await CustomerRepository(session).list(team_id)
        entries = {c.id: entry_of(c) for c in rows}
        directory = Directory.of(entries.values(), ((d, entries[c.id]) for c in rows for d in c.domains or ()))
        self._held[team_id] = (version, directory)
        return directory


# -- operations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Changed:
    entry: Entry
    message: str


async def list_customers(sessions: async_sessionmaker[AsyncSession], team_id: str) -> list[Entry]:
    async with sessions() as session:
        return [entry_of(c) for c in await CustomerRepository(session).list(team_id)]


# A field a person sets here, as CRM sync names it (bot/domain/customers/crm/sync.py).
HAND_FIELDS = {"tier": "tier", "yearly_value": "value", "owner": "owner"}


def hand_set(before: Entry | None, after: Entry) -> set[str]:
    """The fields a person changed from ``before`` to ``after`` (a new customer: those given)."""
    return {name for f, name in HAND_FIELDS.items()
            if getattr(after, f) != (getattr(before, f) if before is not None else None)}


async def write(session: AsyncSession, team_id: str, rows: dict[str, Customer], entry: Entry, *,
                by_hand: Iterable[str] = ()) -> bool:
    """Store ``entry`` (created, or updated by name key); False when nothing changed.
    ``by_hand``: fields a person set, which a CRM sync then leaves alone."""
    repo = CustomerRepository(session)
    values = {"aliases": list(entry.aliases), "tier": entry.tier, "yearly_value": entry.yearly_value,
              "owner_user_id": entry.owner, "connect_team_ids": list(entry.teams),
              "channel_rules": list(entry.rules)}
    row = rows.get(entry.key)
    if row is None:
        rows[entry.key] = await repo.add(team_id, name=entry.name, manual_fields=sorted(set(by_hand)), **values)
        return True
    manual = sorted({*(row.manual_fields or ()), *by_hand})
    if entry_of(row) == entry and manual == sorted(row.manual_fields or ()):
        return False
    await repo.update(row, name=entry.name, manual_fields=manual, **values)
    return True


async def change(sessions: async_sessionmaker[AsyncSession], team_id: str, name: str | None,
                 edit: Edit, *, asker: Asker | None = None) -> Changed:
    """Apply ``edit`` to the customer ``name`` (None: ``edit`` creates one), validated whole.
    Admins only (``asker``; NotAdmin before anything is read)."""
    await require_admin(asker, team_id)
    async with transaction(sessions) as session:
        await ensure_workspace(session, team_id)
        repo = CustomerRepository(session)
        rows = {c.name_key: c for c in await repo.list(team_id)}
        entries = {k: entry_of(c) for k, c in rows.items()}
        before = None
        if name is not None:
            before = entries.get(customer_key(name))
            if before is None:
                known = ", ".join(e.name for e in entries.values()) or "none yet"
                raise CustomerError(f"There is no customer called “{name}” (known: {known[:300]}). "
                                    "`/feedback customer list` shows them.")
        after, message = edit(before)
        others = [e for k, e in entries.items() if before is None or k != before.key]
        if after is not None:
            check([*others, after])
            if before is not None and after.key != before.key:
                raise CustomerError("A customer's name cannot be changed here; remove and add it.")
            by_hand = ({HAND_FIELDS[f] for f in edit.set_fields if f in HAND_FIELDS}
                       if isinstance(edit, Update) else hand_set(before, after))
            await write(session, team_id, rows, after, by_hand=by_hand)
        elif before is not None:
            await repo.delete(rows[before.key])
        await repo.bump_version(team_id)
    return Changed(after or before or Entry(name=""), message)


class Edit:
    """A change to one customer: ``__call__(before) -> (after or None to remove, message)``."""

    def __call__(self, before: Entry | None) -> tuple[Entry | None, str]:
        raise NotImplementedError


@dataclass(frozen=True)
class Add(Edit):
    entry: Entry

    def __call__(self, before: Entry | None) -> tuple[Entry | None, str]:
        return self.entry, md("Added the customer *{}*.", self.entry.name)


@dataclass(frozen=True)
class Update(Edit):
    """Set fields (``tier``, ``yearly_value``, ``owner``), add/remove aliases, teams, rules."""

    set_fields: dict[str, object] = field(default_factory=dict)
    add_aliases: tuple[str, ...] = ()
    remove_aliases: tuple[str, ...] = ()
    add_teams: tuple[str, ...] = ()
    add_rules: tuple[str, ...] = ()
    remove_links: tuple[str, ...] = ()
    # Earshot's mrkdwn; ``{name}`` becomes the customer's name, made safe (the rest of it must
    # be safe already: build it with bot.slack.mrkdwn).
    message: str = "Updated *{name}*."

    def __call__(self, before: Entry | None) -> tuple[Entry | None, str]:
        assert before is not None
        after = replace(before, **self.set_fields)  # type: ignore[arg-type]
        drop = {customer_key(a) for a in self.remove_aliases}
        missing = [a for a in self.remove_aliases if customer_key(a) not in {customer_key(x) for x in before.aliases}]
        if missing:
            raise CustomerError(f"“{missing[0]}” is not an alias of “{before.name}”.")
        aliases = [a for a in before.aliases if customer_key(a) not in drop]
        for a in self.add_aliases:
            if customer_key(a) not in {customer_key(x) for x in aliases}:
                aliases.append(a)
        links = set(self.remove_links)
        teams = [t for t in before.teams if t not in links] + [t for t in self.add_teams if t not in before.teams]
        rules = [r for r in before.rules if r not in links] + [r for r in self.add_rules if r not in before.rules]
        if links - set(before.teams) - set(before.rules):
            raise CustomerError(f"“{before.name}” is not connected to {', '.join(sorted(links))}.")
        after = replace(after, aliases=tuple(aliases), teams=tuple(teams), rules=tuple(rules))
        return after, self.message.replace("{name}", safe(after.name))


@dataclass(frozen=True)
class Remove(Edit):
    def __call__(self, before: Entry | None) -> tuple[Entry | None, str]:
        assert before is not None
        return None, md("Removed the customer *{}*. Remarks already filed keep the name "
                        "they were filed with.", before.name)


async def set_customer_alerts(sessions: async_sessionmaker[AsyncSession], team_id: str, user_id: str,
                              *, on: bool) -> None:
    async with transaction(sessions) as session:
        await ensure_workspace(session, team_id)
        await CustomerRepository(session).set_alerts(team_id, user_id, on=on)


def describe(e: Entry) -> str:
    """One line about a customer, for the list (mrkdwn: every name in it made safe)."""
    bits: list[str] = [md("*{}*", e.name)]
    if e.tier:
        bits.append(safe(e.tier))
    if e.yearly_value is not None:
        bits.append(f"{e.yearly_value:,}/year")
    if e.owner:
        bits.append(md("owner {}", mention(e.owner)))
    if e.aliases:
        bits.append(md("aka {}", join(e.aliases)))
    links = [*e.teams, *(f"#{r}" for r in e.rules)]
    if links:
        bits.append(md("Slack: {}", join(links)))
    return " · ".join(bits)
