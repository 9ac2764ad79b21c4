"""Signed but malformed requests never get a 5xx, and never hurt their neighbours.

Hypothesis mutates real-shaped Slack payloads (events, slash command forms, block_actions
payloads): odd JSON shapes at any field, deep nesting, 5,000-digit numbers, lone
surrogates in ids, ``actions`` that is not a list. They are signed and posted to the
running bot concurrently with valid reaction captures; every answer is a 2xx or a 4xx
with a reason, every valid delivery is stored and filed, and the worker stays alive.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp
from hypothesis import strategies as st
from sqlalchemy import select

from bot.fakeslack import payloads
from bot.fakeslack.signing import FORM, JSON, signature
from storage.models import Delivery
from tests.conftest import SECRET, eventually
from tests.e2e.queries import ALICE, CARLA, SUPPORT, remarks
from tests.fuzz import SURROGATE, draw, odd_json, put_at

RAW = "__raw_placeholder__"
NASTY_RAW = ["1" * 5000, "[" * 3000 + "]" * 3000, '{"a":' * 3000 + "1" + "}" * 3000, "-0e99999", "1e400"]

nasty: st.SearchStrategy[Any] = st.one_of(
    odd_json,
    st.just(SURROGATE), st.just("T" + SURROGATE), st.just("x" * 200), st.just("T\u0000"),
    st.sampled_from([RAW + str(i) for i in range(len(NASTY_RAW))]),
)

EVENT_PATHS = ["event", "event.item", "event.item.ts", "event.item.channel", "event.user", "event.type",
               "event.reaction", "event_id", "team_id", "type", "authorizations", "event.message",
               "event.channel", "api_app_id", "event_context"]
ACTION_PATHS = ["actions", "trigger_id", "team", "team.id", "user", "user.id", "type", "container",
                "channel", "message", "response_url", "view", "state", "api_app_id"]
COMMAND_FIELDS = ["command", "text", "team_id", "user_id", "channel_id", "trigger_id", "response_url",
                  "api_app_id", "payload"]

mutation = st.tuples(st.sampled_from(["event", "action", "command"]), st.integers(0, 20), nasty)


def with_raw(body: str) -> str:
    for i, raw in enumerate(NASTY_RAW):
        body = body.replace(json.dumps(RAW + str(i)), raw)
    return body


def form_value(value: Any) -> str:
    if isinstance(value, str):
        return with_raw(json.dumps(value))[1:-1] if value.startswith(RAW) else value
    return with_raw(json.dumps(value))


def signed(body: bytes, content_type: str, ts: int) -> dict[str, str]:
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature(body, SECRET, ts)}


async def test_signed_mutated_payloads_get_no_5xx_and_valid_neighbours_are_stored(fake, slack, bot, db):

    s = fake.state
    deliverer = slack.deliverer
    event_base = deliverer.envelope(payloads.reaction_added(ALICE, "memo", SUPPORT, "1.000001", CARLA, s.next_ts()))
    user, team = payloads.user_ref(ALICE, "alice", s.team.id), payloads.team_ref(s.team.id, s.team.domain)
    action_base = payloads.block_actions(
        [payloads.button_action("triage_file:1", block_id="b1", value="1")],
        user=user, team=team, container={"type": "message", "message_ts": "1.1", "channel_id": SUPPORT},
        trigger_id="1.2.abc", api_app_id=s.app_id, channel={"id": SUPPORT, "name": "support"},
        response_url=deliverer.response_url())
    command_base = dict(payloads.slash_command_body(
        "/feedback", "help", user_id=ALICE, channel_id=SUPPORT, team_id=s.team.id, trigger_id="9.9.xyz",
        response_url=deliverer.response_url()).split("&")[i].split("=", 1) for i in range(12))

    requests: list[tuple[bytes, str]] = []
    for n, (kind, pick, value) in enumerate(draw(mutation, 150)):
        if kind == "event":
            doc = put_at(event_base, EVENT_PATHS[pick % len(EVENT_PATHS)], value)
            doc["event_id"] = doc["event_id"] if pick % len(EVENT_PATHS) == 7 else f"EvFuzz{n}"
            requests.append((with_raw(json.dumps(doc)).encode(), JSON))
        elif kind == "action":
            doc = put_at(action_base, ACTION_PATHS[pick % len(ACTION_PATHS)], value)
            if pick % len(ACTION_PATHS) != 1:
                doc["trigger_id"] = f"1.{n}.fuzz"
            body = "payload=" + form_value(with_raw(json.dumps(doc, separators=(",", ":"))))
            requests.append((urlencode({"payload": with_raw(json.dumps(doc))}, errors="surrogatepass").encode()
                             if n % 2 else body.replace("&", "%26").encode("utf-8", "surrogatepass"), FORM))
        else:
            form = {**command_base, "trigger_id": f"9.{n}.fuzz"}
            form[COMMAND_FIELDS[pick % len(COMMAND_FIELDS)]] = form_value(value)
            requests.append((urlencode(form, errors="surrogatepass").encode("ascii"), FORM))

    messages = [s.post_message(SUPPORT, CARLA, f"Remark {i}: the export times out") for i in range(6)]
    valid = [deliverer.envelope(payloads.reaction_added(ALICE, "memo", SUPPORT, m["ts"], CARLA, s.next_ts()))
             for m in messages]
    session = await deliverer._get_session()
    ts = int(time.time())

    async def post(body: bytes, ctype: str) -> tuple[int, str]:
        async with session.post(bot.url, data=body, headers=signed(body, ctype, ts)) as r:
            return r.status, await r.text()

    # Interleaved and concurrent, so the odd ones share group commits with the valid ones.
    chunks = [requests[i::len(valid)] for i in range(len(valid))]
    answers = await asyncio.gather(*(post(b, c) for i, env in enumerate(valid)
                                     for b, c in [(json.dumps(env).encode(), JSON), *chunks[i]]))
    fivexx = [(status, text, body[:200]) for (status, text), (body, _) in
              zip(answers, [r for i, env in enumerate(valid) for r in [(b"valid", JSON), *chunks[i]]], strict=True)
              if status >= 500]
    assert not fivexx, fivexx
    refused = [text for status, text in answers if 400 <= status < 500]
    assert all('"error"' in text for text in refused)
    assert len(refused) > 10, "the mutations should include requests that are refused"

    async with db() as sess:
        keys = set((await sess.scalars(select(Delivery.delivery_key))).all())
    assert {f"ev:{env['event_id']}" for env in valid} <= keys

    async def valid_filed() -> bool:
        return {m["ts"] for m in messages} <= {r.message_ts for r in await remarks(db)}

    await eventually(valid_filed, timeout=60, interval=0.2)

    # After all of that the worker is alive and files a fresh capture.
    later = s.post_message(SUPPORT, CARLA, "One more: the invoice is wrong")
    assert (await slack.react(ALICE, SUPPORT, later["ts"], "memo")).status == 200
    await eventually(lambda: _filed(db, later["ts"]), timeout=20)


async def _filed(db: Any, ts: str) -> bool:
    return ts in {r.message_ts for r in await remarks(db)}


async def raw_post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as r:
        return r.status, await r.text()


async def test_correctly_signed_body_that_is_not_utf8_is_refused_as_400_with_a_reason(fake, bot, db):
    body = json.dumps({"type": "event_callback", "event_id": "EvLatin1", "team_id": fake.state.team.id,
                       "event": {"type": "message", "text": "caf\u00e9"}}).encode("ascii").replace(b"\\u00e9", b"\xe9")
    status, text = await raw_post(bot.url, body, signed(body, JSON, int(time.time())))
    assert status == 400 and "not UTF-8" in text
    async with db() as s:
        assert (await s.scalars(select(Delivery))).all() == []


async def test_non_utf8_body_with_a_wrong_signature_is_refused_as_unsigned(fake, bot, db):

    body = b'{"type":"event_callback","event_id":"EvBad","event":{"text":"caf\xe9"}}'
    headers = signed(body.replace(b"\xe9", b"\xef\xbf\xbd"), JSON, int(time.time()))  # signed the replaced text
    status, text = await raw_post(bot.url, body, headers)
    assert status == 401 and "invalid signature" in text
    status, text = await raw_post(bot.url, body, signed(body, JSON, int(time.time()) - 301))
    assert status == 401 and "stale" in text
