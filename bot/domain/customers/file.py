"""The customer registry as a file (``earshot customers import|export``): YAML or CSV.

YAML::

    customers:
      - name: Acme Corp
        aliases: [ACME, Acme Inc]
        tier: Enterprise
        value: 120000          # or "$120k", "1.5M"
        owner: U0ALICE001      # a Slack user id (or <@U0ALICE001>)
        slack_connect: [T0ACME0001]
        channels: ["ext-acme-*"]

CSV: a header row with those column names (``name`` required, the others optional), one
customer a row, lists separated by ``;``. The export guards cells a spreadsheet would run as
a formula with a leading ``'`` (``privacy.csvsafe``); the import takes that quote off again,
so an exported file imports back unchanged.

The file is validated whole before anything is written: every problem names its line;
the registry it would make (the file's customers plus those already stored that it does
not name) must be consistent (``customer_rules.check``). The import is one
transaction and idempotent: customers are matched by name, ignoring case; unchanged ones
are not written; customers the file does not name are kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.customers import registry as reg
from bot.domain.customers import rules
from bot.domain.customers.rules import CustomerError, Entry
from bot.domain.privacy import csvsafe
from bot.domain.processes.starter import ensure_workspace
from storage.db import transaction
from storage.repositories.customers import CustomerRepository

FIELDS = ("name", "aliases", "tier", "value", "owner", "slack_connect", "channels")
LIST_FIELDS = {"aliases", "slack_connect", "channels"}


class CustomerFileError(ValueError):
    """The file cannot be imported; the message names the line (or the problem)."""


@dataclass
class Imported:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        return (f"{len(self.created)} {verb}created, {len(self.updated)} {verb}updated, "
                f"{len(self.unchanged)} unchanged")


def is_csv(path_name: str, text: str) -> bool:
    if path_name.lower().endswith(".csv"):
        return True
    if path_name.lower().endswith((".yaml", ".yml")):
        return False
    return text.lstrip().lower().startswith("name")


# -- reading ------------------------------------------------------------------------------


def _records_yaml(text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise CustomerFileError(f"line {mark.line + 1 if mark else 1}: not valid YAML: {e.problem or e}") from None
    except yaml.YAMLError as e:
        raise CustomerFileError(f"not valid YAML: {e}") from None
    if not isinstance(data, dict) or set(data) != {"customers"} or not isinstance(data["customers"], list):
        raise CustomerFileError("line 1: expected a mapping with one key, 'customers', holding a list")
    assert isinstance(root, yaml.MappingNode)
    seq = root.value[0][1]
    out: list[tuple[int, dict[str, Any]]] = []
    for node, item in zip(seq.value, data["customers"], strict=True):
        line = node.start_mark.line + 1
        if not isinstance(item, dict):
            raise CustomerFileError(f"line {line}: each customer must be a mapping with a 'name'")
        out.append((line, item))
    return out


def _records_csv(text: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "name" not in header:
        raise CustomerFileError("line 1: the header row needs a 'name' column "
                                f"(columns: {', '.join(FIELDS)})")
    unknown = [h for h in header if h and h not in FIELDS]
    if unknown:
        raise CustomerFileError(f"line 1: unknown column '{unknown[0]}' (columns: {', '.join(FIELDS)})")
    reader.fieldnames = header
    out: list[tuple[int, dict[str, Any]]] = []
    for row in reader:
        if None in row:
            raise CustomerFileError(f"line {reader.line_num}: more values than columns")
        values = {k: (csvsafe.unguard(v.strip()) if isinstance(v, str) else v) for k, v in row.items() if k}
        if not any(values.values()):
            continue
        for k in LIST_FIELDS & set(values):
            values[k] = [p.strip() for p in (values[k] or "").split(";") if p.strip()]
        out.append((reader.line_num, {k: v for k, v in values.items() if v not in ("", None, [])}))
    return out


def _list(item: dict[str, Any], key: str) -> list[str]:
    value = item.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise CustomerError(f"'{key}' must be a list of text")
    return [str(v) for v in value]


def _entry(item: dict[str, Any]) -> Entry:
    unknown = [k for k in item if k not in FIELDS]
    if unknown:
        raise CustomerError(f"unknown key '{unknown[0]}' (expected {', '.join(FIELDS)})")
    if "name" not in item or item["name"] in (None, ""):
        raise CustomerError("a customer needs a 'name'")
    if not isinstance(item["name"], str | int):
        raise CustomerError("'name' must be text")
    try:
        value = rules.parse_value(item.get("value"))
    except CustomerError as e:
        raise CustomerError(f"'value': {e}") from None
    try:
        tier = rules.clean_tier(item.get("tier"))
    except CustomerError as e:
        raise CustomerError(f"'tier': {e}") from None
    try:
        owner = rules.clean_owner(item.get("owner"))
    except CustomerError:
        raise CustomerError(f"'owner': “{item.get('owner')}” is not a Slack user id "
                            "(they look like U012AB3CD, or <@U012AB3CD>)") from None
    return Entry(
        name=rules.clean_name(str(item["name"])),
        aliases=tuple(dict.fromkeys(rules.clean_name(a, what="An alias") for a in _list(item, "aliases"))),
        tier=tier, yearly_value=value, owner=owner,
        teams=tuple(dict.fromkeys(rules.clean_team(t) for t in _list(item, "slack_connect"))),
        rules=tuple(dict.fromkeys(rules.clean_rule(r) for r in _list(item, "channels"))),
    )


def parse(text: str, *, csv_format: bool) -> tuple[list[Entry], list[str]]:
    """The file's customers and where each is (``line N``); CustomerFileError otherwise."""
    records = _records_csv(text) if csv_format else _records_yaml(text)
    entries: list[Entry] = []
    where: list[str] = []
    for line, item in records:
        try:
            entries.append(_entry(item))
        except CustomerError as e:
            raise CustomerFileError(f"line {line}: {e}") from None
        where.append(f"line {line}")
    try:
        rules.check(entries, where=where)
    except CustomerError as e:
        raise CustomerFileError(str(e)) from None
    return entries, where


# -- importing and exporting ------------------------------------------------------------------


async def import_customers(sessions: async_sessionmaker[AsyncSession], team_id: str, text: str, *,
                           csv_format: bool, dry_run: bool = False,
                           known_user: Callable[[str], Awaitable[bool]] | None = None) -> Imported:
    """Create or update the file's customers in one transaction; see the module docstring.

    ``known_user``: whether Slack knows an owner (when the caller can ask Slack); an owner
    it does not know is refused, naming the line, before anything is written.
    """
    entries, where = parse(text, csv_format=csv_format)
    if known_user is not None:
        asked: dict[str, bool] = {}
        for e, w in zip(entries, where, strict=True):
            if e.owner and e.owner not in asked:
                asked[e.owner] = await known_user(e.owner)
            if e.owner and not asked[e.owner]:
                raise CustomerFileError(f"{w}: the owner {e.owner} of “{e.name}” is not a user of this workspace")
    report = Imported(dry_run=dry_run)
    async with transaction(sessions) as session:
        await ensure_workspace(session, team_id)
        repo = CustomerRepository(session)
        rows = {c.name_key: c for c in await repo.list(team_id)}
        named = {e.key for e in entries}
        kept = [rules.entry_of(c) for k, c in rows.items() if k not in named]
        try:
            rules.check([*kept, *entries], where=[*("already in the registry" for _ in kept), *where])
        except CustomerError as err:
            raise CustomerFileError(str(err)) from None
        for e in entries:
            existed = e.key in rows
            if dry_run:
                changed = not existed or rules.entry_of(rows[e.key]) != e
            else:
                before = rules.entry_of(rows[e.key]) if existed else None
                changed = await reg.write(session, team_id, rows, e, by_hand=reg.hand_set(before, e))
            (report.unchanged if not changed else report.updated if existed else report.created).append(e.name)
        if not dry_run and (report.created or report.updated):
            await repo.bump_version(team_id)
    return report


def _as_dict(e: Entry) -> dict[str, Any]:
    d: dict[str, Any] = {"name": e.name}
    if e.aliases:
        d["aliases"] = list(e.aliases)
    if e.tier:
        d["tier"] = e.tier
    if e.yearly_value is not None:
        d["value"] = e.yearly_value
    if e.owner:
        d["owner"] = e.owner
    if e.teams:
        d["slack_connect"] = list(e.teams)
    if e.rules:
        d["channels"] = list(e.rules)
    return d


async def export_customers(sessions: async_sessionmaker[AsyncSession], team_id: str, *,
                           csv_format: bool) -> tuple[str, int]:
    """The registry as a file the import reads back unchanged; and how many customers."""
    entries = await reg.list_customers(sessions, team_id)
    if not csv_format:
        text = yaml.safe_dump({"customers": [_as_dict(e) for e in entries]}, sort_keys=False,
                              allow_unicode=True)
        return text, len(entries)
    out = io.StringIO()
    writer = csvsafe.Writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for e in entries:
        writer.writerow([e.name, ";".join(e.aliases), e.tier or "",
                         "" if e.yearly_value is None else e.yearly_value, e.owner or "",
                         ";".join(e.teams), ";".join(e.rules)])
    return out.getvalue(), len(entries)
