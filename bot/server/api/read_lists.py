"""``GET /api/v1/processes|themes|improvements|customers``: a workspace's lists, in pages
of id (oldest first), with the same token, rate, scope and cursor rules as
``GET /api/v1/remarks`` (bot/server/api/read_remarks.py)."""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.digest import process_counts
from bot.digest.stats import SENTIMENTS, Counts
from bot.domain.capture.incoming import Problem
from bot.domain.loop import impact
from bot.domain.reads import lists
from bot.domain.services import Services
from bot.domain.workspace import api_tokens
from bot.server.api import cursor, params
from bot.server.api.answers import authorise, unavailable
from bot.server.api.read_remarks import bad_query, iso

log = logging.getLogger(__name__)

Page = tuple[
    list[dict[str, Any]], list[int], dict[str, Any]
]  # items, their ids, extra top-level fields
Reader = Callable[[Services, str, dict[str, str], int | None, int], Awaitable[Page | list[Problem]]]


def counts(c: Counts) -> dict[str, int]:
    return {
        **{s: c.remarks(s) for s in SENTIMENTS},
        "total": c.total,
        "endorsements": c.endorsements,
    }


def _number(x: float | None) -> float | None:
    return None if x is None or math.isinf(x) or math.isnan(x) else round(x, 3)


def comparison(c: impact.Comparison, verdict: str) -> dict[str, Any]:
    return {
        "verdict": verdict,
        "before": c.before.hits,
        "before_of": c.before.exposure,
        "after": c.after.hits,
        "after_of": c.after.exposure,
        "ratio": _number(c.ratio),
        "ratio_low": _number(c.low),
        "ratio_high": _number(c.high),
    }


def verdict(result: impact.Impact | None) -> dict[str, Any] | None:
    """The *Did it work?* check as numbers; None until the improvement ships."""
    if result is None:
        return None
    return {
        "verdict": result.verdict,
        "weeks_after": round(result.complaints.days / 7, 1),
        "complaints": comparison(result.complaints, result.verdict),
        "praise": comparison(result.praise, result.praise_verdict()),
    }


def improvement(
    imp: Any, process: str, remarks: int, result: impact.Impact | None
) -> dict[str, Any]:
    return {
        "id": imp.id,
        "title": imp.title,
        "description": imp.description,
        "process": process,
        "status": imp.status,
        "owner": imp.owner_user_id,
        "link": imp.link,
        "remarks": remarks,
        "shipped_at": iso(imp.shipped_at),
        "created_at": iso(imp.created_at),
        "check": verdict(result),
    }


async def _processes(
    services: Services, team_id: str, given: dict[str, str], after: int | None, limit: int
) -> Page | list[Problem]:
    archived = given.get("archived", "false").strip().lower()
    if archived not in ("true", "false"):
        return [Problem("archived", "is true or false")]
    period, before, unfiled, rows = await process_counts.processes_page(
        services, team_id, after=after, limit=limit, include_archived=archived == "true"
    )
    items = [
        {
            "id": f.process.id,
            "name": f.process.name,
            "description": f.process.description,
            "owner": f.process.owner_user_id,
            "archived": f.process.archived,
            "counts": counts(f.now),
            "previous_counts": counts(f.before),
            "improvements": [
                improvement(c.improvement, f.process.name, c.remarks, c.result)
                for c in f.improvements
            ],
        }
        for f in rows
    ]
    extra = {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "previous_period": {"start": before.start.isoformat(), "end": before.end.isoformat()},
        "unfiled": counts(unfiled),
    }
    return items, [f.process.id for f in rows], extra


async def _themes(
    services: Services, team_id: str, given: dict[str, str], after: int | None, limit: int
) -> Page | list[Problem]:
    found = await lists.themes_page(
        services, team_id, process=given.get("process"), after=after, limit=limit
    )
    if isinstance(found, lists.Refused):
        return found.problems
    return (
        [
            {
                "id": t.id,
                "process": t.process,
                "label": t.label,
                "remarks": t.remarks,
                "customers": t.customers,
                "created_at": iso(t.created_at),
            }
            for t in found
        ],
        [t.id for t in found],
        {},
    )


async def _improvements(
    services: Services, team_id: str, given: dict[str, str], after: int | None, limit: int
) -> Page | list[Problem]:
    found = await lists.improvements_page(
        services,
        team_id,
        process=given.get("process"),
        status=given.get("status"),
        after=after,
        limit=limit,
    )
    if isinstance(found, lists.Refused):
        return found.problems
    return (
        [improvement(i.improvement, i.process, i.remarks, i.result) for i in found],
        [i.improvement.id for i in found],
        {},
    )


async def _customers(
    services: Services, team_id: str, given: dict[str, str], after: int | None, limit: int
) -> Page | list[Problem]:
    rows = await lists.customers_page(services, team_id, after=after, limit=limit)
    return (
        [
            {
                "id": c.customer.id,
                "name": c.customer.name,
                "aliases": list(c.customer.aliases or ()),
                "tier": c.customer.tier,
                "yearly_value": c.customer.yearly_value,
                "owner": c.customer.owner_user_id,
                "remarks": {**c.remarks, "total": sum(c.remarks.values())},
            }
            for c in rows
        ],
        [c.customer.id for c in rows],
        {},
    )


# Each list: its reader and the filters it takes.
LISTS: dict[str, tuple[Reader, tuple[str, ...]]] = {
    "processes": (_processes, ("archived",)),
    "themes": (_themes, ("process",)),
    "improvements": (_improvements, ("process", "status")),
    "customers": (_customers, ()),
}


async def get_list(
    services: Services, request: web.Request, name: str, cache: api_tokens.TokenCache | None = None
) -> web.Response:
    reader, filters = LISTS[name]
    allowed = await authorise(services, request, cache, scope=api_tokens.READ)
    if isinstance(allowed, web.Response):
        return allowed
    team_id = allowed.team_id
    given, problems = params.read(request, filters)
    limit = params.limit_of(given, problems)
    query = f"{name}?" + params.canonical(given, filters)
    key = cursor.key_of(services.settings)
    after = None
    if "cursor" in given:
        try:
            pos = cursor.decode(key, given["cursor"], team_id=team_id, query=query)
            if len(pos) != 1 or not isinstance(pos[0], int):
                raise cursor.CursorError("is not a cursor this API gave")
            after = pos[0]
        except cursor.CursorError as e:
            problems.append(Problem("cursor", str(e)))
    if problems:
        return bad_query(problems)
    try:
        page = await reader(services, team_id, given, after, limit + 1)
    except Exception:
        log.exception("api: could not read %s team=%s token=%s", name, team_id, allowed.name)
        return unavailable(f"read the {name}")
    if isinstance(page, list):
        return bad_query(page)
    items, ids, extra = page
    more = len(items) > limit
    following = (
        cursor.encode(key, team_id=team_id, query=query, position=[ids[limit - 1]])
        if more
        else None
    )
    return web.json_response(
        {**extra, "items": items[:limit], "next_cursor": following, "has_more": more}
    )
