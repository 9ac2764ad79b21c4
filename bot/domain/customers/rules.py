"""What a valid customer registry is (pure): a customer's fields, cleaned one by one, and
the registry checked whole (no name or alias used twice, no team id or rule claimed twice).
bot/domain/customers/registry.py applies changes; bot/domain/customers/file.py reads files."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.domain.processes.registry import RegistryError, parse_owner
from bot.slack.limits import CUSTOMER_NAME
from storage.models import Customer
from storage.repositories.customers import customer_key

MAX_TIER = 40
MAX_ALIASES = 50
MAX_VALUE = 10**15
_TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,31}$")
_RULE = re.compile(r"^[a-z0-9][a-z0-9_\-*?]{0,79}$")
_VALUE = re.compile(r"^(?P<num>\d+(?:[.,]\d+)*)\s*(?P<unit>[kKmM])?$")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})


class CustomerError(ValueError):
    """Bad input to the customer registry: the message says what to do instead."""


@dataclass(frozen=True)
class Entry:
    """One customer as the registry's rules see it (pure, no database)."""

    name: str
    aliases: tuple[str, ...] = ()
    tier: str | None = None
    yearly_value: int | None = None
    owner: str | None = None
    teams: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return customer_key(self.name)


def entry_of(c: Customer) -> Entry:
    return Entry(name=c.name, aliases=tuple(c.aliases or ()), tier=c.tier, yearly_value=c.yearly_value,
                 owner=c.owner_user_id, teams=tuple(c.connect_team_ids or ()),
                 rules=tuple(c.channel_rules or ()))



def clean_name(raw: str, *, what: str = "A customer name") -> str:
    name = " ".join(str(raw).translate(_QUOTES).split()).strip("\"'` ")
    if not name:
        raise CustomerError(f"{what} is empty.")
    if len(name) > CUSTOMER_NAME:
        raise CustomerError(f"“{name[:40]}…” is {len(name)} characters; customer names can be up to "
                            f"{CUSTOMER_NAME}.")
    if any(ch in name for ch in "<>*`|"):
        raise CustomerError(f"“{name}” contains a character Slack formatting would garble (< > * ` |).")
    return name


def clean_tier(raw: object) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise CustomerError(f"The tier {raw!r} is not text (write it like Enterprise, Mid-market or SMB).")
    tier = " ".join(raw.split())
    if tier.casefold() in {"", "none", "-"}:
        return None
    if len(tier) > MAX_TIER or not any(ch.isalnum() for ch in tier) or any(ch in tier for ch in "<>*`|"):
        raise CustomerError(f"“{tier[:60]}” is not a tier: use a short label (up to {MAX_TIER} "
                            "characters) such as Enterprise, Mid-market or SMB.")
    return tier


def parse_value(raw: object) -> int | None:
    """A yearly value in whole units: ``120000``, ``120,000``, ``$120k``, ``1.5M``; none clears."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise CustomerError(f"The yearly value {raw!r} is not an amount.")
    if isinstance(raw, int | float):
        amount = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(" ", "").lstrip("$€£¥")
        if text.casefold() in {"", "none", "-"}:
            return None
        m = _VALUE.match(text)
        if not m:
            raise CustomerError(f"“{str(raw)[:40]}” is not a yearly value: write an amount such as "
                                "120000, 120,000, $120k or 1.5M.")
        num, unit = m.group("num"), (m.group("unit") or "").lower()
        # "1,5M" and "120,000": a comma followed by exactly three digits groups thousands.
        num = re.sub(r",(?=\d{3}(?:\D|$))", "", num).replace(",", ".")
        try:
            amount = Decimal(num)
        except InvalidOperation:
            raise CustomerError(f"“{str(raw)[:40]}” is not a yearly value.") from None
        amount *= {"": 1, "k": 1_000, "m": 1_000_000}[unit]
    if amount < 0 or amount > MAX_VALUE:
        raise CustomerError(f"The yearly value {raw} is out of range (0 to {MAX_VALUE:,}).")
    return int(amount)


def clean_owner(raw: object) -> str | None:
    if raw is None:
        return None
    try:
        return parse_owner(str(raw))
    except RegistryError as e:
        raise CustomerError(str(e)) from None


def clean_team(raw: str) -> str:
    team = raw.strip().upper()
    if not _TEAM_ID.match(team):
        raise CustomerError(f"“{raw[:40]}” is not a Slack team id (they look like T012AB3CD).")
    return team


def clean_rule(raw: str) -> str:
    """A channel-name rule: a channel name with ``*`` (any characters), e.g. ``ext-acme-*``."""
    rule = raw.strip().lstrip("#").lower()
    m = re.match(r"^<#C[A-Z0-9]+\|([^>]*)>$", raw.strip())
    if m:
        rule = m.group(1).lower()
    if not _RULE.match(rule) or rule.strip("*?-_") == "":
        raise CustomerError(f"“{raw[:60]}” is not a channel-name rule: write a channel name, with `*` "
                            "for any characters, such as `ext-acme-*`.")
    return rule


def is_team_ref(raw: str) -> bool:
    return bool(_TEAM_ID.match(raw.strip().upper())) and raw.strip()[:1] in "TE" and "-" not in raw


def check(entries: Sequence[Entry], *, where: Sequence[str] | None = None) -> None:
    """The whole registry is consistent, or CustomerError naming where it is not.

    ``where[i]`` says where entry ``i`` comes from (``line 4``), for the message.
    """
    def at(i: int) -> str:
        return f"{where[i]}: " if where else ""

    names: dict[str, tuple[int, str]] = {}  # name or alias key -> (entry, as written)
    teams: dict[str, int] = {}
    rules: dict[str, int] = {}
    for i, e in enumerate(entries):
        if len(e.aliases) > MAX_ALIASES:
            raise CustomerError(f"{at(i)}“{e.name}” has {len(e.aliases)} aliases; the limit is {MAX_ALIASES}.")
        own: set[str] = set()
        for spelling in (e.name, *e.aliases):
            k = customer_key(spelling)
            if k in own:
                continue
            own.add(k)
            if k in names:
                j, other = names[k]
                first = entries[j].name
                if customer_key(spelling) == e.key and customer_key(other) == customer_key(first):
                    raise CustomerError(f"{at(i)}the customer “{e.name}” is listed twice "
                                        f"(also {where[j] if where else 'already there'}).")
                raise CustomerError(f"{at(i)}“{spelling}” (of “{e.name}”) collides with “{other}” of "
                                    f"“{first}”{f' ({where[j]})' if where else ''}: a name or alias "
                                    "can belong to one customer only.")
            names[k] = (i, spelling)
        for t in e.teams:
            if t in teams and teams[t] != i:
                raise CustomerError(f"{at(i)}the Slack Connect team {t} is already “{entries[teams[t]].name}”'s.")
            teams[t] = i
        for r in e.rules:
            if r in rules and rules[r] != i:
                raise CustomerError(f"{at(i)}the channel rule `{r}` is already “{entries[rules[r]].name}”'s.")
            rules[r] = i
