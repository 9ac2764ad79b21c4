"""``GET /api/v1/remarks``: a workspace's remarks by filter, newest first, in pages.

Order of checks: the token (401), its rate (429), its ``read`` scope (403), then the query
(400, every unknown or bad parameter named at once, the cursor too). Pages are keyset
pages on (said_at, id): remarks that arrive while a client pages never repeat or skip one
it has not seen yet. The checks and queries live in bot.domain.reads.remarks.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from aiohttp import web

from bot.domain.capture.incoming import Problem
from bot.domain.capture.intake import filed_as
from bot.domain.reads import remarks as reads
from bot.domain.services import Services
from bot.domain.workspace import api_tokens
from bot.server.api import cursor, params
from bot.server.api.answers import authorise, error, unavailable

log = logging.getLogger(__name__)

FILTERS = ("since", "until", "process", "sentiment", "customer", "source", "theme", "order")
ORDERS = ("newest", "oldest")


def iso(at: dt.datetime | None) -> str | None:
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if at is not None else None


def bad_query(problems: list[Problem]) -> web.Response:
    return error(
        400, "invalid_query", "; ".join(f"{p.field}: {p.message}" for p in problems), problems
    )


def item(i: reads.Item) -> dict[str, Any]:
    r = i.remark
    return {
        "id": r.id,
        "text": i.text,
        "process": i.process,
        "sentiment": r.sentiment,
        "filed_as": filed_as(r),
        "confidence": round(r.process_confidence, 3) if r.process_confidence is not None else None,
        "source": r.source,
        "customer": r.customer,
        "contact": r.contact,
        "url": r.link,
        "permalink": r.permalink,
        "score": {"kind": r.score_kind, "value": r.score_value}
        if r.score_kind and r.score_value is not None
        else None,
        "theme": {"id": r.theme_id, "label": i.theme_label} if r.theme_id else None,
        "endorsements": r.endorsements,
        "language": r.language,
        "said_at": iso(r.said_at),
        "created_at": iso(r.created_at),
    }


def position(cursor_key: bytes, team_id: str, query: str, given: str) -> tuple[dt.datetime, int]:
    pos = cursor.decode(cursor_key, given, team_id=team_id, query=query)
    try:
        at, last = dt.datetime.fromisoformat(str(pos[0])), int(pos[1])
    except (ValueError, TypeError, IndexError):
        raise cursor.CursorError("is not a cursor this API gave") from None
    return at, last


async def get_remarks(
    services: Services, request: web.Request, cache: api_tokens.TokenCache | None = None
) -> web.Response:
    allowed = await authorise(services, request, cache, scope=api_tokens.READ)
    if isinstance(allowed, web.Response):
        return allowed
    team_id = allowed.team_id
    given, problems = params.read(request, FILTERS)
    limit = params.limit_of(given, problems)
    order = given.get("order", "newest").strip().lower()
    if order not in ORDERS:
        problems.append(Problem("order", "is newest (the default) or oldest"))
    query = "remarks?" + params.canonical(given, FILTERS)
    key = cursor.key_of(services.settings)
    after = None
    if "cursor" in given:
        try:
            after = position(key, team_id, query, given["cursor"])
        except cursor.CursorError as e:
            problems.append(Problem("cursor", str(e)))
    if problems:
        return bad_query(problems)
    try:
        f = await reads.resolve(
            services, team_id, reads.Query(**{k: given.get(k) for k in FILTERS if k != "order"})
        )
        if isinstance(f, list):
            return bad_query(f)
        found = await reads.page(
            services, team_id, f, after=after, newest_first=order == "newest", limit=limit + 1
        )
    except Exception:
        log.exception("api: could not read remarks team=%s token=%s", team_id, allowed.name)
        return unavailable("read the remarks")
    more = len(found) > limit
    found = found[:limit]
    following = None
    if more:
        last = found[-1].remark
        following = cursor.encode(
            key,
            team_id=team_id,
            query=query,
            position=[last.said_at.astimezone(dt.UTC).isoformat(), last.id],
        )
    return web.json_response(
        {"items": [item(i) for i in found], "next_cursor": following, "has_more": more}
    )
