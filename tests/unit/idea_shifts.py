"""Switching the idea detector's named shifts (suggestion.SHIFTS) off, to show each is what
turns its example (with the ``fresh_idea_caches`` fixture, so the refit detector reads with
the shifts as set here), and which shifts fire on a remark."""

from __future__ import annotations

import pytest

from bot.classify import suggestion
from bot.classify.sentiment import SentimentModel


def is_idea_without(monkeypatch: pytest.MonkeyPatch, shift: str, text: str) -> bool:
    """Whether the refit model reads ``text`` as an idea with ``shift`` weighted 0."""
    monkeypatch.setattr(suggestion, "SHIFTS", tuple(
        (name, p, 0.0 if name == shift else w) for name, p, w in suggestion.SHIFTS))
    suggestion.features.cache_clear()
    return SentimentModel.build().predict(text).label == "suggestion"


def shifts_fired(text: str) -> set[str]:
    """The names of the shifts whose patterns match ``text``."""
    names = [name for name, _, _ in suggestion.SHIFTS]
    return {names[i] for i in suggestion._SHIFT_RULES.matches(suggestion.lower_text(text))}
