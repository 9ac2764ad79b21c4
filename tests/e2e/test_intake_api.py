"""The intake API over HTTP against the running app: every answer its contract names.

The contract is ours: docs/api.md and GET /api/v1/openapi.json (bot/server/api/openapi.py).
Requests are shaped as a Zendesk webhook or Zapier's "Webhooks by Zapier" POST sends them:
a JSON body with Content-Type: application/json and an Authorization: Bearer header
(https://support.zendesk.com/hc/en-us/articles/4408839108378, Zendesk webhooks with
bearer-token authentication).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.domain.customers.registry import list_customers
from bot.domain.workspace import api_tokens
from storage.db import transaction
from storage.models import ApiToken, Customer, Remark, utcnow
from storage.repositories.customers import customer_key
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import TEAM, count, remarks

OTHER = "T0OTHER01"


async def token(db, name: str = "zendesk", *, team: str = TEAM, rate: int = 600) -> str:
    made = await api_tokens.create(db, team, name, by="U0ALICE001", at=utcnow(), rate_per_minute=rate)
    return made.token


async def post(bot, body: Any, tok: str | None, *, raw: bytes | None = None,
               ctype: str = "application/json") -> tuple[int, dict[str, Any], Any]:
    headers = {"Content-Type": ctype}
    if tok is not None:
        headers["Authorization"] = f"Bearer {tok}"
    async with aiohttp.ClientSession() as http, http.post(
            f"{bot.base_url}/api/v1/remarks", headers=headers,
            data=raw if raw is not None else json.dumps(body).encode()) as r:
        return r.status, dict(r.headers), await r.json(content_type=None)


def fields(answer: dict[str, Any]) -> set[str]:
    return {e["field"] for e in answer.get("errors", [])}


async def test_a_new_remark_is_stored_filed_and_answered_201(bot, db, fake):
    tok = await token(db)
    async with transaction(db) as s:
        s.add(Customer(team_id=TEAM, name="Acme Corp", name_key=customer_key("Acme Corp"),
                       aliases=["acme.com"]))
    said = (utcnow() - dt.timedelta(days=2)).replace(microsecond=0)
    status, _, answer = await post(bot, {
        "text": "The invoice export times out and we were charged twice",
        "source": "zendesk", "external_id": 4711, "contact": "jane@eu.acme.com",
        "url": "https://acme.zendesk.com/agent/tickets/4711", "said_at": said.isoformat(),
        "score": {"kind": "csat", "value": 5}, "note": "from the trigger"}, tok)
    assert status == 201, answer
    assert set(answer) == {"id", "process", "sentiment", "filed_as", "confidence"}
    assert answer["sentiment"] == "praise"  # CSAT 5 is praise, whatever the words
    [r] = await remarks(db)
    assert (r.id, r.source, r.contact, r.link, r.score_kind, r.score_value, r.external_id) == (
        answer["id"], "api:zendesk", "jane@eu.acme.com", "https://acme.zendesk.com/agent/tickets/4711",
        "csat", 5, "4711")
    assert r.customer == "Acme Corp"  # the contact's email domain is an alias
    assert r.said_at == said and r.teammates == 0  # no teammate captured it
    assert answer["filed_as"] in ("automatic", "unfiled")
    assert not fake.calls_to("chat.postEphemeral") and not fake.calls_to("chat.postMessage")


async def test_the_same_external_id_again_is_200_and_a_changed_text_updates_it(bot, db):
    tok = await token(db)
    billing = await ds.process(db, "Refunds Desk")
    body = {"text": "Refunds take weeks", "source": "zendesk", "external_id": "T-1",
            "process": "refunds desk", "customer": "Globex"}
    status, _, first = await post(bot, body, tok)
    assert status == 201 and first["process"] == "Refunds Desk" and first["filed_as"] == "given"
    status, _, again = await post(bot, body, tok)
    assert status == 200 and again["id"] == first["id"]
    status, _, edited = await post(bot, {**body, "text": "Refunds take weeks, still waiting"}, tok)
    assert status == 200 and edited["id"] == first["id"]
    [r] = await remarks(db)
    assert r.text == "Refunds take weeks, still waiting" and r.process_id == billing
    assert r.customer == "Globex"  # an unknown customer is kept as given


async def test_the_same_external_id_sent_twice_at_once_is_one_remark(bot, db):
    tok = await token(db)
    body = {"text": "The mobile app logs me out", "source": "intercom", "external_id": "c-9"}
    answers = await asyncio.gather(*(post(bot, body, tok) for _ in range(4)))
    assert sorted(a[0] for a in answers) == [200, 200, 200, 201]
    assert len({a[2]["id"] for a in answers}) == 1
    assert await count(db, Remark) == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"text": "", "source": "zendesk"}, "text"),
    ({"text": " \n\t ", "source": "zendesk"}, "text"),
    ({"text": "x" * 40_000, "source": "zendesk"}, "text"),
    ({"source": "zendesk"}, "text"),
    ({"text": "fine"}, "source"),
    ({"text": "fine", "source": "z", "score": {"kind": "csat", "value": 6}}, "score.value"),
    ({"text": "fine", "source": "z", "score": {"kind": "nps", "value": -1}}, "score.value"),
    ({"text": "fine", "source": "z", "score": {"kind": "ces", "value": 3}}, "score.kind"),
    ({"text": "fine", "source": "z", "said_at": "2999-01-01T00:00:00Z"}, "said_at"),
    ({"text": "fine", "source": "z", "said_at": "last tuesday"}, "said_at"),
    ({"text": "fine", "source": "z", "url": "javascript:alert(1)"}, "url"),
    ({"text": "fine", "source": "z", "colour": "red"}, "colour"),
    ({"text": "fine", "source": "z", "process": "Nonexistent"}, "process"),
    # An offset that takes year 1 or 9999 off the calendar was a 500 (OverflowError).
    ({"text": "fine", "source": "z", "said_at": "0001-01-01T00:00:00+14:00"}, "said_at"),
    ({"text": "fine", "source": "z", "said_at": "9999-12-31T23:59:59-14:00"}, "said_at"),
    ({"text": "fine", "source": "z", "said_at": "0001-01-01"}, "said_at"),
    ({"text": "fine", "source": "z", "said_at": 1767000000}, "said_at"),
    ({"text": "fine", "source": "z", "external_id": True}, "external_id"),
    ({"text": "fine", "source": "z", "external_id": 1.5}, "external_id"),
    ({"text": "fine", "source": "z", "url": "https://"}, "url"),
    ({"text": "fine", "source": "z", "score": 9}, "score"),
])
async def test_bad_fields_are_422_naming_the_field_and_nothing_is_stored(bot, db, body, field):
    tok = await token(db)
    status, _, answer = await post(bot, body, tok)
    assert status == 422, answer
    assert field in fields(answer), answer
    assert await count(db, Remark) == 0


async def test_each_problem_names_the_field_as_sent(bot, db):
    tok = await token(db)
    status, _, answer = await post(bot, {"text": "fine", "source": "z", "external_id": {"id": 1},
                                         "score": [5]}, tok)
    assert status == 422 and fields(answer) == {"external_id", "score"}, answer
    assert "_Score" not in answer["message"]


async def test_a_byte_order_mark_before_the_json_is_ignored(bot, db):
    tok = await token(db)
    got, _, answer = await post(bot, None, tok, raw=b'\xef\xbb\xbf{"text": "Export hangs", "source": "z"}')
    assert got == 201, answer
    assert [r.text for r in await remarks(db)] == ["Export hangs"]


async def test_every_bad_field_is_named_at_once(bot, db):
    tok = await token(db)
    status, _, answer = await post(bot, {"text": " ", "source": "", "said_at": "soon",
                                         "score": {"kind": "nps", "value": 11}}, tok)
    assert status == 422 and fields(answer) == {"text", "source", "said_at", "score.value"}


@pytest.mark.parametrize(("raw", "ctype", "status"), [
    (b'[{"text": "a", "source": "z"}]', "application/json", 400),
    (b'{"text": "a", ', "application/json", 400),
    (b"\xff\xfe", "application/json", 400),
    (b"text=hello&source=z", "application/x-www-form-urlencoded", 415),
    (b"hello", "text/plain", 415),
])
async def test_a_body_that_is_not_one_json_object_is_refused(bot, db, raw, ctype, status):
    tok = await token(db)
    got, _, answer = await post(bot, None, tok, raw=raw, ctype=ctype)
    assert got == status and answer["message"], answer
    assert await count(db, Remark) == 0


async def test_a_body_too_large_is_413(bot, db):
    tok = await token(db)
    got, _, answer = await post(bot, None, tok, raw=b'{"text": "' + b"a" * 300_000 + b'"}')
    assert got == 413 and answer["error"] == "too_large"


async def test_no_token_an_unknown_one_and_a_revoked_one_are_401(bot, db):
    tok = await token(db)
    body = {"text": "Great support", "source": "z"}
    assert (await post(bot, body, None))[0] == 401
    assert (await post(bot, body, "esk_" + "x" * 43))[0] == 401
    assert (await post(bot, body, tok[:-1]))[0] == 401
    await api_tokens.revoke(db, TEAM, "zendesk", at=utcnow())
    status, headers, answer = await post(bot, body, tok)
    assert status == 401 and headers["WWW-Authenticate"] == "Bearer"
    assert await count(db, Remark) == 0
    async with db() as s:  # only the hash is stored
        [row] = (await s.scalars(select(ApiToken))).all()
        assert tok not in str(vars(row)) and row.token_hash == api_tokens.hash_of(tok)


async def test_a_token_speaks_only_for_its_own_workspace(bot, db):
    await ds.workspace(db, OTHER)
    ours, theirs = await token(db), await token(db, team=OTHER)
    body = {"text": "Our data export is broken", "source": "zendesk", "external_id": "1"}
    status, _, mine = await post(bot, body, ours)
    status2, _, other = await post(bot, {**body, "text": "something else"}, theirs)
    assert (status, status2) == (201, 201) and mine["id"] != other["id"]
    rows = await remarks(db)
    assert {(r.team_id, r.text) for r in rows} == {(TEAM, body["text"]), (OTHER, "something else")}
    # Naming another workspace's process is unknown, not visible.
    await ds.process(db, "Secret Process", team_id=OTHER)
    status, _, answer = await post(bot, {"text": "a", "source": "z", "process": "Secret Process"}, ours)
    assert status == 422 and fields(answer) == {"process"}
    assert await list_customers(db, OTHER) == []


async def test_past_its_rate_the_token_gets_429_with_retry_after(bot, db):
    tok = await token(db, rate=3)
    statuses = [(await post(bot, {"text": f"remark {i}", "source": "z"}, tok))[0] for i in range(3)]
    assert statuses == [201, 201, 201]
    status, headers, answer = await post(bot, {"text": "one more", "source": "z"}, tok)
    assert status == 429 and 1 <= int(headers["Retry-After"]) <= 60, answer
    assert await count(db, Remark) == 3


async def test_the_openapi_document_is_served(bot):
    async with aiohttp.ClientSession() as http, http.get(f"{bot.base_url}/api/v1/openapi.json") as r:
        doc = await r.json()
    assert r.status == 200 and doc["openapi"].startswith("3.1")
    assert "/api/v1/remarks" in doc["paths"]


async def test_the_export_carries_source_contact_link_and_score(bot, db):
    from bot.domain.privacy import export

    tok = await token(db)
    await post(bot, {"text": "NPS comment: too pricey", "source": "delighted", "external_id": "d1",
                     "contact": "ann@initech.com", "url": "https://app.delighted.com/r/1",
                     "score": {"kind": "nps", "value": 3}}, tok)
    [row] = [r async for r in export.rows(db, TEAM)]
    assert (row["source"], row["contact"], row["link"], row["score_kind"], row["score_value"],
            row["external_id"], row["sentiment"]) == (
        "api:zendesk", "ann@initech.com", "https://app.delighted.com/r/1", "nps", 3, "d1", "complaint")


async def test_with_prefer_respond_async_it_is_stored_answered_202_and_filed_behind(bot, db):
    tok = await token(db)
    body = {"text": "The invoice PDF is blank", "source": "zendesk", "external_id": "A-1",
            "score": {"kind": "csat", "value": 1}}

    async def send(b: dict) -> tuple[int, dict]:
        async with aiohttp.ClientSession() as http, http.post(
                f"{bot.base_url}/api/v1/remarks", json=b,
                headers={"Authorization": f"Bearer {tok}", "Prefer": "respond-async"}) as r:
            return r.status, await r.json()

    assert await send(body) == (202, {"status": "accepted", "filed_as": "pending"})
    assert (await send(body))[0] == 202  # a retry: still one remark
    status, answer = await send({**body, "process": "Nope", "external_id": "A-2"})
    assert status == 422 and fields(answer) == {"process"}  # checked before the 2xx
    await settled(bot)
    [r] = await remarks(db)
    assert (r.text, r.source, r.sentiment, r.score_value) == (body["text"], "api:zendesk", "complaint", 1)
    status, _, again = await post(bot, body, tok)  # the same remark, answered in full
    assert status == 200 and again["id"] == r.id


async def test_the_same_key_sent_both_ways_at_once_is_one_remark_and_never_a_5xx(bot, db):
    # Acknowledged copies filed by the worker while the default path files the same key: on
    # PostgreSQL one of the two transactions could be a deadlock's victim, which was a 503.
    tok = await token(db)

    async def later(b: dict) -> int:
        async with aiohttp.ClientSession() as http, http.post(
                f"{bot.base_url}/api/v1/remarks", json=b,
                headers={"Authorization": f"Bearer {tok}", "Prefer": "respond-async"}) as r:
            return r.status

    for n in range(8):
        body = {"text": "The invoice PDF is blank", "source": "zendesk", "external_id": f"M-{n}"}
        got = await asyncio.gather(*(later(body) for _ in range(3)), post(bot, body, tok),
                                   post(bot, {**body, "text": "The invoice PDF is blank again"}, tok))
        assert got[:3] == [202, 202, 202]
        now = [g[0] for g in got[3:]]
        assert all(s in (200, 201) for s in now), now
        assert got[3][2]["id"] == got[4][2]["id"]
    await settled(bot)
    assert sorted(r.external_id for r in await remarks(db)) == [f"M-{n}" for n in range(8)]


async def test_respond_async_refuses_bad_revoked_and_spent_tokens_as_the_default_does(bot, db):
    tok = await token(db, rate=2)

    async def send(t: str, b: dict) -> tuple[int, dict[str, str]]:
        async with aiohttp.ClientSession() as http, http.post(
                f"{bot.base_url}/api/v1/remarks", json=b,
                headers={"Authorization": f"Bearer {t}", "Prefer": "respond-async"}) as r:
            return r.status, dict(r.headers)

    good = {"text": "Search is slow", "source": "n8n"}
    assert (await send("esk_" + "y" * 43, good))[0] == 401
    assert (await send("esk_" + "y" * 43, {"text": ""}))[0] == 401  # a bad token first, whatever the body
    assert [(await send(tok, good))[0] for _ in range(2)] == [202, 202]
    status, headers = await send(tok, good)
    assert status == 429 and int(headers["Retry-After"]) >= 1
    await api_tokens.revoke(db, TEAM, "zendesk", at=utcnow())
    assert (await send(tok, good))[0] == 401
    await settled(bot)
    assert await count(db, Remark) == 2


async def test_prefer_respond_async_is_read_in_every_form_rfc_7240_allows(bot, db):
    # RFC 7240 section 2: preferences are case-insensitive tokens, comma-separated, in one
    # Prefer header or several. The usual lone "respond-async" takes a shortcut in the
    # server; the other forms must be answered the same way, and look-alikes not at all.
    tok = await token(db)
    forms: list[tuple[list[tuple[str, str]], int]] = [
        ([("Prefer", "respond-async")], 202),
        ([("Prefer", "RESPOND-ASYNC")], 202),
        ([("Prefer", "wait=5, respond-async")], 202),
        ([("Prefer", "handling=lenient"), ("Prefer", " respond-async ")], 202),
        ([("Prefer", "respond-async-later")], 201),
        ([("Prefer", "handling=strict")], 201),
        ([], 201),
    ]
    for n, (prefer, expected) in enumerate(forms):
        headers = [("Authorization", f"Bearer {tok}"), ("Content-Type", "application/json"), *prefer]
        body = json.dumps({"text": "The invoice PDF is blank", "source": "zendesk", "external_id": f"P-{n}"})
        async with aiohttp.ClientSession() as http, http.post(
                f"{bot.base_url}/api/v1/remarks", data=body.encode(), headers=headers) as r:
            assert (prefer, r.status) == (prefer, expected)
            assert r.headers["Content-Type"].startswith("application/json")
    await settled(bot)
    assert await count(db, Remark) == len(forms)
