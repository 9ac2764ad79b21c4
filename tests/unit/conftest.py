"""Fixtures the unit tests share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.classify import sentiment, suggestion

# The tone model's per-text features and fitted weights (lexicon, customer phrases, VADER),
# and the idea detector's (suggestion's cues and shifts). Neither reads what the other's
# rules are (bot/classify/suggestion.py imports none of the tone's modules, and the tone's
# features and weights call nothing of suggestion's; tests/unit/test_classify_caches.py),
# so a test that changes one side's rules need not refit the other (about a third, or two
# thirds, of a SentimentModel.build).
TONE_CACHES: tuple[Any, ...] = (sentiment.tone_features, sentiment._base_regression)
IDEA_CACHES: tuple[Any, ...] = (suggestion.features, suggestion._base_model)


def _emptied(caches: tuple[Callable[..., Any], ...]) -> Iterator[None]:
    def clear() -> None:
        for cache in caches:
            cache.cache_clear()  # type: ignore[attr-defined]

    clear()
    yield
    clear()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Clear the per-text and fitted-model caches before and after a test that changes
    the rules, so neither it nor any later test sees the other's features."""
    yield from _emptied(TONE_CACHES + IDEA_CACHES)


@pytest.fixture
def fresh_tone_caches() -> Iterator[None]:
    """`fresh_caches` for a test that changes only the tone's rules (lexicon's weights,
    customer phrases, VADER's lexicon): the idea detector's fit stays."""
    yield from _emptied(TONE_CACHES)


@pytest.fixture
def fresh_idea_caches() -> Iterator[None]:
    """`fresh_caches` for a test that changes only the idea detector's cues or shifts:
    the tone model's fit stays."""
    yield from _emptied(IDEA_CACHES)
