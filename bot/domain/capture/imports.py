"""`earshot import`: a survey export or a helpdesk backlog as remarks (CSV or JSON Lines).

The file is read and checked whole first: every row is validated as the intake API
validates a body (bot/domain/capture/incoming.py), and every named process must exist.
If any row is bad (two rows with one ``external_id`` included: the later would silently
edit the earlier), each one is reported by line and field and nothing is written; a file
without rows is refused too. Then
the rows go through the capture path one by one, as the API's do, so a re-run of the same
file changes nothing: a row's key is its source and external id, or without one a hash of
the row (text, time, customer, contact), so the same row imported twice is one remark.

CSV: a header row naming the API's fields; an empty cell is an absent field; a score is
two columns, ``score_kind`` and ``score_value``. JSONL: one API body per line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.domain.capture import bulk
from bot.domain.capture.incoming import FIELDS, Incoming, Problem, parse
from bot.domain.capture.intake import key_of, request_of
from bot.domain.capture.requests import Route
from bot.domain.services import Services
from storage.db import transaction
from storage.repositories import ProcessRepository, WorkspaceRepository
from storage.repositories.processes import name_key

CAPTURER = "import"
FORMATS = ("csv", "jsonl")
MAX_PROBLEMS = 100  # reported; the count says how many more


@dataclass(frozen=True)
class LineProblem:
    line: int
    field: str
    message: str


@dataclass(frozen=True)
class Row:
    line: int
    item: Incoming
    key: str


@dataclass(frozen=True)
class Imported:
    new: int
    known: int


@dataclass(frozen=True)
class _Header:
    """The CSV header row's problems (a JSONL row may itself be a list: not these)."""

    problems: list[Problem]


CSV_COLUMNS = tuple(f for f in FIELDS if f != "score") + ("score_kind", "score_value")


def _header_problems(names: list[str]) -> list[Problem]:
    """The header row's own problems: a column named twice (one cell would silently win)
    or one that is no field (named once here, not on every row)."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in names:
        if not name:  # a trailing comma: a column without a name, whose cells are ignored
            continue
        if name in seen:
            problems.append(Problem(name, "is a column twice in the header row"))
        elif name not in CSV_COLUMNS:
            problems.append(Problem(name, f"is not a column Earshot knows (known: {', '.join(CSV_COLUMNS)})"))
        seen.add(name)
    return problems


def _csv_rows(text: str) -> Iterator[tuple[int, object]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        return
    # Header names in any case, spaces around them ignored (a spreadsheet's "Text", "Score_Kind").
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
    if header := _header_problems(list(reader.fieldnames)):
        yield 1, _Header(header)  # every row would repeat them: the header alone is named
        return
    for raw in reader:
        # A row is named by the line it starts on: a quoted cell may run over several lines.
        cells = [v for v in raw.values() if isinstance(v, str)] + list(raw.get(None) or [])
        line = reader.line_num - sum(c.count("\n") for c in cells if isinstance(c, str))
        if None in raw:  # more cells than the header has
            yield line, ValueError("has more cells than the header row")
            continue
        data: dict[str, object] = {k.strip(): v for k, v in raw.items() if k and v is not None and v != ""}
        kind, value = data.pop("score_kind", None), data.pop("score_value", None)
        if kind is not None or value is not None:
            number = str(value).strip()
            data["score"] = {"kind": kind, "value": int(number) if number.lstrip("-").isdigit() else value}
        yield line, data


def _jsonl_rows(text: str) -> Iterator[tuple[int, object]]:
    # Only "\n" ends a row: str.splitlines() would also cut at U+2028, U+0085 and the like,
    # which JSON allows unescaped inside strings (a tweet or chat message holds them).
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except (ValueError, RecursionError):
            yield n, ValueError("is not valid JSON")


def check(services: Services, text: str, fmt: str, *, source: str) -> tuple[list[Row], list[LineProblem], int]:
    """Every row validated: (rows, problems, how many problems in all). Pure but for the
    clock; the processes are checked by ``check_processes``."""
    now = services.clock()
    rows: list[Row] = []
    problems: list[LineProblem] = []
    total = 0
    first_at: dict[str, int] = {}  # a row's key (source and external id) -> its line
    for line, data in (_csv_rows(text) if fmt == "csv" else _jsonl_rows(text)):
        if isinstance(data, ValueError):
            found: Incoming | list[Problem] = [Problem("(row)", str(data))]
        elif isinstance(data, _Header):
            found = data.problems
        else:
            if isinstance(data, dict):
                data.setdefault("source", source)
            found = parse(data, now=now)
        if isinstance(found, list):
            total += len(found)
            problems.extend(LineProblem(line, p.field, p.message) for p in found[:MAX_PROBLEMS])
            continue
        basis = None if found.external_id else json.dumps(
            [found.text, found.said_at.isoformat() if found.said_at else None, found.customer, found.contact])
        key = key_of(found.source, found.external_id, row=basis)
        if found.external_id is not None:
            # Two rows with one id would be one remark, the later silently editing the earlier.
            if key in first_at:
                total += 1
                problems.append(LineProblem(line, "external_id", f"{found.external_id!r} is also on line "
                                            f"{first_at[key]}: each row's id must be unique in the file"))
                continue
            first_at[key] = line
        rows.append(Row(line, found, key))
    return rows, problems[:MAX_PROBLEMS], total


async def check_processes(services: Services, team_id: str, rows: list[Row]) -> list[LineProblem]:
    async with services.sessions() as session:
        known = {p.name_key for p in await ProcessRepository(session).list(team_id)}
    return [LineProblem(r.line, "process", f"no active process is named {r.item.process!r}")
            for r in rows if r.item.process and name_key(r.item.process) not in known][:MAX_PROBLEMS]


BATCH = 250  # rows per transaction


async def write(services: Services, team_id: str, rows: list[Row], *,
                progress: Callable[[int], object] = lambda n: None) -> Imported:
    """File every row (checked before) in transactions of ``BATCH`` rows (bulk.py)."""
    async with services.sessions() as session:
        processes = {p.name_key: p for p in await ProcessRepository(session).list(team_id)}
    new = known = 0
    learnt = False
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        reqs = [request_of(team_id, r.item, capturer=CAPTURER, source=CAPTURER, route=Route.IMPORT,
                           key=r.key, process=processes[name_key(r.item.process)] if r.item.process else None)
                for r in chunk]
        written = await bulk.capture_many(services, team_id, reqs, learn=False)
        made = sum(w.created for w in written)
        learnt = learnt or any(w.created and bulk.is_lesson(r) for w, r in zip(written, reqs, strict=True))
        new, known = new + made, known + len(written) - made
        progress(len(chunk))
    if learnt:  # rows filed to a named process are lessons, as a person's filing is: once
        async with transaction(services.sessions) as session:
            await WorkspaceRepository(session).bump_model_version(team_id)
    return Imported(new=new, known=known)
