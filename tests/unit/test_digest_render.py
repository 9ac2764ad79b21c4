"""The digest's Block Kit stays within Slack's limits whatever the data, and reads well as text."""

from __future__ import annotations

import datetime as dt

from bot.digest import render
from bot.digest.build import Digest, Moved, ProcessLine
from bot.digest.chart import render_chart
from bot.digest.periods import Period
from bot.digest.stats import Counts
from bot.fakeslack.blockcheck import block_errors
from storage.repositories.digests import QuoteRow

P = Period(dt.date(2025, 3, 3), dt.date(2025, 3, 10))
PERIODS = [Period(P.start - dt.timedelta(days=7 * i), P.end - dt.timedelta(days=7 * i)) for i in range(7, -1, -1)]


def quote(i: int, size: int) -> QuoteRow:
    return QuoteRow(i, 1, "complaint", ("Very long remark <@U123> & more " * size)[:size * 30],
                    "Ü" * 300 if i % 2 else None, "U0CARLA001", "https://x.slack.com/p1", 3,
                    dt.datetime(2025, 3, 4, tzinfo=dt.UTC))


def line(i: int, quote_size: int) -> ProcessLine:
    c = Counts(praise=2, complaint=5, complaint_endorsements=9, praise_endorsements=2)
    return ProcessLine(i, f"Process {i} " + "x" * 200, f"U{i:09d}", c, Counts(complaint=1), c, 1.0, 0.3,
                       [0, 1, 2, 3, 4, 5, 6, 7], [1] * 8, [quote(i * 10 + k, quote_size) for k in range(3)])


def digest(n: int, quote_size: int = 5, **kw) -> Digest:
    lines = [line(i, quote_size) for i in range(n)]
    return Digest(
        "T1", P, PERIODS, "Europe/Berlin", Counts(praise=10, complaint=30, neutral=2), Counts(complaint=20),
        7, 12, lines, lines, [Moved(i, f"P{i}", Counts(complaint=1), Counts(complaint=9), True) for i in range(n)],
        [(f"Quiet {i}", 4) for i in range(n)], 40, 3,
        {f"P{i}": ([1] * 8, [2] * 8) for i in range(min(n, 8))}, **kw)


def test_many_processes_and_huge_quotes_stay_within_limits():
    for n, size in ((0, 1), (3, 5), (60, 400)):
        d = digest(n, size)
        blocks = render.digest_blocks(d)
        assert block_errors(blocks) == [], (n, size)
        assert len(blocks) <= 50
        for b in blocks:
            if b["type"] == "section":
                assert len(b["text"]["text"]) <= 3000
        assert len(render.fallback_text(d)) <= 3000
        assert block_errors(render.preview_blocks(d, "note " * 1000)) == []


def test_quotes_are_cut_short_and_keep_customer_and_link():
    text = render.improve_text(1, line(1, 400))
    assert "…" in text and "|view>" in text and "3 captures" in text
    assert "`▁▁▂▃▅▆▇█`" in text or "`" in text


def test_late_and_empty_digests():
    late = render.digest_blocks(digest(2, late=True))
    assert "Posted late" in str(late)
    empty = digest(0)
    empty.totals = Counts()
    assert render.digest_blocks(empty)[0]["text"]["text"].startswith(":zzz: Quiet week")
    assert "Quiet week" in render.digest_text(empty)


def test_terminal_text_is_plain_and_complete():
    text = render.digest_text(digest(2))
    for heading in ("IMPROVE", "CONSOLIDATE", "CHANGED", "UNFILED"):
        assert heading in text
    assert "*" not in text and ":red_circle:" not in text


def test_chart_is_a_png():
    png = render_chart(digest(3))
    assert png is not None and png.startswith(b"\x89PNG")
