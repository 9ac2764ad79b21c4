"""A channel's history of store review bots' posts, brought in by `/feedback watch #channel
bots "App Store" since 30d`, end to end against the stand-in: the posts in the shapes of
TradeMe/ReviewMe, ZhgChgLi/ZReviewsBot and cmtt-ru/reviewer (tests/unit/apps/posts.py);
each filed once with its original time, the stars as score and not words, the reviewer as
contact; a form poster's post, not a store, left out."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.customers.connect import clear_cache
from tests.conftest import settled, start_bot
from tests.e2e.queries import ALICE, FEEDBACK, GENERAL, remarks
from tests.e2e.test_app_post_shapes import by_ts
from tests.e2e.test_backfill import FAST, ago, done
from tests.unit.apps import posts


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


@pytest.fixture
async def bot(settings):
    running, stop = await start_bot(settings.model_copy(update=FAST))
    yield running
    await stop()


async def test_review_bots_history_is_brought_in_with_original_times(fake, slack, bot, db):
    seeded = {}
    for days, shaped in ((20, posts.TJ_REVIEWER), (10, posts.ZREVIEWSBOT), (3, posts.REVIEWME_APP_STORE),
                         (2, posts.GOOGLE_FORM)):
        msg = await slack.app_post(FEEDBACK, name=shaped["username"], attachments=shaped["attachments"],
                                   app_id=None, ts=ago(fake, days), deliver=False)
        seeded[msg["ts"]] = shaped["username"]
    text = (await slack.slash(ALICE, GENERAL, f'watch <#{FEEDBACK}> bots "App Store" since 30d')).json()["text"]
    assert "Now watching" in text
    finished = await done(db, timeout=60)
    await settled(bot, timeout=30)
    assert finished.status == "done", finished.error
    got = by_ts(await remarks(db))
    assert {seeded[ts] for ts in got} == {"TJ Reviewer", "ZReviewsBot", "ReviewMe"}
    for ts, r in got.items():
        assert r.said_at == dt.datetime.fromtimestamp(float(ts), tz=dt.UTC)
        assert r.source == "App Store" and r.score_kind == "stars" and "★" not in r.text
    assert {r.contact for r in got.values()} == {"ivan_p", "kimchi88", "happyuser42"}
