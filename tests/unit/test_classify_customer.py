"""Customer remarks to a service company (issue 23, item 5): complaints told as where the
customer is and for how long, thanks for the trouble, reproaches asked as questions, and
asks addressed by a plain-text handle. Each named rule is shown to be what turns its
example: with the rule's weight at zero the example is misread."""

import re

import pytest

from bot.classify import WorkspaceModel, customer_phrases, sentiment, vader
from bot.classify.customer_phrases import drop_courtesy, split_hashtags
from bot.classify.lexicon import customer_rules, is_request
from bot.classify.sentiment import SentimentModel, lower_text, tone_features
from tests.unit.tone_rules import read_without

MODEL = WorkspaceModel.build([])

# (rule, remark); every one a complaint, none in a training file or a public set.
CUSTOMER_CASES = [
    ("thanks_for_trouble", "thanks for making us wait outside in the rain"),
    ("thanks_for_trouble", "thank you for making me miss my train"),
    ("thanks_for_trouble", "thanks for the automated reply"),
    ("still_there", "still on the tarmac"),
    ("still_there", "hour five at the airport"),
    ("still_there", "still at the counter"),
    ("too_few_staff", "only one agent on duty"),
    ("where_is_mine", "where is my luggage?"),
    ("where_is_mine", "where's our stroller"),
    ("reproach_question", "how can you not answer the phone?"),
    ("reproach_question", "how long for a reply?"),
    ("reproach_question", "would have been nice to be told"),
    ("whats_going_on", "what gives?"),
    ("whats_going_on", "what's going on with my order?"),
]


@pytest.mark.parametrize(("rule", "text"), CUSTOMER_CASES)
def test_customer_complaints_are_read_as_complaints(rule, text):
    assert rule in customer_rules(lower_text(text))
    result = MODEL.classify(text).sentiment
    assert result.label == "complaint", (text, result)


@pytest.mark.parametrize(("rule", "text"), CUSTOMER_CASES)
def test_each_customer_rule_is_what_turns_its_example(rule, text, monkeypatch, fresh_tone_caches):
    without = read_without(monkeypatch, "CUSTOMER", [rule], text)
    assert without.tone != "complaint", (text, without)


# Thanks for what went right, and plain asks, must not fire the customer rules.
@pytest.mark.parametrize(
    "text",
    [
        "thanks for making sure my parcel arrived before the weekend",
        "thank you for keeping us safe in the storm",
        "thanks for the quick reply",
        "how long does the transfer to the hotel take?",
        "where is the baggage claim for international arrivals?",
        "what time does the desk open?",
        "we still have two seats left on the coach",
    ],
)
def test_thanks_and_plain_asks_do_not_fire_customer_rules(text):
    assert not customer_rules(lower_text(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "@acme please send the receipt for order 4411",
        ".@acme can you move my delivery to Friday",
        "@acme: need the invoice as a PDF",
    ],
)
def test_an_ask_after_a_handle_is_a_request(text):
    assert is_request(lower_text(text)), text


def test_a_statement_after_a_handle_is_not_a_request():
    assert not is_request(lower_text("@acme the parcel came today"))


# Sarcastic thanks (issue 23, item 5, fourth pass): thanks for nothing, for being awful,
# for the third of something. Each turns its example; "thanks for nothing" is the business
# rules' ironic idiom, so the customer rule does not say it twice.
@pytest.mark.parametrize(
    ("text", "group", "rule"),
    [
        ("thanks for nothing", "BUSINESS", "ironic_idiom"),
        ("thanks for being such a useless courier", "CUSTOMER", "thanks_for_trouble"),
        ("thanks for the third gate change tonight", "CUSTOMER", "thanks_for_trouble"),
    ],
)
def test_sarcastic_thanks_are_complaints(text, group, rule, monkeypatch, fresh_tone_caches):
    assert MODEL.classify(text).sentiment.label == "complaint", text
    assert read_without(monkeypatch, group, [rule], text).tone != "complaint"


def test_a_plain_text_handle_carries_no_tone():
    """"@united" is praise to VADER (1.8): the handle must not make a remark praise."""
    dense, toks = tone_features("@united is the lounge in terminal C open on Sundays?")
    plain, plain_toks = tone_features("is the lounge in terminal C open on Sundays?")
    assert (dense == plain).all() and toks == plain_toks
    assert tone_features("mail bob@united.com the receipt")[1] != tone_features("mail bob the receipt")[1]


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("Is the lounge in terminal C open on Sundays? Thanks in advance!",
         "Is the lounge in terminal C open on Sundays?"),
        ("please send the receipt to my work address, thank you", "please send the receipt to my work address,"),
        ("DM sent, thanks", "DM sent,"),
    ],
)
def test_thanks_wrapping_an_ask_is_politeness(text, bare):
    assert drop_courtesy(text, is_request(lower_text(text))) == bare
    (dense, toks), (bare_dense, bare_toks) = tone_features(text), tone_features(bare)
    assert (dense == bare_dense).all() and toks == bare_toks


def test_thanks_for_something_is_kept():
    for text in ("thanks for the quick reply, when do you open?", "Thanks so much for the upgrade!"):
        assert drop_courtesy(text, True) == text


@pytest.mark.parametrize(
    "text",
    [
        "can I bring a folding bike on the train? Thank you",
        "@acme do you ship to Norway? thank you",
        # (the refit models read "Which gate does the Denver flight leave from? Thanks so
        # much" as neutral without the rule too)
        "how do I add a second user? thanks so much",
    ],
)
def test_a_polite_question_is_neutral(text, monkeypatch, fresh_tone_caches):
    assert MODEL.classify(text).sentiment.label == "neutral", text
    monkeypatch.setattr(customer_phrases, "_COURTESY_RE", re.compile(r"(?!)"))
    sentiment.tone_features.cache_clear()
    assert SentimentModel.build().predict(text).tone != "neutral", text


def test_patient_staff_is_praise(monkeypatch, fresh_tone_caches):
    """VADER has "impatient" (-1.2) but not "patient": praise of staff went unread."""
    text = "the agent was patient with my mother"
    assert MODEL.classify(text).sentiment.label == "praise"
    monkeypatch.delitem(vader.analyzer().lexicon, "patient")
    assert SentimentModel.build().predict(text).tone != "praise"


def test_run_together_hashtags_are_read_as_their_words():
    assert split_hashtags("@acme #badcustomerservice again") == "@acme bad customer service again"
    assert split_hashtags("#NeverAgain #BestCrewEver") == "never again best crew ever"
    # A tag that is one word, or whose pieces are not all words, stays as it is.
    assert split_hashtags("#fail #xqzvbnm #avgeek") == "#fail #xqzvbnm #avgeek"
    assert split_hashtags("issue #4471 and C#") == "issue #4471 and C#"


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("order 4471 arrived today #badservice", "complaint"),
        ("checked in for flight 12 #notimpressed", "complaint"),
        ("the crew on flight 88 #bestcrewever", "praise"),
    ],
)
def test_a_hashtag_carries_its_words_tone(text, tone, monkeypatch, fresh_tone_caches):
    assert MODEL.classify(text).sentiment.label == tone, text
    monkeypatch.setattr(customer_phrases, "_HASHTAG_RE", re.compile(r"(?!)"))
    sentiment.tone_features.cache_clear()
    assert SentimentModel.build().predict(text).tone == "neutral", text
