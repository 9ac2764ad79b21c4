"""Forwarded messages, end to end: a forward into the bot's DM or a watched channel files the
original (text, author, channel, permalink), captured by the forwarder."""

from __future__ import annotations

import pytest

from bot.domain.customers.connect import clear_cache
from bot.domain.processes.starter import ensure_workspace
from storage.db import transaction
from storage.repositories import WorkspaceRepository
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, CARLA, FEEDBACK, GENERAL, SUPPORT, captures, remarks


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


async def watch(db, fake, channel):
    async with transaction(db) as s:
        await ensure_workspace(s, fake.state.team.id)
        await WorkspaceRepository(s).watch(fake.state.team.id, channel_id=channel, added_by=ALICE)


async def test_forward_to_the_bot_files_the_original_captured_by_the_forwarder(fake, slack, bot, db):
    original = fake.state.post_message(SUPPORT, CARLA, "Checkout rejected my card three times :angry:")
    fwd = await slack.forward(ALICE, SUPPORT, original["ts"], "dm", comment="from the Globex call")
    await fake.wait_for("chat.postEphemeral")
    await settled(bot)

    [remark] = await remarks(db)
    assert remark.text == "Checkout rejected my card three times :angry:"
    assert (remark.channel_id, remark.message_ts) == (SUPPORT, original["ts"])
    assert remark.source_key == f"{SUPPORT}:{original['ts']}"
    assert remark.author_user_id == CARLA
    assert remark.permalink == fake.state.permalink(SUPPORT, original["ts"])
    assert remark.customer is None  # Carla is one of us
    [capture] = await captures(db)
    assert (capture.user_id, capture.route, capture.note) == (ALICE, "forward", "from the Globex call")
    dm = fwd["channel"] if "channel" in fwd else fake.state.open_im(ALICE)[0].id
    assert capture.channel_id == dm

    [ephemeral] = fake.calls_to("chat.postEphemeral")
    assert ephemeral.params["user"] == ALICE and ephemeral.params["channel"] == dm
    assert "Checkout rejected my card" in str(ephemeral.params["blocks"])
    assert not ephemeral.params.get("thread_ts")
    # What the forward carries is enough: the original is never fetched.
    assert fake.calls_to("conversations.history") == [] and fake.calls_to("conversations.replies") == []
    [mark] = fake.calls_to("reactions.add")
    assert (mark.params["channel"], mark.params["timestamp"]) == (dm, fwd["ts"])


async def test_forward_whose_text_lives_only_in_the_attachment_blocks(fake, slack, bot, db):
    blocks = [{"type": "rich_text", "block_id": "b1", "elements": [{"type": "rich_text_section", "elements": [
        {"type": "text", "text": "Onboarding call was "}, {"type": "text", "text": "superb", "style": {"bold": True}},
        {"type": "text", "text": ", thanks "}, {"type": "user", "user_id": BOB},
        {"type": "text", "text": " "}, {"type": "emoji", "name": "tada"}]}]}]
    original = fake.state.post_message(SUPPORT, CARLA, "", blocks=blocks)
    await slack.forward(BOB, SUPPORT, original["ts"], "dm")
    await fake.wait_for("chat.postEphemeral")
    [remark] = await remarks(db)
    assert remark.text == f"Onboarding call was superb, thanks <@{BOB}> :tada:"
    [capture] = await captures(db)
    assert capture.note is None


async def test_forward_from_a_channel_the_bot_is_not_in(fake, slack, bot, db):
    private = fake.state.add_channel("deals", members=[ALICE, CARLA], bot_member=False, is_private=True)
    original = fake.state.post_message(private.id, CARLA, "Their CFO says pricing is too opaque")
    await slack.forward(ALICE, private.id, original["ts"], "dm")
    await fake.wait_for("chat.postEphemeral")
    [remark] = await remarks(db)
    assert (remark.channel_id, remark.text) == (private.id, "Their CFO says pricing is too opaque")
    assert remark.permalink and private.id in remark.permalink


async def test_forwarding_the_same_original_twice_adds_a_capture_not_a_remark(fake, slack, bot, db):
    original = fake.state.post_message(SUPPORT, CARLA, "The mobile app logs me out every day")
    await slack.forward(ALICE, SUPPORT, original["ts"], "dm")
    await fake.wait_for("chat.postEphemeral", count=1)
    await slack.forward(BOB, SUPPORT, original["ts"], "dm", comment="+1, heard it too")
    await fake.wait_for("chat.postEphemeral", count=2)
    [remark] = await remarks(db)
    assert remark.endorsements == 2
    assert [(c.user_id, c.route) for c in await captures(db)] == [(ALICE, "forward"), (BOB, "forward")]

    # The same person forwarding it again is told, privately, that it is already filed.
    await slack.forward(BOB, SUPPORT, original["ts"], "dm")
    await fake.wait_for("chat.postEphemeral", count=3)
    assert "already filed" in fake.calls_to("chat.postEphemeral")[-1].params["text"]
    assert len(await captures(db)) == 2 and len(await remarks(db)) == 1


async def test_forward_of_a_message_already_captured_by_reaction_endorses_it(fake, slack, bot, db):
    original = fake.state.post_message(SUPPORT, CARLA, "Refunds take far too long")
    await slack.react(BOB, SUPPORT, original["ts"], "memo")
    await fake.wait_for("chat.postEphemeral", count=1)
    await slack.forward(ALICE, SUPPORT, original["ts"], "dm")
    await fake.wait_for("chat.postEphemeral", count=2)
    [remark] = await remarks(db)
    assert remark.endorsements == 2
    assert sorted((c.user_id, c.route) for c in await captures(db)) == [(ALICE, "forward"), (BOB, "reaction")]


async def test_retried_forward_changes_nothing(fake, slack, bot, db):
    original = fake.state.post_message(SUPPORT, CARLA, "Search never finds old tickets")
    first = await slack.forward(ALICE, SUPPORT, original["ts"], "dm")
    await settled(bot)
    again = await slack.deliverer.resend_last()
    assert again.status == 200
    await settled(bot)
    assert len(await remarks(db)) == 1 and len(await captures(db)) == 1
    assert len(fake.calls_to("chat.postEphemeral")) == 1
    assert first["ts"]


async def test_forward_into_a_watched_channel_files_the_original(fake, slack, bot, db):
    await watch(db, fake, FEEDBACK)
    original = fake.state.post_message(SUPPORT, CARLA, "Love the new reporting page")
    fwd = await slack.forward(BOB, SUPPORT, original["ts"], FEEDBACK, comment="nice one")
    await fake.wait_for("chat.postEphemeral")
    [remark] = await remarks(db)
    assert (remark.channel_id, remark.message_ts, remark.text) == (SUPPORT, original["ts"], "Love the new reporting page")
    [capture] = await captures(db)
    assert (capture.user_id, capture.route, capture.note, capture.channel_id) == (BOB, "forward", "nice one", FEEDBACK)
    [ephemeral] = fake.calls_to("chat.postEphemeral")
    assert (ephemeral.params["channel"], ephemeral.params["user"]) == (FEEDBACK, BOB)
    # Not a second remark for the forward message itself.
    assert fwd["ts"] != remark.message_ts


async def test_forward_into_an_unwatched_channel_is_ignored(fake, slack, bot, db):
    original = fake.state.post_message(SUPPORT, CARLA, "Shipping label printed wrong")
    await slack.forward(BOB, SUPPORT, original["ts"], GENERAL)
    await settled(bot)
    assert await remarks(db) == []
    assert fake.calls_to("chat.postEphemeral") == []


async def test_forward_of_a_slack_connect_customer_names_their_organisation(fake, slack, bot, db):
    globex = fake.state.add_team("T0GLOBEX01", "Globex Corporation", "globex")
    fake.state.add_user("U0HANK0001", "hank", "Hank Scorpio", team_id=globex.id)
    shared = fake.state.add_channel("globex-acme", members=[ALICE, "U0HANK0001"], is_ext_shared=True,
                                    shared_team_ids=[fake.state.team.id, globex.id])
    original = fake.state.post_message(shared.id, "U0HANK0001", "Your API docs saved us a week")
    await slack.forward(ALICE, shared.id, original["ts"], "dm")
    await fake.wait_for("chat.postEphemeral")
    [remark] = await remarks(db)
    assert remark.customer == "Globex Corporation"
    assert remark.customer_decided_by is None  # read from Slack, not a person's decision
    assert remark.author_team_id == globex.id


async def test_plain_message_to_the_bot_gets_a_how_to(fake, slack, bot, db):
    await slack.say(ALICE, "dm", "hello?")
    await fake.wait_for("chat.postEphemeral")
    assert "forward" in fake.calls_to("chat.postEphemeral")[0].params["text"].lower()
    assert await remarks(db) == []


async def test_forwarded_file_without_text_is_explained_not_filed(fake, slack, bot, db):
    original = fake.state.post_message(SUPPORT, CARLA, "", subtype="file_share", files=[{"id": "F1", "name": "x.png"}])
    original.pop("blocks", None)
    await slack.forward(ALICE, SUPPORT, original["ts"], "dm")
    await fake.wait_for("chat.postEphemeral")
    assert await remarks(db) == []
    assert "no text" in fake.calls_to("chat.postEphemeral")[0].params["text"]
