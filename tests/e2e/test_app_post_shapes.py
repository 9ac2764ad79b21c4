"""Other apps' posts in the shapes they really take, end to end over HTTP against the
stand-in: Block Kit and attachments, a score without a comment, a post whose name differs
from its app's, edits of a legacy post, a reaction on an app's post in a channel nobody
watches. tests/unit/apps/posts.py names where each shape comes from."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.customers.connect import clear_cache
from bot.fakeslack import payloads
from storage.models import Remark
from tests.conftest import settled
from tests.e2e.queries import ALICE, FEEDBACK, GENERAL, SUPPORT, remarks
from tests.e2e.test_app_posts import answer, post, watch_with_bots
from tests.unit.apps import posts


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


def by_ts(rows: list[Remark]) -> dict[str, Remark]:
    return {r.message_ts: r for r in rows}


async def test_each_shape_is_one_remark_with_its_words_person_score_and_link(fake, slack, bot, db):
    await watch_with_bots(slack)
    shapes: dict[str, dict[str, Any]] = {
        "play": posts.GOOGLE_PLAY_BLOCKS, "zendesk": posts.ZENDESK_BLOCKS,
        "delighted": posts.DELIGHTED_BLOCKS, "score_of": posts.DELIGHTED_SCORE_OF,
        "monkey": posts.SURVEYMONKEY_BLOCKS, "hubspot": posts.HUBSPOT_CSAT,
        "intercom": posts.INTERCOM_RATED_BLOCKS, "typeform": posts.TYPEFORM_FIELDS,
    }
    ts = {name: (await post(slack, FEEDBACK, shaped))["ts"] for name, shaped in shapes.items()}
    await settled(bot)
    got = by_ts(await remarks(db))
    assert set(got) == set(ts.values())

    def row(name: str) -> tuple[Any, ...]:
        r = got[ts[name]]
        return r.source, r.text, r.contact, r.score_kind, r.score_value

    assert row("play") == ("Google Play", "The app logs me out every time I switch to another app.",
                           "Max Mustermann", "stars", 2)
    assert got[ts["play"]].link == posts.PLAY_REVIEW_LINK
    assert row("zendesk")[1].endswith("nobody got the email.") and got[ts["zendesk"]].customer == "soylent.io"
    assert row("delighted") == ("Delighted", "Pricing changed without notice and my bill doubled.",
                                "ann@acme.io", "nps", 4)
    assert row("score_of") == ("Delighted", "Your service is fast and flawless!",
                               "charlie_gravis@example.com", "nps", 9)
    assert row("monkey")[1:] == ("The search never finds anything older than a month.", None, "csat", 1)
    assert row("hubspot")[1:] == ("The onboarding call was cancelled twice.", "lee@vandelay.com", "csat", 2)
    assert row("intercom")[1:] == ("Nobody answered for three days.", "Priya Patel", "csat", 1)
    assert row("typeform")[1:] == ("The API docs are out of date and the examples fail.", "li@wayne.com", "nps", 3)
    assert all(r.author_user_id is None for r in got.values())


async def test_a_score_without_a_comment_is_filed_and_a_scored_thanks_is_not_noise(fake, slack, bot, db):
    await watch_with_bots(slack)
    bare = await post(slack, FEEDBACK, posts.DELIGHTED_NO_COMMENT)
    thanks = await post(slack, FEEDBACK, posts.bot_message("Delighted", attachments=[{
        "pretext": "New response from ann@acme.io", "text": "Score: 10\n\"Thanks!\""}]))
    await settled(bot)
    got = by_ts(await remarks(db))
    assert (got[bare["ts"]].score_kind, got[bare["ts"]].score_value) == ("nps", 2)
    assert "Score: 2" in got[bare["ts"]].text and got[bare["ts"]].customer == "initech.com"
    assert (got[thanks["ts"]].text, got[thanks["ts"]].score_value) == ("Thanks!", 10)
    assert got[bare["ts"]].sentiment == "complaint"  # a detractor's score sets the tone


async def test_a_named_app_matches_the_name_it_posted_under(fake, slack, bot, db):
    await watch_with_bots(slack, 'bots "Support Tickets"')
    # chat.postMessage with a username override: the app's name in bot_profile, the
    # name shown in `username` (docs.slack.dev/reference/methods/chat.postMessage, username).
    msg = await slack.app_post(FEEDBACK, name="Zendesk", attachments=posts.ZENDESK_NEW["attachments"],
                               text=posts.ZENDESK_NEW["text"], deliver=False)
    msg["username"] = "Support Tickets"
    await slack._event(payloads.message_event(msg, FEEDBACK))
    other = await slack.app_post(FEEDBACK, name="Typeform", blocks=posts.TYPEFORM["blocks"])
    await settled(bot)
    got = by_ts(await remarks(db))
    assert set(got) == {msg["ts"]} and other["ts"] not in got
    assert got[msg["ts"]].source == "Zendesk"


async def test_a_legacy_integrations_post_is_followed_when_edited_and_deleted(fake, slack, bot, db):
    await watch_with_bots(slack)
    msg = await post(slack, FEEDBACK, posts.APPSTORE_REVIEW)
    await settled(bot)
    [r] = await remarks(db)
    assert r.text.startswith("Crashes on launch") and r.source == "App Store"
    edited = dict(posts.APPSTORE_REVIEW["attachments"][0],
                  text="Since the last update the app crashes when I open a photo.\n_by happyuser42, 2026-12-01 09:12_")
    await slack.app_edit(FEEDBACK, msg["ts"], attachments=[edited])
    await settled(bot)
    [r] = await remarks(db)
    assert r.text == "Crashes on launch\nSince the last update the app crashes when I open a photo."
    await slack.delete(ALICE, FEEDBACK, msg["ts"])
    await settled(bot)
    assert await remarks(db) == []


async def test_a_reaction_on_a_block_kit_review_in_an_unwatched_channel_files_it(fake, slack, bot, db):
    msg = await post(slack, SUPPORT, posts.GOOGLE_PLAY_BLOCKS)
    await settled(bot)
    assert await remarks(db) == []
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    [r] = await remarks(db)
    assert (r.text, r.contact, r.source, r.score_kind, r.score_value) == (
        "The app logs me out every time I switch to another app.", "Max Mustermann", "Google Play", "stars", 2)


async def test_watch_status_counts_a_scored_response_as_filed(fake, slack, bot, db):
    await watch_with_bots(slack)
    await post(slack, FEEDBACK, posts.DELIGHTED_NO_COMMENT)
    await post(slack, FEEDBACK, posts.ZENDESK_SOLVED)
    await settled(bot)
    status = answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))
    assert "*1* filed, *1* skipped as noise" in status, status
