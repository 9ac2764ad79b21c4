"""The theme bench's diagnosis of a cell it loses (bench/theme_eval.py): is a theme mixing
intents (purity) or is an intent split over too many themes (merged by majority)?"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

_PATH = Path(__file__).resolve().parents[2] / "bench" / "theme_eval.py"


def _bench():
    if "theme_eval" not in sys.modules:
        spec = importlib.util.spec_from_file_location("theme_eval", _PATH)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["theme_eval"] = module
        spec.loader.exec_module(module)
    return sys.modules["theme_eval"]


TRUTH = ["post"] * 4 + ["query"] * 4


def test_split_but_pure_themes_are_pure_and_merge_back_to_the_intents():
    bench = _bench()
    split = [0, 0, 1, 2, 3, 3, 4, 5]  # each intent over three themes, none mixing
    assert bench.purity(TRUTH, split) == 1.0
    assert bench.by_majority(TRUTH, split) == TRUTH
    assert adjusted_rand_score(TRUTH, split) < 0.5  # what ARI makes of the split


def test_mixed_themes_are_impure_and_merging_them_cannot_recover_the_intents():
    bench = _bench()
    mixed = [0, 1, 0, 1, 0, 1, 0, 1]  # two themes, each half post, half query
    assert bench.purity(TRUTH, mixed) == 0.5
    assert adjusted_rand_score(TRUTH, bench.by_majority(TRUTH, mixed)) <= 0.0
    one_off = [0, 0, 0, 1, 1, 1, 1, 1]  # one post in the query theme
    assert bench.purity(TRUTH, one_off) == 7 / 8
    assert bench.by_majority(TRUTH, one_off) == ["post"] * 3 + ["query"] * 5
