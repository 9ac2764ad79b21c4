"""Bringing in a watched channel's history (``/feedback watch #channel since 30d`` and
``earshot watch --since``), end to end against the stand-in: the right remarks with their
original time, noise skipped, thread replies and older messages left out, a progress
message updated in place and a summary, a restart mid-way resuming without duplicates,
and Slack's 429 Retry-After honoured.

Pacing is made fast for tests (BACKFILL_CALLS_PER_MINUTE); the limited mode's 15 messages
a call gives several pages from a small channel."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli.main import main
from bot.domain.customers.connect import clear_cache
from storage.models import Backfill, Capture, Remark
from tests.conftest import SECRET, TOKEN, eventually, settled, start_bot
from tests.e2e.queries import ALICE, BOB, CARLA, FEEDBACK, GENERAL, TEAM, count, remarks
from tests.unit.apps import posts

DAY = 86_400.0
FAST = {"slack_history_tier": "limited", "backfill_calls_per_minute": 6000.0,
        "backfill_poll_seconds": 0.05, "backfill_progress_pages": 1, "backfill_lease_seconds": 1.0}


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


@pytest.fixture
def fast_settings(settings):
    return settings.model_copy(update=FAST)


@pytest.fixture
async def bot(fast_settings):
    running, stop = await start_bot(fast_settings)
    yield running
    await stop()


def answer(delivery) -> str:
    return (delivery.json() or {}).get("text", "")


def ago(fake, days: float) -> str:
    at = fake.state.now() - days * DAY
    return f"{int(at)}.{int((at % 1) * 1e6):06d}"


async def seed(fake, slack) -> dict[str, list[str]]:
    """A month of #customer-feedback, oldest first: what should and should not be filed."""
    seeded: dict[str, list[str]] = {"filed": [], "noise": [], "out": []}
    for i in range(3):  # before the window
        fake.state.post_message(FEEDBACK, CARLA, f"Old complaint {i}: the exports were slow", ts=ago(fake, 40 - i))
        seeded["out"].append(f"Old complaint {i}")
    for i in range(20):
        msg = fake.state.post_message(FEEDBACK, CARLA if i % 2 else BOB,
                                      f"Remark {i}: the invoice export misses column {i}", ts=ago(fake, 29 - i))
        seeded["filed"].append(msg["ts"])
        if i == 3:  # a thread under it: replies are not read
            fake.state.post_message(FEEDBACK, BOB, "Same for Initech, the export misses it", thread_ts=msg["ts"],
                                    ts=ago(fake, 29 - i - 0.1))
    for text, days in (("Thanks!", 8.5), ("+1", 8.4), ("Hi team", 8.3)):
        seeded["noise"].append(fake.state.post_message(FEEDBACK, CARLA, text, ts=ago(fake, days))["ts"])
    zendesk = await slack.app_post(FEEDBACK, name="Zendesk", text=posts.ZENDESK_NEW["text"],
                                   attachments=posts.ZENDESK_NEW["attachments"], ts=ago(fake, 5), deliver=False)
    seeded["filed"].append(zendesk["ts"])
    await slack.app_post(FEEDBACK, name="Zendesk", attachments=posts.ZENDESK_SOLVED["attachments"],
                         ts=ago(fake, 4), deliver=False)
    fake.state.post_message(FEEDBACK, None, "Weekly digest is ready", bot=True, ts=ago(fake, 3))
    return seeded


async def job(db) -> Backfill:
    async with db() as s:
        return (await s.scalars(select(Backfill).execution_options(populate_existing=True))).one()


async def done(db, timeout: float = 60) -> Backfill:
    async def finished() -> Backfill | None:
        j = await job(db)
        return j if j.status in ("done", "failed") else None

    return await eventually(finished, timeout=timeout)


SUMMARY = (":white_check_mark:", ":warning: I stopped")


async def summarised(fake, n: int = 1) -> list[Any]:
    """The DM calls that carried a summary, once there are ``n``. The job is marked finished
    before its summary goes out, so a test that reads the message waits for the message."""
    async def said() -> list[Any] | None:
        calls = sorted(fake.calls_to("chat.postMessage") + fake.calls_to("chat.update"), key=lambda c: c.at)
        summaries = [c for c in calls if c.ok and c.params["text"].startswith(SUMMARY)]
        return summaries if len(summaries) >= n else None

    return await eventually(said, timeout=30)


async def test_a_months_history_is_filed_once_with_original_times(fake, slack, bot, db):
    seeded = await seed(fake, slack)
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}|customer-feedback> bots since 30d"))
    assert "Now watching" in text and "last 30 days" in text
    assert "15 messages each" in text and "per 10,000 messages" in text  # the limited mode's estimate
    finished = await done(db)
    await settled(bot)
    assert finished.status == "done", finished.error
    filed = await remarks(db)
    assert sorted(r.message_ts for r in filed) == sorted(seeded["filed"])
    for r in filed:  # the original time, so the digest's weeks count them where they belong
        assert r.said_at == dt.datetime.fromtimestamp(float(r.message_ts), tz=dt.UTC)
        assert r.permalink == fake.state.permalink(FEEDBACK, r.message_ts)
    assert not any("Old complaint" in r.text or "Same for Initech" in r.text for r in filed)
    zendesk = next(r for r in filed if r.customer == "Initech")
    assert zendesk.text.startswith("Export to CSV drops the last column")
    assert (finished.captured, finished.skipped, finished.known) == (21, 4, 0)  # 3 noise + 1 status notice
    assert finished.fetched == 26 and finished.other == 1  # Earshot's own post
    # Every history call asked for the window, 15 at a time, and only top-level messages.
    calls = [c for c in fake.calls_to("conversations.history") if c.params.get("limit") == "15"]
    assert len(calls) == finished.pages == 2
    assert fake.calls_to("conversations.replies") == []
    assert len(fake.calls_to("chat.getPermalink")) == 1  # the rest are built the same way
    # No marks on old messages; one progress message in Alice's DM, updated in place.
    assert fake.calls_to("reactions.add") == []
    [progress] = [c for c in fake.calls_to("chat.postMessage") if c.params["text"].startswith(":hourglass")]
    [summary] = await summarised(fake)
    updates = [c for c in fake.calls_to("chat.update") if c.params["ts"] == progress.response["ts"]]
    assert updates[-1] is summary and "history since" in summary.params["text"]
    assert "21 filed as remarks" in updates[-1].params["text"] and "4 skipped as noise" in updates[-1].params["text"]
    # Asked again: nothing is filed twice.
    answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))
    again = await done(db)
    assert (again.captured, again.known) == (0, 21)
    assert await count(db, Remark) == 21 and await count(db, Capture) == 21


async def test_a_restart_mid_way_resumes_without_duplicates(fake, slack, bot, db, fast_settings):
    for i in range(60):
        fake.state.post_message(FEEDBACK, CARLA, f"Remark {i}: delivery tracking is late again ({i})",
                                ts=ago(fake, 20 - i * 0.2))
    fake.slow_down("conversations.history", 0.3)
    answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))

    async def some_pages() -> bool:
        j = await job(db)
        return j.pages >= 1

    await eventually(some_pages, timeout=10)
    await bot.runtime.backfills.stop()  # the process stops mid-job: it hands the job back
    stopped = await job(db)
    assert stopped.status == "running" and stopped.cursor is not None
    fake.slow_down("conversations.history", 0)
    again, stop = await start_bot(fast_settings)
    try:
        finished = await done(db)
        await settled(again)
    finally:
        await stop()
    assert finished.status == "done" and finished.lease_owner != stopped.lease_owner
    assert await count(db, Remark) == 60 and await count(db, Capture) == 60
    async with db() as s:
        assert await s.scalar(select(func.count(func.distinct(Remark.message_ts)))) == 60
    assert finished.captured + finished.known == 60


async def test_slacks_retry_after_is_honoured(fake, slack, bot, db):
    for i in range(5):
        fake.state.post_message(FEEDBACK, CARLA, f"The mobile app logs me out, case {i}", ts=ago(fake, 3 - i * 0.1))
    fake.fail_next("conversations.history", "ratelimited", retry_after=1)
    answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 7d"))
    finished = await done(db)
    assert finished.status == "done" and finished.captured == 5
    limited, first_ok = fake.calls_to("conversations.history")[:2]
    assert limited.status == 429 and first_ok.ok
    assert first_ok.at - limited.at >= 1.0  # Retry-After: 1


async def test_bad_requests_are_explained_and_change_nothing(fake, slack, bot, db):
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 120d"))
    assert "up to 90 days" in text
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since"))
    assert "since 30d" in text
    text = answer(await slack.slash(BOB, GENERAL, f"watch <#{FEEDBACK}> since 30d"))
    assert "Only workspace admins" in text
    assert await count(db, Backfill) == 0


async def test_earshot_watch_from_the_terminal(fake, slack, bot, db, database_url):
    for i in range(20):
        fake.state.post_message(FEEDBACK, CARLA, f"Setup took us a week, step {i} was unclear", ts=ago(fake, 9 - i * 0.3))
    fake.state.post_message(FEEDBACK, CARLA, "thanks!", ts=ago(fake, 1))
    env: dict[str, Any] = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET,
                           "SLACK_API_URL": fake.api_url, "DATABASE_URL": database_url,
                           **{k.upper(): str(v) for k, v in FAST.items()}}
    await bot.runtime.backfills.stop()  # only the terminal works on it here
    res = await asyncio.to_thread(CliRunner().invoke, main, ["watch", "--team", TEAM, "--channel", FEEDBACK,
                                                            "--since", "10d", "--bots", "Zendesk"], env=env)
    assert res.exit_code == 0, res.output
    assert "Now watching" in res.output and "15 messages each" in res.output
    assert "Done: 21 messages read, 20 filed with their original dates, 1 skipped as noise" in res.output
    assert await count(db, Remark) == 20
    res = await asyncio.to_thread(CliRunner().invoke, main, ["watch", "--team", TEAM, "--channel", FEEDBACK,
                                                            "--since", "200d"], env=env)
    assert res.exit_code == 2 and "up to 90 days" in res.output


async def test_a_429_on_the_progress_message_delays_it_and_the_summary_still_comes(fake, slack, bot, db):
    # The runner's client does not retry by itself: a refused first post used to leave the
    # job marked "posting", so neither a progress update nor the summary ever came.
    for i in range(40):
        fake.state.post_message(FEEDBACK, CARLA, f"The export misses column {i}", ts=ago(fake, 20 - i * 0.1))
    fake.fail_next("chat.postMessage", "ratelimited", retry_after=1)
    answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))
    finished = await done(db)
    await settled(bot)
    assert finished.status == "done" and finished.captured == 40
    refused, posted = fake.calls_to("chat.postMessage")
    assert refused.status == 429 and posted.ok and posted.at - refused.at >= 1.0  # Retry-After: 1
    assert finished.progress_ts == posted.response["ts"]
    [summary] = await summarised(fake)
    texts = [c.params["text"] for c in fake.calls_to("chat.update") if c.params["ts"] == finished.progress_ts]
    assert summary.params["ts"] == finished.progress_ts and "40 filed as remarks" in texts[-1]
    assert not any("About about" in t for t in [posted.params["text"], *texts])


async def under_way(fake, slack, db) -> None:
    """60 messages over 20 days of #customer-feedback, their history asked for and read
    slowly (0.3 s a page): returns once a first page is filed, the job still running."""
    for i in range(60):
        fake.state.post_message(FEEDBACK, CARLA, f"Remark {i}: delivery tracking is late again ({i})",
                                ts=ago(fake, 20 - i * 0.2))
    fake.slow_down("conversations.history", 0.3)
    answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))

    async def some_pages() -> bool:
        return (await job(db)).pages >= 1

    await eventually(some_pages, timeout=10)


async def test_unwatching_the_channel_stops_its_history(fake, slack, bot, db):
    # A channel watched by mistake ("since 90d" on #random) and unwatched at once used to be
    # read and filed to its end.
    await under_way(fake, slack, db)
    assert "Stopped watching" in answer(await slack.slash(ALICE, GENERAL, f"unwatch <#{FEEDBACK}>"))
    finished = await done(db)
    await settled(bot)
    assert finished.status == "failed" and "unwatched" in (finished.error or "")
    assert finished.captured < 60 and await count(db, Remark) == finished.captured
    [summary] = await summarised(fake)
    assert "I stopped bringing in" in summary.params["text"] and "was unwatched" in summary.params["text"]


async def test_a_small_channel_still_gets_one_progress_message_turned_into_the_summary(fake, db, settings):
    # With the default pacing (Tier 3, 200 a page, progress every 5 pages) a channel of a few
    # pages used to get no progress message at all, only the summary as a new message.
    running, stop = await start_bot(settings.model_copy(update={"backfill_poll_seconds": 0.05}))
    slack = fake.simulator(running.url)
    try:
        for i in range(5):
            fake.state.post_message(FEEDBACK, CARLA, f"The mobile app logs me out, case {i}", ts=ago(fake, 3 - i * 0.1))
        text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 7d"))
        assert "8,000 messages a minute" in text and "about a minute per 10,000 messages" in text
        finished = await done(db)
        await summarised(fake)  # before the bot stops
        await settled(running)
    finally:
        await slack.close()
        await stop()
    [posted] = fake.calls_to("chat.postMessage")
    assert posted.params["text"].startswith(":hourglass_flowing_sand:") and "0% done" in posted.params["text"]
    [summary] = fake.calls_to("chat.update")
    assert (summary.params["channel"], summary.params["ts"]) == (posted.response["channel"], posted.response["ts"])
    assert "5 filed as remarks" in summary.params["text"] and finished.captured == 5
