"""Reaction capture, end to end: signed reaction_added/removed deliveries to the running bot."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from storage.models import Delivery
from tests.conftest import eventually, settled
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, captures, count, remarks


async def test_capture_emoji_files_remark_confirms_privately_and_marks_message(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "The invoice arrived twice this month, again.")
    delivery = await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    assert delivery.status == 200

    await fake.wait_for("chat.postEphemeral")
    [remark] = await remarks(db)
    assert remark.text == "The invoice arrived twice this month, again."
    assert (remark.channel_id, remark.message_ts, remark.author_user_id) == (SUPPORT, msg["ts"], CARLA)
    assert remark.permalink and remark.permalink.startswith("https://")
    assert remark.team_id == fake.state.team.id
    [capture] = await captures(db)
    assert (capture.user_id, capture.route) == (ALICE, "reaction")

    [ephemeral] = fake.calls_to("chat.postEphemeral")
    assert ephemeral.params["user"] == ALICE and ephemeral.params["channel"] == SUPPORT
    assert "invoice arrived twice" in str(ephemeral.params["blocks"])
    await fake.wait_for("reactions.add")
    [mark] = fake.calls_to("reactions.add")
    assert mark.params["timestamp"] == msg["ts"] and mark.params["name"] == "inbox_tray"


async def test_reaction_on_a_thread_reply_files_that_reply(fake, slack, bot, db):
    parent = fake.state.post_message(SUPPORT, BOB, "Call recap with Acme")
    reply = fake.state.post_message(SUPPORT, CARLA, "They said onboarding was spot on", thread_ts=parent["ts"])
    await slack.react(ALICE, SUPPORT, reply["ts"], "speech_balloon")
    await fake.wait_for("chat.postEphemeral")
    [remark] = await remarks(db)
    assert remark.message_ts == reply["ts"] and remark.thread_ts == parent["ts"]
    assert remark.text == "They said onboarding was spot on"


async def test_second_teammate_reaction_counts_as_endorsement(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Support took four days to answer.")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await fake.wait_for("chat.postEphemeral", count=1)
    await slack.react(BOB, SUPPORT, msg["ts"], "memo")
    await fake.wait_for("chat.postEphemeral", count=2)
    [remark] = await remarks(db)
    assert remark.endorsements == 2
    assert sorted(c.user_id for c in await captures(db)) == [ALICE, BOB]
    # The message is fetched once; the endorsement costs no Web API read.
    assert len(fake.calls_to("conversations.history")) == 1
    assert len(fake.calls_to("reactions.add")) == 1


async def test_retried_delivery_changes_nothing(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Export to CSV keeps timing out")
    first = await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    again = await slack.deliverer.send_envelope(first.envelope, retry_num=1, retry_reason="http_timeout")
    assert again.status == 200
    await settled(bot)
    assert len(await remarks(db)) == 1 and len(await captures(db)) == 1
    assert len(fake.calls_to("chat.postEphemeral")) == 1
    assert await count(db, Delivery) == 1


async def test_racing_reactions_from_two_teammates_make_one_remark(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Love the new dashboard")
    await asyncio.gather(
        slack.react(ALICE, SUPPORT, msg["ts"], "memo"),
        slack.react(BOB, SUPPORT, msg["ts"], "memo"),
        slack.react(CARLA, SUPPORT, msg["ts"], "speech_balloon"),
    )
    await settled(bot)
    [remark] = await remarks(db)
    assert remark.endorsements == 3 and len(await captures(db)) == 3


async def test_removing_the_reaction_withdraws_the_capture(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Billing portal is confusing")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await slack.react(BOB, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    await slack.unreact(BOB, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    [remark] = await remarks(db)
    assert remark.endorsements == 1 and [c.user_id for c in await captures(db)] == [ALICE]

    await slack.unreact(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    assert await remarks(db) == [] and await captures(db) == []
    # The bot's own mark goes too, so nobody thinks it is still captured.
    await fake.wait_for("reactions.remove")
    assert fake.calls_to("reactions.remove")[-1].params["name"] == "inbox_tray"


async def test_other_emoji_are_ignored(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Nice")
    delivery = await slack.react(ALICE, SUPPORT, msg["ts"], "thumbsup")
    assert delivery.status == 200
    await settled(bot)
    assert await remarks(db) == []
    assert fake.calls_to("conversations.history") == []


async def test_bot_messages_are_ignored(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, None, "Deploy finished", bot=True)
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    assert await remarks(db) == []
    assert fake.calls_to("chat.postEphemeral") == []


async def test_message_the_bot_cannot_read_is_ignored_quietly(fake, slack, bot, db):
    private = fake.state.add_channel("secret-deals", members=[ALICE, CARLA], bot_member=False)
    msg = fake.state.post_message(private.id, CARLA, "Confidential")
    delivery = await slack.react(ALICE, private.id, msg["ts"], "memo")
    assert delivery.status == 200
    await settled(bot)
    assert await remarks(db) == []
    assert fake.calls_to("conversations.history")[0].response["error"] == "not_in_channel"
    async with db() as s:
        [row] = (await s.scalars(select(Delivery))).all()
    assert row.done_at is not None and row.last_error is None


async def test_slack_error_while_fetching_is_logged_and_does_not_crash(fake, slack, bot, db, caplog):
    msg = fake.state.post_message(SUPPORT, CARLA, "Onboarding docs are outdated")
    fake.fail_next("conversations.history", "internal_error", status=200)
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    assert await remarks(db) == []
    assert "internal_error" in caplog.text
    # The bot is still healthy and captures the next one.
    await slack.react(BOB, SUPPORT, msg["ts"], "memo")
    await eventually(lambda: remarks(db))


async def test_rate_limited_fetch_waits_for_retry_after_then_files(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Delivery was late twice")
    fake.fail_next("conversations.history", "ratelimited", status=429, retry_after=1)
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await fake.wait_for("chat.postEphemeral", timeout=8)
    history = fake.calls_to("conversations.history")
    assert [c.status for c in history] == [429, 200]
    assert len(await remarks(db)) == 1


async def test_web_api_calls_reuse_keep_alive_connections(fake, slack, bot, db):
    # One HTTP session per process: without it the SDK opens a new connection (a TLS
    # handshake, against real Slack) for every call, about four per capture.
    fake.clear_calls()
    for i in range(4):
        msg = fake.state.post_message(SUPPORT, CARLA, f"Remark {i}: the export times out")
        await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
        await fake.wait_for("reactions.add", count=i + 1, timeout=30)
    calls = fake.calls
    assert len(calls) >= 12 and all(call.peer for call in calls)
    # A capture's confirmation and mark may go out side by side, over two connections.
    assert len({call.peer for call in calls}) <= 3, sorted({call.peer for call in calls})
