"""The general tone model: its shipped weights, its data, and what it changes."""

import sys
from collections.abc import Iterator

import numpy as np
import pytest

from bot.classify import broad_tone, general_tone, general_tone_fit
from bot.classify.sentiment import SentimentModel, tone_features

PROBES = [
    "Watching the match at the pub tonight with the whole family",
    "The new season starts on Saturday and the second game is on Monday.",
    "Loved the new dashboard, so much faster",
    "a customer said we had to call support three times to reset their login",
    "",
]


@pytest.fixture
def cold_classifier() -> Iterator[None]:
    """Every per-text and loaded-model cache of bot.classify emptied, before and after: a
    refit must read what a fresh process would, whatever ran earlier in this worker (once,
    in a full run, a refit here came out 0.05 logits off a shipped model it equals alone)."""

    def clear() -> None:
        for name, module in list(sys.modules.items()):
            if name.startswith("bot.classify"):
                for value in list(vars(module).values()):
                    if callable(getattr(value, "cache_clear", None)):
                        value.cache_clear()

    clear()
    yield
    clear()


def test_shipped_weights_are_a_refit_of_the_shipped_data(cold_classifier):
    refit = general_tone_fit.fit_shipped_data()
    shipped = general_tone.shipped()
    assert shipped.coef.shape == refit.coef.shape == (9 + 256, 3)
    for text in PROBES:
        dense = tone_features(text)[0]
        # Both fits are solved to the optimum (general_tone_fit.LR_TOL), so they agree to about
        # 0.002 whatever the scikit-learn or BLAS release; another data set moves them far more.
        np.testing.assert_allclose(shipped.logits(dense, text), refit.logits(dense, text), rtol=2e-2, atol=2e-2)


def test_shipped_broad_weights_are_a_refit_of_their_data(cold_classifier):
    # About 45 s: 54k texts, solved to the optimum. The data is in the repository (GoEmotions' training split,
    # Apache-2.0, bench/data/public/goemotions/), so this runs wherever the tests do; it
    # touches no database, so only the first of CI's two passes runs it (tests/conftest.py).
    refit = general_tone_fit.fit_broad_data()
    shipped = broad_tone.shipped()
    assert shipped.coef.shape == refit.coef.shape == (9 + 256, 3)
    assert set(shipped.token_w) == set(refit.token_w)
    for text in PROBES:
        dense, toks = tone_features(text)
        np.testing.assert_allclose(shipped.logits(dense, text, toks), refit.logits(dense, text, toks),
                                   rtol=2e-2, atol=2e-2)


def test_goemotions_rows_keep_single_group_rows_only():
    rows = general_tone_fit.goemotions_rows()
    assert len(rows) > 30000
    assert {label for _, label in rows} == {"praise", "complaint", "neutral"}


def test_rated_rows_read_every_snippet_with_the_rating_bands():
    rows = general_tone.rated_rows()
    assert len(rows) == 4200 + 3708
    assert {label for _, label in rows} == {"praise", "complaint", "neutral"}
    assert all(text and "&amp;" not in text for text, _ in rows)
    parsed = general_tone.read_rated("1\t0.5\tnice\n2\t-0.5\tbad\n3\t0.4\tmeh\nbroken line\n")
    assert parsed == [("nice", "praise"), ("bad", "complaint"), ("meh", "neutral")]


@pytest.mark.parametrize("text", PROBES[:2])
def test_plain_statements_outside_business_register_are_not_read_as_complaints(text):
    # Our training remarks alone gave these 0.40 and 0.37 complaint (function words
    # learnt as complaint cues); the rated snippets pull that down.
    probs = SentimentModel.build().tone_probabilities(text)
    assert max(probs, key=probs.get) == "neutral"
    assert probs["complaint"] < 0.25


def test_without_the_general_model_the_mix_is_the_business_regression(monkeypatch):
    text = PROBES[0]
    mixed = SentimentModel.build().tone_probabilities(text)
    monkeypatch.setattr(general_tone, "GENERAL_WEIGHT", 0.0)
    alone = SentimentModel.build().tone_probabilities(text)
    # 0.29 against 0.15 before issue 23's second-pass rows, 0.25 against 0.17 after them,
    # 0.22 against 0.16 after the fourth; 0.165 against 0.141 after the fifth pass's rows,
    # which taught the regression alone to read this plain statement less as a complaint;
    # 0.171 against 0.152 after the sixth pass's rules and rows; 0.166 against 0.153 after
    # the ninth's.
    assert alone["complaint"] > mixed["complaint"] + 0.01
    assert sum(alone.values()) == pytest.approx(1.0)
