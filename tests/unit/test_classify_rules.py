"""The shared anchor scan over many regex rules gives what searching each rule gives."""

import csv
import random
import re
from pathlib import Path

import pytest

from bot.classify import lexicon, suggestion
from bot.classify.rules import RuleSet, anchored_at_start, anchors
from bot.classify.sentiment import lower_text as sentiment_lower
from bot.classify.text import normalise

DATA = Path(__file__).resolve().parents[2] / "bot/classify/data"


def _texts() -> list[str]:
    out = []
    for name in ("sentiment_train.csv", "suggestion_train.csv"):
        with (DATA / name).open(newline="", encoding="utf-8") as fh:
            out += [r["text"] for r in csv.DictReader(fh)]
    # Every rule's own words, shuffled into odd company, and texts at the edges.
    rng = random.Random(3)
    vocab = sorted({w for t in out for w in t.lower().split()})
    out += [" ".join(rng.sample(vocab, 8)) for _ in range(400)]
    out += ["", "?", "!!", "3 days", "٣ days late", "waited ٤٥ minutes", "still not", "no"]
    return out


@pytest.mark.parametrize(
    ("patterns", "lower"),
    [([p for p, _ in lexicon.PHRASES], sentiment_lower),
     ([p for _, p in suggestion.CUES], suggestion.lower_text),
     ([p for _, p, _ in suggestion.SHIFTS], suggestion.lower_text)],
    ids=["phrases", "cues", "shifts"],
)
def test_matches_are_those_of_searching_every_rule(patterns, lower):
    rules = RuleSet(patterns)
    compiled = [re.compile(p) for p in patterns]
    for text in _texts():
        low = lower(normalise(text))
        assert rules.matches(low) == [i for i, rx in enumerate(compiled) if rx.search(low)], low


def test_anchors_are_read_from_the_pattern():
    assert anchors(r"\bkeeps? (?:on )?failing\b") == {"keep on failing", "keep failing",
                                                       "keeps on failing", "keeps failing"}
    assert anchors(r"\b(?:no|nobody) way\b") == {"no way", "nobody way"}
    assert anchors(r"\b(?:no|nobody) way\b", 3) == {"no ", "nob"}
    assert anchors(r"\b(?:no|not) way\b", 2) == {"no"}  # both cut to "no"
    assert anchors(r"!!+|\?\?") == {"!!", "??"}
    assert anchors(r"\b\d+ days") == set("0123456789")
    assert anchors(r"[\w ]{0,3}again") is None  # no literal start: always searched


def test_an_alternative_that_ends_early_does_not_cut_the_others_short():
    # "\\d+" ends the literal start of its own alternative only: "an" still reaches "hours".
    assert anchors(r"\b(?:\d+|an?) ?hours? late", 5) == set("0123456789") | {
        "a hou", "ahour", "an ho", "anhou"
    }
    assert anchors(r"(?:ab|c\w+)d") == {"abd", "c"}


def test_rules_anchored_at_the_start_are_searched_only_when_the_text_begins_with_an_anchor():
    patterns = [
        r"^(?:please )?add\b",
        r"^a|^bc",
        r"(?m)^add",  # multiline: ^ after any newline, so not anchored at the start
        r"\badd\b",
        r"\A(?:x|yz)\?",
        r"(?:^|\s)add",  # one alternative is not anchored: not anchored
    ]
    assert [anchored_at_start(p) for p in patterns] == [True, True, False, False, True, False]
    rules = RuleSet(patterns)
    compiled = [re.compile(p) for p in patterns]
    texts = ["add it", "please add it", "we add it", "address", "x\nadd", "a", "bcd", "b",
             "x?", "yz?", "y", "", "pleas add", " add", "ad"]
    for text in texts:
        assert rules.matches(text) == [i for i, rx in enumerate(compiled) if rx.search(text)], text


def test_rule_sets_sharing_a_texts_slices_each_still_find_their_own_matches():
    # The two rule sets of a remark scan one text, sliced once (rules._slices); a set
    # that slices differently, or a text that changes between scans, must not get
    # another set's slices.
    class Threes(RuleSet):
        GRAM = 3

    patterns = [r"\bstill (?:no|not)\b", r"\bdark mode\b", r"\bplease add\b", r"\bwait(?:ed)? \d+"]
    fours, threes = RuleSet(patterns), Threes(patterns)
    texts = ["please add dark mode", "still not fixed", "we waited 45 minutes", "please add"]
    for a, b in zip(texts, texts[1:] + texts[:1], strict=True):
        for rules, text in ((fours, a), (threes, a), (fours, b), (threes, a), (fours, a)):
            want = [i for i, p in enumerate(patterns) if re.search(p, text)]
            assert rules.matches(text) == want, (text, rules.GRAM)


def test_zero_width_parts_do_not_end_an_anchor():
    # A lookbehind or lookahead consumes nothing: the literal start after it is the anchor
    # (before, such a rule had none and was searched in full on every remark).
    assert anchors(r"\b(?<!will )(?<!to be )(?:done|fixed)\b") == {"done", "fixed"}
    assert anchors(r"^(?!.*\bif\b)(?:so )?this would\b", starts=True) == {"so this would",
                                                                          "this would"}
    assert anchors(r"(?i)add") is None  # either case would match: no literal anchor
    assert anchors(r"x(?i:add)") == {"x"}


def test_anchors_that_begin_every_match():
    # With starts, an anchor that merely contains another is kept ("please add" holds
    # "add", but a match of "please add" does not begin with "add").
    assert anchors(r"^(?:please )?add\b", starts=True) == {"please add", "add"}
    assert anchors(r"\b(?:keep|keeps) failing", 4, starts=True) == {"keep"}
    assert anchors(r"(?:xabc|abc)d", starts=True) == {"xabcd", "abcd"}
    assert anchors(r"(?:xabc|abc)d") == {"abcd"}


def test_a_search_from_the_first_anchor_finds_what_a_whole_search_finds():
    # Each rule is searched from where its first anchor occurs; lookbehinds, \b and ^
    # still see the text before that place, and a later occurrence can still match.
    patterns = [
        r"\b(?<!will )done\b",
        r"\bstill (?:not|no)\b",
        r"(?:^|[;.,] ?)(?:jira|slack) (?:lets|has)\b",
        r"(?<=ab)cd",
        r"\bcd",
        r"^(?:so )?how\b",
        r"\b\d+ days\b",
        r"!!+",
        r"\bwhat(?:s| is) the point\b",  # anchors longer than a slice, looked up whole
    ]
    texts = ["will done", "it will done and done", "still here, still not fixed", "still",
             "jira lets us", "we use jira lets", "x; slack has it", "x,slack has", "abcd",
             "xcd", "a cd", "so how", "and how", "how", "in 3 days", "day 3 days", "3days",
             "wow!!", "wow!", "", "done", "what was it", "so what is the point",
             "what now, whats the point", "whatever is the point", "what is"]
    rules = RuleSet(patterns)
    compiled = [re.compile(p) for p in patterns]
    for text in texts:
        assert rules.matches(text) == [i for i, rx in enumerate(compiled) if rx.search(text)], text


def test_a_rule_without_anchors_is_searched_only_when_a_later_part_can_match():
    # The shape of business_phrases' answered_fast: nothing fixed at its start, then words.
    rule = r"^(?![^.?!]*\bwill\b)[^?]*(?:\b(?:answered|picked up)\b[^.?!]{0,20}?\bin an hour\b|\bon the (?:first|second) ring\b)"
    rx = re.compile(rule)
    searched = []

    class Counting:
        def search(self, text, pos=0):
            searched.append(text)
            return rx.search(text, pos)

    rules = RuleSet([rule])
    assert rules._always[0][1] == {"answered", "picked u", "on the f", "on the s"}
    rules._compiled = (Counting(),)
    texts = ["they answered in an hour", "picked up on the first ring", "my card is blocked",
             "nobody picked up", "it will be answered in an hour", "on the third ring"]
    assert [bool(rules.matches(t)) for t in texts] == [bool(rx.search(t)) for t in texts]
    assert "nobody picked up" in searched  # holds "picked u": searched, no match
    assert "my card is blocked" not in searched and "on the third ring" not in searched


def test_a_rule_is_tried_at_every_place_its_anchor_occurs_not_only_the_first():
    # A match may begin at a later occurrence of an anchor than the first ("still" fails
    # at the first place, matches at the second), or among many places (a short anchor,
    # past RuleSet.MATCH_AT of them, where the rule is searched from the first); a rule
    # whose anchor occurs but never begins a match is not reported.
    patterns = [r"\bstill (?:waiting|broken)\b", r"\b(?:a|an) (?:hour|day) late\b",
                r"\bon hold\b"]
    rules = RuleSet(patterns)
    compiled = [re.compile(p) for p in patterns]
    texts = [
        "still here and still waiting",
        "still here, still there, still not, still broken",
        "a cat, a dog, a bat, a rat and a day late",
        "a cat, a dog, a bat",
        "on holiday, not on hold",
        "on holiday only",
    ]
    for text in texts:
        assert rules.matches(text) == [i for i, rx in enumerate(compiled) if rx.search(text)], text
    assert rules.matches(texts[1]) == [0]
    assert rules.matches(texts[2]) == [1]
    assert rules.matches(texts[3]) == []
    assert rules.matches(texts[4]) == [2]
    assert rules.matches(texts[5]) == []
