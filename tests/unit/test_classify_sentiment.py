"""Sentiment on short business remarks, and learning from corrections."""

import pytest

from bot.classify import LabelledExample, WorkspaceModel
from bot.classify.sentiment import SUGGESTION_THRESHOLD, SentimentModel

MODEL = WorkspaceModel.build([])


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("they still can't find the export button", {"complaint"}),
        ("onboarding call was spot on", {"praise"}),
        ("can we get the invoice as PDF?", {"neutral"}),
        ("the sync keeps failing", {"complaint"}),
        ("it took forever to get a reply", {"complaint"}),
        ("no response from support since monday", {"complaint"}),
        ("they're blocked and talking about churn", {"complaint"}),
        ("the new setup flow is really smooth :tada:", {"praise"}),
        ("support was a lifesaver today", {"praise"}),
        ("the release doesn't work for them :rage:", {"complaint"}),
        ("no complaints from their team since the upgrade", {"praise"}),
        ("meeting moved to 3pm", {"neutral"}),
        # complaints without negative words, praise with them
        ("a customer said we had to call support three times to reset their login", {"complaint"}),
        ("we had to email billing four times about the same invoice", {"complaint"}),
        # ... which the general tone model, learnt from rated tweets, reads as neutral:
        # its share of the mix is kept small enough for these to stay complaints
        ("our invoice doesn't match the quote they signed", {"complaint"}),
        ("it's been a week and the account is still locked", {"complaint"}),
        ("no complaints at all, not a single issue", {"praise"}),
        ("they never had an issue with the export", {"praise"}),
    ],
)
def test_spec_examples(text, labels):
    result = MODEL.classify(text).sentiment
    assert result.label in labels, (text, result)
    if result.label == "complaint":
        assert result.score < 0
    if result.label == "praise":
        assert result.score > 0


def test_scores_are_bounded_and_ordered():
    praise = MODEL.classify("absolutely loved the onboarding, spot on").sentiment.score
    complaint = MODEL.classify("billing keeps failing and nobody replies").sentiment.score
    assert -1 <= complaint < 0 < praise <= 1


def test_correction_overrides_a_near_duplicate():
    text = "the quarterly report landed on friday as usual"
    examples = [LabelledExample(text, None, "complaint")]
    model = WorkspaceModel.build([], examples)
    assert model.classify("the quarterly report landed on friday, as usual").sentiment.label == (
        "complaint"
    )
    assert WorkspaceModel.build([]).classify(text).sentiment.label == "neutral"


def test_many_corrections_refit_the_workspace_model():
    phrase = "the widget is purple"
    examples = [LabelledExample(f"{phrase} {w}", None, "complaint")
                for w in "today again now still here there yesterday everywhere".split()]
    model = WorkspaceModel.build([], examples)
    assert model.classify(f"honestly {phrase} on the reports page").sentiment.label == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "it would help if the invoice came as a PDF too",
        "please add an option to export to Excel",
        "they'd love a way to bulk edit permissions",
        "why not show the delivery date on the confirmation",
    ],
)
def test_suggestions_are_ideas_with_a_confidence(text):
    result = MODEL.classify(text).sentiment
    assert result.label == "suggestion", (text, result)
    # the bar is the filing threshold (0.65): "why not show the delivery date..." sits at 0.70
    # since the eighth pass's rows (0.72 before), filed as an idea either way
    assert SUGGESTION_THRESHOLD <= result.score <= 1.0 and result.suggestion == result.score
    assert result.tone in {"praise", "complaint", "neutral"}


@pytest.mark.parametrize(
    "text",
    ["the export keeps crashing", "how do I add a user?", "support called back within an hour",
     "add", "idea?", ""],
)
def test_reports_and_questions_are_not_ideas(text):
    assert MODEL.classify(text).sentiment.label != "suggestion"


def test_ideas_are_learnt_from_corrections_both_ways():
    as_idea = "customers keep mentioning the invoice layout"
    not_idea = "it would be nice if the driver rang the bell, said the customer, angry"
    examples = [LabelledExample(as_idea, None, "suggestion"),
                LabelledExample(not_idea, None, "complaint")]
    assert MODEL.classify(as_idea).sentiment.label != "suggestion"
    learnt = WorkspaceModel.build([], examples)
    assert learnt.classify(as_idea + "!").sentiment.label == "suggestion"
    assert learnt.classify(not_idea).sentiment.label == "complaint"


@pytest.mark.parametrize(
    ("text", "tone"),
    [("the sync keeps failing", "complaint"), ("onboarding call was spot on", "praise"),
     ("meeting moved to 3pm", "neutral")],
)
def test_tone_probabilities_sum_to_one_and_pick_the_predicted_tone(text, tone):
    model = SentimentModel.build()
    probs = model.tone_probabilities(text)
    assert set(probs) == {"praise", "complaint", "neutral"}
    assert abs(sum(probs.values()) - 1.0) < 1e-6
    assert max(probs, key=probs.__getitem__) == model.predict(text).tone == tone


def test_the_faster_vader_scores_exactly_as_vader_does():
    import csv
    import random
    from pathlib import Path

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from bot.classify.lexicon import WORDS
    from bot.classify.vader import analyzer, vader_scores

    stock = SentimentIntensityAnalyzer()
    stock.lexicon.update(WORDS)
    data = Path(__file__).resolve().parents[2] / "bot/classify/data"
    texts = []
    for name in ("sentiment_train.csv", "suggestion_train.csv"):
        with (data / name).open(newline="", encoding="utf-8") as fh:
            texts += [r["text"] for r in csv.DictReader(fh)]
    # VADER's special cases: boosters, negations a few words back, "but", capitals,
    # "kind of", "least", idioms, punctuation, emoji.
    texts += ["it was NOT good but the support was VERY helpful!!", "kind of slow",
              "not the least bit useful", "at least it works", "never so happy",
              "without a doubt great", "the bomb, no doubt", "no problem at all",
              "it's sort of ok but kind of meh??", "GREAT", "great 😍 but 😡",
              "  padded  ", "", "no no no good", "hardly good", "i don't love it"]
    rng = random.Random(0)
    vocab = sorted({w for t in texts for w in t.split()})
    texts += [" ".join(rng.choices(vocab, k=rng.randint(1, 14))) for _ in range(3000)]
    ours = analyzer()
    for text in texts:
        expected = stock.polarity_scores(text)
        assert ours.polarity_scores(text) == expected, text
        # and the short cut for texts without a lexicon word
        assert vader_scores(text) == (expected["compound"], expected["pos"], expected["neg"]), text
