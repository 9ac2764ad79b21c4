"""Outbound webhooks for the loop and the digest: ``improvement.verdict`` once when *Did it
work?* settles, ``digest.posted`` once per posted digest, and nothing for a change that was
rolled back. The receiver verifies each request as the Standard Webhooks spec says
(https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md;
tests/e2e/webhooks/hook_receiver.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.digest.post import DigestPoster
from bot.domain.loop import impact, verdict_events
from bot.domain.workspace import hooks_events
from bot.server.scheduler import DigestScheduler, build_digest_client
from storage.db import transaction
from storage.models import WebhookDelivery
from tests.conftest import eventually
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, FEEDBACK, SUPPORT, TEAM
from tests.e2e.test_loop import shipped
from tests.e2e.webhooks.hook_receiver import verify
from tests.e2e.webhooks.support import add

NOW = dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC)


async def pending(db) -> list[WebhookDelivery]:
    async with db() as s:
        return list((await s.scalars(select(WebhookDelivery))).all())


async def test_the_verdict_is_sent_once_when_it_settles(fake, slack, bot, db, receiver):
    services = bot.runtime.services
    ship = NOW - dt.timedelta(days=28)
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    async with transaction(db) as s:  # Billing complaints fall from 10 a week to 1 after the ship
        for week in range(8):
            start = ship + dt.timedelta(days=7 * (week - 4))
            plan = [
                (billing, "complaint", 1 if week >= 4 else 10),
                (None, "neutral", 16 if week >= 4 else 24),
            ]
            i = 0
            for pid, sentiment, n in plan:
                for _ in range(n):
                    i += 1
                    await ds.remark(
                        s,
                        process_id=pid,
                        sentiment=sentiment,
                        at=start + dt.timedelta(hours=3 + 4 * i),
                    )
    imp_id = await shipped(db, billing, [], at=ship, owner=ALICE)
    _, secret = await add(slack, receiver, "/ok", "improvement.verdict")
    # Too early a week after the ship: nothing.
    assert await verdict_events.emit_settled(services, now=ship + dt.timedelta(days=7)) == 0
    client = build_digest_client(services)
    for _ in range(2):  # the clock's sweep, twice: once only
        await DigestScheduler(services, client, now=lambda: NOW).owner_alerts()
    [got] = await eventually(lambda: receiver.at("/ok"))
    await eventually(lambda: _gone(db))
    assert verify(secret, got.headers, got.body)
    event = got.json
    assert event["type"] == "improvement.verdict" and event["data"]["improvement"]["id"] == imp_id
    assert event["data"]["verdict"] == impact.IMPROVED
    assert event["data"]["complaints"]["before"]["complaints"] == 40
    assert await verdict_events.emit_settled(services, now=NOW) == 0
    assert len(receiver.at("/ok")) == 1


async def _gone(db) -> bool:
    return not await pending(db)


async def test_a_posted_digest_is_sent_once(fake, slack, bot, db, receiver):
    services = bot.runtime.services
    await ds.workspace(
        db, timezone="Europe/Berlin", digest_channel_id=FEEDBACK, installer_user_id=ds.ALICE
    )
    await ds.plant(db, dt.datetime(2025, 3, 3, tzinfo=dt.UTC))
    _, secret = await add(slack, receiver, "/ok", "digest.posted")
    poster = DigestPoster(
        services, build_digest_client(services), worker="t", now=lambda: NOW, backoff_base=0.01
    )
    outcome = await poster.post(TEAM)
    assert outcome.status == "posted"
    assert (await poster.post(TEAM)).status != "posted"  # posted once, told once
    [got] = await eventually(lambda: receiver.at("/ok"))
    assert verify(secret, got.headers, got.body)
    digest = got.json["data"]["digest"]
    assert got.json["type"] == "digest.posted"
    assert digest["channel_id"] == FEEDBACK and digest["message_ts"] == outcome.message_ts
    await eventually(lambda: _gone(db))
    assert len(receiver.at("/ok")) == 1


async def test_a_rolled_back_change_sends_nothing(fake, slack, bot, db, receiver):
    services = bot.runtime.services
    await ds.workspace(db)
    await add(slack, receiver, "/ok", "*")

    class Boom(Exception):
        pass

    async def created(session, remark_id: int) -> None:
        await hooks_events.emit(services, session, TEAM, hooks_events.REMARK_CREATED,
                                {"remark": {"id": remark_id}}, order_key=f"remark:{remark_id}", once=True)

    with pytest.raises(Boom):
        async with transaction(services.sessions) as session:
            await created(session, 1)
            raise Boom
    async with transaction(services.sessions) as session:
        await created(session, 2)
    [got] = await eventually(lambda: receiver.at("/ok"))
    await eventually(lambda: _gone(db))
    assert got.json["data"]["remark"]["id"] == 2 and len(receiver.at("/ok")) == 1


async def test_erased_and_expired_text_never_goes_out(fake, slack, bot, db, receiver):
    from bot.domain.privacy import retention

    await ds.workspace(db)
    sub_id, secret = await add(slack, receiver, "/held", "remark.created")
    old = fake.state.post_message(SUPPORT, CARLA, "Old words about invoices")
    mine = fake.state.post_message(SUPPORT, BOB, "Bob's own words about refunds")
    await slack.react(ALICE, SUPPORT, old["ts"], "memo")
    await slack.react(ALICE, SUPPORT, mine["ts"], "memo")
    await eventually(lambda: len(receiver.at("/held")) >= 2, timeout=15)  # refused while held
    rows = await eventually(lambda: _two(db))
    assert all(r.text for r in rows)
    await retention.erase_user(db, TEAM, BOB)
    await retention.expire_text(
        db, retention_days=1, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    )
    assert all(r.text is None for r in await pending(db))
    seen = len(receiver.received)
    receiver.open.set()
    await slack.slash(ALICE, SUPPORT, f"hooks out resume {sub_id}")
    await eventually(lambda: _gone(db))
    taken = receiver.at("/held")[seen:]
    assert len({r.msg_id for r in taken}) == 2 and all(
        verify(secret, r.headers, r.body) for r in taken
    )
    assert all(b"words" not in r.body and "text" not in r.json["data"]["remark"] for r in taken)


async def _two(db) -> list[WebhookDelivery]:
    rows = await pending(db)
    return rows if len(rows) == 2 else []
