"""The intake API and its served OpenAPI document agree on the edges of a body, over HTTP:
what the document's Remark schema allows the server takes, and what the server refuses
the schema refuses too (a whitespace text or source, an empty external id, a NUL), so a
client generating bodies from the document is not answered 422 for a body it was told is
valid. And ``said_at`` takes every RFC 3339 date-time the document's ``format: date-time``
names: lower-case ``t``/``z`` (RFC 3339 5.6's note) and a leap second."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import jsonschema
import pytest

from tests.conftest import settled
from tests.e2e.queries import remarks
from tests.e2e.test_intake_api import post, token


async def _remark_schema(bot) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http, http.get(f"{bot.base_url}/api/v1/openapi.json") as r:
        doc = await r.json()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "#/components/schemas/Remark",
            "components": doc["components"]}


@pytest.mark.parametrize(("body", "field"), [
    ({"text": "   ", "source": "zendesk"}, "text"),
    ({"text": "fine", "source": " \t"}, "source"),
    ({"text": "fine", "source": "zendesk", "external_id": ""}, "external_id"),
    ({"text": "fine", "source": "zendesk", "external_id": "  "}, "external_id"),
    ({"text": "a\u0000b", "source": "zendesk"}, "text"),
    # Audit of 7 Dec 2026: these were valid by the schema ("format": "uri" takes any scheme;
    # no pattern on the optional texts) and answered 422 by the server.
    ({"text": "fine", "source": "zendesk", "url": "mailto:jane@initech.com"}, "url"),
    ({"text": "fine", "source": "zendesk", "url": "ftp://files.initech.com/ticket.txt"}, "url"),
    ({"text": "fine", "source": "zendesk", "url": "https://"}, "url"),
    ({"text": "fine", "source": "zendesk", "customer": "Acme\u0000"}, "customer"),
    ({"text": "fine", "source": "zendesk", "contact": "\u0000"}, "contact"),
    ({"text": "fine", "source": "zendesk", "process": "Billing\u0000"}, "process"),
    ({"text": "fine", "source": "zendesk", "note": "a\u0000b"}, "note"),
])
async def test_what_the_server_refuses_the_documents_schema_refuses(bot, db, body, field):
    schema = await _remark_schema(bot)
    tok = await token(db)
    status, _, answer = await post(bot, body, tok)
    assert status == 422 and field in {e["field"] for e in answer["errors"]}, answer
    assert not jsonschema.Draft202012Validator(schema).is_valid(body), json.dumps(body)
    assert await remarks(db) == []


@pytest.mark.parametrize(("said", "stored"), [
    ("2025-03-01t14:30:00z", "2025-03-01 14:30:00"),
    ("2016-12-31T23:59:60Z", "2016-12-31 23:59:59"),
    ("2016-12-31t23:59:60.5+01:00", "2016-12-31 22:59:59.500000"),
])
async def test_every_rfc_3339_date_time_is_taken(bot, db, said, stored):
    schema = await _remark_schema(bot)
    body = {"text": "The export times out", "source": "zendesk", "said_at": said}
    jsonschema.validate(body, schema)
    for prefer in ({}, {"Prefer": "respond-async"}):
        tok = await token(db, f"t{len(prefer)}")
        async with aiohttp.ClientSession() as http, http.post(
                f"{bot.base_url}/api/v1/remarks", data=json.dumps({**body, "external_id": len(prefer)}),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {tok}", **prefer}) as r:
            assert r.status in (201, 202), await r.text()
    await settled(bot)
    assert {str(r.said_at.replace(tzinfo=None)) for r in await remarks(db)} == {stored}
