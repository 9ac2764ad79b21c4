"""The /feedback grammar: [Process] (Customer) text +share, and its edge cases."""

from __future__ import annotations

import pytest

from bot.slack.grammar import GrammarError, Parsed, close_matches, looks_like_subcommand, parse


def test_plain_text_is_the_remark():
    assert parse("  the invoice arrived twice  ") == Parsed(text="the invoice arrived twice")


def test_process_and_customer_then_text():
    assert parse("[Billing] (Acme Corp) invoice arrived twice") == Parsed(
        text="invoice arrived twice", process="Billing", customer="Acme Corp"
    )


def test_customer_and_process_in_either_order():
    assert parse("(Acme Corp) [billing] invoice") == Parsed(text="invoice", process="billing", customer="Acme Corp")


def test_only_customer():
    assert parse("(Acme) love it") == Parsed(text="love it", customer="Acme")


def test_names_are_whitespace_normalised():
    p = parse("[  Product   quality ]   (  Acme   Corp )  slow")
    assert (p.process, p.customer, p.text) == ("Product quality", "Acme Corp", "slow")


def test_nested_parentheses_in_customer():
    assert parse("(Acme (UK) Ltd) great onboarding").customer == "Acme (UK) Ltd"


def test_brackets_inside_the_remark_are_kept():
    p = parse("[Support] they said [sic] the (new) agent was great [10/10]")
    assert p.process == "Support"
    assert p.text == "they said [sic] the (new) agent was great [10/10]"


def test_double_dash_ends_options():
    assert parse("-- [sic] starts with brackets") == Parsed(text="[sic] starts with brackets")
    assert parse("[Billing] -- (not a customer) text") == Parsed(text="(not a customer) text", process="Billing")


def test_share_flag_only_as_last_word():
    assert parse("[Billing] great +share") == Parsed(text="great", process="Billing", share=True)
    assert parse("great +SHARE").share
    p = parse("use +share to share")
    assert not p.share and p.text == "use +share to share"


def test_share_after_a_newline():
    assert parse("line one\nline two\n+share") == Parsed(text="line one\nline two", share=True)


def test_options_without_text_leave_text_empty():
    assert parse("[Billing] (Acme)") == Parsed(text="", process="Billing", customer="Acme")
    assert parse("") == Parsed(text="")
    assert parse("   ") == Parsed(text="")


def test_empty_brackets_mean_automatic():
    assert parse("[] (Acme) text") == Parsed(text="text", customer="Acme")


def test_mentions_links_emoji_and_unicode_are_kept_verbatim():
    raw = "[Support] (Müller GmbH) <@U0BOB00001|bob> said :tada: 日本語 <https://x.io/a?b=1|link> &lt;3 <#C0SUPPORT1|support>"
    p = parse(raw)
    assert p.customer == "Müller GmbH"
    assert p.text == raw.split(") ", 1)[1]


def test_emoji_process_name_and_unicode_customer():
    assert parse("[Café ☕] (株式会社) good") == Parsed(text="good", process="Café ☕", customer="株式会社")


def test_multiline_text_is_kept():
    assert parse("[Billing] first\nsecond").text == "first\nsecond"


def test_second_bracket_is_text():
    assert parse("[Billing] [Support] text") == Parsed(text="[Support] text", process="Billing")


@pytest.mark.parametrize("raw", ["[Billing invoice twice", "(Acme invoice twice", "[Bill\ning] x", "[a [b] c"])
def test_unclosed_or_malformed_options_explain_themselves(raw):
    with pytest.raises(GrammarError) as e:
        parse(raw)
    assert "`" in str(e.value)


def test_too_long_names_are_refused():
    with pytest.raises(GrammarError):
        parse("[" + "x" * 81 + "] text")
    with pytest.raises(GrammarError):
        parse("(" + "x" * 256 + ") text")


@pytest.mark.parametrize("raw,expected", [
    ("hlep", True), ("stats", True), ("recnt", True), ("great!", False), ("two words", False),
    ("[Billing]", False), (":tada:", False), ("", False), ("<@U123>", False),
])
def test_single_plain_word_looks_like_a_subcommand(raw, expected):
    assert looks_like_subcommand(raw) is expected


def test_close_matches_are_case_insensitive_and_include_substrings():
    names = ["Billing", "Onboarding", "Support", "Product quality", "Delivery"]
    assert close_matches("billng", names)[0] == "Billing"
    assert close_matches("BILL", names) == ["Billing"]
    assert "Product quality" in close_matches("quality", names)
    assert close_matches("zzzz", names) == []
    assert close_matches("", names) == []
