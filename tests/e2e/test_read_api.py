"""The read API over HTTP against the running app: remarks captured in Slack (through the
stand-in, as Slack delivers a reaction and a slash command) and posted to the intake API,
read back by filter and in pages; token scopes, cursors, rate limits, erasure.

The contract is ours: docs/api.md and GET /api/v1/openapi.json (bot/server/api/openapi.py).
Requests carry ``Authorization: Bearer`` as any HTTP client (curl, Zapier, n8n) sends it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import aiohttp

from storage.db import transaction
from storage.models import Customer, utcnow
from storage.repositories.customers import customer_key
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, TEAM
from tests.e2e.read_support import OTHER, every, fields, get, post, token


async def test_remarks_from_slack_and_the_intake_api_read_back_by_filter(fake, slack, bot, db):
    await ds.workspace(db)
    refunds = await ds.process(db, "Refunds Desk")
    async with transaction(db) as s:
        s.add(
            Customer(
                team_id=TEAM,
                name="Acme Corp",
                name_key=customer_key("Acme Corp"),
                aliases=["acme.com"],
            )
        )
        s.add(Customer(team_id=TEAM, name="Ørsted", name_key=customer_key("Ørsted")))
    # In Slack: a reaction on Carla's message, and a remark typed with /feedback.
    msg = fake.state.post_message(SUPPORT, CARLA, "Refunds take three weeks, this is unacceptable")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await slack.slash(BOB, SUPPORT, "Globex loves the new onboarding checklist")
    await settled(bot)
    writer = await token(db, "zendesk", scopes="write")
    said = (utcnow() - dt.timedelta(days=3)).replace(microsecond=0)
    status, filed = await post(
        bot,
        {
            "text": "Your refund process is painfully slow",
            "source": "zendesk",
            "external_id": "Z-1",
            "customer": "acme.com",
            "contact": "jane@acme.com",
            "process": "Refunds Desk",
            "url": "https://acme.zendesk.com/agent/tickets/1",
            "said_at": said.isoformat(),
            "score": {"kind": "csat", "value": 1},
        },
        writer,
    )
    assert status == 201, filed
    reader = await token(db)

    items = await every(bot, reader)
    assert len(items) == 3 and len({i["id"] for i in items}) == 3
    assert [i["said_at"] for i in items] == sorted(
        (i["said_at"] for i in items), reverse=True
    )  # newest first
    [api] = [i for i in items if i["source"] == "api:zendesk"]
    assert api == {
        "id": filed["id"],
        "text": "Your refund process is painfully slow",
        "process": "Refunds Desk",
        "sentiment": "complaint",
        "filed_as": "given",
        "confidence": api["confidence"],
        "source": "api:zendesk",
        "customer": "Acme Corp",
        "contact": "jane@acme.com",
        "url": "https://acme.zendesk.com/agent/tickets/1",
        "permalink": None,
        "score": {"kind": "csat", "value": 1},
        "theme": api["theme"],
        "endorsements": 1,
        "language": "en",
        "said_at": said.isoformat().replace("+00:00", "Z"),
        "created_at": api["created_at"],
    }
    [reaction] = [i for i in items if i["source"] == "reaction"]
    assert reaction["text"].startswith("Refunds take three weeks") and reaction["permalink"]

    async def ids(**query: Any) -> set[int]:
        return {i["id"] for i in await every(bot, reader, **query)}

    assert await ids(source="api:zendesk") == {filed["id"]}
    assert await ids(source="reaction") == {reaction["id"]}
    assert await ids(process="refunds desk") == {
        i["id"] for i in items if i["process"] == "Refunds Desk"
    }
    assert await ids(customer="ACME.COM") == {filed["id"]}  # an alias finds the registered customer
    assert await ids(customer="Acme Corp", sentiment="complaint") == {filed["id"]}
    assert await ids(customer="Acme Corp", sentiment="praise") == set()
    assert await ids(until=(said + dt.timedelta(seconds=1)).isoformat()) == {filed["id"]}
    assert filed["id"] not in await ids(since=(said + dt.timedelta(seconds=1)).isoformat())
    assert await ids(process=" Refunds Desk ", since="2000-01-01", order="oldest") == {
        i["id"] for i in items if i["process"] == "Refunds Desk"
    }
    status, orsted = await post(
        bot, {"text": "Great onboarding call", "source": "calls", "customer": "ørsted"}, writer
    )
    assert status == 201
    assert await ids(customer="ØRSTED") == {orsted["id"]}  # not ASCII: any case, on SQLite too
    assert refunds


async def test_pages_have_no_duplicates_or_gaps_while_new_remarks_arrive(bot, db):
    await ds.workspace(db)
    billing = await ds.process(db, "Billing")
    base = utcnow().replace(microsecond=0) - dt.timedelta(days=5)
    async with transaction(db) as s:  # many share a said_at: the id breaks the tie
        before = [
            await ds.remark(
                s, process_id=billing, sentiment="complaint", at=base + dt.timedelta(hours=i // 3)
            )
            for i in range(23)
        ]
    reader, writer = await token(db), await token(db, "writer", scopes="write")
    arrived: list[int] = []

    async def arrive(page: int) -> None:
        # A new remark now (ahead of the pages read), and one said in the middle of the span.
        for said in (None, base + dt.timedelta(hours=3, minutes=page)):
            body = {
                "text": f"Another billing complaint {page} {said}",
                "source": "zendesk",
                "process": "Billing",
                **({"said_at": said.isoformat()} if said else {}),
            }
            status, filed = await post(bot, body, writer)
            assert status == 201, filed
            arrived.append(filed["id"])

    for order in ("newest", "oldest"):
        seen = [i["id"] for i in await every(bot, reader, between=arrive, limit=4, order=order)]
        assert len(seen) == len(set(seen))  # no duplicates
        assert set(before) <= set(seen)  # no gaps
        assert set(seen) <= set(before) | set(arrived)
    assert len(await every(bot, reader, limit=200)) == len(before) + len(arrived)


async def test_a_cursor_from_another_workspace_altered_or_for_other_filters_is_400(bot, db):
    await ds.workspace(db)
    await ds.workspace(db, OTHER)
    billing = await ds.process(db, "Billing")
    for i in range(3):
        await ds.remark(
            db, process_id=billing, sentiment="praise", at=utcnow() - dt.timedelta(hours=i)
        )
        await ds.remark(
            db,
            process_id=None,
            sentiment="praise",
            at=utcnow() - dt.timedelta(hours=i),
            team_id=OTHER,
        )
    ours, theirs = await token(db), await token(db, team=OTHER)
    status, _, first = await get(bot, "/api/v1/remarks", ours, limit=1)
    cursor = first["next_cursor"]
    assert status == 200 and cursor
    status, _, other = await get(bot, "/api/v1/remarks", theirs, limit=1, cursor=cursor)
    assert status == 400 and fields(other) == {"cursor"}, other
    body, _, mac = cursor.partition(".")
    for bad in (
        body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + mac,
        "x" + cursor,
        "garbage",
        "",
    ):
        status, _, answer = await get(bot, "/api/v1/remarks", ours, limit=1, cursor=bad)
        assert status == 400 and fields(answer) == {"cursor"}, (bad, answer)
    status, _, answer = await get(
        bot, "/api/v1/remarks", ours, limit=1, cursor=cursor, sentiment="complaint"
    )
    assert status == 400 and "other filters" in answer["message"]
    status, _, answer = await get(
        bot, "/api/v1/remarks", ours, limit=2, cursor=cursor
    )  # the size may change
    assert status == 200 and len(answer["items"]) == 2 and answer["next_cursor"] is None
    # A list's cursor is not a remarks cursor either.
    await ds.process(db, "Onboarding")
    status, _, page = await get(bot, "/api/v1/processes", ours, limit=1)
    status, _, answer = await get(bot, "/api/v1/remarks", ours, cursor=page["next_cursor"])
    assert status == 400 and fields(answer) == {"cursor"}


async def test_unknown_filters_and_bad_values_are_400_naming_each(bot, db):
    await ds.workspace(db)
    await ds.workspace(db, OTHER)
    await ds.process(db, "Secret", team_id=OTHER)
    reader = await token(db)
    cases = [
        ({"colour": "red"}, {"colour"}),
        ({"sentiment": "angry"}, {"sentiment"}),
        ({"since": "last tuesday", "until": "soon"}, {"since", "until"}),
        ({"since": "2025-03-02", "until": "2025-03-01"}, {"until"}),
        ({"limit": "500"}, {"limit"}),
        ({"limit": "0"}, {"limit"}),
        ({"limit": "ten"}, {"limit"}),
        ({"process": "Secret"}, {"process"}),  # another workspace's process is unknown here
        ({"theme": "999999"}, {"theme"}),
        ({"theme": "no such theme"}, {"theme"}),
        ({"order": "random"}, {"order"}),
        ({"customer": " "}, {"customer"}),
        ({"limit": "²"}, {"limit"}),
        ({"theme": "99999999999"}, {"theme"}),
        ({"since": "9999-12-31T23:59:59-05:00"}, {"since"}),
        ({"until": "\x00"}, {"until"}),
    ]
    for query, named in cases:
        status, _, answer = await get(bot, "/api/v1/remarks", reader, **query)
        assert status == 400 and fields(answer) == named and answer["error"] == "invalid_query", (
            query,
            answer,
        )
    async with (
        aiohttp.ClientSession() as http,
        http.get(
            f"{bot.base_url}/api/v1/remarks?sentiment=praise&sentiment=complaint",
            headers={"Authorization": f"Bearer {reader}"},
        ) as r,
    ):
        assert r.status == 400 and fields(await r.json()) == {"sentiment"}
    for path, query, named in (
        ("/api/v1/improvements", {"status": "done"}, {"status"}),
        ("/api/v1/themes", {"process": "Secret"}, {"process"}),
        ("/api/v1/processes", {"archived": "maybe"}, {"archived"}),
        ("/api/v1/processes", {"since": "x"}, {"since"}),
        ("/api/v1/customers", {"tier": "gold"}, {"tier"}),
    ):
        status, _, answer = await get(bot, path, reader, **query)
        assert status == 400 and fields(answer) == named, (path, answer)
    status, _, answer = await get(
        bot, "/api/v1/remarks", reader, sentiment="idea"
    )  # the digest's word
    assert status == 200


async def test_erased_and_deleted_text_is_never_returned(fake, slack, bot, db):
    marker = "Zanzibar invoices doubled"
    kept = fake.state.post_message(SUPPORT, BOB, "The export button is hard to find")
    erased = fake.state.post_message(SUPPORT, CARLA, f"{marker} for us")
    deleted = fake.state.post_message(SUPPORT, BOB, f"{marker} again, delete me")
    for m in (kept, erased, deleted):
        await slack.react(ALICE, SUPPORT, m["ts"], "memo")
    await settled(bot)
    await slack.delete(BOB, SUPPORT, deleted["ts"])
    done = await slack.slash(ALICE, SUPPORT, f"erase <@{CARLA}|carla>")
    assert "Erased from Earshot" in json.dumps(done.json())
    await settled(bot)
    reader = await token(db)
    status, _, page = await get(bot, "/api/v1/remarks", reader)
    assert status == 200 and marker not in json.dumps(page)
    assert len(page["items"]) == 2  # the deleted message's remark is gone
    texts = {i["id"]: i["text"] for i in page["items"]}
    assert sorted(texts.values(), key=str) == [None, "The export button is hard to find"]
    status, _, answer = await get(bot, "/api/v1/themes", reader)
    assert status == 200 and marker not in json.dumps(answer)


async def test_odd_query_strings_get_a_page_or_a_400_never_a_5xx(bot, db):
    from urllib.parse import quote

    from hypothesis import strategies as st

    from tests.fuzz import draw

    await ds.workspace(db)
    await ds.remark(db, process_id=None, sentiment="praise", at=utcnow())
    reader = await token(db, rate=100_000)
    names = st.sampled_from(
        [
            "since",
            "until",
            "process",
            "sentiment",
            "customer",
            "source",
            "theme",
            "order",
            "limit",
            "cursor",
            "x",
        ]
    )
    values = st.one_of(
        st.text(max_size=30),
        st.sampled_from(
            [
                "",
                " ",
                "0",
                "-1",
                "1e9",
                "2025-03-01",
                "2025-13-01",
                "0001-01-01T00:00:00+01:00",
                "idea",
                "9" * 40,
                "\u0000",
                "\ud800",
                "🙂",
                "a.b",
                "." * 3,
                "%",
                "oldest",
            ]
        ),
    )
    queries = draw(st.lists(st.tuples(names, values), min_size=1, max_size=4), 120)
    paths = [
        "/api/v1/remarks",
        "/api/v1/processes",
        "/api/v1/themes",
        "/api/v1/improvements",
        "/api/v1/customers",
    ]
    async with aiohttp.ClientSession() as http:
        for n, query in enumerate(queries):
            qs = "&".join(f"{quote(k)}={quote(v, errors='surrogatepass')}" for k, v in query)
            async with http.get(
                f"{bot.base_url}{paths[n % len(paths)]}?{qs}",
                headers={"Authorization": f"Bearer {reader}"},
            ) as r:
                assert r.status in (200, 400), (query, r.status, await r.text())
                assert "error" in await r.json() if r.status == 400 else True


async def test_nul_and_broken_utf8_in_filters_are_400_or_nothing_found(bot, db):
    await ds.workspace(db)
    reader = await token(db)
    async with aiohttp.ClientSession() as http:
        for name in ("process", "customer", "source", "theme", "since", "cursor", "sentiment"):
            for raw in ("%00", "a%00b", "%ED%A0%80", "%FF"):
                async with http.get(
                    f"{bot.base_url}/api/v1/remarks?{name}={raw}",
                    headers={"Authorization": f"Bearer {reader}"},
                ) as r:
                    assert r.status in (200, 400), (name, raw, r.status, await r.text())
