"""The read API's part of the OpenAPI document (``GET /api/v1/remarks`` and the lists),
merged into bot/server/api/openapi.py's DOCUMENT; tests/unit/test_openapi.py checks its
parameters and fields against the handlers'."""

from __future__ import annotations

from typing import Any

from bot.server.api.params import DEFAULT_LIMIT, MAX_LIMIT
from storage.models.base import SENTIMENTS
from storage.models.improvements import IMPROVEMENT_STATUSES


def _s(kind: str | list[str], description: str, **more: Any) -> dict[str, Any]:
    return {"type": kind, "description": description, **more}


def _q(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _err(description: str, *, retry_after: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}
    if retry_after:
        out["headers"] = {"Retry-After": {"description": "Seconds to wait before trying again.",
                                          "schema": {"type": "integer"}}}
    return out


PAGING = [
    _q("limit", f"Items per page, 1-{MAX_LIMIT} (default {DEFAULT_LIMIT}).", type="integer",
       minimum=1, maximum=MAX_LIMIT, default=DEFAULT_LIMIT),
    _q("cursor", "The next_cursor of the page before, as given; valid only for this workspace and the "
                 "same filters (the limit may change)."),
]

REMARK_FILTERS = [
    _q("since", "Said at or after this time, ISO-8601 (UTC if no offset; a date is its midnight).",
       type="string", format="date-time"),
    _q("until", "Said before this time, ISO-8601.", type="string", format="date-time"),
    _q("process", "A process's name (any case; archived ones too)."),
    _q("sentiment", "praise, complaint, neutral or suggestion (idea is taken for suggestion).",
       type="string", enum=[*SENTIMENTS, "idea"]),
    _q("customer", "A customer's name or alias (the registry's), or a name as remarks carry it."),
    _q("source", "Where remarks came from, exactly: reaction, forward, watch, mention, shortcut, command, "
                 "an app's name, api:<token name>, import."),
    _q("theme", "A theme's id, or its name (GET /api/v1/themes)."),
    _q("order", "newest (the default) or oldest first, by said_at then id.", type="string",
       enum=["newest", "oldest"]),
]

COUNTS = {"type": "object", "required": [*SENTIMENTS, "total", "endorsements"],
          "properties": {**{s: {"type": "integer"} for s in SENTIMENTS},
                         "total": {"type": "integer"},
                         "endorsements": _s("integer", "Captures of those remarks (the first included).")}}

SIDE = {"type": "object", "properties": {
    "verdict": {"type": "string"}, "before": {"type": "integer"}, "before_of": {"type": "integer"},
    "after": {"type": "integer"}, "after_of": {"type": "integer"},
    "ratio": {"type": ["number", "null"]}, "ratio_low": {"type": ["number", "null"]},
    "ratio_high": {"type": ["number", "null"]}}}

SCHEMAS: dict[str, Any] = {
    "RemarkItem": {
        "type": "object",
        "required": ["id", "text", "process", "sentiment", "filed_as", "confidence", "source", "customer",
                     "contact", "url", "permalink", "score", "theme", "endorsements", "language", "said_at", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "text": _s(["string", "null"], "What the customer said; null once its text was dropped "
                                           "(retention, or its author's erasure)."),
            "process": _s(["string", "null"], "The process it is filed under; null: unfiled."),
            "sentiment": {"type": "string", "enum": list(SENTIMENTS)},
            "filed_as": {"type": "string", "enum": ["given", "person", "automatic", "unfiled"]},
            "confidence": _s(["number", "null"], "How sure the automatic filing is (0-1)."),
            "source": _s("string", "Where it came from (a capture route, an app, api:<token name>, import)."),
            "customer": {"type": ["string", "null"]},
            "contact": _s(["string", "null"], "The customer's person, as an outside source named them."),
            "url": _s(["string", "null"], "The original outside Slack (a ticket, a survey answer)."),
            "permalink": _s(["string", "null"], "The Slack message it was captured from."),
            "score": {"oneOf": [{"type": "null"}, _ref("Score")]},
            "theme": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["id", "label"], "properties": {
                "id": {"type": "integer"}, "label": {"type": ["string", "null"]}}}]},
            "endorsements": _s("integer", "How many captured it."),
            "language": _s(["string", "null"], "ISO 639-1 code of the language detected (\"fr\"); "
                                               "null: captured before languages were detected."),
            "said_at": {"type": "string", "format": "date-time"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
    "Counts": COUNTS,
    "Check": {
        "type": "object", "description": "Did it work? complaints (and praise) before and after the ship.",
        "required": ["verdict", "weeks_after", "complaints", "praise"],
        "properties": {"verdict": {"type": "string", "enum": ["improved", "no clear change", "worse",
                                                              "too early to tell"]},
                       "weeks_after": {"type": "number"}, "complaints": SIDE, "praise": SIDE},
    },
    "ImprovementItem": {
        "type": "object",
        "required": ["id", "title", "description", "process", "status", "owner", "link", "remarks",
                     "shipped_at", "created_at", "check"],
        "properties": {
            "id": {"type": "integer"}, "title": {"type": "string"}, "description": {"type": "string"},
            "process": {"type": "string"}, "status": {"type": "string", "enum": list(IMPROVEMENT_STATUSES)},
            "owner": _s(["string", "null"], "A Slack user id."), "link": {"type": ["string", "null"]},
            "remarks": _s("integer", "Remarks it addresses."),
            "shipped_at": {"type": ["string", "null"], "format": "date-time"},
            "created_at": {"type": "string", "format": "date-time"},
            "check": {"oneOf": [{"type": "null"}, _ref("Check")]},
        },
    },
    "ProcessItem": {
        "type": "object",
        "required": ["id", "name", "description", "owner", "archived", "counts", "previous_counts", "improvements"],
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "description": {"type": "string"},
            "owner": {"type": ["string", "null"]}, "archived": {"type": "boolean"},
            "counts": _ref("Counts"), "previous_counts": _ref("Counts"),
            "improvements": {"type": "array", "items": _ref("ImprovementItem")},
        },
    },
    "ThemeItem": {
        "type": "object", "required": ["id", "process", "label", "remarks", "customers", "created_at"],
        "properties": {"id": {"type": "integer"}, "process": {"type": "string"},
                       "label": _s("string", "Named from its remarks' words, as the digest names it."),
                       "remarks": {"type": "integer"}, "customers": {"type": "integer"},
                       "created_at": {"type": "string", "format": "date-time"}},
    },
    "CustomerItem": {
        "type": "object", "required": ["id", "name", "aliases", "tier", "yearly_value", "owner", "remarks"],
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                       "aliases": {"type": "array", "items": {"type": "string"}},
                       "tier": {"type": ["string", "null"]}, "yearly_value": {"type": ["integer", "null"]},
                       "owner": {"type": ["string", "null"]},
                       "remarks": {"type": "object", "description": "Its remarks by sentiment, and their total.",
                                   "additionalProperties": {"type": "integer"}}},
    },
    "Period": {"type": "object", "required": ["start", "end"],
               "properties": {"start": {"type": "string", "format": "date"},
                              "end": _s("string", "The day after its last.", format="date")}},
}


def _page(item: str, **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": ["items", "next_cursor", "has_more", *extra],
            "properties": {**extra, "items": {"type": "array", "items": _ref(item)},
                           "next_cursor": _s(["string", "null"], "Send it as cursor for the next page; "
                                                                 "null on the last page."),
                           "has_more": {"type": "boolean"}}}


def _get(op: str, summary: str, item: str, filters: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"get": {
        "operationId": op, "summary": summary, "parameters": [*filters, *PAGING],
        "responses": {
            "200": {"description": "One page.", "content": {"application/json": {"schema": _page(item, **extra)}}},
            "400": _err("A parameter is unknown, repeated or wrong, or the cursor is not this workspace's "
                        "for these filters: each one named in errors."),
            "401": _err("No token, or one that is unknown or revoked."),
            "403": _err("The token lacks the read scope (a write-only token)."),
            "429": _err("The token's requests per minute are spent.", retry_after=True),
            "503": _err("Earshot could not read; retry.", retry_after=True),
        },
    }}


PATHS: dict[str, Any] = {
    "/api/v1/processes": _get("listProcesses", "Processes with this period's counts and their improvements",
                              "ProcessItem", [_q("archived", "true: archived processes too.", type="string",
                                                 enum=["true", "false"])],
                              period=_ref("Period"), previous_period=_ref("Period"),
                              unfiled={**_ref("Counts"), "description": "This period's remarks filed under "
                                                                        "no process."}),
    "/api/v1/themes": _get("listThemes", "Themes, named, with their remarks and customers", "ThemeItem",
                           [_q("process", "Only this process's themes.")]),
    "/api/v1/improvements": _get("listImprovements", "Improvements with their Did it work? check",
                                 "ImprovementItem", [_q("process", "Only this process's."),
                                                     _q("status", "Only this status.", type="string",
                                                        enum=list(IMPROVEMENT_STATUSES))]),
    "/api/v1/customers": _get("listCustomers", "Registered customers with their remarks by sentiment",
                              "CustomerItem", []),
}

REMARKS_GET = _get("listRemarks", "Read remarks by filter, newest first", "RemarkItem", REMARK_FILTERS)["get"]
