"""Sources in Slack: ``/feedback sources``, App Home's section, the digest's by-source line.

Source names come from outside (an app's name, a token's name): they pass ``shown()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.slack.text import shown

MAX_LISTED = 15  # the busiest; the rest are summed on one line
BY_SOURCE_SHOWN = 8  # the digest headline's by-source line names this many, then sums the rest


class VolumeLike(Protocol):  # bot.domain.capture.sources.Volume
    @property
    def source(self) -> str: ...
    @property
    def week(self) -> int: ...
    @property
    def four_weeks(self) -> int: ...
    @property
    def last_seen(self) -> dt.datetime: ...
    @property
    def silent(self) -> bool: ...


def _ago(at: dt.datetime, now: dt.datetime) -> str:
    days = (now - at).days
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


def volume_lines(volumes: Sequence[VolumeLike], now: dt.datetime) -> list[str]:
    lines = [f"• *{shown(v.source)}*: {v.week} this week, {v.four_weeks} in 4 weeks, "
             f"last {_ago(v.last_seen, now)}" for v in volumes[:MAX_LISTED]]
    rest = volumes[MAX_LISTED:]
    if rest:
        lines.append(f"• and {len(rest)} more source(s): {sum(v.four_weeks for v in rest)} in 4 weeks")
    return lines


def warnings(volumes: Sequence[VolumeLike], now: dt.datetime) -> list[str]:
    return [f":warning: *{shown(v.source)}* has sent nothing for {(now - v.last_seen).days} days, "
            "after delivering in the weeks before: check the integration (a revoked token, a "
            "changed trigger, an app removed from its channel)." for v in volumes if v.silent]


def sources_text(volumes: Sequence[VolumeLike], now: dt.datetime) -> str:
    if not volumes:
        return ("No remarks in the last five weeks. Remarks arrive by reaction, forward, watched "
                "channel, mention, shortcut, `/feedback`, other apps' posts, the API or an import.")
    return "\n".join(["*Where remarks came from* (received; newest 4 weeks):",
                      *volume_lines(volumes, now), *warnings(volumes, now)])


def home_blocks(volumes: Sequence[VolumeLike], now: dt.datetime) -> list[Block]:
    if not volumes:
        return []
    out: list[Block] = [HeaderBlock(text="Sources")]
    out.append(SectionBlock(text=MarkdownTextObject(text="\n".join(volume_lines(volumes, now))[:3000])))
    for warning in warnings(volumes, now)[:3]:
        out.append(ContextBlock(elements=[MarkdownTextObject(text=warning)]))
    return out


def by_source_line(counts: dict[str, int]) -> str | None:
    """The digest headline's compact line: ``By source: api:zendesk 40 · reaction 12 · ...``,
    the busiest eight, then ``and 3 more sources: 12``."""
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown_parts = [f"{shown(s)} {n}" for s, n in ranked[:BY_SOURCE_SHOWN]]
    rest = ranked[BY_SOURCE_SHOWN:]
    if rest:
        # Read as a sentence: "… · shortcut 1 · and 3 more sources: 12" (before: "3 more 12").
        noun = "source" if len(rest) == 1 else "sources"
        shown_parts.append(f"and {len(rest)} more {noun}: {sum(n for _, n in rest)}")
    return "By source: " + " · ".join(shown_parts)
