"""One-click corrections from the private confirmation: process, sentiment, customer, undo."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Remark, Workspace
from tests.conftest import eventually, settled
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, process_named


async def captured(fake, slack, bot, text: str, user: str = ALICE):
    msg = fake.state.post_message(SUPPORT, CARLA, text)
    before = len(fake.calls_to("chat.postEphemeral"))
    await slack.react(user, SUPPORT, msg["ts"], "memo")
    await fake.wait_for("chat.postEphemeral", count=before + 1)
    await settled(bot)
    confirmation = fake.calls_to("chat.postEphemeral")[-1].params
    return msg, confirmation["blocks"]


async def the_remark(db) -> Remark:
    async with db() as s:
        return (await s.scalars(select(Remark))).one()


async def test_changing_the_process_records_who_and_replaces_the_confirmation(fake, slack, bot, db):
    _, blocks = await captured(fake, slack, bot, "The export button vanished after the update")
    billing = await process_named(db, "Billing")
    async with db() as s:
        version_before = (await s.get(Workspace, "T0001")).model_version

    delivery = await slack.click_ephemeral(BOB, blocks, "remark_process", value=str(billing.id), channel=SUPPORT)
    assert delivery.status == 200
    await fake.wait_for("response_url")
    remark = await the_remark(db)
    assert remark.process_id == billing.id
    assert remark.process_decided_by == BOB and remark.process_decided_at is not None
    assert remark.process_confidence == 1.0
    async with db() as s:
        assert (await s.get(Workspace, "T0001")).model_version > version_before

    response = fake.calls_to("response_url")[-1].params
    assert response["replace_original"] is True
    assert "Billing" in str(response["blocks"]) and "set by a person" in str(response["blocks"])
    # In place: no new message was posted.
    assert len(fake.calls_to("chat.postEphemeral")) == 1 and fake.calls_to("chat.postMessage") == []


async def test_marking_unfiled_is_a_decision_too(fake, slack, bot, db):
    _, blocks = await captured(fake, slack, bot, "Invoice emails come twice")
    await slack.click_ephemeral(ALICE, blocks, "remark_process", value="unfiled", channel=SUPPORT)
    await fake.wait_for("response_url")
    remark = await the_remark(db)
    assert remark.process_id is None and remark.process_decided_by == ALICE


async def test_changing_the_sentiment(fake, slack, bot, db):
    _, blocks = await captured(fake, slack, bot, "Well, the onboarding call happened")
    await slack.click_ephemeral(ALICE, blocks, "remark_sentiment", value="praise", channel=SUPPORT)
    await fake.wait_for("response_url")
    remark = await the_remark(db)
    assert (remark.sentiment, remark.sentiment_decided_by) == ("praise", ALICE)
    assert "Praise" in str(fake.calls_to("response_url")[-1].params["blocks"])


async def test_setting_the_customer_through_the_modal(fake, slack, bot, db):
    _, blocks = await captured(fake, slack, bot, "Shipping took three weeks")
    await slack.click_ephemeral(ALICE, blocks, "remark_customer", channel=SUPPORT)
    await fake.wait_for("views.open")
    submitted = await slack.submit_view(ALICE, {"customer": "Globex Corporation"})
    assert submitted.status == 200
    await fake.wait_for("response_url")
    remark = await the_remark(db)
    assert (remark.customer, remark.customer_decided_by) == ("Globex Corporation", ALICE)
    assert "Globex Corporation" in str(fake.calls_to("response_url")[-1].params["blocks"])


async def test_undo_withdraws_the_capture_and_removes_a_lone_remark(fake, slack, bot, db):
    msg, blocks = await captured(fake, slack, bot, "Support never called back")
    await slack.click_ephemeral(ALICE, blocks, "remark_undo", channel=SUPPORT)
    await fake.wait_for("response_url")
    async with db() as s:
        assert (await s.scalars(select(Remark))).all() == []
    assert "Undone" in fake.calls_to("response_url")[-1].params["text"]
    await fake.wait_for("reactions.remove")
    assert fake.calls_to("reactions.remove")[-1].params["timestamp"] == msg["ts"]


async def test_undo_keeps_a_remark_others_captured(fake, slack, bot, db):
    msg, blocks = await captured(fake, slack, bot, "Love the new billing page")
    await slack.react(BOB, SUPPORT, msg["ts"], "memo")
    await fake.wait_for("chat.postEphemeral", count=2)
    await settled(bot)
    await slack.click_ephemeral(ALICE, blocks, "remark_undo", channel=SUPPORT)
    await fake.wait_for("response_url")
    remark = await the_remark(db)
    assert remark.endorsements == 1
    assert "teammates captured it too" in fake.calls_to("response_url")[-1].params["text"]


async def test_correcting_a_deleted_remark_answers_plainly(fake, slack, bot, db):
    _, blocks = await captured(fake, slack, bot, "Docs are out of date")
    await slack.click_ephemeral(ALICE, blocks, "remark_undo", channel=SUPPORT)
    await fake.wait_for("response_url", count=1)
    await slack.click_ephemeral(ALICE, blocks, "remark_sentiment", value="complaint", channel=SUPPORT)
    await fake.wait_for("response_url", count=2)
    assert "no longer in Earshot" in fake.calls_to("response_url")[-1].params["text"]


async def test_a_repeated_action_delivery_changes_nothing(fake, slack, bot, db):
    _, blocks = await captured(fake, slack, bot, "Refund took a month")
    first = await slack.click_ephemeral(ALICE, blocks, "remark_sentiment", value="complaint", channel=SUPPORT)
    await fake.wait_for("response_url")
    again = await slack.deliverer.send_interaction(first.payload)
    assert again.status == 200
    await settled(bot)
    await eventually(lambda: len(fake.calls_to("response_url")) == 1)
    assert len(fake.calls_to("response_url")) == 1


async def test_a_clicked_correction_teaches_the_classifier_at_once(fake, slack, bot, db):
    _, blocks = await captured(fake, slack, bot, "The quarterly business review deck had the wrong numbers")
    delivery = await process_named(db, "Delivery")
    await slack.click_ephemeral(ALICE, blocks, "remark_process", value=str(delivery.id), channel=SUPPORT)
    await fake.wait_for("response_url")

    msg = fake.state.post_message(SUPPORT, CARLA, "Quarterly business review deck numbers were wrong again")
    await slack.react(BOB, SUPPORT, msg["ts"], "memo")
    await fake.wait_for("chat.postEphemeral", count=2)
    async with db() as s:
        similar = (await s.scalars(select(Remark).where(Remark.message_ts == msg["ts"]))).one()
    assert similar.process_id == delivery.id and similar.process_decided_by is None
