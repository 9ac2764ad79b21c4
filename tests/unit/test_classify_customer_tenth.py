"""Customer remarks, tenth pass (issue 23, item 5; customer_tenth.py): complaints told as
what the company should do, asks for a human, a delay that keeps growing, a customer who
is done, the phone line as the trouble, "what a joke", demands asked as "how about ...?",
what is owed asked as where it is, "some water would be nice", and praise words around the
trouble. Each rule fires on its example, the model reads it as a complaint, and with the
rule weighted 0 it does not; look-alikes leave the rules alone."""

import pytest

from bot.classify import WorkspaceModel
from bot.classify.customer_phrases import CUSTOMER, drop_handles
from bot.classify.customer_tenth import TENTH
from bot.classify.lexicon import customer_rules
from bot.classify.sentiment import lower_text
from tests.unit.tone_rules import read_without

MODEL = WorkspaceModel.build([])

# (rule, remark); every one a complaint, written for this test: none in a training file or a
# public set.
CASES = [
    ("you_need_to", "you really need a new website"),
    ("you_need_to", "get it together, people"),
    ("you_need_to", "you need to learn how to treat customers"),
    ("you_need_to", "please do something about the wifi on your trains"),
    ("you_need_to", "y'all need more staff at the front desk"),
    ("ask_for_human", "need to speak to an actual person please"),
    ("ask_for_human", "I would like a manager to speak to"),
    ("delay_growing", "it keeps getting delayed"),
    ("done_with_you", "learned my lesson with this courier"),
    ("phone_trouble", "your number is always busy"),
    ("what_a_joke", "what a joke"),
    ("what_a_joke", "that's a joke, right?"),
    ("how_about_demand", "how about answering the phone?"),
    ("how_about_demand", "how about an update on my order?"),
    ("where_is_owed", "where's my refund?"),
    ("where_is_owed", "where is the reply you promised"),
    ("would_be_nice", "some water would be nice"),
    ("praise_for_trouble", "nice job leaving my bag in Denver"),
    ("praise_for_trouble", "thanks for the upgrade that never came"),
    ("praise_for_trouble", "must be nice to take weekends off"),
]

# Rules the refit models no longer need for their examples ("delayed" already reads as a
# complaint): still tested as firing and read right, not as what turns the example. The tone
# eleventh pass's refit reads "learned my lesson with this courier" without done_with_you.
LEARNT = frozenset({"delay_growing", "done_with_you"})

# What each rule must leave alone: the same words in a plain ask, a thank-you or a wish.
LOOK_ALIKES = [
    "do you need my booking number?",
    "what do you need from me?",
    "you need to bring your passport to the desk",
    "real people answered the phone within a minute",
    "done, thanks",
    "tell me a joke",
    "the pilot told a joke before take-off",
    "how about the 5pm flight instead?",
    "how about we meet on Friday?",
    "where is the baggage claim for international arrivals?",
    "it would be nice if the app had a dark mode",
    "great job fixing it so fast",
    "love being able to pick my seat",
    "thanks for the room, it was lovely",
    "the agent hung up the poster in the lobby",
    "our flight was delayed by ten minutes",
]


def test_the_tenth_rules_are_customer_rules():
    assert set(TENTH) <= set(CUSTOMER)
    assert {rule for rule, _ in CASES} == {name for name, _, _ in TENTH}


@pytest.mark.parametrize(("rule", "text"), CASES)
def test_each_tenth_rule_reads_its_example_as_a_complaint(rule, text):
    assert rule in customer_rules(lower_text(drop_handles(text)))
    result = MODEL.classify(text).sentiment
    assert result.tone == "complaint", (text, result)


@pytest.mark.parametrize(("rule", "text"), [c for c in CASES if c[0] not in LEARNT])
def test_each_tenth_rule_is_what_turns_its_example(rule, text, monkeypatch, fresh_tone_caches):
    without = read_without(monkeypatch, "CUSTOMER", [rule], text)
    assert without.tone != "complaint", (text, without)


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_do_not_fire_the_tenth_rules(text):
    names = {name for name, _, _ in TENTH}
    assert not names & set(customer_rules(lower_text(text))), text
