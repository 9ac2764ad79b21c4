"""Outbound webhooks over HTTP: an admin subscribes a URL with signed `/feedback hooks out add`
requests; captures, edits and deletions in Slack reach a receiver of our own
(tests/e2e/webhooks/hook_receiver.py), signed and shaped as the Standard Webhooks spec says
(https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md);
failures are retried with the same webhook-id, in order per remark, and a subscription
that keeps failing is paused and its creator told once."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.domain.workspace import hooks_events
from bot.domain.workspace.hooks_send import Sender
from storage.db import transaction
from storage.models import WebhookDelivery, WebhookSubscription, utcnow
from storage.repositories.webhooks import WebhookRepository
from tests.conftest import eventually, settled, start_bot
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, CARLA, SUPPORT, TEAM
from tests.e2e.webhooks.hook_receiver import verify
from tests.e2e.webhooks.support import add, deliveries, subscription


async def test_admin_subscribes_and_a_captured_remark_arrives_signed(
    fake, slack, bot, db, receiver
):
    await ds.workspace(db)
    refused = (
        await slack.slash(CARLA, SUPPORT, f"hooks out add {receiver.base}/ok remark.created")
    ).json()
    assert "Only workspace admins" in refused["text"]
    assert (
        "Only workspace admins"
        in (await slack.slash(CARLA, SUPPORT, "hooks out list")).json()["text"]
    )
    async with db() as s:
        assert not (await s.scalars(select(WebhookSubscription))).all()
    sub_id, secret = await add(slack, receiver, "/ok")
    async with db() as s:
        stored = await s.get(WebhookSubscription, sub_id)
    assert stored is not None and stored.secret == secret and stored.events == ["remark.created"]

    msg = fake.state.post_message(SUPPORT, CARLA, "The invoice arrived twice this month, again.")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    [got] = await eventually(lambda: receiver.at("/ok"), timeout=15)
    assert verify(secret, got.headers, got.body)
    assert (
        got.headers["webhook-id"].startswith("msg_")
        and got.headers["content-type"] == "application/json"
    )
    event = got.json
    assert event["type"] == "remark.created" and event["timestamp"].endswith("Z")
    assert event["data"]["remark"]["text"] == "The invoice arrived twice this month, again."
    assert event["data"]["remark"]["channel_id"] == SUPPORT and event["data"]["remark"]["id"] > 0
    await eventually(lambda: _none_left(db))
    listed = (await slack.slash(ALICE, SUPPORT, "hooks out list")).json()["text"]
    assert f"#{sub_id}" in listed and "active" in listed and "last delivered" in listed
    assert secret not in listed  # shown once, when added
    tested = (await slack.slash(ALICE, SUPPORT, f"hooks out test {sub_id}")).json()["text"]
    assert "Queued a signed `webhook.test`" in tested  # through the outbox; the result follows
    await eventually(lambda: receiver.at("/ok")[-1].json["type"] == "webhook.test", timeout=10)
    assert verify(secret, receiver.at("/ok")[-1].headers, receiver.at("/ok")[-1].body)
    await eventually(lambda: "took the signed test event" in str(fake.calls_to("chat.postEphemeral")))
    # The tracker secrets command is unchanged.
    assert "/hooks/github?team=T0001" in (await slack.slash(ALICE, SUPPORT, "hooks")).json()["text"]
    removed = (await slack.slash(ALICE, SUPPORT, f"hooks out remove {receiver.base}/ok")).json()[
        "text"
    ]
    assert "removed" in removed
    async with db() as s:
        assert not (await s.scalars(select(WebhookSubscription))).all()


async def _none_left(db) -> bool:
    return not await deliveries(db)


async def test_a_failing_receiver_gets_retries_with_the_same_webhook_id(
    fake, slack, bot, db, receiver
):
    await ds.workspace(db)
    _, secret = await add(slack, receiver, "/flaky")
    msg = fake.state.post_message(SUPPORT, CARLA, "Support took four days to answer.")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    got = await eventually(lambda: len(receiver.at("/flaky")) >= 3 and receiver.at("/flaky"))
    await eventually(lambda: _none_left(db))
    assert len({r.msg_id for r in got}) == 1  # one message, three attempts
    assert all(verify(secret, r.headers, r.body) for r in got)
    assert len(receiver.at("/flaky")) == 3  # the 2xx ended it


async def test_redirect_timeout_and_500_fail_and_pause_while_a_slow_200_succeeds(
    fake, slack, bot, db, receiver
):
    await ds.workspace(db)
    ids = {
        p: (await add(slack, receiver, p))[0] for p in ("/redirect", "/slow", "/fail", "/slowok")
    }
    msg = fake.state.post_message(SUPPORT, CARLA, "Onboarding was confusing")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await eventually(lambda: receiver.at("/slowok"))
    for path in ("/redirect", "/slow", "/fail"):
        sub = await eventually(lambda p=path: _paused(db, ids[p]), timeout=20)
        assert sub.failures >= 3
    assert "HTTP 302" in (await subscription(db, ids["/redirect"])).last_error
    assert "no answer" in (await subscription(db, ids["/slow"])).last_error
    assert "HTTP 500" in (await subscription(db, ids["/fail"])).last_error
    assert not receiver.at("/ok")  # the redirect was not followed
    assert (
        len(receiver.at("/slowok")) == 1
        and (await subscription(db, ids["/slowok"])).paused_at is None
    )
    # Each creator is told once, by DM, per paused subscription.
    dms = await eventually(lambda: len(_pause_dms(fake)) >= 3 and _pause_dms(fake))
    assert len(dms) == 3 and all(c.params["channel"] == ALICE for c in dms)
    listed = (await slack.slash(ALICE, SUPPORT, "hooks out list")).json()["text"]
    assert listed.count("paused") >= 3
    # Paused: its delivery waits, nothing more is sent.
    before = len(receiver.received)
    assert await Sender(bot.runtime.services).run_once() == 0
    assert len(receiver.received) == before
    assert {d.subscription_id for d in await deliveries(db)} == {
        ids["/redirect"],
        ids["/slow"],
        ids["/fail"],
    }
    # Resumed once the receiver is fixed: what waited goes out.
    async with transaction(db) as s:
        sub = await s.get(WebhookSubscription, ids["/fail"])
        assert sub is not None
        sub.url = f"{receiver.base}/held"
    receiver.secrets["/held"] = sub.secret
    receiver.open.set()
    resumed = (await slack.slash(ALICE, SUPPORT, f"hooks out resume {ids['/fail']}")).json()["text"]
    assert "resumed" in resumed
    [got] = await eventually(lambda: receiver.at("/held"))
    assert verify(sub.secret, got.headers, got.body) and got.json["type"] == "remark.created"
    assert len(_pause_dms(fake)) == 3


def _pause_dms(fake) -> list:
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if "paused the webhook" in c.params.get("text", "")
    ]


async def _paused(db, sub_id: int) -> WebhookSubscription | None:
    sub = await subscription(db, sub_id)
    return sub if sub.paused_at is not None else None


async def test_events_of_one_remark_go_in_order_and_a_deletion_sends_no_text(
    fake, slack, bot, db, receiver
):
    await ds.workspace(db)
    sub_id, secret = await add(
        slack, receiver, "/held", "remark.created remark.updated remark.deleted"
    )
    msg = fake.state.post_message(
        SUPPORT, CARLA, "Refund took three weeks, reach me at carla@example.com"
    )
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await eventually(lambda: receiver.at("/held"))  # refused (503) while held
    await slack.edit(CARLA, SUPPORT, msg["ts"], "Refund took three weeks")
    await settled(bot)
    await slack.delete(CARLA, SUPPORT, msg["ts"])
    await settled(bot)
    rows = await deliveries(db)
    assert [d.event_type for d in rows] == ["remark.created", "remark.updated", "remark.deleted"]
    assert all(d.text is None for d in rows)  # the deletion took the words out of what waits
    sent_before = len(receiver.received)  # refused attempts, made before the deletion
    receiver.open.set()
    await slack.slash(ALICE, SUPPORT, f"hooks out resume {sub_id}")  # it may have paused meanwhile
    await eventually(lambda: _none_left(db))
    taken = [r for r in receiver.at("/held")[sent_before:] if verify(secret, r.headers, r.body)]
    firsts: dict[str, dict] = {}
    for r in taken:
        firsts.setdefault(r.msg_id, r.json)
    events = list(firsts.values())
    assert [e["type"] for e in events] == ["remark.created", "remark.updated", "remark.deleted"]
    assert events[2]["data"] == {"remark": {"id": events[0]["data"]["remark"]["id"]}}
    assert all(b"carla@example.com" not in r.body and b"Refund" not in r.body for r in taken)
    assert "text" not in events[0]["data"]["remark"] and "text" not in events[1]["data"]["remark"]


async def test_improvement_events_and_the_shipped_filter(fake, slack, bot, db, receiver):
    from bot.domain.loop import improvements

    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=ALICE)
    _, all_secret = await add(
        slack, receiver, "/ok", "improvement.created improvement.status_changed"
    )
    _, shipped_secret = await add(slack, receiver, "/slowok", "improvement.shipped")
    services, client = bot.runtime.services, bot.runtime.bolt.client
    imp = await improvements.create(
        services,
        client,
        TEAM,
        improvements.Draft(
            process_id=billing,
            title="One invoice per order",
            description="",
            owner_user_id=ALICE,
            link=None,
            remark_ids=[],
        ),
        by=ALICE,
    )
    await improvements.change_status(services, client, TEAM, imp.id, "in_progress", by=ALICE)
    await improvements.change_status(services, client, TEAM, imp.id, "shipped", by=ALICE)
    await eventually(lambda: _none_left(db))
    types = [r.json["type"] for r in receiver.at("/ok")]
    assert types == [
        "improvement.created",
        "improvement.status_changed",
        "improvement.status_changed",
    ]
    assert [r.json["data"]["improvement"]["status"] for r in receiver.at("/ok")][1:] == [
        "in_progress",
        "shipped",
    ]
    [shipped] = receiver.at("/slowok")
    assert shipped.json["type"] == "improvement.shipped" and verify(
        shipped_secret, shipped.headers, shipped.body
    )
    assert all(verify(all_secret, r.headers, r.body) for r in receiver.at("/ok"))


async def test_two_senders_never_send_the_same_delivery_twice(fake, slack, bot, db, receiver):
    await ds.workspace(db)
    await add(slack, receiver, "/slowok")
    receiver.slow_ok = 0.2
    services = bot.runtime.services
    async with transaction(services.sessions) as session:
        for i in range(1, 31):
            await hooks_events.emit(
                services,
                session,
                TEAM,
                "remark.created",
                {"remark": {"id": i}},
                order_key=f"remark:{i}",
                once=True,
            )
    senders = [Sender(services, limit=5) for _ in range(3)]  # beside the bot's own

    async def drain(sender: Sender) -> None:
        while await sender.run_once():
            pass

    await asyncio.gather(*(drain(s) for s in senders))
    await eventually(lambda: _none_left(db))
    for s in senders:
        await s.close()
    ids = [r.msg_id for r in receiver.at("/slowok")]
    assert len(ids) == 30 and len(set(ids)) == 30
    assert sorted(r.json["data"]["remark"]["id"] for r in receiver.at("/slowok")) == list(
        range(1, 31)
    )


async def test_plain_http_and_private_addresses_are_refused_without_the_settings(
    settings, fake, db, receiver
):
    strict = settings.model_copy(
        update={"webhooks_allow_http": False, "webhooks_allow_private": False}
    )
    running, stop = await start_bot(strict)
    sim = fake.simulator(running.url)
    try:
        await ds.workspace(db)
        for url, why in (
            (f"{receiver.base}/ok", "https://"),
            ("https://127.0.0.1/hook", "not a public address"),
            ("https://[::ffff:10.0.0.1]/x", "not a public address"),
            ("https://169.254.169.254/latest", "not a public address"),
            ("https://localhost/hook", "not a public"),
            ("ftp://example.com/x", "https://"),
        ):
            text = (await sim.slash(ALICE, SUPPORT, f"hooks out add {url} remark.created")).json()[
                "text"
            ]
            assert why in text and "cannot be used" in text, (url, text)
        async with db() as s:
            assert not (await s.scalars(select(WebhookSubscription))).all()
        # Checked again when sending: a stored URL that points inside is refused, nothing is sent.
        async with transaction(db) as s:  # the repository, which also counts it
            await WebhookRepository(s).add(
                TEAM,
                url=receiver.base.replace("http:", "https:") + "/ok",
                events=["*"],
                secret="whsec_" + "A" * 44,
                by=ALICE,
                at=utcnow(),
            )
        msg = fake.state.post_message(SUPPORT, CARLA, "The app is slow")
        await sim.slash(ALICE, SUPPORT, f"The app is slow {msg['ts']}")
        [row] = await eventually(lambda: _failed(db))
        assert "refused" in (row.last_error or "") and not receiver.received
    finally:
        await sim.close()
        await stop()


async def _failed(db) -> list[WebhookDelivery]:
    return [d for d in await deliveries(db) if d.attempts >= 1 and d.last_error]
