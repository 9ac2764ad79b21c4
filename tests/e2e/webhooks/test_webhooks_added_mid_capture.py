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
import datetime as dt
import json

import aiohttp
import pytest

from bot.digest.post import DigestPoster
from bot.domain.loop import improvements, verdict_events
from bot.domain.workspace import api_tokens
from bot.domain.workspace.hooks_sign import new_secret
from bot.server.scheduler import build_digest_client
from storage.db import create_engine, session_factory, transaction
from storage.models import Customer, utcnow
from storage.repositories.customers import customer_key
from storage.repositories.webhooks import WebhookRepository
from tests.conftest import eventually, settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, FEEDBACK, SUPPORT, TEAM
from tests.e2e.test_loop import shipped
from tests.e2e.webhooks.hook_receiver import verify
from tests.e2e.webhooks.support import add


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


# Every other event type, the same way: the event's transaction reads its subscriptions
# last, under the share lock (hooks_events.subscriptions_at_commit). Until that helper was
# the one way in, these read them unlocked, and on PostgreSQL a webhook whose add committed
# between that read and the event's commit missed the event (the add below went through
# while the event's transaction was open, and the lock was never taken: both asserts failed).
# Each case: its setup (not watched), then the change that writes the event.

NOW = dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC)


async def _captured(fake, slack, bot) -> str:
    msg = fake.state.post_message(SUPPORT, CARLA, "The invoice arrived twice this month.")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    return str(msg["ts"])


async def _improvement(bot, db) -> int:
    billing = await ds.process(db, "Billing", owner=ALICE)
    made = await improvements.create(
        bot.runtime.services, bot.runtime.bolt.client, TEAM,
        improvements.Draft(process_id=billing, title="One invoice per order", description="",
                           owner_user_id=ALICE, link=None, remark_ids=[]), by=ALICE)
    return made.id


async def _verdict_due(db) -> None:
    """Billing complaints fall from 10 a week to 1 after a ship four weeks before NOW (as in
    test_webhooks_out_loop.py): the verdict settles at NOW."""
    ship = NOW - dt.timedelta(days=28)
    billing = await ds.process(db, "Billing", owner=BOB)
    async with transaction(db) as s:
        for week in range(8):
            start = ship + dt.timedelta(days=7 * (week - 4))
            i = 0
            for pid, sentiment, n in ((billing, "complaint", 1 if week >= 4 else 10),
                                      (None, "neutral", 16 if week >= 4 else 24)):
                for _ in range(n):
                    i += 1
                    await ds.remark(s, process_id=pid, sentiment=sentiment,
                                    at=start + dt.timedelta(hours=3 + 4 * i))
    await shipped(db, billing, [], at=ship, owner=ALICE)


async def _edit(fake, slack, bot, db, ts):
    await slack.edit(CARLA, SUPPORT, ts, "The invoice arrived three times this month.")
    await settled(bot)


async def _delete(fake, slack, bot, db, ts):
    await slack.delete(CARLA, SUPPORT, ts)
    await settled(bot)


async def _create(fake, slack, bot, db, _):
    await _improvement(bot, db)


async def _ship(fake, slack, bot, db, imp_id):
    await improvements.change_status(bot.runtime.services, bot.runtime.bolt.client, TEAM, imp_id,
                                     "shipped", by=ALICE)


async def _settle(fake, slack, bot, db, _):
    assert await verdict_events.emit_settled(bot.runtime.services, now=NOW) == 1


async def _digest(fake, slack, bot, db, _):
    services = bot.runtime.services
    poster = DigestPoster(services, build_digest_client(services), worker="t", now=lambda: NOW,
                          backoff_base=0.01)
    assert (await poster.post(TEAM)).status == "posted"


async def _no_setup(fake, slack, bot, db):
    return None


async def _setup_remark(fake, slack, bot, db):
    return await _captured(fake, slack, bot)


async def _setup_improvement(fake, slack, bot, db):
    return await _improvement(bot, db)


async def _setup_verdict(fake, slack, bot, db):
    await _verdict_due(db)


async def _setup_digest(fake, slack, bot, db):
    await ds.plant(db, dt.datetime(2025, 3, 3, tzinfo=dt.UTC))


CASES = {
    "remark.updated": (_setup_remark, _edit),
    "remark.deleted": (_setup_remark, _delete),
    "improvement.created": (_no_setup, _create),
    "improvement.status_changed": (_setup_improvement, _ship),
    "improvement.verdict": (_setup_verdict, _settle),
    "digest.posted": (_setup_digest, _digest),
}


@pytest.mark.parametrize("event", list(CASES))
async def test_an_add_waits_for_every_event_types_transaction(
    event, fake, slack, bot, db, database_url, receiver, monkeypatch
):
    await ds.workspace(db, timezone="Europe/Berlin", digest_channel_id=FEEDBACK,
                       installer_user_id=ALICE)
    await add(slack, receiver, "/early", "*")  # an admin's webhook, there before the event
    setup, change = CASES[event]
    made = await setup(fake, slack, bot, db)
    engine = create_engine(database_url)
    other = session_factory(engine)
    adds: list[asyncio.Task[None]] = []
    open_when_added: list[bool] = []
    real = WebhookRepository.count_for_event

    async def add_late() -> None:
        async with transaction(other) as o:
            await WebhookRepository(o).add(TEAM, url=f"{receiver.base}/late", events=["*"],
                                           secret=new_secret(), by="U0ALICE001", at=utcnow())

    async def count_then_add(self: WebhookRepository, team_id: str) -> int:
        """The event's own read; then, once, another connection adds a webhook while the
        event's transaction is still open."""
        count = await real(self, team_id)
        if not adds:
            adds.append(asyncio.create_task(add_late()))
            await asyncio.sleep(0.5)
            open_when_added.append(adds[0].done())
        return count

    monkeypatch.setattr(WebhookRepository, "count_for_event", count_then_add)
    try:
        await change(fake, slack, bot, db, made)
        assert adds, f"{event} did not read its subscriptions under the lock"
        await asyncio.wait_for(adds[0], 15)  # once the event committed, the add goes through
    finally:
        monkeypatch.setattr(WebhookRepository, "count_for_event", real)
        await engine.dispose()
    assert open_when_added == [False], "the add committed while the event's transaction was open"
    got = await eventually(lambda: [r for r in receiver.at("/early") if r.json["type"] == event])
    assert verify(receiver.secrets["/early"], got[0].headers, got[0].body)
