"""``/feedback watch status #channel`` with a history backfill: the week's counts are what
arrived live, and the backfill is shown apart with its own counts, examples and state
(waiting, being brought in with its progress, finished when, resumed after a restart).

Until 0023_watchstats every message heard from history was added to the week it was
read in, so a 30-day import swelled "this week" and pushed its examples out.

The slash command is sent as Slack sends it (an application/x-www-form-urlencoded POST,
shaped by bot/fakeslack/payloads/interactivity.py after Slack's "Implementing slash
commands" page); the answer read is the ephemeral text in the HTTP response."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.domain.customers.connect import clear_cache
from storage.models import Backfill, WatchCount
from tests.conftest import settled, start_bot
from tests.e2e.queries import ALICE, BOB, CARLA, FEEDBACK, GENERAL, remarks
from tests.e2e.test_backfill import FAST, ago, done, job, under_way
from tests.e2e.test_backfill import answer as backfill_answer


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


@pytest.fixture
def settings(settings):
    """The backfill tests' fast settings, for the root ``bot`` fixture and restarts."""
    return settings.model_copy(update=FAST)



def answer(delivery) -> str:
    assert delivery.status == 200
    return backfill_answer(delivery)


async def finished(db) -> Backfill:
    return await done(db, timeout=30)


async def status(slack) -> str:
    return answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))


async def test_the_week_counts_live_messages_and_the_backfill_is_shown_apart(fake, slack, bot, db):
    for i in range(12):  # three weeks ago and older: history
        fake.state.post_message(FEEDBACK, CARLA, f"Backlog {i}: the invoice export drops column {i}",
                                ts=ago(fake, 25 - i))
    for text, days in (("Thanks!", 9.5), ("+1", 9.4), ("Hi team", 9.3)):
        fake.state.post_message(FEEDBACK, BOB, text, ts=ago(fake, days))
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}|customer-feedback> since 30d"))
    assert "Now watching" in text and "last 30 days" in text
    done = await finished(db)
    assert (done.status, done.captured, done.skipped) == ("done", 12, 3), done.error
    # Then the channel goes on live.
    await slack.say(CARLA, FEEDBACK, "Live: the mobile app logs us out every morning")
    await slack.say(BOB, FEEDBACK, "thanks")
    await settled(bot)
    assert len(await remarks(db)) == 13

    shown = await status(slack)
    week, history = shown.split("*History*")
    # The week: the two live messages only, and only their examples.
    assert "this week: *1* filed, *1* skipped as noise" in week
    assert "its history is counted apart below" in week
    assert "• Live: the mobile app logs us out every morning" in week and "• thanks _(thanks)_" in week
    assert "Backlog" not in week
    # The history: its own counts, state and latest examples (newest messages first).
    assert "(last 30 days, since" in history and "brought in, finished <!date^" in history
    assert "15 messages read: *12* filed with their original dates, *3* skipped as noise, 0 already known" \
        in history
    assert "*Filed from history, latest:*" in history and "*Skipped from history, latest:*" in history
    filed = re.findall(r"• Backlog (\d+):", history)
    assert filed == ["11", "10", "9"]
    assert "• Hi team _(greeting)_" in history and "Resumed" not in history
    async with db() as s:  # nothing of the history in the week's stored counts
        [row] = (await s.scalars(select(WatchCount))).all()
        assert (row.captured, row.skipped) == (1, 1)


async def test_a_running_backfill_shows_its_progress_and_a_restart_shows_as_resumed(
        fake, slack, bot, db, settings):
    await under_way(fake, slack, db)
    await bot.runtime.backfills.stop()  # the process dies mid-job: its lease is left behind
    stopped = await job(db)
    assert stopped.status == "running" and 0 < stopped.fetched < 60
    running = (await status(slack)).split("*History*")[1]
    share = re.search(r"being brought in, (\d+)% read, back to \d\d \w{3} \d{4}\. So far (\d+) messages read: "
                      r"\*(\d+)\* filed", running)
    assert share, running
    assert 0 < int(share.group(1)) < 100 and int(share.group(2)) == stopped.fetched
    assert int(share.group(3)) == stopped.captured and "Started <!date^" in running
    assert "Resumed" not in running

    fake.slow_down("conversations.history", 0)
    again, stop = await start_bot(settings)
    try:
        done = await finished(db)
        await settled(again)
    finally:
        await stop()
    assert done.status == "done" and done.resumes == 1 and done.resumed_at is not None
    history = (await status(slack)).split("*History*")[1]
    assert "brought in, finished" in history and "60 messages read: *60* filed" in history
    assert "Resumed once after a restart (last <!date^" in history
    assert "this week: *0* filed, *0* skipped as noise" in await status(slack)


async def test_asking_again_starts_the_history_with_no_examples_of_the_last_run(fake, slack, bot, db):
    fake.state.post_message(FEEDBACK, CARLA, "Old run: the onboarding took two weeks", ts=ago(fake, 5))
    answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 7d"))
    await finished(db)
    assert "• Old run: the onboarding took two weeks" in await status(slack)
    answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 7d"))
    again = await finished(db)
    assert (again.captured, again.known) == (0, 1)
    history = (await status(slack)).split("*History*")[1]
    assert "*0* filed with their original dates" in history and "1 already known" in history
    assert "Old run" not in history  # a known message is no new example


async def test_the_status_shows_a_backfill_that_has_not_started_and_a_stopped_one(
        fake, slack, bot, db, settings):
    await bot.runtime.backfills.stop()  # nobody picks the job up yet
    answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 14d"))
    assert ":hourglass_flowing_sand: *History* (last 14 days, since" in await status(slack)
    assert "waiting to start" in await status(slack)
    fake.fail_next("conversations.history", "not_in_channel")
    _, stop = await start_bot(settings)
    try:
        done = await finished(db)
    finally:
        await stop()
    assert done.status == "failed"
    history = (await status(slack)).split("*History*")[1]
    assert ": stopped <!date^" in history and "I'm no longer in the channel" in history
