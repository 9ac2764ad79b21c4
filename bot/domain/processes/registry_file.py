"""The process registry as a YAML file (config as code): ``earshot processes import|export``.

An import is validated as a whole (every error names its line) before anything is
written, using the same rules as the Slack commands (bot/domain/processes/registry.py), then applied in
one transaction that bumps ``workspaces.model_version`` like any other registry change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from yaml.nodes import MappingNode, SequenceNode

from bot.domain.processes.process_file import (
    ProcessDef,
    ProcessFileError,
    dump_processes,
    load_processes,
)
from bot.domain.processes.registry import (
    MAX_KEYWORDS,
    RegistryError,
    clean_description,
    clean_keywords,
    clean_name,
    parse_owner,
)
from storage.repositories import ProcessRepository, WorkspaceRepository
from storage.repositories.processes import name_key

DETAIL_ITEMS = 8  # keywords named in a change line before "and N more"
DETAIL_CHARS = 60  # a description is cut to this in a change line


def _words(items: list[str]) -> str:
    shown = ", ".join(items[:DETAIL_ITEMS])
    return shown + (f" and {len(items) - DETAIL_ITEMS} more" if len(items) > DETAIL_ITEMS else "")


def _text(value: object) -> str:
    if value in (None, ""):
        return "(none)"
    text = str(value)
    return f"“{text[:DETAIL_CHARS]}…”" if len(text) > DETAIL_CHARS else f"“{text}”"


def _keywords(value: object) -> list[str]:
    return [str(k) for k in value] if isinstance(value, list | tuple) else []


@dataclass(frozen=True)
class FieldChange:
    """One field of one process, before and after the import."""

    field: str  # name, description, keywords, owner, archived
    before: object
    after: object

    def describe(self) -> str:
        """``keywords: 15 → 14 (- refund)``, ``owner: U0ALICE001 → (none)``, ..."""
        if self.field == "keywords":
            old, new = _keywords(self.before), _keywords(self.after)
            old_keys, new_keys = {k.casefold() for k in old}, {k.casefold() for k in new}
            added = [k for k in new if k.casefold() not in old_keys]
            removed = [k for k in old if k.casefold() not in new_keys]
            detail = "; ".join(([f"+ {_words(added)}"] if added else [])
                               + ([f"- {_words(removed)}"] if removed else [])) or "same words, new order"
            return f"keywords: {len(old)} → {len(new)} ({detail})"
        if self.field == "archived":
            return f"status: {'archived' if self.before else 'active'} → {'archived' if self.after else 'active'}"
        if self.field == "description":
            return f"description: {_text(self.before)} → {_text(self.after)}"
        return f"{self.field}: {self.before or '(none)'} → {self.after or '(none)'}"


# The fields a listed process may leave out, and what "left out" means with --replace.
_CLEARED: dict[str, object] = {"description": "", "keywords": [], "owner_user_id": None, "archived": False}
_FILE_KEY = {"description": "description", "keywords": "keywords", "owner_user_id": "owner",
             "archived": "archived"}


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    dry_run: bool = False
    # Per updated process (its name as stored): what changed, field by field.
    changes: dict[str, list[FieldChange]] = field(default_factory=dict)
    # Per listed process: the fields with a value that the file left out, so were kept.
    kept: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.archived)

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        parts = [f"{len(self.created)} {verb}created", f"{len(self.updated)} {verb}updated",
                 f"{len(self.unchanged)} unchanged"]
        if self.archived:
            parts.append(f"{len(self.archived)} {verb}archived")
        return ", ".join(parts)

    def details(self) -> list[str]:
        """One line per created, updated or archived process, each updated one followed by its
        field changes and the fields it kept because the file left them out."""
        lines = [f"created: {name}" for name in self.created]
        for name in self.updated:
            lines.append(f"updated: {name}")
            lines += [f"  {c.describe()}" for c in self.changes.get(name, [])]
            if self.kept.get(name):
                lines.append(f"  kept (not in the file): {', '.join(self.kept[name])}")
        lines += [f"archived: {name}" for name in self.archived]
        return lines


def _item_nodes(text: str) -> list[MappingNode]:
    """The mapping node of each listed process (for line numbers); the file parsed already."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, MappingNode):
        return []
    for key, value in root.value:
        if key.value == "processes" and isinstance(value, SequenceNode):
            return [n for n in value.value if isinstance(n, MappingNode)]
    return []


def parse_registry_file(text: str) -> list[ProcessDef]:
    """Parse and fully validate a registry file; every error names its line."""
    defs = load_processes(text)
    nodes = _item_nodes(text)
    out: list[ProcessDef] = []
    for d, node in zip(defs, nodes, strict=True):
        lines = {str(k.value): v.start_mark.line + 1 for k, v in node.value}
        line = node.start_mark.line + 1
        try:
            name = clean_name(d.name)
        except RegistryError as e:
            raise ProcessFileError(lines.get("name", line), str(e)) from None
        try:
            keywords = clean_keywords(d.keywords)
        except RegistryError as e:
            raise ProcessFileError(lines.get("keywords", line), str(e)) from None
        if len(keywords) > MAX_KEYWORDS:
            raise ProcessFileError(lines.get("keywords", line),
                                   f"{len(keywords)} keywords; the limit is {MAX_KEYWORDS}")
        try:
            description = clean_description(d.description)
        except RegistryError as e:
            raise ProcessFileError(lines.get("description", line), str(e)) from None
        owner = None
        if d.owner:
            try:
                owner = parse_owner(d.owner)
            except RegistryError:
                raise ProcessFileError(
                    lines.get("owner", line),
                    f"'owner' must be a Slack user id such as U012AB3CD, not {d.owner!r}",
                ) from None
        out.append(ProcessDef(name, description, tuple(keywords), owner, d.archived, d.given))
    return out


async def import_processes(
    sessions: async_sessionmaker[AsyncSession], team_id: str, text: str, *,
    replace: bool = False, archive_missing: bool = False, dry_run: bool = False,
) -> ImportReport:
    """Bring the registry in line with the file: create or update by name (ignoring case).

    By default a listed process takes the fields the file writes and keeps the ones it
    leaves out (a ``keywords`` list, when written, is the whole new list), and keeps its
    own capitalisation. With ``replace`` the file is the whole truth: a field left out is
    cleared, the file's capitalisation wins, and processes it does not list are archived
    (``archive_missing`` archives those alone). The whole file is validated before anything
    is written, then applied in one transaction, so a bad file changes nothing; importing
    the same file again changes nothing. A workspace that had not been seeded yet takes
    the file instead of the starter set.
    """
    defs = parse_registry_file(text)
    report = ImportReport(dry_run=dry_run)
    async with sessions() as session:
        tx = await session.begin()
        try:
            workspaces = WorkspaceRepository(session)
            ws = await workspaces.ensure(team_id)
            if not ws.processes_seeded:
                await workspaces.update(team_id, processes_seeded=True)
            repo = ProcessRepository(session)
            existing = {p.name_key: p for p in await repo.list(team_id, include_archived=True)}
            listed: set[str] = set()
            for d in defs:
                key = name_key(d.name)
                listed.add(key)
                process = existing.get(key)
                if process is None:
                    await repo.add(team_id, name=d.name, description=d.description,
                                   keywords=d.keywords, owner_user_id=d.owner, archived=d.archived)
                    report.created.append(d.name)
                    continue
                written = {"description": d.description, "keywords": list(d.keywords),
                           "owner_user_id": d.owner, "archived": d.archived}
                wanted = {k: (v if replace or _FILE_KEY[k] in d.given else getattr(process, k))
                          for k, v in written.items()}
                diff = {k: v for k, v in wanted.items() if getattr(process, k) != v}
                changes = [FieldChange(_FILE_KEY[k], getattr(process, k), v) for k, v in diff.items()]
                shown_name = process.name
                if replace and process.name != d.name:  # same name, other capitalisation
                    changes.insert(0, FieldChange("name", process.name, d.name))
                    await repo.rename(process, d.name)
                    shown_name = d.name
                if diff:
                    await repo.update(process, **diff)
                kept = [_FILE_KEY[k] for k in ("description", "keywords", "owner_user_id")
                        if not replace and _FILE_KEY[k] not in d.given and getattr(process, k)]
                if kept:
                    report.kept[shown_name] = kept
                if changes:
                    report.updated.append(shown_name)
                    report.changes[shown_name] = changes
                else:
                    report.unchanged.append(shown_name)
            if replace or archive_missing:
                for key, process in existing.items():
                    if key not in listed and not process.archived:
                        await repo.update(process, archived=True)
                        report.archived.append(process.name)
            if report.changed:
                await workspaces.bump_model_version(team_id)
        except BaseException:
            await tx.rollback()
            raise
        if dry_run:
            await tx.rollback()
        else:
            await tx.commit()
    return report


async def export_processes(sessions: async_sessionmaker[AsyncSession], team_id: str) -> str:
    """The workspace's registry (archived processes included) in the import format."""
    async with sessions() as session:
        processes = await ProcessRepository(session).list(team_id, include_archived=True)
    defs = [
        ProcessDef(p.name, p.description or "", tuple(p.keywords or ()), p.owner_user_id, p.archived)
        for p in processes
    ]
    header = (f"# Earshot processes for workspace {team_id}.\n"
              f"# Edit, then: earshot processes import FILE.yaml --team {team_id}\n"
              "# (fields left out are kept; --replace makes this file the whole registry)\n")
    return header + dump_processes(defs)
