"""Ideas, tenth pass (issue 23, item 2): offers to move over for a capability, a product
"crying out for" something, the one thing missing, "is that doable?" after a request, another
provider's feature asked for, "you'll ever" (the ninth pass's `ever_will` read "youll" as no
subject), "any appetite for"; against, bug reports told as "should ... but". Each named shift
is shown to be what turns its example: with the shift at 0 the remark is misread. An offer to
pay is read as interest, not a money complaint. None of the remarks is in a training file, a
dev set or a check set.
"please" before a verb that builds ("please enhance the search...") was tuned on SemEval-2019
Task 9's training and trial splits."""

import pytest

from bot.classify import WorkspaceModel
from bot.classify.idea_offers import OFFER_SHIFTS
from tests.unit.idea_shifts import is_idea_without, shifts_fired
from tests.unit.tone_rules import read_without

MODEL = WorkspaceModel.build([])

# (shift, remark, is it an idea)
CASES = [
    ("switch_if", "if you had SSO we'd move the whole team over", True),
    ("switch_if", "we'd bring the Bristol office across if your portal handled timesheets", True),
    ("crying_out", "the stock page is crying out for a bulk edit", True),
    ("missing_piece", "the one thing missing for our drivers is a night mode", True),
    ("doable_tail", "can the rota print on one page per week? is that doable?", True),
    ("copy_them", "our previous booking system texted clients the day before - could yours do the same?", True),
    ("please_build", "please enhance the search so it finds partial postcodes", True),
    ("should_but", "the balance should be 120 but the statement shows 1200", False),
]
# The ninth pass's shifts, widened this pass: (shift, remark)
WIDENED = [
    ("ever_will", "do you think you'll ever support Okta?"),
    ("odds_of", "is there any appetite for a Welsh version of the parent app?"),
]


def test_every_tenth_pass_shift_has_a_case():
    assert {name for name, _, _ in OFFER_SHIFTS} == {name for name, _, _ in CASES}


@pytest.mark.parametrize(("shift", "text", "idea"), CASES)
def test_each_tenth_pass_shift_is_what_turns_its_example(shift, text, idea, monkeypatch,
                                                          fresh_idea_caches):
    assert (MODEL.classify(text).sentiment.label == "suggestion") == idea
    assert is_idea_without(monkeypatch, shift, text) != idea


@pytest.mark.parametrize(("shift", "text"), WIDENED)
def test_the_widened_ninth_pass_shifts_turn_their_examples(shift, text, monkeypatch, fresh_idea_caches):
    assert MODEL.classify(text).sentiment.label == "suggestion"
    assert not is_idea_without(monkeypatch, shift, text)


# Look-alikes the offers and idioms leave alone: threats to leave, a conditional about the
# past, a reply waited for, a service asked for with "is that doable?", a wish about a person.
@pytest.mark.parametrize("text", [
    "if it takes another week we'll move to a competitor",
    "if you had told us about the outage we'd have planned around it",
    "we'd switch to you if it wasn't so expensive",
    "we're desperate for a reply about the refund",
    "could you credit the account by Friday? is that doable?",
    "you'll ever get back to me, will you?",
    "please add me to the Leeds rota",
    "please let me know when the engineer is booked",
    "please remove the charge from last month",
])
def test_the_tenth_pass_leaves_threats_and_requests_alone(text):
    fired = shifts_fired(text)
    assert not fired & {"switch_if", "crying_out", "missing_piece", "copy_them", "ever_will",
                        "please_build"}
    assert MODEL.classify(text).sentiment.label != "suggestion"


def test_an_offer_to_pay_is_an_idea_whose_tone_is_not_a_complaint(monkeypatch, fresh_caches):
    # "we'd pay for a proper API" reads neutral without the rule too since the ninth tone
    # pass's rows; this offer still needs it.
    text = "we would pay good money for a Slack integration"
    result = MODEL.classify(text).sentiment
    assert result.label == "suggestion" and result.tone != "complaint", result
    assert read_without(monkeypatch, "BUSINESS", ["offer_to_pay"], text).tone == "complaint"
