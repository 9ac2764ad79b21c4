"""One workspace's ``conversations.history`` budget, shared by a backfill and the captures
people ask for, against the stand-in enforcing Slack's limit (bot.domain.workspace.pacing).

The limited mode's minute is shortened: the stand-in allows 1 call in any 2 seconds
(``rate_limit(..., window=2.0)``) and Earshot paces at 20 calls a minute (one every 3 s),
so a test takes seconds, not minutes."""

from __future__ import annotations

import pytest

from storage.models import Capture, Remark
from tests.conftest import eventually, settled, start_bot
from tests.e2e.queries import (
    ALICE,
    BOB,
    CARLA,
    FEEDBACK,
    GENERAL,
    SUPPORT,
    captures,
    count,
    remarks,
)
from tests.e2e.test_backfill import FAST, ago, answer, done

HISTORY = "conversations.history"


@pytest.fixture
async def limited_bot(settings):
    running, stop = await start_bot(settings.model_copy(update={**FAST, "backfill_calls_per_minute": 20.0}))
    yield running
    await stop()


async def test_a_reaction_during_a_backfill_goes_first_and_nothing_exceeds_the_budget(fake, db, limited_bot):
    # The backfill used to take every slot of the minute: a reaction's read met a 429 and
    # leant on the client's retries, racing the backfill's next page for the same slot.
    fake.api.rate_limit(HISTORY, 1, window=2.0)
    fake.api.rate_limit("conversations.replies", 1, window=2.0)
    slack = fake.simulator(limited_bot.url)
    try:
        for i in range(30):  # two pages of 15
            fake.state.post_message(FEEDBACK, CARLA, f"Remark {i}: the invoice export misses column {i}",
                                    ts=ago(fake, 20 - i * 0.5))
        answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))
        await fake.wait_for(HISTORY, 1, timeout=10)  # the first page has just been asked for
        msg = fake.state.post_message(SUPPORT, CARLA, "Your checkout page times out on every card payment")
        await slack.react(BOB, SUPPORT, msg["ts"], "memo")
        finished = await done(db)
        await settled(limited_bot)
    finally:
        await slack.close()
    assert finished.status == "done" and finished.captured == 30
    [filed] = [r for r in await remarks(db) if r.message_ts == msg["ts"]]
    assert "checkout page times out" in filed.text
    assert [(c.user_id, c.route) for c in await captures(db) if c.remark_id == filed.id] == [(BOB, "reaction")]
    assert await count(db, Remark) == 31
    calls = fake.calls_to(HISTORY)
    assert [c.status for c in calls] == [200] * len(calls)  # the stand-in never had to refuse one
    assert len(calls) == finished.pages + 1
    # The capture took the slot after the first page, ahead of the backfill's second page.
    assert calls[1].params.get("oldest") == msg["ts"] == calls[1].params.get("latest")
    assert all(b.at - a.at >= 2.0 for a, b in zip(calls, calls[1:], strict=False))


async def test_a_capture_that_meets_429s_waits_and_is_still_filed(fake, slack, bot, db):
    # Four 429s in a row used to exhaust the client's retries: the message was taken for
    # unreadable and the capture lost, though Slack had been told it was stored.
    fake.fail_next(HISTORY, "ratelimited", retry_after=1, times=5)
    msg = fake.state.post_message(SUPPORT, CARLA, "Refunds take three weeks to reach the card")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")

    async def filed() -> list[Remark]:
        return [r for r in await remarks(db) if r.message_ts == msg["ts"]]

    [remark] = await eventually(filed, timeout=20)
    await settled(bot)
    calls = fake.calls_to(HISTORY)
    assert [c.status for c in calls] == [429] * 5 + [200]
    assert all(b.at - a.at >= 1.0 for a, b in zip(calls, calls[1:], strict=False))  # Retry-After: 1
    assert "Refunds take three weeks" in remark.text


@pytest.fixture
async def fast_bot(settings):
    running, stop = await start_bot(settings.model_copy(update=FAST))
    yield running
    await stop()


async def test_a_deletion_or_edit_during_a_page_wins_over_what_the_page_read(fake, db, fast_bot):
    # A message deleted (or edited) between its page being read and its being filed used to
    # be filed anyway (or with its old words): the event's handler found no remark yet.
    sent = [fake.state.post_message(FEEDBACK, CARLA, f"Remark {i}: the shipping label prints blank ({i})",
                                    ts=ago(fake, 5 - i * 0.1)) for i in range(5)]
    fake.slow_down("chat.getPermalink", 1.5)  # asked while the page is filed: it stays in flight
    slack = fake.simulator(fast_bot.url)
    try:
        answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 7d"))
        await fake.wait_for(HISTORY, 1, timeout=10)  # the page has been read
        await slack.delete(CARLA, FEEDBACK, sent[4]["ts"])
        await slack.edit(CARLA, FEEDBACK, sent[1]["ts"], "Remark 1: the shipping label prints with no address")
        finished = await done(db)
        await settled(fast_bot)
    finally:
        await slack.close()
    assert finished.status == "done" and finished.fetched == 5
    filed = {r.message_ts: r.text for r in await remarks(db)}
    assert sent[4]["ts"] not in filed and len(filed) == 4
    assert filed[sent[1]["ts"]] == "Remark 1: the shipping label prints with no address"
    assert finished.captured == 4 and await count(db, Capture) == 4
