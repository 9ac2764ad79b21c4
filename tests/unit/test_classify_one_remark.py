"""The one-remark path (what the bot runs per remark) gives the batch path's answers without
going through it: WorkspaceModel.classify, Router.route_one and language.detect skip the
batch's lists and dicts (a speed pass, docs/classifier.md), so they must not drift from
classify_many / route_many / detect_many."""

import pytest

from bot.classify import LabelledExample, ProcessSpec, WorkspaceModel, language
from bot.classify.model import WorkspaceModel as Model
from bot.classify.text import normalise
from bot.domain.processes.process_file import load_starter_processes

TEXTS = [
    "we charged them twice on the last invoice",
    "the courier lost the package again, third time this month",
    "Can you add SSO with Okta?",
    "<@U123> the :tada: export is great &amp; fast <https://x.com|link> 👍",
    "Je n'arrive pas à me connecter depuis la mise à jour, c'est très pénible",
    "Die Rechnung ist schon wieder falsch, bitte korrigieren Sie das",
    "",
    "   ",
    "ok",
    "thanks!",
    "kickoff call and account setup went well",
    "zzz qqq xxv",
]


def _model(examples: bool) -> WorkspaceModel:
    specs = [ProcessSpec(d.name, d.name, d.description, d.keywords)
             for d in load_starter_processes()]
    filed = [LabelledExample("the invoice total was wrong", "Billing", "complaint"),
             LabelledExample("parcel arrived broken", "Delivery", "complaint"),
             LabelledExample("support answered in minutes", "Support", "praise")]
    return WorkspaceModel.build(specs, filed if examples else [])


@pytest.mark.parametrize("examples", [False, True])
def test_classify_gives_classify_many_answers_without_calling_it(monkeypatch, examples):
    model = _model(examples)
    # One at a time: a batch of several scores an empty remark's LR layer through the
    # matrix path, which gives its intercepts' softmax rather than zeros.
    want = [model.classify_many([t])[0] for t in TEXTS]

    def batch(self, texts):
        raise AssertionError("one remark went through the batch path")

    monkeypatch.setattr(Model, "classify_many", batch)
    got = [model.classify(t) for t in TEXTS]
    assert got == want
    assert {c.language for c in got} >= {"en", "fr", "de"}


def test_route_one_is_route_many_of_one():
    model = _model(True)
    router = model._router
    for t in TEXTS:
        assert router.route_one(t, 0.5) == router.route_many([t], 0.5)[0]
    empty = WorkspaceModel.build([])._router
    assert empty.route_one("the invoice is wrong", 0.5) == empty.route_many(["x"], 0.5)[0]


def test_detect_is_detect_many_of_one_without_calling_it(monkeypatch):
    want = language.detect_many(TEXTS)

    def batch(texts):
        raise AssertionError("one remark went through the batch path")

    monkeypatch.setattr(language, "detect_many", batch)
    assert [language.detect(t) for t in TEXTS] == want


def test_normalise_collapses_every_kind_of_whitespace():
    # str.split's whitespace is the regex \s it replaced: Unicode's, not only ASCII's.
    assert normalise("  a\u00a0\u2003b\n\t c\u3000 \x1c d  ") == "a b c d"
