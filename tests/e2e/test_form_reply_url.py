"""The confirmation's *Set customer* form answers where Slack said, never where the form's
metadata says: a view_submission (signed and shaped as Slack sends it, Slack's "view_submission
payload" docs) whose private_metadata carries a URL of a receiver on this machine gets nothing
sent there, and the person still gets a proper answer."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import delete

from storage.db import transaction
from storage.models import ViewReply
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, SUPPORT
from tests.e2e.test_corrections import captured, the_remark
from tests.e2e.test_oauth_installs import warm_classifier


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[bytes]]]:
    """A listener on loopback: the address an attacker would like Earshot to call."""
    got: list[bytes] = []

    async def steal(request: web.Request) -> web.Response:
        got.append(await request.read())
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/steal", steal)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/steal", got
    await runner.cleanup()


async def open_form(fake: Any, slack: Any, bot: Any, steal: str) -> dict[str, Any]:
    """Alice's confirmation, its *Set customer* form opened; the form's metadata rewritten to
    point at ``steal`` (what a crafted submission would carry)."""
    await warm_classifier()  # the first capture of a cold process may outlast wait_for
    _, blocks = await captured(fake, slack, bot, "Shipping took three weeks")
    await slack.click_ephemeral(ALICE, blocks, "remark_customer", channel=SUPPORT)
    await fake.wait_for("views.open")
    view = fake.state.last_view(user=ALICE, type="modal")
    meta = json.loads(view["private_metadata"])
    assert "response_url" not in meta  # nothing to steal in the first place
    view["private_metadata"] = json.dumps({**meta, "response_url": steal})
    return view


async def test_a_url_in_the_metadata_is_never_called_and_the_confirmation_is_replaced(
        fake, slack, bot, db, receiver):
    steal, got = receiver
    await open_form(fake, slack, bot, steal)
    submitted = await slack.submit_view(ALICE, {"customer": "Globex Corporation"})
    assert submitted.status == 200
    [replaced] = await fake.wait_for("response_url")
    assert "Globex Corporation" in str(replaced.params["blocks"])
    assert (await the_remark(db)).customer == "Globex Corporation"
    await settled(bot)
    assert got == []


async def test_with_no_reply_kept_the_answer_is_in_the_modal(fake, slack, bot, db, receiver):
    steal, got = receiver
    await open_form(fake, slack, bot, steal)
    async with transaction(db) as s:  # expired (Slack's 30 minutes) or never opened by Earshot
        await s.execute(delete(ViewReply))
    submitted = await slack.submit_view(ALICE, {"customer": "Globex Corporation"})
    answer = submitted.json()
    assert answer["response_action"] == "update"
    assert "Customer set to Globex Corporation" in json.dumps(answer["view"])
    assert (await the_remark(db)).customer == "Globex Corporation"
    await settled(bot)
    assert got == [] and fake.calls_to("response_url") == []


async def test_someone_elses_form_does_not_lend_its_reply(fake, slack, bot, db, receiver):
    steal, got = receiver
    view = await open_form(fake, slack, bot, steal)
    submitted = await slack.submit_view(BOB, {"customer": "Initech"}, view_id=view["id"])
    assert submitted.json()["response_action"] == "update"
    await settled(bot)
    assert got == [] and fake.calls_to("response_url") == []


async def test_a_response_url_off_slacks_hosts_is_not_kept(fake, slack, bot, db, receiver, monkeypatch):
    steal, got = receiver
    await warm_classifier()
    _, blocks = await captured(fake, slack, bot, "Shipping took three weeks")
    # A click whose response_url is not Slack's (only a holder of the signing secret could send it).
    monkeypatch.setattr(slack.deliverer, "response_url", lambda: steal)
    await slack.click_ephemeral(ALICE, blocks, "remark_customer", channel=SUPPORT)
    await fake.wait_for("views.open")
    submitted = await slack.submit_view(ALICE, {"customer": "Globex Corporation"})
    assert "Customer set to Globex Corporation" in json.dumps(submitted.json()["view"])
    await settled(bot)
    assert got == []


async def test_kept_replies_are_forgotten_after_slacks_thirty_minutes(fake, slack, bot, db, receiver):
    import datetime as dt

    from sqlalchemy import select

    from bot.server.scheduler import DigestScheduler
    from storage.models import utcnow

    await open_form(fake, slack, bot, receiver[0])
    services = bot.runtime.services
    await DigestScheduler(services, now=lambda: utcnow() + dt.timedelta(minutes=20)).retention()
    async with db() as s:
        assert len((await s.scalars(select(ViewReply))).all()) == 1
    await DigestScheduler(services, now=lambda: utcnow() + dt.timedelta(minutes=31)).retention()
    async with db() as s:
        assert (await s.scalars(select(ViewReply))).all() == []
