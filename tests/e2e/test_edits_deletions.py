"""Edits and deletions of captured messages, end to end: `message_changed` updates the remark
(re-classifying what no person decided), `message_deleted` and thread-root tombstones remove it."""

from __future__ import annotations

from sqlalchemy import func, select, update

from bot.fakeslack import payloads
from storage.models import Delivery, Remark, RemarkDaily
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, captures, remarks


async def rollup(db) -> tuple[int, int]:
    async with db() as s:
        row = (await s.execute(select(func.coalesce(func.sum(RemarkDaily.remarks), 0),
                                      func.coalesce(func.sum(RemarkDaily.endorsements), 0)))).one()
    return int(row[0]), int(row[1])


def web_calls(fake) -> list[str]:
    """Web API calls the bot made, beyond Bolt's own auth.test."""
    return [c.method for c in fake.calls if c.method != "auth.test"]


async def captured(fake, slack, bot, text: str, *, by: str = ALICE, author: str = CARLA, thread_ts=None):
    msg = fake.state.post_message(SUPPORT, author, text, thread_ts=thread_ts)
    await slack.react(by, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    return msg


async def test_edit_updates_the_text_and_reclassifies(fake, slack, bot, db):
    msg = await captured(fake, slack, bot, "I love how fast the invoices arrive, great job")
    [before] = await remarks(db)
    assert before.sentiment == "praise"
    fake.clear_calls()
    await slack.edit(CARLA, SUPPORT, msg["ts"], "Invoices are wrong again, this is terrible and broken <@U0BOB00001>")
    await settled(bot)
    [after] = await remarks(db)
    assert after.id == before.id
    assert after.text == "Invoices are wrong again, this is terrible and broken <@U0BOB00001>"
    assert after.sentiment == "complaint" and after.sentiment_decided_by is None
    assert after.classified_at >= before.classified_at
    assert await rollup(db) == (1, 1)
    # Following an edit costs no Web API call.
    assert web_calls(fake) == []


async def test_a_persons_decision_survives_an_edit(fake, slack, bot, db):
    msg = await captured(fake, slack, bot, "The onboarding call was fine")
    async with db() as s:
        await s.execute(update(Remark).values(sentiment="praise", sentiment_decided_by=BOB))
        await s.commit()
    [before] = await remarks(db)
    await slack.edit(CARLA, SUPPORT, msg["ts"], "The onboarding call was awful, a total waste of time")
    await settled(bot)
    [after] = await remarks(db)
    assert after.text.startswith("The onboarding call was awful")
    assert (after.sentiment, after.sentiment_decided_by) == ("praise", BOB)
    assert after.process_decided_by is None and after.process_confidence is not None
    assert before.id == after.id


async def test_edits_of_messages_that_are_not_remarks_are_ignored(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "just chatting")
    await slack.edit(CARLA, SUPPORT, msg["ts"], "just chatting, edited")
    await settled(bot)
    assert await remarks(db) == [] and web_calls(fake) == []


async def test_an_unfurl_added_to_a_captured_message_changes_nothing(fake, slack, bot, db):
    msg = await captured(fake, slack, bot, "See <https://status.example.com> for the outage")
    [before] = await remarks(db)
    unfurl = [{"from_url": "https://status.example.com", "title": "Status", "text": "All systems go",
               "fallback": "Status", "id": 1, "original_url": "https://status.example.com"}]
    previous, updated = fake.state.edit_message(SUPPORT, msg["ts"], attachments=unfurl)
    updated.pop("edited", None)  # an unfurl is not an edit by a person
    await slack._event(payloads.message_changed(SUPPORT, updated, previous, event_ts=fake.state.next_ts()))
    await settled(bot)
    [after] = await remarks(db)
    assert after.updated_at == before.updated_at and after.text == before.text


async def test_deletion_removes_the_remark_and_its_captures(fake, slack, bot, db):
    msg = await captured(fake, slack, bot, "The contract PDF had the wrong company name")
    await slack.react(BOB, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    assert len(await captures(db)) == 2
    await slack.delete(CARLA, SUPPORT, msg["ts"])
    assert slack.deliveries[-1].envelope["event"]["subtype"] == "message_deleted"
    await settled(bot)
    assert await remarks(db) == [] and await captures(db) == []
    assert await rollup(db) == (0, 0)
    # Slack retrying the deletion is harmless.
    again = await slack.deliverer.resend_last()
    assert again.status == 200
    await settled(bot)
    async with db() as s:
        assert all(r.last_error is None for r in (await s.scalars(select(Delivery))).all())


async def test_deleting_a_thread_root_with_replies_arrives_as_a_tombstone_and_removes_it(fake, slack, bot, db):
    root = await captured(fake, slack, bot, "Our renewal quote was twice last year's")
    fake.state.post_message(SUPPORT, BOB, "ouch", thread_ts=root["ts"])
    await slack.delete(CARLA, SUPPORT, root["ts"])
    event = slack.deliveries[-1].envelope["event"]
    assert (event["subtype"], event["message"]["subtype"]) == ("message_changed", "tombstone")
    await settled(bot)
    assert await remarks(db) == [] and await captures(db) == []


async def test_forwarded_original_is_followed_by_its_own_channel_and_ts(fake, slack, bot, db):
    original = fake.state.post_message(SUPPORT, CARLA, "Setup took us two weeks")
    fwd = await slack.forward(ALICE, SUPPORT, original["ts"], "dm", comment="from the QBR")
    await settled(bot)
    dm = fake.state.open_im(ALICE)[0].id
    # Editing the forward itself (the comment) is not an edit of the remark.
    await slack.edit(ALICE, dm, fwd["ts"], "from the QBR (Initech)")
    await settled(bot)
    assert (await remarks(db))[0].text == "Setup took us two weeks"
    await slack.edit(CARLA, SUPPORT, original["ts"], "Setup took us two weeks, support was slow")
    await settled(bot)
    assert (await remarks(db))[0].text == "Setup took us two weeks, support was slow"
    # Retrying the edit is harmless.
    again = await slack.deliverer.resend_last()
    assert again.status == 200
    await settled(bot)
    await slack.delete(CARLA, SUPPORT, original["ts"])
    await settled(bot)
    assert await remarks(db) == [] and await captures(db) == []


async def test_edit_and_delete_payloads_with_missing_fields_never_raise(fake, slack, bot, db):
    await captured(fake, slack, bot, "Something")
    for event in (
        {"type": "message", "subtype": "message_changed", "channel": SUPPORT, "hidden": True},
        {"type": "message", "subtype": "message_changed", "channel": SUPPORT, "message": None},
        {"type": "message", "subtype": "message_deleted", "channel": SUPPORT},
        {"type": "message", "subtype": "message_changed", "channel": SUPPORT,
         "message": {"ts": "1.000001", "blocks": "weird"}, "previous_message": {}},
    ):
        event["event_ts"] = event["ts"] = fake.state.next_ts()
        await slack._event(event)
    await settled(bot)
    assert len(await remarks(db)) == 1
    async with db() as s:
        assert all(r.last_error is None for r in (await s.scalars(select(Delivery))).all())
