"""Store review bots and a form poster in the shapes their open-source code posts
(TradeMe/ReviewMe, ZhgChgLi/ZReviewsBot, cmtt-ru/reviewer, markfguerra/google-forms-to-slack;
tests/unit/apps/posts.py names the function each comes from), end to end over HTTP against
the stand-in: in a channel watched for the named apps, by a teammate's :memo: in a channel
nobody watches, and by the message shortcut. The stars in a title are the score and not the
words; the reviewer is the contact, never a Slack user."""

from __future__ import annotations

import pytest

from bot.domain.customers.connect import clear_cache
from tests.conftest import settled
from tests.e2e.queries import ALICE, FEEDBACK, SUPPORT, remarks
from tests.e2e.test_app_post_shapes import by_ts
from tests.e2e.test_app_posts import post, watch_with_bots
from tests.unit.apps import posts


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


async def test_review_bots_in_a_channel_watched_for_the_stores(fake, slack, bot, db):
    # Named without the space, as an admin may type it: still the App Store's reviews.
    await watch_with_bots(slack, 'bots AppStore "Google Play"')
    ios = await post(slack, FEEDBACK, posts.REVIEWME_APP_STORE)
    play = await post(slack, FEEDBACK, posts.REVIEWME_GOOGLE_PLAY)
    zrb = await post(slack, FEEDBACK, posts.ZREVIEWSBOT)
    form = await post(slack, FEEDBACK, posts.GOOGLE_FORM)  # not a store: not taken
    await settled(bot, timeout=30)
    got = by_ts(await remarks(db))
    assert set(got) == {ios["ts"], play["ts"], zrb["ts"]} and form["ts"] not in got

    def row(ts: str) -> tuple[object, ...]:
        r = got[ts]
        return r.source, r.text, r.contact, r.score_kind, r.score_value, r.author_user_id

    assert row(ios["ts"]) == ("App Store", "Crashes on launch\nSince the last update the app crashes "
                              "every time I open it.", "happyuser42", "stars", 2, None)
    assert row(play["ts"]) == ("Google Play", "Logs me out every time I switch to another app.",
                               "Dana K.", "stars", 1, None)
    assert got[play["ts"]].link.endswith("reviewId=gp:AOqpTOE")
    assert row(zrb["ts"])[1:5] == ("Too many ads\nEvery screen shows an ad now and I can't find the "
                                   "search any more.", "kimchi88", "stars", 2)
    assert all(r.sentiment == "complaint" for r in got.values())  # one or two stars set the tone


async def test_a_form_posters_answer_in_a_channel_taking_every_app(fake, slack, bot, db):
    await watch_with_bots(slack)
    msg = await post(slack, FEEDBACK, posts.GOOGLE_FORM)
    await settled(bot, timeout=30)
    [r] = await remarks(db)
    assert (r.message_ts, r.source, r.text) == (msg["ts"], "Form Response",
                                                "The chat widget hides the cancel button on mobile.")
    assert (r.score_kind, r.score_value, r.contact, r.customer) == ("csat", 2, "olga@globex.com", "globex.com")


async def test_a_memo_on_a_review_in_an_unwatched_channel(fake, slack, bot, db):
    msg = await post(slack, SUPPORT, posts.TJ_REVIEWER)
    await settled(bot, timeout=30)
    assert await remarks(db) == []
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot, timeout=30)
    [r] = await remarks(db)
    assert r.text == "Best app but no dark mode\nReading at night hurts my eyes, please add a dark theme."
    assert (r.source, r.contact, r.score_kind, r.score_value) == ("App Store", "ivan_p", "stars", 2)
    assert r.link == "https://apps.apple.com/us/app/acme/id123456789"


async def test_the_shortcut_on_a_review(fake, slack, bot, db):
    msg = await post(slack, SUPPORT, posts.ZREVIEWSBOT)
    await settled(bot, timeout=30)
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    [opened] = await fake.wait_for("views.open")
    assert "Every screen shows an ad now" in str(opened.params["view"])
    answer = await slack.submit_view(ALICE, {"process": "unfiled", "sentiment": "complaint"})
    assert answer.status == 200 and "errors" not in (answer.json() or {})
    await settled(bot, timeout=30)
    [r] = await remarks(db)
    assert r.text == "Too many ads\nEvery screen shows an ad now and I can't find the search any more."
    assert (r.source, r.contact, r.score_kind, r.score_value) == ("App Store", "kimchi88", "stars", 2)


async def test_a_slack_apps_webhook_post_named_by_its_bot_profile_only(fake, slack, bot, db):
    # An incoming webhook of a Slack app ignores the poster's `username` and posts under the
    # app's name: `subtype: bot_message` with `bot_profile` (its app_id inside), no
    # `username`, no top-level `app_id`, `blocks: []` (an event logged in slack-go/slack
    # pull request 794). ReviewMe's payload, posted through an app named "App Reviews".
    await watch_with_bots(slack, 'bots "App Reviews"')
    msg = await slack.app_post(FEEDBACK, name="App Reviews", attachments=posts.REVIEWME_APP_STORE["attachments"],
                               app_id="A0REVIEWS1", bot_id="B0REVIEWS1", deliver=False)
    msg.pop("app_id", None)
    msg.pop("user", None)
    msg.update(subtype="bot_message", blocks=[])
    from bot.fakeslack import payloads

    await slack._event(payloads.message_event(msg, FEEDBACK))
    await settled(bot, timeout=30)
    [r] = await remarks(db)
    assert (r.message_ts, r.source, r.contact, r.score_value) == (msg["ts"], "App Store", "happyuser42", 2)
    assert r.text == "Crashes on launch\nSince the last update the app crashes every time I open it."



async def test_a_classic_integrations_post_without_a_username_is_named_by_bots_info(fake, slack, bot, db):
    # A classic incoming webhook posting without a `username` override: the event has
    # `subtype: bot_message` and a `bot_id` only ("username" is optional:
    # docs.slack.dev/reference/events/message/bot_message; scrapinghub/slackbot PR 202 and
    # skoczen/will PR 383 met such events). Its name is the integration's, from bots.info.
    fake.state.add_user("U0REVIEWBOT", "App Store Reviews", "App Store Reviews", is_bot=True, bot_id="B0CLASSIC1")
    await watch_with_bots(slack, 'bots "App Store Reviews"')
    msg = await slack.app_post(FEEDBACK, name="", attachments=posts.TJ_REVIEWER["attachments"], app_id=None,
                               bot_id="B0CLASSIC1", deliver=False)
    msg.pop("username", None)
    other = await slack.app_post(FEEDBACK, name="", text="Build 4.2 deployed to production.", app_id=None,
                                 bot_id="B0UNKNOWN9", deliver=False)  # bots.info: bot_not_found
    other.pop("username", None)
    from bot.fakeslack import payloads

    await slack._event(payloads.message_event(msg, FEEDBACK))
    await slack._event(payloads.message_event(other, FEEDBACK))
    await settled(bot, timeout=30)
    [r] = await remarks(db)
    assert (r.message_ts, r.source, r.contact) == (msg["ts"], "App Store", "ivan_p")
    assert len([c for c in fake.calls_to("bots.info") if c.params.get("bot") == "B0CLASSIC1"]) == 1


async def test_a_memo_on_a_classic_post_without_a_username_names_its_app(fake, slack, bot, db):
    fake.state.add_user("U0NOTIFY01", "Support Notifier", "Support Notifier", is_bot=True, bot_id="B0CLASSIC2")
    msg = await slack.app_post(SUPPORT, name="", text="Customer called: the delivery app shows the wrong ETA.",
                               app_id=None, bot_id="B0CLASSIC2", deliver=False)
    msg.pop("username", None)
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot, timeout=30)
    [r] = await remarks(db)
    assert (r.source, r.text) == ("Support Notifier", "Customer called: the delivery app shows the wrong ETA.")
