"""Ideas, twelfth pass (issue 23, item 2): "is anyone working on...", "any intention of...",
an offer timed to a feature ("the minute you support X we're moving..."), "what we're really
after is...", "the only thing holding us back...", votes, "is X something you might build?",
"badly needs", "keeps asking whether...", "has X been talked about?", a new behaviour asked
of the product, "it would save...", "why can't the X show...", "any views on...", "any steps
towards...", a tier offered for a feature; and, against, a teammate's login asked "too", a
service asked with "any intention of" or "what we need is", a document sent "a second time",
seats "added". Each named shift is shown to be what turns its example: with the shift at 0
the remark is misread. None of the remarks is in a training file, a dev set or a check set."""

import pytest

from bot.classify import WorkspaceModel
from bot.classify.idea_questions import QUESTION_SHIFTS
from tests.unit.idea_shifts import is_idea_without, shifts_fired

MODEL = WorkspaceModel.build([])

# (shift, remark, is an idea)
CASES = [
    ("anyone_working_on", "is anybody working on a bulk price change for the menu?", True),
    ("intention_of", "does the business intend to open up a Polish help site?", True),
    ("the_moment_you", "the day the portal does direct debits we'll sign for another year", True),
    ("really_after", "what our drivers are really after is a proper night mode", True),
    ("holding_back", "the only thing holding the partners back is the lack of a client portal",
     True),
    ("vote_for", "another vote for a holiday calendar on the rota", True),
    ("something_we_might", "is two-way Outlook sync something you might build?", True),
    ("badly_needs", "the expenses screen badly needs a receipt scanner", True),
    ("keeps_asking_if",
     "our head chef keeps asking whether the order screen could show allergens", True),
    ("been_discussed", "has a kiosk mode for the front desk been talked about?", True),
    ("product_learn", "can the booking page learn to hold a table for ten minutes?", True),
    ("itd_save", "it would save the warehouse a fortune to see stock by shelf", True),
    ("why_cant_show", "why can't the quote show our VAT number?", True),
    ("thoughts_on", "any views on including a parking permit field on the visitor form?", True),
    ("moves_towards", "are there any steps towards a cheaper rate for charities?", True),
    ("tier_for", "we'd move up to the enterprise plan for audit logs", True),
    ("teammate_access", "can you give the new driver on nights a log in too?", False),
    ("intention_service", "any intention of crediting us for the missed fortnight?", False),
    ("after_service", "what we really need is a refund for March", False),
    ("again_service", "could you email last month's bill to me a second time?", False),
    ("seats_added", "we'd like three more seats added from Monday", False),
]


def test_every_twelfth_pass_shift_has_a_case():
    assert {name for name, _, _ in QUESTION_SHIFTS} == {name for name, _, _ in CASES}


@pytest.mark.parametrize(("shift", "text", "idea"), CASES)
def test_each_twelfth_pass_shift_is_what_turns_its_example(shift, text, idea, monkeypatch,
                                                           fresh_idea_caches):
    assert (MODEL.classify(text).sentiment.label == "suggestion") == idea
    assert is_idea_without(monkeypatch, shift, text) != idea


# Look-alikes each shift must not fire on: a fault being worked on, a service asked with the
# same opening, an offer timed to a service, one's own goal, a repair needed, a person asked,
# a complaint "why can't I", a price asked about, a request that is a new feature.
@pytest.mark.parametrize(("shift", "text"), [
    ("anyone_working_on", "is anyone working on my ticket from Monday?"),
    ("anyone_working_on", "is anybody on your side looking at the card reader problem we raised?"),
    ("intention_of", "any intention of replying to our complaint?"),
    ("the_moment_you", "the minute the engineer turns up we'll give you a ring"),
    ("the_moment_you", "as soon as you post the revised quote we'll put pen to paper"),
    ("the_moment_you", "the day the app works again we'll stop chasing you"),
    ("really_after", "what we're after is a refund for the broken week"),
    ("really_after", "what I want is to understand why the export failed"),
    ("holding_back", "the last piece we're waiting for is the signed lease"),
    ("vote_for", "+1 to what Dana said about the invoices"),
    ("something_we_might", "is a refund something we can expect this month?"),
    ("badly_needs", "the till badly needs a repair"),
    ("keeps_asking_if", "the bank keeps asking if we could send the statements"),
    ("been_discussed", "has my complaint been discussed yet?"),
    ("product_learn", "could the engineer ask for me at reception?"),
    ("itd_save", "it would save us a lot of stress if someone called us back"),
    ("why_cant_show", "why can't the app let me log in this morning?"),
    ("thoughts_on", "any thoughts on the price rise?"),
    ("moves_towards", "any progress on my refund?"),
    ("tier_for", "we'd move to the annual plan for a discount"),
    ("teammate_access", "could you give each client their own login to the portal?"),
    ("teammate_access", "can you add a setting to our plan for weekend hours?"),
    ("intention_service", "any plans to add call recording?"),
    ("after_service", "what we need is a calendar that syncs with Outlook"),
    ("again_service", "could you email the invoice as a PDF too?"),
    ("seats_added", "we need the ability to have users added automatically from Azure"),
])
def test_the_twelfth_pass_leaves_look_alikes_alone(shift, text):
    assert shift not in shifts_fired(text)


@pytest.mark.parametrize("text", [
    "is anyone working on my ticket from Monday?",
    "any intention of replying to our complaint?",
    "the minute the engineer turns up we'll give you a ring",
    "what we're after is a refund for the broken week",
    "could you set Nadia up with an account too?",
    "can you add Rhys from payroll to our workspace?",
    "the till badly needs a repair",
])
def test_the_look_alikes_are_not_ideas(text):
    assert MODEL.classify(text).sentiment.label != "suggestion"
