"""Plain business English, eighth pass (issue 23): an amount agreed against the amount paid or
taken, told apart; trouble told as absent; figures that agreed exactly; replies and visits fast
told as a fact; items left waiting since a day named. Each named rule is shown to be what turns
its example: with the rule switched off (and the regression refit without it) the example is
misread. None of the remarks is in a training file, a dev set or a check set."""

import pytest

from bot.classify import WorkspaceModel
from bot.classify.business_eighth import EIGHTH, mark_compared
from bot.classify.lexicon import business_rules
from bot.classify.sentiment import lower_text
from tests.unit.tone_rules import each_rule_has_a_case, reads_by_rule, rule_turns

MODEL = WorkspaceModel.build([])

# (rule, remark, how a person reads it)
CASES = [
    ("paid_over_said", "our budget for the stand was 4000 and the total came to 5200", "complaint"),
    ("paid_under_said", "our budget for the catering was 2400 and the final bill was 2100", "praise"),
    ("trouble_absent", "not one of the forty shipments this month was late", "praise"),
    ("matched_exactly", "the stocktake matched the system to the last unit", "praise"),
    ("answered_fast", "the visa office replied in under an hour", "praise"),
    ("ask_for_better", "couldn't have hoped for a smoother switchover", "praise"),
    ("stuck_since", "the return has been sitting in your warehouse since the 9th", "complaint"),
]


def test_every_eighth_pass_rule_has_a_case():
    each_rule_has_a_case((name for name, _, _ in EIGHTH), CASES)


@pytest.mark.parametrize(("rule", "text", "label"), CASES)
def test_eighth_pass_remarks_are_read_as_a_person_would(rule, text, label):
    reads_by_rule(MODEL, rule, text, label)


@pytest.mark.parametrize(("rule", "text", "label"), CASES)
def test_each_eighth_pass_rule_is_what_turns_its_example(rule, text, label, monkeypatch, fresh_tone_caches):
    rule_turns(monkeypatch, rule, text, label)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("the survey was estimated at 420 and we were charged 610", "the survey was estimated at 420 and we were charged 610 zzpaidover"),
        ("our budget was 1200 and the bill came to 950", "our budget was 1200 and the bill came to 950 zzpaidunder"),
        ("she said two hours and it took five", "she said two hours and it took five zzpaidover"),
        ("the agency quoted €2,300 and invoiced €2,750", "the agency quoted €2,300 and invoiced €2,750 zzpaidover"),
        # Not an amount agreed and paid: counts, clock times, the same amount, no paid word.
        ("we were promised 40 pallets and got 25", "we were promised 40 pallets and got 25"),
        ("the courier promised 10 and took until 4", "the courier promised 10 and took until 4"),
        ("the plumber quoted 180 and billed 180", "the plumber quoted 180 and billed 180"),
        ("our quote lists 400 chairs and 60 tables", "our quote lists 400 chairs and 60 tables"),
    ],
)
def test_an_amount_agreed_and_paid_is_marked_with_the_way_it_went(text, marked):
    assert mark_compared(text) == marked


# Plain remarks and complaints in the same words: the eighth pass's rules stay silent.
@pytest.mark.parametrize(
    "text",
    [
        "not one reply since I complained",
        "never had a refund for the late delivery",
        "no one told us the delivery would be late",
        "the statement has never matched our ledger to the penny",
        "we need calls answered in under a minute",
        "the agent picked up in 45 minutes",
        "we've been on the annual plan since March",
        "we've been with you since 2019",
    ],
)
def test_eighth_pass_rules_are_silent_on_plain_remarks(text):
    fired = set(business_rules(lower_text(text))) & {name for name, _, _ in EIGHTH}
    assert not fired, (text, fired)
