"""What Earshot says about watched channels' sources: other apps' posts, a channel's history
being brought in (the estimate, the progress message updated in place, the summary), and
``/feedback watch status``. Outside text (examples, app names) goes through ``shown()``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.slack import blocks
from bot.slack.text import shown, truncate

EXAMPLE_CHARS = 140


def bots_line(bots: str, names: list[str] | tuple[str, ...]) -> str:
    if bots == "all":
        return "Other apps' posts there are filed too (helpdesk, survey and review apps' own words)."
    if bots == "named" and names:
        listed = ", ".join(f"“{shown(n)}”" for n in names)
        return f"Posts from {listed} there are filed too; other apps' posts are not."
    return "Other apps' posts there are not filed (`/feedback watch #channel bots` to file them)."


def duration(minutes: float) -> str:
    if minutes < 1.5:
        return "about a minute"
    if minutes < 90:
        return f"about {round(minutes)} minutes"
    hours = minutes / 60
    return f"about {hours:.1f} hours" if hours < 48 else f"about {hours / 24:.1f} days"


def estimate(per_minute: float, page_size: int, limited: bool) -> str:
    """How long reading history takes, said before the channel's size is known."""
    per_10k = (10_000 / page_size) / per_minute
    rate = f"{round(per_minute * page_size):,} messages a minute"
    why = (" (Slack allows an app distributed outside its Marketplace one history call a "
           "minute, 15 messages each)" if limited else "")
    return f"I can read {rate}{why}: {duration(per_10k)} per 10,000 messages."


def backfill_started(channel_id: str, days: int, *, estimate_text: str, running: bool) -> str:
    if running:
        return (f":hourglass_flowing_sand: I'm already bringing in <#{channel_id}>'s history; "
                "I'll tell you when it's done.")
    return (f":hourglass_flowing_sand: Bringing in the last {days} days of <#{channel_id}>. "
            f"{estimate_text} I'll keep a progress message up to date in our DM and sum up at the end.")


def backfill_progress(channel_id: str, *, fetched: int, captured: int, skipped: int, known: int,
                      reached: dt.datetime | None, oldest: dt.datetime, done_share: float,
                      minutes_left: float | None) -> dict[str, Any]:
    back_to = f", back to {reached:%d %b %Y}" if reached else ""
    left = f" {duration(minutes_left).capitalize()} left." if minutes_left is not None else ""
    text = (f":hourglass_flowing_sand: Bringing in <#{channel_id}>'s history since {oldest:%d %b %Y}: "
            f"{round(done_share * 100)}% done{back_to}. {fetched:,} messages read: {captured:,} filed, "
            f"{skipped:,} skipped as noise, {known:,} already known.{left}")
    return blocks.notice(text)


def backfill_summary(channel_id: str, *, fetched: int, captured: int, skipped: int, known: int,
                     other: int, minutes: float, oldest: dt.datetime, error: str | None = None) -> dict[str, Any]:
    if error:
        text = (f":warning: I stopped bringing in <#{channel_id}>'s history: {error} "
                f"So far {captured:,} remarks were filed; what is filed stays.")
    else:
        text = (f":white_check_mark: <#{channel_id}>'s history since {oldest:%d %b %Y} is in: "
                f"{fetched:,} messages read in {duration(minutes)}. {captured:,} filed as remarks "
                f"(with their original dates), {skipped:,} skipped as noise, {known:,} already "
                f"known, {other:,} not for filing (thread replies are not read, nor other apps' "
                "posts unless the channel takes them). `/feedback watch status "
                f"<#{channel_id}>` shows examples.")
    return blocks.notice(text)


def _example(text: str) -> str:
    """An example on its bullet's one line: an app post's lines (title, body, "Status: ...")
    are joined, so the next bullet is not taken for one of them."""
    return truncate(shown(" ".join(text.split())), EXAMPLE_CHARS)


def _when(at: dt.datetime) -> str:
    """A moment in the reader's own time zone (Slack renders it), with a UTC fallback."""
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}} at {{time}}|{at:%Y-%m-%d %H:%M} UTC>"


def _examples(title: str, captured: list[str], skipped: list[tuple[str, str]]) -> list[str]:
    lines: list[str] = []
    if captured:
        lines.append(f"*Filed{title}, latest:*")
        lines += [f"• {_example(t)}" for t in captured[:3]]
    if skipped:
        lines.append(f"*Skipped{title}, latest:*")
        lines += [f"• {_example(t)} _({shown(why)})_" for t, why in skipped[:3]]
    return lines


def history_status(*, state: str, days: int, oldest: dt.datetime, fetched: int, captured: int,
                   skipped: int, known: int, other: int, share: float, reached: dt.datetime | None,
                   started_at: dt.datetime | None, finished_at: dt.datetime | None, resumes: int,
                   resumed_at: dt.datetime | None, error: str | None, captured_examples: list[str],
                   skipped_examples: list[tuple[str, str]]) -> list[str]:
    """The channel's backfill in ``/feedback watch status``: apart from the live week, since
    a one-off import of weeks of history would drown it."""
    window = f"*History* (last {days} days, since {oldest:%d %b %Y})"
    counts = (f"{fetched:,} messages read: *{captured:,}* filed with their original dates, "
              f"*{skipped:,}* skipped as noise, {known:,} already known")
    if state == "done":
        took = (f" (took {duration(((finished_at - started_at).total_seconds()) / 60)})"
                if finished_at and started_at else "")
        head = (f":white_check_mark: {window}: brought in, finished {_when(finished_at)}{took}. "
                if finished_at else f":white_check_mark: {window}: brought in. ")
        line = f"{head}{counts}, {other:,} not for filing."
    elif state == "failed":
        stopped = f" {_when(finished_at)}" if finished_at else ""
        line = (f":warning: {window}: stopped{stopped}: {shown(error or 'an error.')} "
                f"Before that, {counts}.")
    elif started_at is None:
        line = f":hourglass_flowing_sand: {window}: waiting to start (within a minute or so)."
    else:
        back_to = f", back to {reached:%d %b %Y}" if reached else ""
        line = (f":hourglass_flowing_sand: {window}: being brought in, {round(share * 100)}% read"
                f"{back_to}. So far {counts}. Started {_when(started_at)}.")
    lines = [line]
    if resumes and resumed_at:
        times = "once" if resumes == 1 else f"{resumes} times"
        lines.append(f"Resumed {times} after a restart (last {_when(resumed_at)}), from where it "
                     "stopped: nothing read twice is filed twice.")
    return lines + _examples(" from history", captured_examples, skipped_examples)


def watch_status(channel_id: str, *, watched: bool, bots: str, names: list[str], captured: int,
                 skipped: int, last_captured: int, last_skipped: int, captured_examples: list[str],
                 skipped_examples: list[tuple[str, str]], history: list[str] | None = None) -> str:
    """The channel's week as heard live; ``history`` (history_status), its backfill apart."""
    if not watched:
        return f"<#{channel_id}> is not watched. An admin can start: `/feedback watch <#{channel_id}>`."
    lines = [f":eyes: <#{channel_id}> this week: *{captured}* filed, *{skipped}* skipped as noise "
             f"(last week: {last_captured} filed, {last_skipped} skipped)"
             + (", new messages only: its history is counted apart below." if history else "."),
             bots_line(bots, names)]
    lines += _examples("", captured_examples, skipped_examples)
    if history:
        lines += history
    lines.append("Skipped messages can still be filed by a reaction. Examples of skipped "
                 "messages are kept for 14 days.")
    return "\n".join(lines)
