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


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    dry_run: bool = False

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
        out.append(ProcessDef(name, description, tuple(keywords), owner, d.archived))
    return out


async def import_processes(
    sessions: async_sessionmaker[AsyncSession], team_id: str, text: str, *,
    archive_missing: bool = False, dry_run: bool = False,
) -> ImportReport:
    """Make the registry match the file: create or update by name (ignoring case).

    The whole file is validated before anything is written, then applied in one
    transaction, so a bad file changes nothing. Each listed process ends up exactly as
    written (a field left out is cleared); importing the same file again changes nothing.
    A workspace that had not been seeded yet takes the file instead of the starter set.
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
                wanted = {"description": d.description, "keywords": list(d.keywords),
                          "owner_user_id": d.owner, "archived": d.archived}
                process = existing.get(key)
                if process is None:
                    await repo.add(team_id, name=d.name, description=d.description,
                                   keywords=d.keywords, owner_user_id=d.owner, archived=d.archived)
                    report.created.append(d.name)
                    continue
                diff = {k: v for k, v in wanted.items() if getattr(process, k) != v}
                recased = process.name != d.name  # same name, other capitalisation
                if recased:
                    await repo.rename(process, d.name)
                if diff:
                    await repo.update(process, **diff)
                (report.updated if diff or recased else report.unchanged).append(d.name)
            if archive_missing:
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
              "# Edit, then: earshot processes import FILE.yaml --team " + team_id + "\n")
    return header + dump_processes(defs)
