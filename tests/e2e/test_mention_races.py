"""One post that mentions Earshot in a thread reaches it twice: Slack sends an `app_mention`
and a `message` event for it, with different event ids
(https://api.slack.com/events/app_mention: "app_mention events are just like other message
events"; https://api.slack.com/events/message.channels). Delivered together, to one bot or to
two bot processes sharing a database, and redone after a crash, the post is filed once: one
remark, one capture, one private confirmation, one mark, and no "already filed" note.

The shapes come from the stand-in (bot/fakeslack/payloads/events.py), which follows those
pages.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select, update

from bot.fakeslack import payloads
from storage.db import transaction
from storage.models import Delivery, HandledPost
from tests.conftest import settled, start_bot
from tests.e2e.queries import ALICE, BOT, CARLA, SUPPORT, captures, count, remarks

CONFIRMED = "Filed as customer feedback"


def twin_events(fake, user: str, channel: str, text: str, thread_ts: str) -> tuple[dict[str, Any], ...]:
    """Post a thread reply that mentions the bot; the `message` and `app_mention` Slack sends."""
    ch = fake.state.channel(channel)
    msg = fake.state.post_message(ch.id, user, text, thread_ts=thread_ts)
    message = payloads.message_event(msg, ch.id, ch.channel_type)
    mention = payloads.app_mention(msg["user"], msg["text"], ch.id, msg["ts"], team=fake.state.team.id,
                                   thread_ts=thread_ts, blocks=msg.get("blocks"),
                                   client_msg_id=msg.get("client_msg_id"))
    return message, mention


async def crashed_before_finishing(db, delivery) -> None:
    """Leave ``delivery`` as a process that died before recording it done leaves it: not done,
    its payload kept, its lease run out."""
    async with transaction(db) as s:
        await s.execute(update(Delivery)
                        .where(Delivery.delivery_key == f"ev:{delivery.envelope['event_id']}")
                        .values(done_at=None, lease_until=None, body=delivery.request_body))


async def assert_each_filed_once(fake, db, parents: list[dict[str, Any]]) -> None:
    stored = await remarks(db)
    assert sorted(r.message_ts for r in stored) == sorted(p["ts"] for p in parents)
    assert [(c.user_id, c.route) for c in await captures(db)] == [(ALICE, "mention")] * len(parents)
    assert all(r.endorsements == 1 for r in stored)
    said = fake.calls_to("chat.postEphemeral")
    assert all(CONFIRMED in c.params["text"] for c in said), [c.params["text"] for c in said]
    assert sorted(c.params["thread_ts"] for c in said) == sorted(p["ts"] for p in parents)
    marks = fake.calls_to("reactions.add")
    assert sorted(c.params["timestamp"] for c in marks) == sorted(p["ts"] for p in parents)
    assert await count(db, Delivery, Delivery.last_error.is_not(None)) == 0


async def test_a_mention_and_its_message_event_delivered_together_file_it_once(fake, slack, bot, db):
    parents = []
    for i in range(8):
        parent = fake.state.post_message(SUPPORT, CARLA, f"Approvals get lost between teams ({i})")
        parents.append(parent)
        message, mention = twin_events(fake, ALICE, SUPPORT, f"<@{BOT}> heard on a call", parent["ts"])
        pair = (message, mention) if i % 2 else (mention, message)  # either may come first
        results = await asyncio.gather(*(slack.deliverer.send_event(e) for e in pair))
        assert [r.status for r in results] == [200, 200]
    await settled(bot)
    await assert_each_filed_once(fake, db, parents)


async def test_two_bot_processes_sharing_the_database_file_a_mention_once(fake, settings, db):
    # Slack is slower than the lease: a run must keep its lease, or the other process takes
    # the live delivery over and files the mention again.
    quick = settings.model_copy(update={"worker_poll_seconds": 0.1})
    one, stop_one = await start_bot(quick, lease_seconds=2.0)
    two, stop_two = await start_bot(quick, lease_seconds=2.0)
    to_one, to_two = fake.deliverer(one.url), fake.deliverer(two.url)
    try:
        fake.slow_down("conversations.history", 2.6)
        parents, deliveries = [], []
        for i in range(4):
            parent = fake.state.post_message(SUPPORT, CARLA, f"Exports time out at month end ({i})")
            parents.append(parent)
            message, mention = twin_events(fake, ALICE, SUPPORT, f"<@{BOT}>", parent["ts"])
            deliveries += [to_one.send_event(message), to_two.send_event(mention)] if i % 2 else [
                to_two.send_event(message), to_one.send_event(mention)]
        assert [r.status for r in await asyncio.gather(*deliveries)] == [200] * 8
        await settled(one, timeout=30)
        await settled(two, timeout=30)
    finally:
        fake.slow_down("conversations.history", 0)
        await to_one.close()
        await to_two.close()
        await stop_one()
        await stop_two()
    await assert_each_filed_once(fake, db, parents)
    assert len(fake.calls_to("conversations.history")) == len(parents)  # each run once
    assert await count(db, HandledPost) == len(parents)


async def test_a_mention_redone_after_a_crash_adds_nothing(fake, slack, bot, db):
    parent = fake.state.post_message(SUPPORT, CARLA, "The approval flow is confusing")
    await slack.say(ALICE, SUPPORT, f"<@{BOT}> heard on the QBR", thread_ts=parent["ts"])
    await fake.wait_for("chat.postEphemeral")
    await settled(bot)
    # The process died after the capture and its confirmation, before it recorded the
    # delivery as done: the delivery is run again.
    mention = next(d for d in slack.deliveries if d.envelope["event"]["type"] == "app_mention")
    await crashed_before_finishing(db, mention)
    bot.runtime.worker.wake()
    await settled(bot)
    await assert_each_filed_once(fake, db, [parent])
    async with db() as s:
        [redone] = (await s.scalars(select(Delivery).where(
            Delivery.delivery_key == f"ev:{mention.envelope['event_id']}"))).all()
    assert redone.attempts == 2 and redone.done_at is not None


async def test_a_forward_to_the_bot_redone_after_a_crash_adds_nothing(fake, slack, bot, db):
    original = fake.state.post_message(SUPPORT, CARLA, "Checkout is so much faster now")
    await slack.forward(ALICE, SUPPORT, original["ts"], "dm", comment="worth keeping")
    await fake.wait_for("chat.postEphemeral")
    await settled(bot)
    [forward] = slack.deliveries
    await crashed_before_finishing(db, forward)
    bot.runtime.worker.wake()
    await settled(bot)
    [remark] = await remarks(db)
    assert remark.endorsements == 1
    assert await count(db, Delivery, Delivery.last_error.is_not(None)) == 0
    [said] = fake.calls_to("chat.postEphemeral")
    assert CONFIRMED in said.params["text"]
    # Forwarding it again is a new post: that one is told it was filed already.
    await slack.forward(ALICE, SUPPORT, original["ts"], "dm", comment="again")
    await fake.wait_for("chat.postEphemeral", count=2)
    assert "already filed" in fake.calls_to("chat.postEphemeral")[-1].params["text"]
