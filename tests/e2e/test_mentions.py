"""Mentions, end to end: `@Earshot` in a thread files the thread's parent, with the rest of
the mention as the capturer's note; Slack's duplicate `message` event is not a second reply."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.customers.connect import clear_cache
from bot.domain.processes.starter import ensure_workspace
from storage.db import transaction
from storage.models import Delivery
from storage.repositories import WorkspaceRepository
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, BOT, CARLA, FEEDBACK, SUPPORT, captures, remarks


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


async def test_mention_in_a_thread_files_the_parent_with_a_note(fake, slack, bot, db):
    parent = fake.state.post_message(SUPPORT, CARLA, "Their team finds the approval flow confusing")
    await slack.say(ALICE, SUPPORT, f"<@{BOT}> heard on the Initech QBR", thread_ts=parent["ts"])
    # Slack sent both `message` and `app_mention` for that reply.
    assert [d.envelope["event"]["type"] for d in slack.deliveries] == ["message", "app_mention"]
    await fake.wait_for("chat.postEphemeral")
    await settled(bot)

    [remark] = await remarks(db)
    assert (remark.channel_id, remark.message_ts, remark.author_user_id) == (SUPPORT, parent["ts"], CARLA)
    assert remark.text == "Their team finds the approval flow confusing"
    assert remark.permalink == fake.state.permalink(SUPPORT, parent["ts"])
    [capture] = await captures(db)
    assert (capture.user_id, capture.route, capture.note) == (ALICE, "mention", "heard on the Initech QBR")

    [ephemeral] = fake.calls_to("chat.postEphemeral")  # once, not once per event
    assert (ephemeral.params["user"], ephemeral.params["channel"], ephemeral.params["thread_ts"]) == (
        ALICE, SUPPORT, parent["ts"])
    [mark] = fake.calls_to("reactions.add")
    assert (mark.params["timestamp"], mark.params["name"]) == (parent["ts"], "inbox_tray")


async def test_bare_mention_has_no_note(fake, slack, bot, db):
    parent = fake.state.post_message(SUPPORT, CARLA, "Great support today")
    await slack.say(BOB, SUPPORT, f"<@{BOT}>", thread_ts=parent["ts"])
    await fake.wait_for("chat.postEphemeral")
    [capture] = await captures(db)
    assert capture.note is None


async def test_mention_outside_a_thread_answers_with_a_how_to(fake, slack, bot, db):
    await slack.say(ALICE, SUPPORT, f"<@{BOT}> what do you do?")
    await fake.wait_for("chat.postEphemeral")
    await settled(bot)
    [howto] = fake.calls_to("chat.postEphemeral")
    assert howto.params["user"] == ALICE and "thread" in howto.params["text"]
    assert await remarks(db) == []


async def test_mention_under_earshots_own_message_is_refused_kindly(fake, slack, bot, db):
    # Another app's post is filed (tests/e2e/test_app_posts.py); Earshot's own never is.
    parent = fake.state.post_message(SUPPORT, None, "This week's digest is ready", bot=True)
    await slack.say(ALICE, SUPPORT, f"<@{BOT}> file this", thread_ts=parent["ts"])
    await fake.wait_for("chat.postEphemeral")
    await settled(bot)
    assert "my own messages" in fake.calls_to("chat.postEphemeral")[0].params["text"]
    assert await remarks(db) == []


async def test_second_teammate_mentioning_endorses_and_retries_change_nothing(fake, slack, bot, db):
    parent = fake.state.post_message(SUPPORT, CARLA, "Delivery tracking is never updated")
    await slack.say(ALICE, SUPPORT, f"<@{BOT}>", thread_ts=parent["ts"])
    await fake.wait_for("chat.postEphemeral", count=1)
    mention = slack.deliveries[-1].envelope
    await slack.say(BOB, SUPPORT, f"<@{BOT}> same from Globex", thread_ts=parent["ts"])
    await fake.wait_for("chat.postEphemeral", count=2)
    await settled(bot)
    again = await slack.deliverer.send_envelope(mention, retry_num=1, retry_reason="http_timeout")
    assert again.status == 200
    await settled(bot)
    [remark] = await remarks(db)
    assert remark.endorsements == 2
    assert [(c.user_id, c.note) for c in await captures(db)] == [(ALICE, None), (BOB, "same from Globex")]
    assert len(fake.calls_to("chat.postEphemeral")) == 2
    assert len(fake.calls_to("conversations.history")) == 1  # the parent is fetched once
    async with db() as s:
        assert all(r.last_error is None for r in (await s.scalars(select(Delivery))).all())


async def test_mention_in_a_watched_channel_thread_is_one_capture(fake, slack, bot, db):
    async with transaction(db) as s:
        await ensure_workspace(s, fake.state.team.id)
        await WorkspaceRepository(s).watch(fake.state.team.id, channel_id=FEEDBACK, added_by=ALICE)
    parent = await slack.say(CARLA, FEEDBACK, "The Android app crashes on login")
    await settled(bot)
    await slack.say(BOB, FEEDBACK, f"<@{BOT}> happens to Initech too", thread_ts=parent["ts"])
    await fake.wait_for("chat.postEphemeral")
    await settled(bot)
    [remark] = await remarks(db)
    assert remark.endorsements == 2
    # The watched channel filed it; Bob is the one teammate who captured it (Carla is the
    # customer who said it, not a capturer).
    assert sorted((c.user_id, c.route) for c in await captures(db)) == [(FEEDBACK, "watch"), (BOB, "mention")]
    assert remark.teammates == 1
    assert len(fake.calls_to("chat.postEphemeral")) == 1


async def test_mention_in_a_slack_connect_thread_names_the_customer(fake, slack, bot, db):
    globex = fake.state.add_team("T0GLOBEX01", "Globex Corporation", "globex")
    fake.state.add_user("U0HANK0001", "hank", "Hank Scorpio", team_id=globex.id)
    shared = fake.state.add_channel("globex-acme", members=[ALICE, "U0HANK0001"], is_ext_shared=True)
    parent = fake.state.post_message(shared.id, "U0HANK0001", "We'd renew if SSO were cheaper")
    await slack.say(ALICE, shared.id, f"<@{BOT}>", thread_ts=parent["ts"])
    await fake.wait_for("chat.postEphemeral")
    [remark] = await remarks(db)
    assert remark.customer == "Globex Corporation"


async def test_forward_with_a_mention_files_the_forwarded_original_once(fake, slack, bot, db):
    original = fake.state.post_message(FEEDBACK, CARLA, "Checkout is so much faster now")
    await slack.forward(BOB, FEEDBACK, original["ts"], SUPPORT, comment=f"<@{BOT}> worth keeping")
    await fake.wait_for("chat.postEphemeral")
    await settled(bot)
    [remark] = await remarks(db)
    assert (remark.channel_id, remark.message_ts) == (FEEDBACK, original["ts"])
    [capture] = await captures(db)
    assert (capture.user_id, capture.route, capture.note) == (BOB, "forward", "worth keeping")
    assert len(fake.calls_to("chat.postEphemeral")) == 1
