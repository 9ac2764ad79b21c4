"""A teammate forwards another app's post (a Zendesk ticket, a Delighted survey response)
to Earshot, end to end over HTTP: the signed Events API ``message`` of the forward carries
the original only in its share attachment, which for an app's post names the app
(``bot_id``, its name as author) and holds the post's own blocks and legacy attachments in
``message_blocks`` (the share attachment's shape: a real forward in slackapi/java-slack-sdk
issue 1179; an app's message fields: docs.slack.dev/reference/events/message/bot_message;
the stand-in builds it in bot/fakeslack/simulator.py ``forward``). The posts themselves are
shaped as each app posts them (tests/unit/apps/posts.py names the sources).

The remark holds the app's words (not "New ticket #4821 from", field labels or footers),
the app as its source, the requester as contact, the ticket's link and the score; the
forwarder is its capturer, by the forward route."""

from __future__ import annotations

import pytest

from bot.domain.customers.connect import clear_cache
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, SUPPORT, captures, remarks
from tests.e2e.test_app_posts import post
from tests.e2e.test_forwards import watch
from tests.unit.apps import posts

TICKET = (
    "Export to CSV drops the last column\nEvery export since Tuesday is missing the totals "
    "column. We rely on it for our monthly close, please fix this soon."
)


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


async def test_a_forwarded_ticket_files_the_tickets_words_with_its_origin(fake, slack, bot, db):
    msg = await post(slack, SUPPORT, posts.ZENDESK_NEW)  # a legacy integration: bot_message
    fwd = await slack.forward(ALICE, SUPPORT, msg["ts"], "dm", comment="seen on the Initech call")
    [share] = fwd["attachments"]
    assert (
        share["is_share"] and share["bot_id"] == msg["bot_id"] and share["author_name"] == "Zendesk"
    )
    assert share["message_blocks"][0]["message"]["attachments"] == msg["attachments"]
    await settled(bot, timeout=60)  # the first filing loads the classifier: slow on a busy machine
    [remark] = await remarks(db)
    assert remark.text == TICKET
    assert (remark.source, remark.contact, remark.link) == (
        "Zendesk",
        "Jane Doe",
        "https://acme-support.zendesk.com/agent/tickets/4821",
    )
    assert (remark.channel_id, remark.message_ts, remark.author_user_id) == (
        SUPPORT,
        msg["ts"],
        None,
    )
    [capture] = await captures(db)
    assert (capture.user_id, capture.route, capture.note) == (
        ALICE,
        "forward",
        "seen on the Initech call",
    )
    [confirm] = await fake.wait_for("chat.postEphemeral")
    assert confirm.params["user"] == ALICE and "Export to CSV" in str(confirm.params["blocks"])


async def test_a_forwarded_survey_response_keeps_its_score(fake, slack, bot, db):
    msg = await post(slack, SUPPORT, posts.DELIGHTED)
    await slack.forward(ALICE, SUPPORT, msg["ts"], "dm")
    await settled(bot)
    [remark] = await remarks(db)
    assert remark.source == "Delighted" and (remark.score_kind, remark.score_value) == ("nps", 3)
    assert "mobile app crashes on login" in remark.text and "Score:" not in remark.text
    assert remark.sentiment == "complaint"  # NPS 3: a detractor


async def test_an_app_post_forwarded_into_a_watched_channel_by_two_people_is_one_remark(
    fake, slack, bot, db
):
    await watch(db, fake, SUPPORT)
    msg = await post(slack, SUPPORT, posts.FRESHDESK_NEW)  # an app with a bot user: blocks
    for who in (ALICE, BOB):
        await slack.forward(who, SUPPORT, msg["ts"], "dm")
    await settled(bot)
    [remark] = await remarks(db)
    assert remark.source == "Freshdesk" and remark.text.startswith(
        "Invoice shows the wrong VAT rate"
    )
    assert sorted(c.user_id for c in await captures(db) if c.route == "forward") == sorted(
        [ALICE, BOB]
    )


async def test_a_forwarded_classic_post_without_a_username_is_named_by_bots_info(fake, slack, bot, db):
    # A classic integration posting without a `username` override has only its `bot_id`
    # (docs.slack.dev/reference/events/message/bot_message), and its share attachment names
    # no author then: the copy was filed as "An app" though the post itself, captured where
    # it was posted, is named by bots.info (tests/e2e/test_review_bot_posts.py). Now the
    # forward asks bots.info too, once per bot; a bot it does not know stays "An app".
    fake.state.add_user("U0NOTIFY03", "Support Notifier", "Support Notifier", is_bot=True, bot_id="B0CLASSIC3")
    texts = ["Customer called: the delivery app shows the wrong ETA.",
             "Customer called: refunds take three weeks to reach the card.",
             "Customer called: the invoice PDF has no VAT number."]
    msgs = []
    for text, bot_id in zip(texts, ["B0CLASSIC3", "B0CLASSIC3", "B0UNKNOWN8"], strict=True):
        msg = await slack.app_post(SUPPORT, name="", text=text, app_id=None, bot_id=bot_id, deliver=False)
        msg.pop("username", None)
        msgs.append(msg)
    for msg in msgs:
        fwd = await slack.forward(ALICE, SUPPORT, msg["ts"], "dm")
        [share] = fwd["attachments"]
        assert share["bot_id"] == msg["bot_id"] and not share.get("author_name")
    await settled(bot, timeout=60)  # the first filing loads the classifier: slow on a busy machine
    got = {r.message_ts: (r.source, r.text) for r in await remarks(db)}
    assert got == {msgs[0]["ts"]: ("Support Notifier", texts[0]), msgs[1]["ts"]: ("Support Notifier", texts[1]),
                   msgs[2]["ts"]: ("An app", texts[2])}
    assert len([c for c in fake.calls_to("bots.info") if c.params.get("bot") == "B0CLASSIC3"]) == 1
