""""Switching" is leaving only when it says so ("switching providers", "switching to a
competitor", "switching away"). Good news about a switch ("since switching", "switching to
you", "switching to the yearly plan") and neutral changes ("switching the newsletter to
Tuesdays") were read as complaints by the leaving rule before it was narrowed."""

import pytest

from bot.classify import WorkspaceModel, lexicon
from bot.classify.sentiment import lower_text

MODEL = WorkspaceModel.build([])


@pytest.mark.parametrize("text", [
    "switching to the yearly plan took a single click",
    "no failed syncs since switching the shops to your till app",
    "the board agreed switching to you was the right call",
    "we're switching the newsletter to Tuesdays",
])
def test_a_switch_that_is_not_leaving_has_no_leaving_weight(text):
    assert lexicon.phrase_scores(lower_text(text))[1] == 0.0


@pytest.mark.parametrize("text", [
    "they're switching to a competitor",
    "we are switching providers",
    "the bakery chain is switching suppliers in March",
    "the gym is switching away",
])
def test_leaving_said_with_switching_keeps_its_weight(text):
    assert lexicon.phrase_scores(lower_text(text))[1] >= 2.4


@pytest.mark.parametrize(("text", "label"), [
    # Complaints before the narrowing:
    ("switching to the yearly plan took a single click", "praise"),
    ("we're switching the newsletter to Tuesdays", "neutral"),
    # Complaints still:
    ("they're switching to a competitor", "complaint"),
    ("two of our members switched to Wix", "complaint"),
    ("we are switching providers", "complaint"),
    ("the bakery chain is switching suppliers in March", "complaint"),
])
def test_switching_is_read_as_a_person_would(text, label):
    assert MODEL.classify(text).sentiment.label == label
