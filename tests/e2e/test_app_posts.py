"""Other apps' posts, end to end over HTTP against the stand-in: in a watched channel that
takes them (``/feedback watch #channel bots``), by reaction, mention, shortcut or forward
anywhere; followed when edited or deleted; Earshot's own posts never.

The posts are shaped as each app posts them (tests/unit/apps/posts.py names the sources);
the app's name, contact, link and score are stored with the remark."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.domain.customers.connect import clear_cache
from storage.models import Remark
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, BOT, CARLA, FEEDBACK, GENERAL, SUPPORT, captures, remarks
from tests.unit.apps import posts


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


def answer(delivery) -> str:
    return (delivery.json() or {}).get("text", "")


async def post(slack, channel: str, shaped: dict[str, Any], **kw: Any) -> dict[str, Any]:
    """Deliver a post shaped as in tests/unit/apps/posts.py, from its app."""
    legacy = shaped.get("subtype") == "bot_message"
    name = shaped.get("username") if legacy else shaped["bot_profile"]["name"]
    return await slack.app_post(channel, name=name, text=shaped.get("text", ""),
                                attachments=shaped.get("attachments"), blocks=shaped.get("blocks"),
                                app_id=None if legacy else shaped.get("app_id"),
                                bot_id=shaped["bot_id"], **kw)


async def watch_with_bots(slack, how: str = "bots") -> None:
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}|customer-feedback> {how}"))
    assert "Now watching" in text


async def one_remark(db) -> Remark:
    [remark] = await remarks(db)
    return remark


# ------------------------------------------------------------------ watched channels


async def test_an_app_post_in_a_channel_that_takes_bots_is_a_remark(fake, slack, bot, db):
    await watch_with_bots(slack)
    msg = await post(slack, FEEDBACK, posts.ZENDESK_NEW)
    await settled(bot)
    remark = await one_remark(db)
    assert remark.text == ("Export to CSV drops the last column\nEvery export since Tuesday is missing "
                           "the totals column. We rely on it for our monthly close, please fix this soon.")
    assert (remark.channel_id, remark.message_ts, remark.customer) == (FEEDBACK, msg["ts"], "Initech")
    assert remark.author_user_id is None  # the requester is a customer, never a Slack user
    [capture] = await captures(db)
    assert (capture.user_id, capture.route) == (FEEDBACK, "watch")
    assert fake.calls_to("chat.postEphemeral") == []


async def test_app_posts_are_not_remarks_unless_the_channel_takes_them(fake, slack, bot, db):
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}|customer-feedback>"))
    assert "Now watching" in text
    await post(slack, FEEDBACK, posts.ZENDESK_NEW)
    await slack.say(CARLA, FEEDBACK, "The pricing page is confusing")
    await settled(bot)
    assert [r.text for r in await remarks(db)] == ["The pricing page is confusing"]
    # Turned on, then off again.
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> bots"))
    assert "Other apps' posts there are filed too" in text
    await post(slack, FEEDBACK, posts.TYPEFORM)
    await settled(bot)
    assert len(await remarks(db)) == 2
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> bots off"))
    assert "not filed" in text
    await post(slack, FEEDBACK, posts.DELIGHTED)
    await settled(bot)
    assert len(await remarks(db)) == 2


async def test_named_apps_only(fake, slack, bot, db):
    await watch_with_bots(slack, 'bots “Zendesk” "Delighted"')
    await post(slack, FEEDBACK, posts.TYPEFORM)
    await post(slack, FEEDBACK, posts.DELIGHTED)
    await settled(bot)
    remark = await one_remark(db)
    assert remark.text == "Too many clicks to do anything, and the mobile app crashes on login."
    assert remark.customer == "Acme Org"


async def test_opting_in_needs_the_admin_right(fake, slack, bot, db):
    await watch_with_bots(slack, "")
    text = answer(await slack.slash(BOB, GENERAL, f"watch <#{FEEDBACK}> bots"))
    assert "Only workspace admins" in text
    await post(slack, FEEDBACK, posts.ZENDESK_NEW)
    await settled(bot)
    assert await remarks(db) == []


async def test_earshots_own_posts_are_never_remarks(fake, slack, bot, db):
    await watch_with_bots(slack)
    own = fake.state.post_message(FEEDBACK, None, "Customer feedback digest: 3 complaints", bot=True)
    from bot.fakeslack import payloads

    await slack._event(payloads.message_event(own, FEEDBACK))
    await slack.react(ALICE, FEEDBACK, own["ts"], "memo")
    await settled(bot)
    assert await remarks(db) == []


async def test_status_notices_are_skipped_and_counted(fake, slack, bot, db):
    await watch_with_bots(slack)
    await post(slack, FEEDBACK, posts.ZENDESK_SOLVED)
    await slack.say(CARLA, FEEDBACK, "Thanks!")
    await post(slack, FEEDBACK, posts.HUBSPOT_NPS)
    await settled(bot)
    remark = await one_remark(db)
    assert remark.text == "Reporting is too slow for our team and exports time out."
    status = answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))
    assert "*1* filed, *2* skipped as noise" in status
    assert "Reporting is too slow" in status and "Thanks!" in status and "(thanks)" in status
    assert "(status notice)" in status


# ------------------------------------------------------------------ any channel, by a person


async def test_a_reaction_on_an_app_post_in_any_channel_files_its_words(fake, slack, bot, db):
    msg = await post(slack, SUPPORT, posts.INTERCOM_NEW)
    await settled(bot)
    assert await remarks(db) == []  # SUPPORT is not watched
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await fake.wait_for("chat.postEphemeral")
    await settled(bot)
    remark = await one_remark(db)
    assert remark.text.startswith("Hi! Is there a way to share a dashboard")
    assert "New conversation" not in remark.text
    assert (remark.customer, remark.author_user_id) == ("Hooli", None)
    [capture] = await captures(db)
    assert (capture.user_id, capture.route) == (ALICE, "reaction")


async def test_a_reaction_files_a_status_notice_a_watched_channel_skipped(fake, slack, bot, db):
    await watch_with_bots(slack)
    msg = await post(slack, FEEDBACK, posts.ZENDESK_SOLVED)
    await settled(bot)
    assert await remarks(db) == []
    await slack.react(ALICE, FEEDBACK, msg["ts"], "memo")
    await settled(bot)
    remark = await one_remark(db)
    assert "was solved" in remark.text


async def test_a_mention_under_an_app_post_files_it(fake, slack, bot, db):
    parent = await post(slack, SUPPORT, posts.APPSTORE_REVIEW)
    await slack.say(BOB, SUPPORT, f"<@{BOT}> ouch", thread_ts=parent["ts"])
    await fake.wait_for("chat.postEphemeral")
    await settled(bot)
    remark = await one_remark(db)
    assert remark.text == "Crashes on launch\nSince the last update the app crashes every time I open it."
    assert remark.customer is None


async def test_the_shortcut_on_an_app_post_opens_the_form_with_its_words(fake, slack, bot, db):
    msg = await post(slack, SUPPORT, posts.FRESHDESK_NEW)
    await settled(bot)
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    [opened] = await fake.wait_for("views.open")
    assert "Our German invoices show 19%" in str(opened.params["view"])
    answer = await slack.submit_view(ALICE, {"process": "unfiled", "sentiment": "complaint"})
    assert answer.status == 200 and "errors" not in (answer.json() or {})
    await settled(bot)
    remark = await one_remark(db)
    assert remark.text.startswith("Invoice shows the wrong VAT rate\nOur German invoices")
    assert remark.sentiment == "complaint"
    assert remark.customer == "Globex" and remark.author_user_id is None


async def test_edits_and_deletions_of_an_app_post_are_followed(fake, slack, bot, db):
    await watch_with_bots(slack)
    msg = await post(slack, FEEDBACK, posts.DELIGHTED)
    await settled(bot)
    attachments = [dict(posts.DELIGHTED["attachments"][0],
                        text="Score: 3\n\"Too many clicks, and the Android app crashes on login.\"")]
    await slack.app_edit(FEEDBACK, msg["ts"], attachments=attachments)
    await settled(bot)
    remark = await one_remark(db)
    assert remark.text == "Too many clicks, and the Android app crashes on login."
    await slack.delete(ALICE, FEEDBACK, msg["ts"])
    await settled(bot)
    assert await remarks(db) == []


async def test_a_forwarded_app_post_files_the_apps_words(fake, slack, bot, db):
    msg = await post(slack, SUPPORT, posts.PLAIN_APP)
    await slack.forward(ALICE, SUPPORT, msg["ts"], "dm", comment="")
    await settled(bot)
    remark = await one_remark(db)
    assert remark.text == "Customer called: the delivery app shows the wrong ETA every morning."
    assert remark.author_user_id is None


# ------------------------------------------------------------------ stored with the remark


async def origin_of(db) -> Any:
    async with db() as s:
        return (await s.scalars(select(Remark))).one()


async def test_the_app_is_the_source_and_the_requester_the_contact(fake, slack, bot, db):
    await watch_with_bots(slack)
    await post(slack, FEEDBACK, posts.ZENDESK_NEW)
    await settled(bot)
    remark = await origin_of(db)
    assert remark.source == "Zendesk" and remark.contact == "Jane Doe"


async def test_the_link_to_the_original_ticket_is_kept(fake, slack, bot, db):
    await watch_with_bots(slack)
    await post(slack, FEEDBACK, posts.ZENDESK_NEW)
    await settled(bot)
    remark = await origin_of(db)
    assert remark.link == "https://acme-support.zendesk.com/agent/tickets/4821"


async def test_the_score_is_kept(fake, slack, bot, db):
    await watch_with_bots(slack)
    await post(slack, FEEDBACK, posts.DELIGHTED)
    await settled(bot)
    remark = await origin_of(db)
    assert (remark.score_kind, remark.score_value) == ("nps", 3)


async def test_a_reaction_keeps_the_apps_source_and_score(fake, slack, bot, db):
    msg = await post(slack, SUPPORT, posts.APPSTORE_REVIEW)
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    remark = await origin_of(db)
    assert (remark.source, remark.score_kind, remark.score_value) == ("App Store", "stars", 2)
