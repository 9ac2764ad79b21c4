"""Plain business English, ninth pass (issue 23): a renewal in doubt, leaving told as a plan
with a date, closing the account, scare quotes around what was sold, a count delivered short,
help that wasn't much help, "worth every penny", trouble caught before it landed, surprise at
speed, customers who pass the company on, and something gone before it could be used. Each
named rule is shown to be what turns its example: with the rule switched off (and the
regression refit without it) the example is misread. None of the remarks is in a training
file, a dev set or a check set."""

import pytest

from bot.classify import WorkspaceModel
from bot.classify.business_ninth import NINTH, mark_short, mark_used_to
from bot.classify.lexicon import business_rules
from bot.classify.sentiment import lower_text
from tests.unit.tone_rules import each_rule_has_a_case, reads_by_rule, rule_turns

MODEL = WorkspaceModel.build([])

# (rule, remark, how a person reads it)
CASES = [
    ("renewal_in_doubt", "the renewal is up in the air at the moment", "complaint"),
    ("moving_elsewhere", "we're going to move our accounts to Monzo next year", "complaint"),
    ("closing_account", "we'd like to close our account at the end of the month", "complaint"),
    ("scare_quotes", "the \"complimentary\" breakfast was a cereal bar", "complaint"),
    ("short_delivered", "we booked 20 rooms and only 14 were ready", "complaint"),
    ("more_than_before", "the improved booking flow takes 6 minutes now, it used to take 2", "complaint"),
    ("less_than_before", "the stock count used to take two full days and now takes three hours", "praise"),
    ("not_much_help", "the chatbot wasn't much use for changing a delivery slot", "complaint"),
    ("worth_it", "the annual plan costs more but it's worth every penny", "praise"),
    ("caught_before", "your team caught the mistake on the payslips before they went out", "praise"),
    ("surprised_fast", "I wasn't expecting the paperwork to be this simple", "praise"),
    ("passed_on", "two other departments want licences too", "praise"),
    ("gone_before_use", "the offer closed before we could place the order", "complaint"),
]


# Two rules added at the merge of the ninth pass, for remarks the merged models misread (a
# dev row and an e2e test's remark): with the models refit they read right even with the
# rule weighted 0, so these show the rule fires and the reading, not that it turns it.
MERGE_CASES = [
    ("renewing_as_usual", "we're renewing at the same price", "neutral"),
    ("still_without", "invoices still come without the VAT number on them", "complaint"),
]


def test_every_ninth_pass_rule_has_a_case():
    each_rule_has_a_case((name for name, _, _ in NINTH), CASES + MERGE_CASES)


@pytest.mark.parametrize(("rule", "text", "label"), MERGE_CASES)
def test_merge_rules_fire_and_read_as_a_person_would(rule, text, label):
    reads_by_rule(MODEL, rule, text, label)


@pytest.mark.parametrize("text", ["it still runs without a hitch", "we're not renewing",
                                  "we're renewing but only for one year"])
def test_merge_rules_leave_look_alikes_alone(text):
    assert not {"renewing_as_usual", "still_without"} & set(business_rules(lower_text(text)))


@pytest.mark.parametrize(("rule", "text", "label"), CASES)
def test_ninth_pass_remarks_are_read_as_a_person_would(rule, text, label):
    reads_by_rule(MODEL, rule, text, label)


@pytest.mark.parametrize(("rule", "text", "label"), CASES)
def test_each_ninth_pass_rule_is_what_turns_its_example(rule, text, label, monkeypatch, fresh_tone_caches):
    rule_turns(monkeypatch, rule, text, label)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("we ordered 40 chairs and 32 came", "we ordered 40 chairs and 32 came zzshort"),
        ("booked twelve seats but only nine were there", "booked twelve seats but only nine were there zzshort"),
        # Not short: the same count, more than ordered, no count had.
        ("we ordered 12 and 12 arrived", "we ordered 12 and 12 arrived"),
        ("we ordered 10 boxes and 11 arrived", "we ordered 10 boxes and 11 arrived"),
        ("we ordered 40 cases on the 3rd", "we ordered 40 cases on the 3rd"),
    ],
)
def test_a_count_had_fewer_than_ordered_is_marked(text, marked):
    assert mark_short(text) == marked


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("it took 6 days, it used to take 2", "it took 6 days, it used to take 2 zzmorethanbefore"),
        ("we pay 400 a month, we used to pay 250", "we pay 400 a month, we used to pay 250 zzmorethanbefore"),
        ("closing used to take a week and now takes a day", "closing used to take a week and now takes a day zzlessthanbefore"),
        # Not an amount then and now: counts of things, the same amount, one amount.
        ("the team used to take 5 calls a day", "the team used to take 5 calls a day"),
        ("it used to take two days and now takes two days", "it used to take two days and now takes two days"),
        ("it used to take us 2 weeks to onboard a client", "it used to take us 2 weeks to onboard a client"),
    ],
)
def test_an_amount_now_against_what_it_used_to_be_is_marked(text, marked):
    assert mark_used_to(text) == marked


def test_single_quotes_around_a_word_are_kept_as_scare_quotes():
    assert lower_text("the 'express' lane") == 'the "express" lane'
    assert lower_text("we can't use the drivers' app") == "we cant use the drivers app"


# Plain remarks in the same words: the ninth pass's rules stay silent.
@pytest.mark.parametrize(
    "text",
    [
        "our renewal is due next month",
        "we're moving the sales team to the new building next month",
        "we're moving our team call to Thursdays from next week",
        "we're moving our team to the enterprise plan next quarter",
        "please close the account for our old Leeds branch",
        "is it worth the upgrade?",
        "it's not worth the money",
        "they blocked my card before I could pay",
        "the free delivery arrived on Tuesday",
        "no help needed on our side",
        "the renewal was under 2000 this year",
    ],
)
def test_ninth_pass_rules_are_silent_on_plain_remarks(text):
    fired = set(business_rules(lower_text(text))) & {name for name, _, _ in NINTH}
    assert not fired, (text, fired)


def test_a_review_is_not_a_lower_price():
    """costs_less read "under" in "the renewal is under review" as a price below another."""
    assert "costs_less" not in business_rules(lower_text("the renewal is under review"))
    assert "costs_less" in business_rules(lower_text("the renewal came in under last year's"))


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        # The ninth pass widened two eighth-pass rules: an item left at a place since a day,
        # and "slipped" as a trouble told as absent.
        ("stuck_since", "the pallet has been at the Leeds hub since Thursday"),
        ("trouble_absent", "not one delivery slipped in March"),
    ],
)
def test_widened_eighth_pass_rules_read_their_new_form(rule, text):
    assert rule in business_rules(lower_text(text))
