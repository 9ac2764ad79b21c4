"""The OpenAPI 3.1 description served at ``GET /api/v1/openapi.json`` (docs/api.md).

Written by hand beside the handler it describes; tests/unit/test_openapi.py validates it
and checks that its fields and answers are the ones the code has.
"""

from __future__ import annotations

from typing import Any

from bot.domain.capture.incoming import KINDS, MAX_TEXT
from bot.server.api import openapi_read
from bot.server.api.remarks import MAX_BODY


def _s(kind: str | list[str], description: str, **more: Any) -> dict[str, Any]:
    return {"type": kind, "description": description, **more}


def _any_case(words: tuple[str, ...]) -> str:
    """A pattern matching each word in any case (JSON Schema's patterns have no flags)."""
    return "^(" + "|".join("".join(f"[{c.lower()}{c.upper()}]" for c in w) for w in words) + ")$"


_ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": _s("string", "A stable code: unauthorized, insufficient_scope, rate_limited, too_large, "
                    "unsupported_media_type, bad_json, not_an_object, invalid_fields, invalid_query, "
                    "unavailable; not_found and method_not_allowed for a path or method under "
                    "/api that no operation takes."),
        "message": _s("string", "What is wrong, in words."),
        "errors": {"type": "array", "description": "Each bad field or query parameter (400 and 422).",
                   "items": {"type": "object", "required": ["field", "message"], "properties": {
                       "field": _s("string", "The field, dotted for nested ones (score.value); "
                                   "(body) for the body as a whole."),
                       "message": _s("string", "What is wrong with it.")}}},
    },
}


def _err(description: str, *, retry_after: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description,
                           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if retry_after:
        out["headers"] = {"Retry-After": {"description": "Seconds to wait before trying again.",
                                          "schema": {"type": "integer"}}}
    return out


# Not empty nor only whitespace, and no NUL character (each a 422 naming the field).
_WORDED = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
# What the server takes and the schema said nothing of: no NUL in any text field; a url is
# http(s) with a host (bot/domain/capture/incoming.py check_url), or blank (left out). Before,
# a "mailto:" or "ftp://" url and a NUL in customer/contact/process/note were valid by the
# schema and answered 422 by the server.
_NO_NUL = "^[^\\u0000]*$"
_HTTP_URL = "^(?:\\s*|[Hh][Tt][Tt][Pp][Ss]?://[^/\\s?#\\u0000][^\\u0000]*)$"

_FILED = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Filed"}}}}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Earshot API", "version": "1",
             "description": "Send customer remarks that never reach Slack (helpdesk tickets, survey "
                            "answers, call notes) to Earshot (a write token), and read back what it "
                            "learnt: remarks, processes, themes, improvements, customers (a read "
                            "token). See docs/api.md."},
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "paths": {**openapi_read.PATHS, "/api/v1/remarks": {"get": openapi_read.REMARKS_GET, "post": {
        "operationId": "createRemark",
        "summary": "File one customer remark",
        "parameters": [{"name": "Prefer", "in": "header", "required": False,
                        "description": "respond-async: answer 202 once stored; the remark is filed a "
                                       "moment later (RFC 7240).",
                        "schema": {"type": "string", "enum": ["respond-async"]}}],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Remark"}}}},
        "responses": {
            "201": {"description": "A new remark, stored and filed.", **_FILED},
            "200": {"description": "The remark with this source and external_id was known (a "
                                   "retry); a changed text updated it, as an edit does.", **_FILED},
            "202": {"description": "With Prefer: respond-async: checked and stored; filed a moment later.",
                    "content": {"application/json": {"schema": {
                        "type": "object", "required": ["status", "filed_as"],
                        "properties": {"status": {"const": "accepted"}, "filed_as": {"const": "pending"}}}}}},
            "400": _err("The body is not JSON, or not one JSON object."),
            "401": _err("No token, or one that is unknown or revoked."),
            "403": _err("The token lacks the write scope (a read-only token)."),
            "413": _err(f"The body is larger than {MAX_BODY // 1024} KiB."),
            "415": _err("The body is not application/json (a form, text)."),
            "422": _err("Fields are missing or wrong (each one named), or the process is unknown."),
            "429": _err("The token's requests per minute are spent.", retry_after=True),
            "503": _err("Earshot could not store it; nothing was kept. Retry.", retry_after=True),
        },
    }}},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "A workspace's API token, esk_...; its scopes "
                                                      "(write, read) say which operations it may use."}},
        "schemas": {
            "Remark": {
                "type": "object", "additionalProperties": False, "required": ["text", "source"],
                "description": "A null, or an empty or whitespace-only string, in customer, "
                               "contact, url, said_at, process or note is the field left out "
                               "(a no-code tool's unmapped field); in text, source or external_id "
                               "it is a 422.",
                "properties": {
                    "text": _s("string", "What the customer said; not only whitespace, no NUL.",
                               minLength=1, maxLength=MAX_TEXT, pattern=_WORDED),
                    "source": _s("string", "Where it came from (zendesk, typeform, calls).",
                                 minLength=1, maxLength=60, pattern=_WORDED),
                    "external_id": _s(["string", "integer", "null"], "The source's own id: the same "
                                      "source and external_id is the same remark. A string is not "
                                      "empty nor only whitespace.", minLength=1, maxLength=255,
                                      pattern=_WORDED),
                    "customer": _s(["string", "null"], "A customer's name, alias or email domain; "
                                   "an unknown one is kept as given.", maxLength=255, pattern=_NO_NUL),
                    "contact": _s(["string", "null"], "The customer's person (a name or email).",
                                  maxLength=255, pattern=_NO_NUL),
                    "url": _s(["string", "null"], "The original (the ticket, the response): an "
                              "http(s) URL with a host.", format="uri", maxLength=1024, pattern=_HTTP_URL),
                    "said_at": _s(["string", "null"], "When it was said, ISO-8601 (UTC if no "
                                  "offset); not in the future. Null, empty or whitespace: now.",
                                  format="date-time"),
                    "process": _s(["string", "null"], "A process's name; without it Earshot files "
                                  "the remark itself.", maxLength=80, pattern=_NO_NUL),
                    "score": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Score"}]},
                    "note": _s(["string", "null"], "A note from whoever sends it.", maxLength=2000,
                               pattern=_NO_NUL),
                },
            },
            "Score": {
                "type": "object", "additionalProperties": False, "required": ["kind", "value"],
                "description": "csat 1-5, nps 0-10, stars 1-5.",
                "properties": {"kind": {"type": "string", "pattern": _any_case(KINDS),
                                        "description": f"One of {', '.join(KINDS)}, in any case "
                                                       "(CSAT, Nps); stored and answered in lower case. "
                                                       "Another kind is a 422 naming score.kind.",
                                        "examples": list(KINDS)},
                               "value": {"oneOf": [{"type": "integer", "minimum": 0, "maximum": 10},
                                                   {"type": "string", "pattern": "^\\s*\\d{1,2}\\s*$"}],
                                         "description": "A whole number; as text too (\"9\")."}},
            },
            "Filed": {
                "type": "object", "required": ["id", "process", "sentiment", "filed_as", "confidence"],
                "properties": {
                    "id": _s("integer", "The remark's id."),
                    "process": _s(["string", "null"], "The process it is filed under; null: unfiled."),
                    "sentiment": {"type": "string", "enum": ["praise", "complaint", "neutral", "suggestion"]},
                    "filed_as": {"type": "string", "enum": ["given", "person", "automatic", "unfiled"],
                                 "description": "given: the request named the process; person: a "
                                                "teammate filed it; automatic: Earshot did; unfiled."},
                    "confidence": _s(["number", "null"], "How sure the automatic filing is (0-1)."),
                },
            },
            "Error": _ERROR,
            **openapi_read.SCHEMAS,
        },
    },
}
