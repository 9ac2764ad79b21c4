"""Ideas, ninth pass (issue 23, item 2): idioms people use to ask for a product change that
the idea model's rows are too few to learn (idea_idioms.IDIOM_SHIFTS), and a person asked to
do a service, told as a wish or a question. Each named shift is shown to be what turns its
example: with the shift set to 0 the remark is misread. None of the remarks is in a training
file, a dev set or a check set."""

import pytest

from bot.classify import WorkspaceModel
from bot.classify.idea_idioms import IDIOM_SHIFTS
from tests.unit.idea_shifts import is_idea_without, shifts_fired

MODEL = WorkspaceModel.build([])

# (shift, remark, is it an idea)
CASES = [
    ("roadmap_idiom", "is a Dutch translation of the menus in the works?", True),
    ("odds_of", "what are the odds of a loyalty card in the till app?", True),
    ("ever_will", "will the planner ever take recurring jobs?", True),
    ("hoping_next", "hoping you'll add a holiday planner", True),
    ("dream_if", "imagine if invoices chased themselves", True),
    ("service_if_you", "it would be great if you could confirm the booking by tonight", False),
    ("chance_of_service", "any chance you could check the stock level at the Leeds shop?", False),
    ("others_would_love", "our receptionists would love a way to see who's checked in", True),
]


def test_every_ninth_pass_shift_has_a_case():
    assert {name for name, _, _ in IDIOM_SHIFTS} == {name for name, _, _ in CASES}


@pytest.mark.parametrize(("shift", "text", "idea"), CASES)
def test_each_ninth_pass_shift_is_what_turns_its_example(shift, text, idea, monkeypatch,
                                                          fresh_idea_caches):
    assert (MODEL.classify(text).sentiment.label == "suggestion") == idea
    assert is_idea_without(monkeypatch, shift, text) != idea


# Look-alikes the shifts leave alone: a complaint about a person with "ever", a wish about a
# delivery, a service asked for with "any chance of".
@pytest.mark.parametrize("text", [
    "will you ever answer my emails?",
    "hoping the engineer can come before lunch",
    "any chance of a callback this afternoon?",
    "imagine if you are on a call when the alert fires",
])
def test_the_idioms_leave_complaints_and_requests_alone(text):
    fired = shifts_fired(text)
    assert not fired & {"roadmap_idiom", "odds_of", "ever_will", "hoping_next", "dream_if"}
