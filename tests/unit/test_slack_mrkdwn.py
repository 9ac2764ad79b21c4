"""bot.slack.mrkdwn: outside text placed in mrkdwn safely, Earshot's own markup only from
checked ids and URLs, and cuts that never halve an entity (Slack: "Formatting text for app
surfaces", Escaping text)."""

from __future__ import annotations

import pytest

from bot.slack.mrkdwn import (
    Mrkdwn,
    channel,
    clip,
    fit,
    is_safe_url,
    join,
    link,
    md,
    mention,
    quote,
    safe,
)
from bot.slack.text import readable, shown, truncate
from tests.outside_text import HOSTILE, SENT, problems


def test_md_escapes_every_argument_but_keeps_its_own_template() -> None:
    out = md("*{}* said {} (<{}|{}>)", "<!channel>", "a & b", "https://x.example", "<@U1>")
    assert out == "*@channel* said a &amp; b (<https://x.example|@U1>)"
    assert isinstance(out, Mrkdwn)


def test_md_keeps_markup_built_here_and_number_formats() -> None:
    out = md("{} owns {} · {:,} · {:.1f} %", mention("U0BOB00001"), "R&D", 120000, 12.345)
    assert out == "<@U0BOB00001> owns R&amp;D · 120,000 · 12.3 %"
    assert md("{}", None) == "" and md("{}", True) == "True"


def test_safe_reads_slack_markup_as_words_and_never_escapes_twice() -> None:
    assert safe(SENT) == safe(HOSTILE)  # what Slack escaped is read once, then escaped once
    assert safe(safe(SENT)) == safe(SENT)  # already Mrkdwn: placed as it is
    assert problems(safe(SENT)) == [] and problems(safe(HOSTILE)) == []
    assert "Acme portal (https://evil.example)" in safe(HOSTILE)  # the label and where it goes


@pytest.mark.parametrize("raw", [HOSTILE, SENT, "<", "&", "<<<>>>&&&", "&amp;lt;", "<!subteam^S1|@all>"])
def test_clip_and_quote_are_always_safe(raw: str) -> None:
    for limit in range(1, 40):
        assert problems(clip(raw * 3, limit)) == []
        assert problems(quote(raw * 3, limit)) == []


def test_clip_cuts_what_the_reader_sees_before_escaping() -> None:
    out = clip("fish & chips & peas", 9)
    assert out == "fish &amp; c…"  # 9 characters as read, the entity whole
    assert clip("a\n  b   c", 20) == "a b c" and clip("a\nb", 20, one_line=False) == "a\nb"
    assert clip(None, 5) == "" and clip("x" * 10, 5) == "xxxx…"


def test_quote_marks_every_line_and_says_when_there_is_no_text() -> None:
    assert quote("one\n<two>", 50) == "> one\n> &lt;two&gt;"
    assert quote("   ", 50) == "> (no text)"
    assert quote("&gt; quoted", 50) == "> &gt; quoted"  # Slack's entity read once, escaped once


@pytest.mark.parametrize("url", [
    "https://acme.slack.com/archives/C1/p1", "https://github.com/acme/x/issues/1?a=1&b=2",
])
def test_link_wraps_a_plain_https_url(url: str) -> None:
    out = link(url, "view <it>")
    assert out == f"<{url.replace('&', '&amp;')}|view &lt;it&gt;>"
    assert problems(out) == []


@pytest.mark.parametrize("url", [
    "https://evil.example|Acme portal", "https://x.example/>", "https://x.example/<!channel>",
    "https://x.example/a b", "javascript:alert(1)", "mailto:a@b.example", "", None, "https://x.example/\n",
    "ftp://x.example/f",
])
def test_link_never_wraps_a_url_that_could_end_or_split_the_markup(url: str | None) -> None:
    out = link(url, "view")
    assert out == "view" and not is_safe_url(url)


def test_an_http_link_is_shown_as_text_beside_its_label() -> None:
    assert link("http://jira.acme.internal/B-1?a=1&b=2", "Jira") == "Jira (http://jira.acme.internal/B-1?a=1&amp;b=2)"


def test_mentions_and_channels_only_from_ids() -> None:
    assert mention("U0BOB00001") == "<@U0BOB00001>" and mention("W0ENT0001") == "<@W0ENT0001>"
    assert mention("<!channel>") == "@channel" and mention(None) == "someone"
    assert mention("U1> <!here") == "U1&gt; &lt;!here"
    assert channel("C0SUPPORT1") == "<#C0SUPPORT1>" and channel("G0PRIV0001") == "<#G0PRIV0001>"
    assert channel("<!everyone>") == "@everyone" and channel(None) == "a channel"


def test_join_escapes_each_piece_and_keeps_its_separator() -> None:
    assert join(["R&D", md("*{}*", "<b>")], " · ") == "R&amp;D · *&lt;b&gt;*"


@pytest.mark.parametrize("limit", range(1, 30))
def test_truncate_never_halves_an_entity_or_a_link(limit: int) -> None:
    text = "a &amp; b &lt; <https://x.example|view> &gt; c"
    out = fit(text, limit)
    assert len(out) <= limit and problems(out) == []
    assert truncate(text, limit) == out


def test_mentions_read_as_the_name_slack_or_the_caller_gives() -> None:
    assert shown("hi <@U0BOB00001|bob> and <@U0DAN00001>") == "hi @bob and @U0DAN00001"
    assert shown("hi <@U0DAN00001>", {"U0DAN00001": "Dan"}) == "hi @Dan"
    assert readable("<@U0BOB00001|@bob>") == "@bob"
