"""The HTTP surface: signatures, malformed bodies, url_verification, health, storage failures."""

from __future__ import annotations

import json
import time

import aiohttp

from bot.config import Settings
from bot.fakeslack import payloads
from bot.fakeslack.signing import signed_headers
from storage.models import Delivery
from tests.conftest import SECRET, start_bot
from tests.e2e.queries import count


def reaction_envelope(fake, emoji: str = "memo") -> dict:
    msg = fake.state.post_message("C0SUPPORT1", "U0CARLA001", "hello")
    event = payloads.reaction_added("U0ALICE001", emoji, "C0SUPPORT1", msg["ts"], "U0CARLA001", fake.state.next_ts())
    return payloads.event_envelope(event, team_id=fake.state.team.id, api_app_id=fake.state.app_id)


async def post(url: str, body: str | bytes, headers: dict) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as r:
        return r.status, await r.text()


async def test_unsigned_request_is_refused_and_nothing_stored(fake, bot, db):
    body = json.dumps(reaction_envelope(fake))
    status, text = await post(bot.url, body, {"Content-Type": "application/json"})
    assert status == 401 and "missing" in text
    assert await count(db, Delivery) == 0


async def test_wrong_signature_is_refused(fake, bot, db):
    body = json.dumps(reaction_envelope(fake))
    status, text = await post(bot.url, body, signed_headers(body, "not-the-secret"))
    assert status == 401 and "invalid signature" in text
    assert await count(db, Delivery) == 0


async def test_stale_request_is_refused(fake, bot, db):
    body = json.dumps(reaction_envelope(fake))
    status, text = await post(bot.url, body, signed_headers(body, SECRET, timestamp=int(time.time()) - 301))
    assert status == 401 and "stale" in text
    assert await count(db, Delivery) == 0


async def test_tampered_body_is_refused(fake, bot, db):
    body = json.dumps(reaction_envelope(fake))
    headers = signed_headers(body, SECRET)
    status, _ = await post(bot.url, body.replace("memo", "fire"), headers)
    assert status == 401
    assert await count(db, Delivery) == 0


async def test_body_that_is_not_json_or_form_is_a_400(bot, db):
    for body, ctype in [("{not json", "application/json"), ("[1, 2]", "application/json"),
                        ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
                        ("<xml/>", "text/xml")]:
        status, text = await post(bot.url, body, signed_headers(body, SECRET, content_type=ctype))
        assert status == 400, (body, text)
    assert await count(db, Delivery) == 0


async def test_url_verification_is_answered(bot):
    body = json.dumps(payloads.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"))
    status, text = await post(bot.url, body, signed_headers(body, SECRET))
    assert status == 200
    assert json.loads(text) == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


async def test_event_type_the_bot_does_not_handle_is_acknowledged(fake, bot, db):
    event = {"type": "emoji_changed", "subtype": "add", "name": "party", "value": "https://x", "event_ts": "1.0"}
    body = json.dumps(payloads.event_envelope(event, team_id="T0001", api_app_id="A0APP00001"))
    status, _ = await post(bot.url, body, signed_headers(body, SECRET))
    assert status == 200


async def test_healthz_answers_when_the_database_does(bot):
    async with aiohttp.ClientSession() as http, http.get(f"{bot.base_url}/healthz") as r:
        assert r.status == 200
        assert (await r.json())["database"] == "ok"


async def test_when_the_database_cannot_be_written_slack_gets_a_5xx(fake, settings, tmp_path):
    broken = settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{tmp_path}/missing/dir/x.db"})
    assert isinstance(broken, Settings)
    running, stop = await start_bot(broken)
    try:
        body = json.dumps(reaction_envelope(fake))
        status, text = await post(running.url, body, signed_headers(body, SECRET))
        assert status == 503 and "retry" in text
        async with aiohttp.ClientSession() as http, http.get(f"{running.base_url}/healthz") as r:
            assert r.status == 503
    finally:
        await stop()
