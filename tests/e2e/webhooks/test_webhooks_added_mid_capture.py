"""A webhook added while a capture is under way gets that capture's event.

A capture reads the workspace, then reads Slack and classifies outside any transaction, then
writes the remark and its event; it used to take ``webhook_count`` from that first read, so a
webhook added meanwhile missed the event (both tests here failed). A webhook added
in between, by another connection (the test's own engine: another process, as `earshot
hooks out add` is), was active when the event committed, so it must get the event. The add
is made while the bot classifies the remark, the step between that read and that write;
captures are a Slack-signed reaction and an intake API POST over HTTP (the batched path
`earshot import` shares); the receiver is ours (hook_receiver.py).

Then the write itself: on PostgreSQL an add waits for a capture's event transaction to
commit, or the capture waits for the add and sees it (the share lock on the workspace row,
``WebhookRepository.count_for_event``); SQLite's one writer orders them the same way."""

from __future__ import annotations

import asyncio
import json

import aiohttp

from bot.domain.workspace import api_tokens
from bot.domain.workspace.hooks_sign import new_secret
from storage.db import create_engine, session_factory, transaction
from storage.models import Customer, utcnow
from storage.repositories.customers import customer_key
from storage.repositories.webhooks import WebhookRepository
from tests.conftest import eventually, settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, CARLA, SUPPORT, TEAM
from tests.e2e.webhooks.hook_receiver import verify


def add_while_classifying(bot, db, receiver, monkeypatch, path: str) -> list[int]:
    """Make the bot's next classification first add a webhook for ``path`` and commit it."""
    filing = bot.runtime.services.filing
    real = filing.classify
    added: list[int] = []

    async def classify(team_id: str, text: str, *, version: int | None = None):
        if not added:
            secret = new_secret()
            async with transaction(db) as s:
                sub = await WebhookRepository(s).add(
                    team_id, url=f"{receiver.base}{path}", events=["remark.created"],
                    secret=secret, by="U0ALICE001", at=utcnow())
            assert sub is not None
            receiver.secrets[path] = secret
            added.append(sub.id)
        return await real(team_id, text, version=version)

    monkeypatch.setattr(filing, "classify", classify)
    return added


async def test_a_webhook_added_while_a_reaction_is_captured_gets_its_event(
    fake, slack, bot, db, receiver, monkeypatch
):
    await ds.workspace(db)
    added = add_while_classifying(bot, db, receiver, monkeypatch, "/mid")
    msg = fake.state.post_message(SUPPORT, CARLA, "The invoice arrived twice this month.")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    assert added  # the webhook was added mid-capture
    [got] = await eventually(lambda: receiver.at("/mid"), timeout=10)
    assert verify(receiver.secrets["/mid"], got.headers, got.body)
    assert got.json["type"] == "remark.created"
    assert got.json["data"]["remark"]["text"] == "The invoice arrived twice this month."


async def test_a_webhook_added_while_an_api_remark_is_filed_gets_its_event(
    bot, db, receiver, monkeypatch
):
    await ds.workspace(db)
    token = (await api_tokens.create(db, TEAM, "zendesk", by="U0ALICE001", at=utcnow(),
                                     rate_per_minute=600)).token
    added = add_while_classifying(bot, db, receiver, monkeypatch, "/api")
    body = {"text": "Refunds take three weeks", "source": "zendesk", "external_id": "T-9"}
    async with aiohttp.ClientSession() as http, http.post(
            f"{bot.base_url}/api/v1/remarks", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"}) as r:
        assert r.status == 201, await r.text()
    assert added
    [got] = await eventually(lambda: receiver.at("/api"), timeout=10)
    assert verify(receiver.secrets["/api"], got.headers, got.body)
    assert got.json["data"]["remark"]["text"] == "Refunds take three weeks"


async def test_an_add_waits_for_an_event_transaction_that_read_the_count(db, database_url, receiver):
    """The window inside the write: the capture's transaction has written (its remark; here
    a customer row, any write) and read the count (none); an add from another connection
    cannot commit until that transaction has, so the webhook was not yet active when the
    event committed. PostgreSQL: the share lock; SQLite: the one writer (busy_timeout)."""
    await ds.workspace(db)
    engine = create_engine(database_url)
    other = session_factory(engine)

    async def add() -> None:
        async with transaction(other) as o:
            await WebhookRepository(o).add(TEAM, url=f"{receiver.base}/late", events=["remark.created"],
                                           secret=new_secret(), by="U0ALICE001", at=utcnow())

    try:
        async with transaction(db) as s:  # the capture's write transaction
            s.add(Customer(team_id=TEAM, name="Globex", name_key=customer_key("Globex"), aliases=[]))
            await s.flush()
            assert await WebhookRepository(s).count_for_event(TEAM) == 0
            adding = asyncio.create_task(add())
            await asyncio.sleep(0.5)
            assert not adding.done(), "the add committed while the event's transaction was open"
        await asyncio.wait_for(adding, 15)  # once that transaction committed, the add goes through
        async with transaction(db) as s:
            assert await WebhookRepository(s).count_for_event(TEAM) == 1
    finally:
        await engine.dispose()
