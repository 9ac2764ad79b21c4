"""The intake API's contract checked line by line from outside, as a sender reads it
(docs/api.md and the served GET /api/v1/openapi.json): every answer a battery of requests
gets is one the document lists for the operation, with the body its schema describes;
wrong methods and paths under /api answer the API's JSON error too; five copies of one
request at once are one remark. Requests are shaped as in tests/e2e/test_intake_api.py
(a Zendesk webhook or Zapier's "Webhooks by Zapier" POST: JSON with a Bearer header).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import jsonschema
from openapi_spec_validator import validate

from storage.models import Remark
from tests.e2e import digest_support as ds
from tests.e2e.queries import count, remarks
from tests.e2e.read_support import token as scoped_token
from tests.e2e.test_intake_api import fields, post, token


async def send(bot, method: str, path: str, *, tok: str | None = None, data: bytes | None = None,
               headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    sent = dict(headers or {})
    if tok is not None:
        sent["Authorization"] = f"Bearer {tok}"
    async with aiohttp.ClientSession() as http, http.request(
            method, f"{bot.base_url}{path}", data=data, headers=sent) as r:
        return r.status, dict(r.headers), await r.read()


async def test_wrong_methods_and_paths_under_the_api_answer_its_json_error(bot, db):
    # aiohttp's own 404/405 pages are text/plain; a sender parsing the API's error got none.
    tok = await token(db)
    for method, path, status, allow in [
        ("PUT", "/api/v1/remarks", 405, "GET, HEAD, POST"),
        ("DELETE", "/api/v1/remarks", 405, "GET, HEAD, POST"),
        ("PATCH", "/api/v1/remarks", 405, "GET, HEAD, POST"),
        ("POST", "/api/v1/openapi.json", 405, "GET, HEAD"),
        ("POST", "/api/v1/processes", 405, "GET, HEAD"),
        ("POST", "/api/v1/remark", 404, None),
        ("POST", "/api/v1/remarks/", 404, None),
        ("GET", "/api/v2/remarks", 404, None),
        ("GET", "/api/v1/nothing", 404, None),
    ]:
        got, headers, body = await send(bot, method, path, tok=tok, data=b"{}",
                                        headers={"Content-Type": "application/json"})
        assert (method, path, got) == (method, path, status)
        assert headers["Content-Type"].startswith("application/json"), (method, path, body)
        answer = json.loads(body)
        assert answer["error"] in ("method_not_allowed", "not_found") and answer["message"], answer
        assert headers.get("Allow") == allow, (method, path, headers)
    # The endpoints themselves are untouched, HEAD included.
    assert (await send(bot, "HEAD", "/api/v1/openapi.json"))[0] == 200
    assert (await send(bot, "HEAD", "/api/v1/remarks", tok=await scoped_token(db)))[0] == 200
    assert (await post(bot, {"text": "Checkout fails", "source": "z"}, tok))[0] == 201
    assert (await send(bot, "GET", "/healthz"))[0] == 200
    assert await count(db, Remark) == 1


def _schema_of(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A response's schema, its $refs resolvable (they point into the document's components)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "components": doc["components"]}


async def test_every_answer_is_one_the_served_openapi_document_describes(bot, db):
    async with aiohttp.ClientSession() as http, http.get(f"{bot.base_url}/api/v1/openapi.json") as r:
        doc = await r.json()
    validate(doc)  # valid OpenAPI 3.1 (openapi-spec-validator)
    operation = doc["paths"]["/api/v1/remarks"]["post"]
    request_schema = _schema_of(doc, operation["requestBody"]["content"]["application/json"]["schema"])
    responses = operation["responses"]

    tok, reader, spent = await token(db), await scoped_token(db), await token(db, "tiny", rate=1)
    await ds.process(db, "Refunds Desk")
    good = {"text": "Refunds take weeks", "source": "zendesk", "external_id": 4711, "customer": "Initech",
            "contact": "jane@initech.com", "url": "https://initech.zendesk.com/agent/tickets/4711",
            "said_at": "2025-03-01T14:30:00Z", "process": "refunds desk", "score": {"kind": "CSAT", "value": "2"},
            "note": "from the trigger"}
    jsonschema.validate(good, request_schema)  # the documented example shape is a valid body
    js = {"Content-Type": "application/json"}
    cases: list[tuple[str, int, str | None, bytes, dict[str, str]]] = [
        ("new", 201, tok, json.dumps(good).encode(), js),
        ("known", 200, tok, json.dumps(good).encode(), js),
        ("async", 202, tok, json.dumps({**good, "external_id": "a-1"}).encode(), {**js, "Prefer": "respond-async"}),
        ("array", 400, tok, b'[{"text": "a", "source": "z"}]', js),
        ("not json", 400, tok, b'{"text": ', js),
        ("no token", 401, None, json.dumps(good).encode(), js),
        ("read token", 403, reader, json.dumps(good).encode(), js),
        ("too large", 413, tok, b'{"text": "' + b"a" * 300_000 + b'", "source": "z"}', js),
        ("form", 415, tok, b"text=hello&source=z", {"Content-Type": "application/x-www-form-urlencoded"}),
        ("fields", 422, tok, json.dumps({"text": " ", "score": {"kind": "ces", "value": 3}}).encode(), js),
        ("process", 422, tok, json.dumps({"text": "a", "source": "z", "process": "Nope"}).encode(), js),
        ("spent", 429, spent, json.dumps(good).encode(), js),
    ]
    for name, expected, who, data, headers in cases:
        if who is spent:
            # Spent right before its case: the budget is a per-minute window, and a case run
            # in the next minute (a slow run straddling one) found it refilled (200, not 429).
            await post(bot, {"text": "first", "source": "z"}, spent)
        got, answered, body = await send(bot, "POST", "/api/v1/remarks", tok=who, data=data, headers=headers)
        assert (name, got) == (name, expected), body
        documented = responses[str(got)]
        assert answered["Content-Type"].startswith("application/json"), name
        jsonschema.validate(json.loads(body), _schema_of(doc, documented["content"]["application/json"]["schema"]))
        for header in documented.get("headers", {}):
            assert header in answered, (name, header)
    # Each field the 201's schema requires is answered, and nothing the document does not list.
    status, _, filed = await post(bot, {**good, "external_id": "x-2"}, tok)
    assert status == 201 and set(filed) == set(doc["components"]["schemas"]["Filed"]["required"])
    assert filed["filed_as"] == "given" and filed["process"] == "Refunds Desk"


async def test_five_copies_at_once_are_one_remark_each_answered_2xx_with_its_id(bot, db):
    tok = await token(db)
    body = {"text": "The mobile app logs me out", "source": "intercom", "external_id": "conv-77"}
    answers = await asyncio.gather(*(post(bot, body, tok) for _ in range(5)))
    assert sorted(a[0] for a in answers) == [200, 200, 200, 200, 201]
    assert len({a[2]["id"] for a in answers}) == 1
    # Five edits of it at once: each a 200 for the same remark, which keeps one of the texts.
    edits = [f"The mobile app logs me out, try {n}" for n in range(5)]
    again = await asyncio.gather(*(post(bot, {**body, "text": t}, tok) for t in edits))
    assert [a[0] for a in again] == [200] * 5 and {a[2]["id"] for a in again} == {answers[0][2]["id"]}
    [r] = await remarks(db)
    assert r.text in edits


async def test_forty_thousand_characters_are_a_422_on_text_until_the_body_passes_256_kib(bot, db):
    # docs/api.md: text is at most 20,000 characters (422 naming text); a body over 256 KiB
    # is a 413 before it is read, whatever it holds.
    tok = await token(db)
    for text in ("a" * 40_000, "é" * 40_000, "\u4e2d" * 40_000):
        status, _, answer = await post(bot, {"text": text, "source": "z"}, tok)
        assert status == 422 and fields(answer) == {"text"} and "40,000" in answer["message"], answer
    status, _, answer = await post(bot, None, tok, raw=json.dumps({"text": "\U0001f600" * 40_000, "source": "z"}).encode())
    assert status == 413 and answer["error"] == "too_large"
    assert await count(db, Remark) == 0


async def test_another_workspaces_customers_and_remarks_stay_out_of_sight(bot, db):
    from sqlalchemy import select

    from storage.db import transaction
    from storage.models import Customer
    from storage.repositories.customers import customer_key
    from tests.e2e.queries import TEAM
    from tests.e2e.read_support import OTHER, get

    await ds.workspace(db)
    await ds.workspace(db, OTHER)
    async with transaction(db) as s:
        s.add(Customer(team_id=OTHER, name="Acme Corp", name_key=customer_key("Acme Corp"), aliases=["acme.com"]))
    ours, reader = await token(db), await scoped_token(db)
    theirs = await token(db, team=OTHER)
    # Their registry does not name our customers: "acme.com" is unknown here, kept as given.
    for body in ({"text": "Export hangs", "source": "z", "customer": "acme.com"},
                 {"text": "Export hangs again", "source": "z", "contact": "jane@acme.com"},
                 {"text": "Export hangs once more", "source": "z", "customer": "Acme Corp"}):
        assert (await post(bot, body, ours))[0] == 201
    assert [r.customer for r in await remarks(db)] == ["acme.com", None, "Acme Corp"]
    status, _, mine = await post(bot, {"text": "Their secret complaint", "source": "z", "external_id": "s1"}, theirs)
    assert status == 201
    # The same source and external_id in our workspace is another remark, not theirs.
    status, _, ours_too = await post(bot, {"text": "Our own words", "source": "z", "external_id": "s1"}, ours)
    assert status == 201 and ours_too["id"] != mine["id"]
    async with db() as s:
        theirs_row = await s.scalar(select(Remark).where(Remark.id == mine["id"]))
    assert theirs_row is not None and theirs_row.text == "Their secret complaint"
    status, _, page = await get(bot, "/api/v1/remarks", reader, limit=200)
    assert status == 200 and "Their secret complaint" not in json.dumps(page)
    status, _, customers = await get(bot, "/api/v1/customers", reader)
    assert status == 200 and "acme.com" not in json.dumps([c.get("aliases") for c in customers["items"]])
    assert all(r.team_id == TEAM for r in await remarks(db) if r.text != "Their secret complaint")


async def test_empty_optional_fields_are_left_out_and_empty_keys_are_422(bot, db):
    # docs/api.md: "" from an unmapped no-code field is absent for customer, contact, url,
    # said_at, process and note; an empty external_id would make every such request one remark,
    # so it is named. Zapier's and n8n's webhooks send "" for a field left unmapped.
    from storage.models import utcnow

    tok = await token(db)
    before = utcnow().replace(microsecond=0)
    status, _, answer = await post(bot, {"text": "Export hangs", "source": "zapier", "customer": "",
                                         "contact": " ", "url": "", "process": "", "note": "",
                                         "said_at": ""}, tok)
    assert status == 201 and answer["filed_as"] in ("automatic", "unfiled"), answer
    status, _, answer = await post(bot, {"text": "Export hangs again", "source": "n8n",
                                         "said_at": " \t"}, tok)
    assert status == 201, answer
    got = sorted(await remarks(db), key=lambda r: r.id)
    assert [(r.customer, r.contact, r.link) for r in got] == [(None, None, None)] * 2
    # Said when it came in, as with no said_at at all (not 1970, not a 422).
    assert all(r.said_at.replace(tzinfo=None) >= before.replace(tzinfo=None) for r in got), got
    status, _, answer = await post(bot, {"text": "Export hangs", "source": "zapier", "external_id": "",
                                         "said_at": ""}, tok)
    assert status == 422 and fields(answer) == {"external_id"}, answer
    assert await count(db, Remark) == 2


async def test_an_empty_said_at_is_absent_on_the_acknowledged_path_too(bot, db):
    # Prefer: respond-async stores the body as sent and files it behind the 202 (docs/api.md).
    from tests.conftest import settled

    tok = await token(db)
    async with aiohttp.ClientSession() as http, http.post(
            f"{bot.base_url}/api/v1/remarks", data=json.dumps(
                {"text": "Refund never came", "source": "zapier", "said_at": ""}).encode(),
            headers={"Authorization": f"Bearer {tok}", "Prefer": "respond-async",
                     "Content-Type": "application/json"}) as r:
        assert r.status == 202, await r.text()
    await settled(bot)
    [r] = await remarks(db)
    assert r.text == "Refund never came" and r.said_at is not None


async def test_an_uninstalled_workspaces_tokens_are_401_from_then_on(slack, bot, db):
    # docs/privacy.md: an uninstall stops all work for the workspace at once; docs/api.md: a
    # token of no workspace here is a 401. Its tokens went on filing and reading (201, 200).
    from tests.conftest import settled
    from tests.e2e.read_support import get

    await ds.workspace(db)
    writer, reader = await token(db), await scoped_token(db)
    assert (await post(bot, {"text": "Export hangs", "source": "z"}, writer))[0] == 201
    assert (await slack.uninstall()).status == 200
    await settled(bot)
    status, headers, _ = await post(bot, {"text": "After the uninstall", "source": "z"}, writer)
    assert status == 401 and headers["WWW-Authenticate"] == "Bearer"
    got, _, _ = await send(bot, "POST", "/api/v1/remarks", tok=writer,
                           headers={"Prefer": "respond-async", "Content-Type": "application/json"},
                           data=json.dumps({"text": "After, acknowledged", "source": "z"}).encode())
    assert got == 401
    assert (await get(bot, "/api/v1/remarks", reader))[0] == 401
    await settled(bot)
    assert [r.text for r in await remarks(db)] == ["Export hangs"]
