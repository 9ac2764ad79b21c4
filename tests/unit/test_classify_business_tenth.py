"""Plain business English, tenth pass (issue 23): waiting told as a count or a status held for
days, a day promised and another kept, work the customer ended up doing, leaving told as not
ordering again, "I wouldn't call it fair", more money for the same, billed for more than
agreed, what used to be free, a price held flat, coming in under budget, and service told as
a plain event. Each named rule is shown to be what turns its example: with the rule switched
off (and the regression refit without it) the example is misread. None of the remarks is in
a training file, a dev set or a check set."""

import pytest

from bot.classify import WorkspaceModel
from bot.classify.business_tenth import TENTH, mark_billed_over
from bot.classify.lexicon import business_rules
from bot.classify.sentiment import lower_text
from tests.unit.tone_rules import each_rule_has_a_case, reads_by_rule, rule_turns

MODEL = WorkspaceModel.build([])

# (rule, remark, how a person reads it)
CASES = [
    ("waiting_counted", "we're in the third week of waiting for the new badge printer", "complaint"),
    ("not_the_day_promised", "the desk delivery confirmed for Tuesday arrived on Saturday", "complaint"),
    ("did_it_ourselves", "we ended up writing the migration script ourselves", "complaint"),
    ("not_ordering_again", "we won't be booking with you after the spring conference", "complaint"),
    ("wouldnt_call_it", "I wouldn't call the new booking screen intuitive", "complaint"),
    ("more_for_same", "this year's invoice is 20% up for the same number of users", "complaint"),
    ("billed_over", "they billed us for 30 licences when we only signed up for 18", "complaint"),
    ("used_to_be_better", "paper statements used to be free", "complaint"),
    ("price_held", "our hosting rate has stayed the same since 2022", "praise"),
    ("under_budget", "the fit-out came to a third less than we had budgeted", "praise"),
    ("did_it_for_us", "the letting agent handled all the repairs for us", "praise"),
    ("checked_it_went_well", "the installer phoned a week later to check everything was working", "praise"),
    ("pointed_out_saving", "the advisor moved us to a cheaper plan without being asked", "praise"),
]


def test_every_tenth_pass_rule_has_a_case():
    each_rule_has_a_case((name for name, _, _ in TENTH), CASES)


@pytest.mark.parametrize(("rule", "text", "label"), CASES)
def test_tenth_pass_remarks_are_read_as_a_person_would(rule, text, label):
    reads_by_rule(MODEL, rule, text, label)


@pytest.mark.parametrize(("rule", "text", "label"), CASES)
def test_each_tenth_pass_rule_is_what_turns_its_example(rule, text, label, monkeypatch, fresh_tone_caches):
    rule_turns(monkeypatch, rule, text, label)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("billed for 12 months when we signed up for 6", "billed for 12 months when we signed up for 6 zzbilledover"),
        # Not more: the same count, fewer, no count agreed.
        ("billed for 6 months when we signed up for 6", "billed for 6 months when we signed up for 6"),
        ("charged for 3 seats but we asked for 5", "charged for 3 seats but we asked for 5"),
        ("we were billed for 12 months in advance", "we were billed for 12 months in advance"),
    ],
)
def test_a_count_billed_over_the_count_agreed_is_marked(text, marked):
    assert mark_billed_over(text) == marked


# Plain remarks in the same words: the tenth pass's rules stay silent.
@pytest.mark.parametrize(
    "text",
    [
        "we've been your customer for eleven years",
        "the order has been processing normally",
        "the delivery promised for Monday came on Monday",
        "I set it up myself in ten minutes",
        "we won't be ordering this month because of the stocktake",
        "I wouldn't say no to a discount",
        "I can't say enough good things about the crew",
        "we get more storage for the same plan now",
        "it used to be slow and now it's instant",
        "delivery used to be free and still is",
        "the price is the same for every user",
        "prices rose again in April",
        "we spent twice what we budgeted",
        "can you handle the claim for us?",
        "I booked all the rooms for us myself",
        "I called to check the order had gone out",
        "we found a cheaper tariff elsewhere",
    ],
)
def test_tenth_pass_rules_are_silent_on_plain_remarks(text):
    fired = set(business_rules(lower_text(text))) & {name for name, _, _ in TENTH}
    assert not fired, (text, fired)


def test_a_price_held_for_years_is_not_a_charge_counted():
    """nth_in_period read "stayed flat for the third year running" as a charge come round again."""
    assert "nth_in_period" not in business_rules(lower_text("the fee stayed flat for the third year running"))
    assert "nth_in_period" in business_rules(lower_text("prices went up for the third year running"))
