"""The process registry: add, rename, describe, keywords, owner, archive/restore.

Every operation validates its input and raises ``RegistryError`` with a message a person
can act on (the Slack command and the CLI show it as is). Every change runs in one
transaction that also bumps ``workspaces.model_version``, so every bot process rebuilds
that workspace's classifier on its next remark. Processes are never deleted: archiving
keeps their remarks, and a rename keeps the same row, so every remark stays filed.
The YAML import/export (``earshot processes``) lives in bot/domain/processes/registry_file.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.acting import Asker, require_admin
from bot.domain.processes.process_file import MAX_NAME_LENGTH
from bot.domain.processes.starter import ensure_workspace
from storage.db import transaction
from storage.models import Process, utcnow
from storage.repositories import ProcessRepository, WorkspaceRepository
from storage.repositories.processes import name_key

MAX_DESCRIPTION_LENGTH = 1000
MAX_KEYWORD_LENGTH = 60
MAX_KEYWORDS = 100
# Names that mean "no process" elsewhere (the correction menu, the inline grammar).
RESERVED_NAMES = frozenset({"none", "unfiled", "nothing", "-"})
CLEAR_WORDS = frozenset({"none", "nobody", "no one", "noone", "-", "clear", "remove"})
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$")
_TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,}$")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
_KEYWORD_STRIP = " \t\"'`.,;:!?"
# A typo or plural of an existing name ("Biling", "Billings") is refused unless forced.
CLOSE_NAME_CUTOFF = 0.85
SUGGEST_CUTOFF = 0.6


class RegistryError(ValueError):
    """Bad input to the registry: the message says what to do instead."""


class UnknownProcessName(RegistryError):
    """No process by that name; ``suggestions`` are close existing names."""

    def __init__(self, name: str, suggestions: Sequence[str]) -> None:
        hint = f" Did you mean {_or_list(suggestions)}?" if suggestions else ""
        super().__init__(f"There is no process called “{name}”.{hint}")
        self.name = name
        self.suggestions = list(suggestions)


@dataclass(frozen=True)
class Renamed:
    process: Process
    old_name: str
    remarks: int  # remarks filed under it, all of which kept


@dataclass(frozen=True)
class KeywordChange:
    process: Process
    changed: list[str]  # added or removed
    skipped: list[str]  # already there (add) or not there (remove)


@dataclass(frozen=True)
class Listed:
    process: Process
    remarks_this_week: int


# -- validation (pure) ----------------------------------------------------------------


def clean_name(raw: str) -> str:
    """A process name as stored, or RegistryError saying what is wrong with it."""
    name = " ".join(raw.translate(_QUOTES).split()).strip("\"'` ")
    if not name:
        raise RegistryError("A process needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise RegistryError(
            f"“{name[:40]}…” is {len(name)} characters; process names can be up to "
            f"{MAX_NAME_LENGTH}."
        )
    if not any(ch.isalnum() for ch in name):
        raise RegistryError("A process name needs at least one letter or digit.")
    if any(ch in name for ch in "<>[]*`|"):
        raise RegistryError(
            f"“{name}” contains a character Slack formatting would garble (< > [ ] * ` |); "
            "use letters, digits, spaces and simple punctuation."
        )
    if name.casefold() in RESERVED_NAMES:
        raise RegistryError(f"“{name}” means “no process” in Earshot; pick another name.")
    return name


def clean_keywords(words: Iterable[str]) -> list[str]:
    """Keywords trimmed, whitespace collapsed, deduplicated ignoring case (first spelling wins)."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in words:
        kw = " ".join(raw.translate(_QUOTES).split()).strip(_KEYWORD_STRIP)
        if not kw:
            continue
        if len(kw) > MAX_KEYWORD_LENGTH:
            raise RegistryError(
                f"The keyword “{kw[:30]}…” is {len(kw)} characters; keywords can be up to "
                f"{MAX_KEYWORD_LENGTH}."
            )
        if kw.casefold() not in seen:
            seen.add(kw.casefold())
            out.append(kw)
    return out


def clean_description(raw: str) -> str:
    text = " ".join(raw.split())
    if len(text) > MAX_DESCRIPTION_LENGTH:
        raise RegistryError(
            f"That description is {len(text):,} characters; descriptions can be up to "
            f"{MAX_DESCRIPTION_LENGTH:,}."
        )
    return text


def parse_owner(text: str) -> str | None:
    """The owner's user id from ``<@U123|name>``, ``<@U123>`` or ``U123``; None for "none"."""
    value = " ".join(text.split())
    if value.casefold() in CLEAR_WORDS:
        return None
    m = _MENTION.match(value)
    if m:
        return m.group(1)
    if _USER_ID.match(value):
        return value
    raise RegistryError(
        f"“{value}” is not a person. Mention them (e.g. @alice), or write `none` to clear the owner."
    )


def is_user_id(value: str) -> bool:
    return bool(_USER_ID.match(value))


def is_team_id(value: str) -> bool:
    return bool(_TEAM_ID.match(value))


def suggest(name: str, candidates: Iterable[str], *, n: int = 3,
            cutoff: float = SUGGEST_CUTOFF) -> list[str]:
    """Existing names close to ``name`` (typos, a word of a longer name), best first."""
    by_key = {name_key(c): c for c in candidates}
    key = name_key(name)
    if not key:
        return []
    found = difflib.get_close_matches(key, list(by_key), n=n, cutoff=cutoff)
    for k in by_key:  # "quality" for "Product quality": difflib alone scores that low
        if len(found) >= n:
            break
        if k not in found and (key in k.split() or (len(key) >= 4 and key in k)):
            found.append(k)
    return [by_key[k] for k in found]


def _close_existing(name: str, processes: Sequence[Process]) -> Process | None:
    """An existing process whose name is a near-duplicate of ``name`` (spacing, typo, plural)."""
    squashed = re.sub(r"[\W_]+", "", name.casefold())
    for p in processes:
        if re.sub(r"[\W_]+", "", p.name_key) == squashed:
            return p
    keys = {p.name_key: p for p in processes}
    close = difflib.get_close_matches(name_key(name), list(keys), n=1, cutoff=CLOSE_NAME_CUTOFF)
    return keys[close[0]] if close else None


def _or_list(names: Sequence[str]) -> str:
    quoted = [f"“{n}”" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


# -- operations ---------------------------------------------------------------------


async def _find(session: AsyncSession, team_id: str, name: str) -> Process:
    repo = ProcessRepository(session)
    process = await repo.by_name(team_id, name)
    if process is None:
        names = [p.name for p in await repo.list(team_id, include_archived=True)]
        raise UnknownProcessName(" ".join(name.split()), suggest(name, names))
    return process


async def _seeded(sessions: async_sessionmaker[AsyncSession], team_id: str) -> None:
    """The workspace and its starter set, committed on their own: a refused change that
    follows must not roll the seeding back."""
    async with transaction(sessions) as session:
        await ensure_workspace(session, team_id)


async def _changed(session: AsyncSession, team_id: str) -> None:
    await WorkspaceRepository(session).bump_model_version(team_id)


async def names(sessions: async_sessionmaker[AsyncSession], team_id: str) -> list[str]:
    """Every process name of the workspace (archived too), seeding the starter set first."""
    await _seeded(sessions, team_id)
    async with transaction(sessions) as session:
        return [p.name for p in await ProcessRepository(session).list(team_id, include_archived=True)]


async def list_processes(
    sessions: async_sessionmaker[AsyncSession], team_id: str, *, today: dt.date | None = None
) -> list[Listed]:
    """Active processes then archived ones, each with its remarks of the last 7 days."""
    today = today or utcnow().date()
    await _seeded(sessions, team_id)
    async with transaction(sessions) as session:
        repo = ProcessRepository(session)
        processes = await repo.list(team_id, include_archived=True)
        counts = await repo.remark_counts(team_id, since=today - dt.timedelta(days=6))
    processes.sort(key=lambda p: (p.archived, p.name_key))
    return [Listed(p, counts.get(p.id, 0)) for p in processes]


async def add_process(
    sessions: async_sessionmaker[AsyncSession], team_id: str, name: str,
    keywords: Sequence[str] = (), *, description: str = "", force: bool = False,
    asker: Asker | None = None,
) -> Process:
    """Create a process. Refuses a duplicate (ignoring case) and, unless ``force``, a near-duplicate."""
    await require_admin(asker, team_id)
    name = clean_name(name)
    words = clean_keywords(keywords)[:MAX_KEYWORDS]
    description = clean_description(description)
    await _seeded(sessions, team_id)
    async with transaction(sessions) as session:
        repo = ProcessRepository(session)
        existing = await repo.by_name(team_id, name)
        if existing is not None:
            if existing.archived:
                raise RegistryError(
                    f"“{existing.name}” exists already but is archived. Restore it with "
                    f"`/feedback process restore {existing.name}`."
                )
            raise RegistryError(f"“{existing.name}” exists already (names ignore case).")
        if not force:
            close = _close_existing(name, await repo.list(team_id, include_archived=True))
            if close is not None:
                state = " (archived)" if close.archived else ""
                raise RegistryError(
                    f"“{name}” looks like the existing process “{close.name}”{state}. If you meant "
                    f"that one, use it; if “{name}” really is a different process, add it with "
                    f"`/feedback process add --force {name}`."
                )
        process = await repo.add(team_id, name=name, keywords=words, description=description)
        await _changed(session, team_id)
    return process


async def rename_process(
    sessions: async_sessionmaker[AsyncSession], team_id: str, old: str, new: str, *,
    asker: Asker | None = None,
) -> Renamed:
    """Rename in place: the same row, so every remark filed under it stays filed under it."""
    await require_admin(asker, team_id)
    new = clean_name(new)
    await _seeded(sessions, team_id)
    async with transaction(sessions) as session:
        repo = ProcessRepository(session)
        process = await _find(session, team_id, old)
        old_name = process.name
        clash = await repo.by_name(team_id, new)
        if clash is not None and clash.id != process.id:
            raise RegistryError(f"Another process is called “{clash.name}” already (names ignore case).")
        if process.name == new:
            raise RegistryError(f"“{old_name}” is called that already.")
        await repo.rename(process, new)
        await _changed(session, team_id)
        remarks = await repo.remark_total(team_id, process.id)
    return Renamed(process, old_name, remarks)


async def describe_process(
    sessions: async_sessionmaker[AsyncSession], team_id: str, name: str, description: str, *,
    asker: Asker | None = None,
) -> Process:
    """Set (or, with an empty text, clear) a process's description."""
    await require_admin(asker, team_id)
    return await _set_field(sessions, team_id, name, "description", clean_description(description))


# (the process's new keywords, the words added or removed, the words skipped)
_KeywordEdit = tuple[list[str], list[str], list[str]]


async def add_keywords(
    sessions: async_sessionmaker[AsyncSession], team_id: str, name: str, words: Sequence[str], *,
    asker: Asker | None = None,
) -> KeywordChange:
    await require_admin(asker, team_id)

    def add(process: Process, current: list[str], words: list[str]) -> _KeywordEdit:
        have = {k.casefold() for k in current}
        added = [w for w in words if w.casefold() not in have]
        skipped = [w for w in words if w.casefold() in have]
        if len(current) + len(added) > MAX_KEYWORDS:
            raise RegistryError(
                f"“{process.name}” would have {len(current) + len(added)} keywords; the limit is "
                f"{MAX_KEYWORDS}. Remove some first."
            )
        return current + added, added, skipped

    return await _edit_keywords(sessions, team_id, name, words, add,
                                example="/feedback process keywords add Billing refund, invoice")


async def remove_keywords(
    sessions: async_sessionmaker[AsyncSession], team_id: str, name: str, words: Sequence[str], *,
    asker: Asker | None = None,
) -> KeywordChange:
    await require_admin(asker, team_id)

    def remove(process: Process, current: list[str], words: list[str]) -> _KeywordEdit:
        drop = {w.casefold() for w in words}
        kept = [k for k in current if k.casefold() not in drop]
        removed = [k for k in current if k.casefold() in drop]
        present = {k.casefold() for k in current}
        skipped = [w for w in words if w.casefold() not in present]
        return kept, removed, skipped

    return await _edit_keywords(sessions, team_id, name, words, remove,
                                example="/feedback process keywords remove Billing VAT")


async def _edit_keywords(
    sessions: async_sessionmaker[AsyncSession], team_id: str, name: str, words: Sequence[str],
    edit: Callable[[Process, list[str], list[str]], _KeywordEdit], *, example: str,
) -> KeywordChange:
    words = clean_keywords(words)
    if not words:
        raise RegistryError(f"Which keywords? e.g. `{example}`")
    await _seeded(sessions, team_id)
    async with transaction(sessions) as session:
        process = await _find(session, team_id, name)
        keywords, changed, skipped = edit(process, list(process.keywords or []), words)
        if changed:
            await ProcessRepository(session).update(process, keywords=keywords)
            await _changed(session, team_id)
    return KeywordChange(process, changed, skipped)


async def set_owner(
    sessions: async_sessionmaker[AsyncSession], team_id: str, name: str, owner_user_id: str | None, *,
    asker: Asker | None = None,
) -> Process:
    """Make ``owner_user_id`` the owner (None: nobody)."""
    await require_admin(asker, team_id)
    return await _set_field(sessions, team_id, name, "owner_user_id", owner_user_id)


async def _set_field(
    sessions: async_sessionmaker[AsyncSession], team_id: str, name: str, field_name: str, value: object
) -> Process:
    """Set one field of the process called ``name``; a change teaches the classifier anew."""
    await _seeded(sessions, team_id)
    async with transaction(sessions) as session:
        process = await _find(session, team_id, name)
        if getattr(process, field_name) != value:
            await ProcessRepository(session).update(process, **{field_name: value})
            await _changed(session, team_id)
    return process


async def set_archived(
    sessions: async_sessionmaker[AsyncSession], team_id: str, name: str, archived: bool, *,
    asker: Asker | None = None,
) -> tuple[Process, int]:
    """Archive (not offered, not routed to; its remarks stay) or restore. Returns (process, remarks)."""
    await require_admin(asker, team_id)
    await _seeded(sessions, team_id)
    async with transaction(sessions) as session:
        repo = ProcessRepository(session)
        process = await _find(session, team_id, name)
        if process.archived == archived:
            state = "archived already" if archived else "not archived"
            raise RegistryError(f"“{process.name}” is {state}.")
        await repo.update(process, archived=archived)
        await _changed(session, team_id)
        remarks = await repo.remark_total(team_id, process.id)
    return process, remarks
