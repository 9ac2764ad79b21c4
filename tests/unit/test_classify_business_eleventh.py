"""Plain business English, eleventh pass (issue 23): praise told as a figure, money and waiting
with no negative word, effort told as time spent, leaving told as a tender or a rival on trial,
and a renewal told with its term read as a fact. Each named rule is shown to be what turns its
example: with the rule switched off (and the regression refit without it) the example is
misread. None of the remarks is in a training file, a dev set or a check set."""

import pytest

from bot.classify import WorkspaceModel
from bot.classify.business_eleventh import ELEVENTH, mark_dates_apart, mark_instead, mark_to_from
from bot.classify.lexicon import business_rules
from bot.classify.sentiment import lower_text
from tests.unit.tone_rules import each_rule_has_a_case, reads_by_rule, rule_turns

MODEL = WorkspaceModel.build([])

# (rule, remark, how a person reads it)
CASES = [
    ("up_since_switching", "our order book is 30% up since we moved over to you", "praise"),
    ("bad_cut_by", "overtime fell by a third after the new rota", "praise"),
    ("good_rose_by", "footfall rose 12% in the first month of the campaign", "praise"),
    ("more_with_same", "we shipped twice as many orders in December with the same crew", "praise"),
    ("shaved_off", "the new templates shaved three hours off each proposal", "praise"),
    ("bad_at_low", "our wastage is at its lowest since we opened", "praise"),
    ("good_at_high", "footfall is at a record high this spring", "praise"),
    ("price_barely_moved", "the premium barely moved even with the new van on the policy", "praise"),
    ("ahead_of_plan", "the rewiring was done two days before the due date", "praise"),
    ("no_query_raised", "our auditors haven't raised a single query on your statements", "praise"),
    ("time_cut", "set-up for a new branch went from three weeks to two days", "praise"),
    ("double_what_paid", "the new tariff is twice what we were paying", "complaint"),
    ("extra_costs_more", "the installation came to more than the kit", "complaint"),
    ("each_change_billed", "any change to the rota becomes a new quote", "complaint"),
    ("now_more_instead", "our rent is now 2400 instead of 1900", "complaint"),
    ("rise_after_rise", "our plan jumped 10% last year and another 8% this year", "complaint"),
    ("still_shown_owing", "the March invoice still appears as unpaid", "complaint"),
    ("kept_us_waiting", "the bank held our transfer for three days", "complaint"),
    ("took_days_to_come", "the quote took fourteen days to come through", "complaint"),
    ("dates_apart", "we sent the form on the 2nd and it was processed on the 16th", "complaint"),
    ("spent_the_day_chasing", "I spent the whole morning on the phone about one invoice", "complaint"),
    ("out_to_tender", "we'll be going out to tender for the print work", "complaint"),
    ("rival_on_trial", "the team is demoing a rival platform next week", "complaint"),
    ("price_expected_more", "for the fee you charge we should get weekend cover", "complaint"),
    ("renewed_for_term", "we renewed with the window cleaners until 2029", "neutral"),
]


def test_every_eleventh_pass_rule_has_a_case():
    each_rule_has_a_case((name for name, _, _ in ELEVENTH), CASES)


@pytest.mark.parametrize(("rule", "text", "label"), CASES)
def test_eleventh_pass_remarks_are_read_as_a_person_would(rule, text, label):
    reads_by_rule(MODEL, rule, text, label)


@pytest.mark.parametrize(("rule", "text", "label"), CASES)
def test_each_eleventh_pass_rule_is_what_turns_its_example(rule, text, label, monkeypatch, fresh_tone_caches):
    rule_turns(monkeypatch, rule, text, label)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("churn fell to 4% from 9%", "churn fell to 4% from 9% zzdown"),
        ("wait times rose to 9 minutes from 2", "wait times rose to 9 minutes from 2 zzup"),
        ("from a week and a half to three days", "from a week and a half to three days zzdown"),
        # Not a count: the same on both sides, or people rather than numbers.
        ("moved to 3 from 3", "moved to 3 from 3"),
        ("sent to a customer from an agent", "sent to a customer from an agent"),
    ],
)
def test_a_count_told_to_then_from_is_marked(text, marked):
    assert mark_to_from(text) == marked


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("the bill is now 640 instead of 410", "the bill is now 640 instead of 410 zzinsteadup"),
        ("it now takes 3 hours instead of 6", "it now takes 3 hours instead of 6"),
        ("we now pay 40 a seat instead of 40", "we now pay 40 a seat instead of 40"),
        ("now a tablet instead of a laptop", "now a tablet instead of a laptop"),
    ],
)
def test_an_amount_now_instead_of_another_is_marked(text, marked):
    assert mark_instead(text) == marked


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("booked on the 6th and it landed on the 22nd", "booked on the 6th and it landed on the 22nd zzdatesapart"),
        # A few days apart, or the later day first, is not a wait told by dates.
        ("booked on the 6th and it landed on the 8th", "booked on the 6th and it landed on the 8th"),
        ("paid on the 20th and it cleared on the 2nd", "paid on the 20th and it cleared on the 2nd"),
        ("the van was booked on the 2nd and is due on the 12th", "the van was booked on the 2nd and is due on the 12th"),
    ],
)
def test_a_day_asked_and_a_day_had_apart_are_marked(text, marked):
    assert mark_dates_apart(text) == marked


# Plain remarks in the same words: the eleventh pass's rules stay silent.
@pytest.mark.parametrize(
    "text",
    [
        "prices are up 20% since switching",
        "sales are usually up 20% in December",
        "complaints are at their highest since the spring",
        "we got double the calls this week",
        "the agent took the charge off",
        "the fee barely covers the postage",
        "we need the kit a week before the launch",
        "we haven't received a single reply all week",
        "the warranty went from two years to one",
        "the new tariff is half what we were paying",
        "the delivery costs less than the goods",
        "each new starter needs a separate login",
        "we now have 40 users instead of 20",
        "prices rose 5% in spring",
        "the portal still shows our previous logo",
        "the agent kept us updated for two hours",
        "it took two days to arrive",
        "we spent the afternoon training the new starters",
        "we won the tender for the council contract",
        "we're evaluating a new CRM",
        "for the price of a coffee you get the whole year",
        "we renewed, but only for a single term",
        "can we renew for another twelve months?",
    ],
)
def test_eleventh_pass_rules_are_silent_on_plain_remarks(text):
    fired = set(business_rules(lower_text(text))) & {name for name, _, _ in ELEVENTH}
    assert not fired, (text, fired)


def test_renewing_as_usual_leaves_a_renewal_told_with_its_term_to_renewed_for_term():
    """The ninth pass's renewing_as_usual (+1.5) read "we renewed the support contract for two
    more years" as praise; a renewal told with its term is now renewed_for_term's (+0.6)."""
    for text in ("the practice has renewed its cleaning deal for a further three years", "they renewed until 2031",
                 "they renewed the scanner lease for another three years"):
        fired = business_rules(lower_text(text))
        assert "renewing_as_usual" not in fired and "renewed_for_term" in fired, (text, fired)
    assert "renewing_as_usual" in business_rules(lower_text("we're renewing at the usual rate"))
