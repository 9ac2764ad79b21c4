"""`/feedback api token ...` (admins) and `/feedback sources` (anyone), and App Home's
sources, over HTTP as Slack sends a slash command (the stand-in signs it as Slack does;
https://api.slack.com/interactivity/slash-commands)."""

from __future__ import annotations

import datetime as dt
import re

import aiohttp
from sqlalchemy import insert

from storage.db import transaction
from storage.models import ApiToken, Remark, utcnow
from tests.conftest import eventually
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, GENERAL, TEAM, count


def answer(delivery) -> str:
    body = delivery.json() or {}
    assert body.get("response_type", "ephemeral") == "ephemeral"
    return body.get("text", "")


async def test_an_admin_makes_a_token_shown_once_lists_and_revokes_it(slack, bot, db):
    made = answer(await slack.slash(ALICE, GENERAL, "api token create zendesk"))
    token = re.search(r"esk_[A-Za-z0-9_-]{43}", made)
    assert token and "shown only this once" in made
    listed = answer(await slack.slash(ALICE, GENERAL, "api token list"))
    assert "zendesk" in listed and token.group(0) not in listed
    async with aiohttp.ClientSession() as http, http.post(
            f"{bot.base_url}/api/v1/remarks", json={"text": "Refund please", "source": "zendesk"},
            headers={"Authorization": f"Bearer {token.group(0)}"}) as r:
        assert r.status == 201
    assert "Revoked" in answer(await slack.slash(ALICE, GENERAL, "api token revoke zendesk"))
    assert "no live token" in answer(await slack.slash(ALICE, GENERAL, "api token revoke zendesk"))
    assert "exists already" not in answer(await slack.slash(ALICE, GENERAL, "api token create zendesk"))


async def test_tokens_need_the_admin_right_and_a_refusal_changes_nothing(slack, bot, db):
    for text in ("api token create sneaky", "api token list", "api token revoke sneaky"):
        assert "Only workspace admins" in answer(await slack.slash(BOB, GENERAL, text))
    assert await count(db, ApiToken) == 0
    assert "Usage" in answer(await slack.slash(ALICE, GENERAL, "api token"))
    # A remark that starts with the word is filed, not taken for the subcommand.
    assert "Usage" not in answer(await slack.slash(BOB, GENERAL, "API calls time out since Monday"))
    assert await count(db, Remark) == 1
    assert "1-28 characters" in answer(await slack.slash(ALICE, GENERAL, "api token create Bad*Name"))


async def add(db, source: str, *, at: dt.datetime, n: int = 1) -> None:
    async with transaction(db) as s:
        await s.execute(insert(Remark), [
            {"team_id": TEAM, "source_key": f"{source}:{at.timestamp()}:{i}", "text": "x", "source": source,
             "said_at": at, "created_at": at, "updated_at": at} for i in range(n)])


async def test_sources_show_volumes_and_flag_an_integration_gone_silent(slack, bot, db, fake):
    await ds.workspace(db)
    now = utcnow()
    await add(db, "reaction", at=now - dt.timedelta(days=1), n=3)
    await add(db, "api:zendesk", at=now - dt.timedelta(days=2), n=5)
    await add(db, "Intercom", at=now - dt.timedelta(days=12), n=4)  # silent for 12 days
    await add(db, "reaction", at=now - dt.timedelta(days=20), n=1)  # a quiet route is not flagged
    await add(db, "api:<!channel> old", at=now - dt.timedelta(days=90))  # history: not listed
    text = answer(await slack.slash(BOB, GENERAL, "sources"))
    assert "*api:zendesk*: 5 this week, 5 in 4 weeks" in text
    assert "*reaction*: 3 this week, 4 in 4 weeks" in text
    assert "*Intercom*: 0 this week, 4 in 4 weeks, last 12 days ago" in text
    assert re.search(r":warning: \*Intercom\* has sent nothing for 12 days", text)
    assert "reaction* has sent nothing" not in text and "old" not in text
    await slack.open_home(BOB)
    published = await eventually(lambda: fake.calls_to("views.publish"))
    view = str(published[-1].params["view"])
    assert "Sources" in view and "Intercom" in view and "has sent nothing" in view
