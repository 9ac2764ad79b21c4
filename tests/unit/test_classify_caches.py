"""What lets a rule test refit one side of the sentiment model and keep the other's fit
(tests/unit/conftest.py, `fresh_tone_caches` and `fresh_idea_caches`): the idea detector
reads none of the tone's modules, and the tone's features and weights call nothing of the
idea detector's. Should either change, those fixtures would keep a stale fit: this fails first."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from bot.classify import sentiment, suggestion

# What the tone rule tests change: lexicon's weights and rules, customer phrases, VADER's lexicon.
TONE_MODULES = {"bot.classify.lexicon", "bot.classify.customer_phrases", "bot.classify.vader",
                "bot.classify.sentiment"}


def _classify_imports(module: str) -> set[str]:
    """``module`` and every bot.classify module it imports, directly or not."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = ast.parse(Path(importlib.import_module(name).__file__ or "").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                base = "bot.classify" + (f".{node.module}" if node.module else "")
                todo += [base] if node.module else [f"{base}.{a.name}" for a in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot.classify"):
                todo.append(node.module or "")
            elif isinstance(node, ast.Import):
                todo += [a.name for a in node.names if a.name.startswith("bot.classify")]
    return seen


def test_the_idea_detector_reads_none_of_the_tones_modules():
    assert _classify_imports(suggestion.__name__) & TONE_MODULES == set()
    assert "bot.classify.lexicon" in _classify_imports(sentiment.__name__)  # the walk finds imports


def test_the_tones_features_and_weights_call_nothing_of_the_idea_detectors():
    tree = ast.parse(Path(sentiment.__file__ or "").read_text(encoding="utf-8"))
    users = {top.name for top in tree.body
             if isinstance(top, ast.FunctionDef | ast.ClassDef)
             and any(isinstance(n, ast.Name) and n.id in {"SuggestionModel", "suggestion"}
                     for n in ast.walk(top))}
    assert users == {"SentimentModel"}
