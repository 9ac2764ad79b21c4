"""``/feedback watch status``'s History section (bot.slack.sources.history_status): each
state says what an admin needs, outside text is made safe, and the week's line points at
the history only when there is one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.slack import sources

OLDEST = dt.datetime(2026, 11, 7, 9, 0, tzinfo=dt.UTC)
STARTED = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def history(**over: Any) -> str:
    args: dict[str, Any] = dict(
        state="running", days=30, oldest=OLDEST, fetched=2_000, captured=1_400, skipped=600, known=0,
        other=0, share=0.42, reached=dt.datetime(2026, 11, 20, tzinfo=dt.UTC), started_at=STARTED,
        finished_at=None, resumes=0, resumed_at=None, error=None, captured_examples=[],
        skipped_examples=[])
    args.update(over)
    return "\n".join(sources.history_status(**args))


def test_running_says_how_far_it_is_and_since_when():
    text = history()
    assert "*History* (last 30 days, since 07 Nov 2026): being brought in, 42% read, back to 20 Nov 2026" in text
    assert "So far 2,000 messages read: *1,400* filed with their original dates, *600* skipped" in text
    assert f"Started <!date^{int(STARTED.timestamp())}^" in text and "Resumed" not in text


def test_finished_says_when_and_how_long_and_a_resume_is_told():
    text = history(state="done", share=1.0, finished_at=STARTED + dt.timedelta(minutes=12), resumes=2,
                   resumed_at=STARTED + dt.timedelta(minutes=5), other=3)
    assert ":white_check_mark:" in text and "brought in, finished <!date^" in text
    assert "(took about 12 minutes)" in text and "3 not for filing" in text
    assert "Resumed 2 times after a restart (last <!date^" in text


def test_waiting_and_stopped():
    assert "waiting to start" in history(state="pending", started_at=None, fetched=0)
    stopped = history(state="failed", finished_at=STARTED, error="the channel was archived.")
    assert ":warning:" in stopped and "stopped <!date^" in stopped and "the channel was archived." in stopped


def test_examples_from_history_are_made_safe():
    text = history(captured_examples=["<!channel> refund <https://evil.example|click> & more"],
                   skipped_examples=[("<@U0BOB> thanks", "thanks")])
    assert "<!channel>" not in text and "<https://evil" not in text and "<@U0BOB>" not in text
    assert "&amp; more" in text and "*Filed from history, latest:*" in text
    assert "*Skipped from history, latest:*" in text and "_(thanks)_" in text


def test_the_week_points_at_the_history_only_when_there_is_one():
    base: dict[str, Any] = dict(watched=True, bots="off", names=[], captured=1, skipped=2, last_captured=0,
                                last_skipped=0, captured_examples=[], skipped_examples=[])
    alone = sources.watch_status("C1", **base)
    assert "this week: *1* filed, *2* skipped as noise (last week: 0 filed, 0 skipped)." in alone
    assert "History" not in alone
    both = sources.watch_status("C1", **base, history=["HISTORY LINE"])
    assert "its history is counted apart below" in both and "HISTORY LINE" in both
