"""Fixtures the unit tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.classify import sentiment, suggestion


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Clear the per-text and fitted-model caches before and after a test that changes
    the rules, so neither it nor any later test sees the other's features."""
    caches = (
        sentiment.tone_features,
        sentiment._base_regression,
        suggestion.features,
        suggestion._base_model,
    )

    def clear() -> None:
        for cache in caches:
            cache.cache_clear()

    clear()
    yield
    clear()
