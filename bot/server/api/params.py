"""Reading the read API's query string: only the parameters an endpoint knows, each once,
and the page size; every problem named (docs/api.md, "Reading")."""

from __future__ import annotations

from collections.abc import Collection

from aiohttp import web

from bot.domain.capture.incoming import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
PAGING = ("limit", "cursor")
MAX_VALUE = 1000  # longer than any name, label or cursor


def read(request: web.Request, known: Collection[str]) -> tuple[dict[str, str], list[Problem]]:
    """The query's parameters, and a problem for each unknown or repeated one."""
    out: dict[str, str] = {}
    problems: list[Problem] = []
    allowed = sorted({*known, *PAGING})
    for name in dict.fromkeys(request.query.keys()):
        values = request.query.getall(name)
        if name not in allowed:
            problems.append(
                Problem(name[:60], f"is not a parameter here (known: {', '.join(allowed)})")
            )
        elif len(values) > 1:
            problems.append(Problem(name, "give it once"))
        elif (why := _unstorable(values[0])) is not None:
            problems.append(Problem(name, why))
        else:
            out[name] = values[0]
    return out, problems


def _unstorable(value: str) -> str | None:
    """Why ``value`` cannot be compared with stored text (PostgreSQL refuses NUL and
    broken UTF-8 outright), or None."""
    if len(value) > MAX_VALUE:
        return f"is at most {MAX_VALUE} characters"
    if "\x00" in value:
        return "must not contain a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid UTF-8 text"
    return None


def limit_of(params: dict[str, str], problems: list[Problem]) -> int:
    raw = params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not (raw.strip().isascii() and raw.strip().isdigit()) or not 1 <= int(raw.strip()[:6]) <= MAX_LIMIT:
        problems.append(Problem("limit", f"is a whole number from 1 to {MAX_LIMIT}"))
        return DEFAULT_LIMIT
    return int(raw.strip())


def canonical(params: dict[str, str], names: Collection[str]) -> str:
    """The filters as one string (what a cursor is bound to): the page size may change
    between pages, the filters may not."""
    return "&".join(f"{n}={params[n]}" for n in sorted(names) if n in params)
