"""Watched channels, end to end: `/feedback watch` by an admin, then every new top-level
message from a person there is a remark (Slack Connect authors' organisation as customer)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.customers.connect import clear_cache
from storage.models import Delivery, WatchedChannel
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, CARLA, FEEDBACK, GENERAL, SUPPORT, captures, remarks


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


async def watched(db):
    async with db() as s:
        return [w.channel_id for w in (await s.scalars(select(WatchedChannel))).all()]


def answer(delivery) -> str:
    body = delivery.json() or {}
    assert body.get("response_type", "ephemeral") == "ephemeral"
    return body.get("text", "")


async def watch_feedback(slack) -> None:
    delivery = await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}|customer-feedback>")
    assert delivery.status == 200 and "Now watching" in answer(delivery)


@pytest.fixture
def globex(fake):
    team = fake.state.add_team("T0GLOBEX01", "Globex Corporation", "globex")
    fake.state.add_user("U0HANK0001", "hank", "Hank Scorpio", team_id=team.id)
    return fake.state.add_channel("globex-acme", id="C0SHARED01", members=[ALICE, BOB, "U0HANK0001"],
                                  is_ext_shared=True, shared_team_ids=[fake.state.team.id, team.id])


# ------------------------------------------------------------------ the command


async def test_admin_watches_a_channel_and_lists_it(fake, slack, bot, db):
    await watch_feedback(slack)
    assert await watched(db) == [FEEDBACK]
    again = await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}>")
    assert "already watched" in answer(again)
    listing = await slack.slash(BOB, GENERAL, "watch")  # anyone may look
    assert f"<#{FEEDBACK}>" in answer(listing)


async def test_watch_by_bare_name_and_here(fake, slack, bot, db):
    assert "Now watching" in answer(await slack.slash(ALICE, GENERAL, "watch #support"))
    assert "Now watching" in answer(await slack.slash(ALICE, FEEDBACK, "watch here"))
    assert sorted(await watched(db)) == sorted([SUPPORT, FEEDBACK])


async def test_watch_needs_the_admin_right(fake, slack, bot, db):
    text = answer(await slack.slash(BOB, GENERAL, f"watch <#{FEEDBACK}|customer-feedback>"))
    assert "Only workspace admins" in text
    assert await watched(db) == []
    await watch_feedback(slack)
    assert "Only workspace admins" in answer(await slack.slash(BOB, GENERAL, f"unwatch <#{FEEDBACK}>"))
    assert await watched(db) == [FEEDBACK]


async def test_watching_a_channel_the_bot_is_not_in_asks_for_an_invite(fake, slack, bot, db):
    lounge = fake.state.add_channel("lounge", members=[ALICE, BOB], bot_member=False)
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{lounge.id}|lounge>"))
    assert "Invite me first" in text and "/invite @Earshot" in text
    private = fake.state.add_channel("secret", members=[ALICE], bot_member=False, is_private=True)
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{private.id}|secret>"))
    assert "invite me first" in text.lower()
    text = answer(await slack.slash(ALICE, GENERAL, "watch #no-such-channel"))
    assert "can't find" in text
    assert await watched(db) == []


async def test_unwatch_stops_filing(fake, slack, bot, db):
    await watch_feedback(slack)
    assert "Stopped watching" in answer(await slack.slash(ALICE, GENERAL, "unwatch #customer-feedback"))
    assert await watched(db) == []
    assert "wasn't watched" in answer(await slack.slash(ALICE, GENERAL, f"unwatch <#{FEEDBACK}>"))
    await slack.say(CARLA, FEEDBACK, "The new invoice layout is great")
    await settled(bot)
    assert await remarks(db) == []


async def test_watch_without_a_channel_explains(fake, slack, bot, db):
    text = answer(await slack.slash(ALICE, GENERAL, "watch the feedback one"))
    assert "Usage" in text and await watched(db) == []
    assert "No channels are watched" in answer(await slack.slash(ALICE, GENERAL, "watch"))


# ------------------------------------------------------------------ the route


async def test_new_top_level_message_in_a_watched_channel_is_a_remark(fake, slack, bot, db):
    await watch_feedback(slack)
    msg = await slack.say(CARLA, FEEDBACK, "Customer says the <https://acme.example/export|export> is :fire: slow")
    await fake.wait_for("reactions.add", timeout=30)  # the first filing loads the classifier
    await settled(bot)
    [remark] = await remarks(db)
    assert remark.text == "Customer says the <https://acme.example/export|export> is :fire: slow"
    assert (remark.channel_id, remark.message_ts, remark.author_user_id) == (FEEDBACK, msg["ts"], CARLA)
    assert remark.permalink == fake.state.permalink(FEEDBACK, msg["ts"])
    assert remark.customer is None
    [capture] = await captures(db)
    # Captured by the channel (it is watched), not by Carla: she is who said it.
    assert (capture.user_id, capture.route) == (FEEDBACK, "watch")
    # Marked quietly; no private confirmation per message.
    [mark] = fake.calls_to("reactions.add")
    assert (mark.params["channel"], mark.params["timestamp"], mark.params["name"]) == (FEEDBACK, msg["ts"], "inbox_tray")
    assert fake.calls_to("chat.postEphemeral") == []


async def test_unwatched_channels_are_not_captured(fake, slack, bot, db):
    await watch_feedback(slack)
    await slack.say(CARLA, GENERAL, "The export is slow")
    await settled(bot)
    assert await remarks(db) == []
    assert fake.calls_to("chat.getPermalink") == []


async def test_slack_connect_customer_message_names_their_organisation(fake, slack, bot, db, globex):
    await slack.slash(ALICE, GENERAL, f"watch <#{globex.id}|globex-acme>")
    msg = await slack.say("U0HANK0001", globex.id, "Honestly the onboarding was the smoothest we've had")
    assert slack.deliveries[-1].envelope["is_ext_shared_channel"] is True
    await slack.say(BOB, globex.id, "Thanks Hank! Passing it on.")
    await settled(bot)
    # Different messages are worked on concurrently: order by when they were said.
    hank, bob = sorted(await remarks(db), key=lambda r: r.message_ts)
    assert (hank.message_ts, hank.customer, hank.author_team_id) == (msg["ts"], "Globex Corporation", "T0GLOBEX01")
    assert hank.customer_decided_by is None
    assert bob.customer is None  # our own people in a shared channel are not the customer
    # A second message from the same organisation costs no more lookups.
    await slack.say("U0HANK0001", globex.id, "Support answered in minutes, impressive")
    await settled(bot)
    assert len(await remarks(db)) == 3
    assert len(fake.calls_to("team.info")) == 1


async def test_bots_joins_replies_and_unknown_subtypes_are_not_remarks(fake, slack, bot, db):
    await watch_feedback(slack)
    parent = await slack.say(CARLA, FEEDBACK, "Invoice PDF is blank")
    await settled(bot)
    await slack.say(BOB, FEEDBACK, "Same for Initech", thread_ts=parent["ts"])
    await slack.say(BOB, FEEDBACK, "And for Umbrella", thread_ts=parent["ts"], reply_broadcast=True)
    await slack.bot_post(FEEDBACK, "Zendesk ticket #123 opened")
    await slack.join(BOB, FEEDBACK)
    # A subtype Slack may add tomorrow, and a file share whose message has no `user` or blocks.
    odd = fake.state.post_message(FEEDBACK, BOB, "pinned something", subtype="pinned_item")
    from bot.fakeslack import payloads

    await slack._event(payloads.message_event(odd, FEEDBACK))
    await slack._event({"type": "message", "subtype": "file_share", "channel": FEEDBACK, "ts": fake.state.next_ts(),
                        "event_ts": fake.state.next_ts(), "channel_type": "channel", "files": [{"id": "F0"}]})
    await slack._event({"type": "message", "channel": FEEDBACK, "channel_type": "channel"})
    await settled(bot)
    [remark] = await remarks(db)
    assert remark.message_ts == parent["ts"]
    assert all(d.status == 200 for d in slack.deliveries)
    async with db() as s:
        rows = (await s.scalars(select(Delivery))).all()
    assert rows and all(r.done_at is not None and r.last_error is None for r in rows)


async def test_file_share_with_a_comment_is_a_remark(fake, slack, bot, db):
    await watch_feedback(slack)
    await slack.share_file(CARLA, FEEDBACK, "screenshot.png", b"png", comment="Their dashboard shows no data")
    await settled(bot)
    [remark] = await remarks(db)
    assert remark.text == "Their dashboard shows no data"


async def test_retried_watched_message_changes_nothing(fake, slack, bot, db):
    await watch_feedback(slack)
    first = await slack.say(CARLA, FEEDBACK, "Pricing page is confusing")
    await settled(bot)
    again = await slack.deliverer.resend_last()
    assert again.status == 200
    await settled(bot)
    assert len(await remarks(db)) == 1 and len(await captures(db)) == 1
    assert len(fake.calls_to("reactions.add")) == 1
    assert first["ts"]


async def test_long_remark_is_stored_whole(fake, slack, bot, db):
    await watch_feedback(slack)
    text = ("Word " * 8000)[:40_000]
    await slack.say(CARLA, FEEDBACK, text)
    await settled(bot)
    [remark] = await remarks(db)
    assert len(remark.text) == 40_000 and remark.text == text
