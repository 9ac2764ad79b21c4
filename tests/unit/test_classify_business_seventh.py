"""Plain business English, seventh pass (issue 23): figures told without "from A to B",
amounts said against amounts had, volume moved elsewhere, time lost to chores, deadlines and
targets, thanks aimed at a business trouble, staff who stayed on. Each named rule is shown to
be what turns its example: with the rule switched off (and the regression refit without it)
the example is misread. None of the remarks is in a training file, a dev set or a check set."""

import pytest

from bot.classify import WorkspaceModel
from bot.classify.business_seventh import SEVENTH, mark_expected
from bot.classify.lexicon import business_rules
from bot.classify.sentiment import lower_text
from tests.unit.tone_rules import each_rule_has_a_case, reads_by_rule, rule_turns, turning

MODEL = WorkspaceModel.build([])

# (rule, remark, how a person reads it)
CASES = [
    ("bad_moved_up", "chargebacks are up 30% this quarter", "complaint"),
    ("bad_moved_down", "escalations fell sharply after the new rota", "praise"),
    ("good_moved_down", "repeat orders fell by a fifth", "complaint"),
    ("twice_what", "onboarding a new hire now takes twice as long", "complaint"),
    ("half_what", "the review now takes half the time", "praise"),
    ("over_expected", "the fit-out was estimated at 8k and we were billed 11k", "complaint"),
    ("under_expected", "the audit was planned for five days and finished in three", "praise"),
    ("volume_elsewhere", "we have switched two offices to a cheaper provider", "complaint"),
    ("time_lost", "Sam spends hours a week on the rota", "complaint"),
    ("after_deadline", "the statements land a week past the due date", "complaint"),
    ("within_target", "every order this month shipped inside the SLA", "praise"),
    ("gets_done", "with Dana on the account everything gets sorted", "praise"),
    ("praised_trouble", "cheers for changing our plan without asking", "complaint"),
    ("stayed_on", "Jo stayed late to get our export finished", "praise"),
    ("you_rock", "you guys rock, seriously", "praise"),
]


def test_every_seventh_pass_rule_has_a_case():
    each_rule_has_a_case((name for name, _, _ in SEVENTH), CASES)


@pytest.mark.parametrize(("rule", "text", "label"), CASES)
def test_seventh_pass_remarks_are_read_as_a_person_would(rule, text, label):
    reads_by_rule(MODEL, rule, text, label)


@pytest.mark.parametrize(("rule", "text", "label"), turning(CASES))
def test_each_seventh_pass_rule_is_what_turns_its_example(
    rule, text, label, monkeypatch, fresh_tone_caches
):
    rule_turns(monkeypatch, rule, text, label)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("quoted four days and it took eleven", "quoted four days and it took eleven zzover"),
        ("we expected to pay 5k and it came to 3.8k", "we expected to pay 5k and it came to 3.8k zzunder"),
        ("now takes two days instead of two hours", "now takes two days instead of two hours zzover"),
        ("we budgeted 5k and it came to 5k", "we budgeted 5k and it came to 5k"),
        ("quoted a day and it took a day", "quoted a day and it took a day"),
    ],
)
def test_an_amount_said_and_had_is_marked_with_the_way_it_went(text, marked):
    assert mark_expected(text) == marked


# Figures, plans, policies and thanks that are plain: the seventh pass's rules stay silent.
@pytest.mark.parametrize(
    "text",
    [
        "the invoice is due two days after month end",
        "we moved the finance team onto the annual plan",
        "we spent an hour on the call going through the roadmap",
        "the project has to come in within budget",
        "thanks for the update on the price change",
        "we used to spend an hour a day on reconciliations",
        "sales are usually down 20% in August",
        "the renewal went through on Monday",
        "the team worked late on Friday",
        "we had to stay late to finish the import",
        "thanks for billing us correctly this time",
        "our volumes are up 10% in December every year",
    ],
)
def test_seventh_pass_rules_are_silent_on_plain_remarks(text):
    fired = set(business_rules(lower_text(text))) & {name for name, _, _ in SEVENTH}
    assert not fired, (text, fired)
