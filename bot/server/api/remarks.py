"""``POST /api/v1/remarks``: one remark from a helpdesk trigger, Zapier, n8n or a script.

Order of checks: the token (401, before anything about the body is said), its rate limit
(429 with Retry-After), the body's size (413), media type (415) and JSON (400), every
field (422, all problems at once), then the remark goes through the capture path and the
answer is 201 (new) or 200 (the same source and external id again). A 2xx means stored:
the remark is committed, filed, before the answer. Anything the database could not take
is a 503 with Retry-After, and nothing of it is kept.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from types import MappingProxyType
from typing import Any, TypeVar

from aiohttp import web

from bot.domain.capture import incoming, incoming_fast
from bot.domain.capture.intake import (
    Filed,
    Unknown,
    file_incoming,
    filed_as,
    key_of,
    named_process,
    request_of,
)
from bot.domain.capture.requests import Route
from bot.domain.services import Services
from bot.domain.workspace import api_tokens
from bot.server.api.accept import Acceptor, Pending
from bot.server.api.answers import (
    authorise,
    bearer,
    error,
    forbidden,
    limited,
    unauthorised,
    unavailable,
)
from bot.server.api.filer import Filer

log = logging.getLogger(__name__)

ACCEPTED = json.dumps({"status": "accepted", "filed_as": "pending"}).encode()  # the same for every 202
ACCEPTED_HEADERS = MappingProxyType({"Content-Type": "application/json"})  # aiohttp copies them
T = TypeVar("T")
MAX_BODY = 256 * 1024  # a 20,000-character text escaped as \\uXXXX fits


async def read_json(request: web.Request) -> tuple[Any, str] | web.Response:
    """The request's JSON value and its text, or the answer that says why there is none."""
    body = await read_body(request)
    return body if isinstance(body, web.Response) else decode_json(body)


async def read_body(request: web.Request) -> bytes | web.Response:
    """The request's body, or the answer (413, 415, 400) that says why there is none."""
    length = request.content_length
    if length is not None and length > MAX_BODY:
        return error(413, "too_large", f"the body must be at most {MAX_BODY // 1024} KiB")
    ctype = json_type(request)
    if ctype != "application/json":
        return error(415, "unsupported_media_type",
                      f"send a JSON object with Content-Type: application/json (not {ctype or 'none'})")
    body = b""
    try:
        # A body of a known length stops once it is all in, without one more read for its end.
        while (len(body) <= MAX_BODY and (length is None or len(body) < length)
               and (chunk := await request.content.read(MAX_BODY + 1 - len(body)))):
            body += chunk
    except Exception:
        return error(400, "bad_body", "the body could not be read")
    if len(body) > MAX_BODY:
        return error(413, "too_large", f"the body must be at most {MAX_BODY // 1024} KiB")
    return body


def json_type(request: web.Request) -> str:
    """The body's media type, lower-cased. The header as nearly every sender writes it is
    taken as it is; anything else (parameters, capitals, none) is parsed by aiohttp (~2 us
    a request saved on the acknowledged path: docs/api.md, Throughput)."""
    raw = request.headers.get("Content-Type")
    return raw if raw == "application/json" else request.content_type.lower()


def decode_json(body: bytes) -> tuple[Any, str] | web.Response:
    try:
        # utf-8-sig: a byte-order mark (PowerShell, some .NET senders) is ignored, as RFC 8259
        # allows; the text kept (stored as sent by the acknowledged path) is without it.
        text = body.decode("utf-8-sig")
        return json.loads(text), text
    except UnicodeDecodeError:
        return error(400, "bad_json", "the body is not UTF-8")
    except (ValueError, RecursionError) as e:
        why = e.msg if isinstance(e, json.JSONDecodeError) else type(e).__name__
        return error(400, "bad_json", f"the body is not valid JSON ({why})")


def wants_async(request: web.Request) -> bool:
    """RFC 7240 ``Prefer: respond-async``: acknowledge once stored, file behind the answer."""
    first = request.headers.get("Prefer")
    if first is None or first == "respond-async":  # no preference, or the usual one alone
        return first is not None
    prefer = ",".join(request.headers.getall("Prefer", []))
    return any(p.strip().lower() == "respond-async" for p in prefer.split(","))


async def post_remark(services: Services, request: web.Request, acceptor: Acceptor | None = None,
                      filer: Filer | None = None) -> web.Response:
    if acceptor is not None and wants_async(request):
        return await _post_async(services, request, acceptor)
    allowed = await authorise(services, request, acceptor.tokens if acceptor else None)
    if isinstance(allowed, web.Response):
        return allowed
    got = await _parsed(services, request)
    if isinstance(got, web.Response):
        return got
    parsed = got[0]
    key = key_of(parsed.source, parsed.external_id)
    capturer = f"api:{allowed.name}"
    try:
        if filer is None:  # no running app (a script): capture() itself
            filed = await file_incoming(services, allowed.team_id, parsed, capturer=capturer,
                                        source=capturer, route=Route.API, key=key)
        else:
            filed = await _file_batched(services, filer, allowed.team_id, parsed, capturer, key)
    except Exception:
        log.exception("api: could not store a remark team=%s token=%s", allowed.team_id, allowed.name)
        return unavailable()
    if not isinstance(filed, Filed):
        return _unknown(filed.field, filed.message)
    log.info("api: team=%s token=%s remark=%s new=%s", allowed.team_id, allowed.name, filed.id, filed.created)
    return web.json_response(answer(filed), status=201 if filed.created else 200)


async def _file_batched(services: Services, filer: Filer, team_id: str, item: incoming.Incoming,
                        capturer: str, key: str) -> Filed | Unknown:
    process = await named_process(services, team_id, item)
    if isinstance(process, Unknown):
        return process
    done = await filer.file(request_of(team_id, item, capturer=capturer, source=capturer,
                                       route=Route.API, key=key, process=process))
    r = done.written.remark
    return Filed(id=r.id, process=done.process_name, sentiment=r.sentiment, filed_as=filed_as(r),
                 confidence=round(r.process_confidence, 3) if r.process_confidence is not None else None,
                 created=done.written.created)


async def _parsed(services: Services, request: web.Request) -> tuple[incoming.Incoming, str] | web.Response:
    """The checked remark and the JSON text it was checked from."""
    return await _read_checked(services, request, incoming.parse)


async def _read_checked(services: Services, request: web.Request,
                        checker: Callable[..., T | list[incoming.Problem]]) -> tuple[T, str] | web.Response:
    """The body read, decoded and checked by ``checker`` (incoming.parse or, on the
    acknowledged path, incoming.check: the same checks and problems), with its JSON text."""
    body = await read_body(request)
    return body if isinstance(body, web.Response) else _checked(services, body, checker)


def _checked(services: Services, body: bytes,
             checker: Callable[..., T | list[incoming.Problem]]) -> tuple[T, str] | web.Response:
    data = decode_json(body)
    if isinstance(data, web.Response):
        return data
    parsed = checker(data[0], now=services.clock())
    if not isinstance(data[0], dict):
        assert isinstance(parsed, list)
        return error(400, "not_an_object", "the body must be one JSON object (a remark)", parsed)
    if isinstance(parsed, list):
        return error(422, "invalid_fields", "; ".join(f"{p.field}: {p.message}" for p in parsed), parsed)
    return parsed, data[1]


async def _post_async(services: Services, request: web.Request, acceptor: Acceptor) -> web.Response:
    """Checked as fully as a filed request, the token and the process in the acceptor's
    group commit; 202 once stored. A body with problems is answered after the token's own
    check, so a bad token is a 401 whatever the body."""
    token = bearer(request)
    if token is None:
        return unauthorised()
    body = await read_body(request)
    if isinstance(body, web.Response):
        checked: tuple[incoming.Checked, str] | web.Response = body
    else:
        # One pass (msgspec) for a good body; the full path only for the rest, to say
        # exactly what is wrong (and to take what it takes that msgspec does not: a BOM).
        fast = incoming_fast.check_body(body, now=services.clock)
        checked = (fast, body.decode()) if fast is not None else _checked(services, body, incoming.check)
    if isinstance(checked, web.Response):
        allowed = await authorise(services, request, acceptor.tokens)
        return allowed if isinstance(allowed, web.Response) else checked
    parsed, text = checked
    key = key_of(parsed.source, parsed.external_id) if parsed.external_id is not None else None
    try:
        # The body is stored as sent: it has just passed incoming's checks, which the worker
        # runs again on it with the same clock (file_stored), so it means the same there.
        got = await acceptor.accept(Pending(token, text, parsed.process, key))
    except Exception:
        return unavailable()
    if got.status == 401:
        return unauthorised()
    if got.status == 429:
        return limited(got.retry_after)
    if got.status == 403:
        return forbidden(api_tokens.WRITE)
    if got.status == 422:
        return _unknown("process", f"no active process is named {str(parsed.process)[:80]!r} "
                                   "(see /feedback process list)")
    return web.Response(body=ACCEPTED, status=202, headers=ACCEPTED_HEADERS)


def _unknown(field: str, message: str) -> web.Response:
    return error(422, "invalid_fields", f"{field}: {message}", [incoming.Problem(field, message)])


async def file_stored(services: Services, payload: dict[str, Any]) -> None:
    """The worker's half of an accepted request: file it through the capture path. Checked
    again as at its arrival; a process archived meanwhile leaves it to automatic filing."""
    team_id, capturer = str(payload["team_id"]), str(payload["capturer"])
    arrived = incoming.when(str(payload["received_at"]))
    parsed = incoming.parse(payload["body"], now=arrived)
    if isinstance(parsed, list):
        log.error("api: a stored remark no longer validates team=%s: %s", team_id,
                  "; ".join(f"{p.field}: {p.message}" for p in parsed))
        return
    filed = await file_incoming(services, team_id, parsed, capturer=capturer, source=capturer,
                                route=Route.API, key=str(payload["key"]))
    if not isinstance(filed, Filed):
        log.warning("api: team=%s %s; filed automatically instead", team_id, filed.message)
        parsed = incoming.Incoming(**{**parsed.__dict__, "process": None})
        await file_incoming(services, team_id, parsed, capturer=capturer, source=capturer,
                            route=Route.API, key=str(payload["key"]))


def answer(filed: Filed) -> dict[str, Any]:
    return {"id": filed.id, "process": filed.process, "sentiment": filed.sentiment,
            "filed_as": filed.filed_as, "confidence": filed.confidence}
