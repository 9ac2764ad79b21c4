"""A text that leaves the database leaves the classifier's caches too (docs/privacy.md)."""

from __future__ import annotations

from bot.classify import WorkspaceModel, label_text, rules, sentiment, suggestion, text
from bot.classify.forget import BY_TEXT, LAST_TEXT, forget_texts

REMARK = "Acme's invoice arrived twice and Priya had to call three times"


def test_forgetting_empties_every_cache_keyed_by_a_remarks_text():
    WorkspaceModel.build([]).classify(REMARK)
    label_text.text_cases(REMARK)
    cached = [sentiment.tone_features, suggestion.features, text.normalise, label_text.text_cases]
    assert all(f.cache_info().currsize for f in cached) and rules.holds_a_text()
    forget_texts()
    assert [f.cache_info().currsize for f in cached] == [0] * len(cached)
    assert not rules.holds_a_text()  # the phrase rules' last sliced text too


def test_every_named_cache_exists():
    import importlib

    for module, names in BY_TEXT.items():
        loaded = importlib.import_module(module)
        for name in names:
            assert callable(getattr(loaded, name).cache_clear), (module, name)

    for module, name in LAST_TEXT.items():
        assert callable(getattr(importlib.import_module(module), name)), (module, name)
