"""Customer remarks to a service company (issue 23, item 5): complaints told as where the
customer is and for how long, thanks for the trouble, reproaches asked as questions, and
asks addressed by a plain-text handle. Each named rule is shown to be what turns its
example: with the rule's weight at zero the example is misread."""

import pytest

from bot.classify import WorkspaceModel
from bot.classify.lexicon import customer_rules, is_request
from bot.classify.sentiment import lower_text
from tests.unit.tone_rules import read_without

MODEL = WorkspaceModel.build([])

# (rule, remark); every one a complaint, none in a training file or a public set.
CUSTOMER_CASES = [
    ("thanks_for_trouble", "thanks for making us wait outside in the rain"),
    ("thanks_for_trouble", "thank you for cancelling my order without telling me"),
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
def test_each_customer_rule_is_what_turns_its_example(rule, text, monkeypatch, fresh_caches):
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
