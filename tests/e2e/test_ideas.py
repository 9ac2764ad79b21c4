"""Ideas (suggestions) end to end: detected when captured through a signed Slack reaction,
shown with a confidence, corrected with one click either way, learnt from the correction,
and listed per process under "Ideas from customers" in the posted digest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from storage.models import Remark
from tests.conftest import eventually, settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, FEEDBACK, SUPPORT
from tests.e2e.test_corrections import the_remark
from tests.e2e.test_digest_post import PERIOD_START, SLOT, posted_digests, poster, section_texts
from tests.e2e.test_digest_post import services as services  # noqa: F401  (fixture)

IDEA = "It would help if the invoice came as a PDF too"


async def captured(fake, slack, bot, text: str):
    """Carla says ``text``, Alice captures it: the confirmation's blocks. The first capture
    of a run builds the workspace's model, which takes seconds on a busy machine."""
    msg = fake.state.post_message(SUPPORT, CARLA, text)
    before = len(fake.calls_to("chat.postEphemeral"))
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await fake.wait_for("chat.postEphemeral", count=before + 1, timeout=60)
    await settled(bot)
    return msg, fake.calls_to("chat.postEphemeral")[-1].params["blocks"]


def summary(blocks: list[dict]) -> str:
    return " ".join(e["text"] for b in blocks if b["type"] == "context" for e in b["elements"])


async def test_a_suggestion_is_filed_as_an_idea_with_its_confidence(fake, slack, bot, db):
    _, blocks = await captured(fake, slack, bot, IDEA)
    remark = await the_remark(db)
    assert remark.sentiment == "suggestion" and remark.sentiment_decided_by is None
    assert 0.7 <= remark.sentiment_score <= 1.0
    line = summary(blocks)
    assert ":bulb: *Idea* (auto," in line and "% sure)" in line
    # The sentiment menu offers Idea like the other labels, preselected.
    menu = next(e for b in blocks if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == "remark_sentiment")
    assert {"text": {"type": "plain_text", "text": "Idea", "emoji": True}, "value": "suggestion"} in menu["options"]
    assert menu["initial_option"]["value"] == "suggestion"


async def test_a_complaint_is_not_an_idea(fake, slack, bot, db):
    await captured(fake, slack, bot, "We had to call support three times to reset the login")
    remark = await the_remark(db)
    assert remark.sentiment == "complaint"


async def test_one_click_makes_a_remark_an_idea_and_a_second_click_changes_nothing(fake, slack, bot, db):
    _, blocks = await captured(fake, slack, bot, "Customers keep mentioning the invoice layout")
    assert (await the_remark(db)).sentiment != "suggestion"
    for _ in range(2):
        delivery = await slack.click_ephemeral(BOB, blocks, "remark_sentiment", value="suggestion",
                                               channel=SUPPORT)
        assert delivery.status == 200
    await fake.wait_for("response_url", count=2)
    remark = await the_remark(db)
    assert (remark.sentiment, remark.sentiment_decided_by) == ("suggestion", BOB)
    response = fake.calls_to("response_url")[-1].params
    assert ":bulb: *Idea*" in str(response["blocks"]) and "Idea* (auto" not in summary(response["blocks"])


async def test_an_idea_corrected_to_a_complaint(fake, slack, bot, db):
    _, blocks = await captured(fake, slack, bot, IDEA)
    await slack.click_ephemeral(ALICE, blocks, "remark_sentiment", value="complaint", channel=SUPPORT)
    await fake.wait_for("response_url")
    remark = await the_remark(db)
    assert (remark.sentiment, remark.sentiment_decided_by) == ("complaint", ALICE)


async def test_a_corrected_idea_teaches_the_workspace(fake, slack, bot, db):
    text = "Customers keep mentioning the invoice layout"
    _, blocks = await captured(fake, slack, bot, text)
    await slack.click_ephemeral(ALICE, blocks, "remark_sentiment", value="suggestion", channel=SUPPORT)
    await fake.wait_for("response_url")
    await settled(bot)
    msg = fake.state.post_message(SUPPORT, ALICE, "customers keep mentioning the invoice layout!")
    await slack.react(BOB, SUPPORT, msg["ts"], "memo")

    async def second() -> Remark | None:
        async with db() as s:
            return await s.scalar(select(Remark).where(Remark.source_key == f"{SUPPORT}:{msg['ts']}"))

    learnt = await eventually(second)
    assert learnt.sentiment == "suggestion" and learnt.sentiment_decided_by is None


async def test_the_digest_lists_ideas_from_customers_per_process(fake, services, db):  # noqa: F811
    await ds.workspace(db, timezone="Europe/Berlin", digest_channel_id=FEEDBACK,
                       installer_user_id=ds.ALICE)
    billing = await ds.process(db, "Billing", owner=BOB)
    exports = await ds.process(db, "Exports")
    day = PERIOD_START + dt.timedelta(days=2)
    await ds.remark(db, process_id=billing, sentiment="suggestion", at=day, text=IDEA,
                    customer="Acme", captures=2)
    await ds.remark(db, process_id=billing, sentiment="suggestion", at=day,
                    text="Please add the PO number to invoices")
    await ds.remark(db, process_id=exports, sentiment="suggestion", at=day,
                    text="An Excel export would be nice")
    await ds.remark(db, process_id=exports, sentiment="complaint", at=day, text="Export timed out")
    # Last week's idea is not this week's.
    await ds.remark(db, process_id=exports, sentiment="suggestion", at=day - dt.timedelta(days=7),
                    text="Old idea from last week")

    outcome = await poster(services, SLOT + dt.timedelta(minutes=1)).post(ds.TEAM)
    assert outcome.status == "posted"
    [post] = posted_digests(fake)
    text = section_texts(post.params["blocks"])
    assert ":bulb: 3 ideas" in text  # headline
    ideas = text.split("*Ideas from customers*")[1]
    assert ideas.index("*Billing*") < ideas.index("*Exports*")
    assert "2 ideas" in ideas and "1 idea" in ideas
    assert IDEA in ideas and "PO number" in ideas and "Excel export" in ideas
    assert "Old idea" not in ideas and "Export timed out" not in ideas
