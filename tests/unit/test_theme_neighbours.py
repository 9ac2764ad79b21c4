"""The shared-neighbours merge pass (bot.classify.theme_neighbours, run by themes.settle)."""

from __future__ import annotations

import numpy as np

from bot.classify import theme_gram, theme_neighbours, themes
from tests.unit.theme_paths import bot_path


def members(intents: int, per_intent: int, n: int = 4) -> tuple[list[np.ndarray], list[int]]:
    """A process of short commands: each intent said with ``per_intent`` different slots,
    ``n`` remarks a slot, filed interleaved. A remark is 0.55 alike to the others of its
    slot, 0.29 to those of its intent's other slots (under RAW_FLOOR: no pairwise merge)
    and 0.02 to the other intents' (HWU64's alarm, audio, calendar on a small scale)."""
    k = intents * per_intent
    dim = 1 + intents + k + k * n
    out, truth = [], []
    for m in range(n):
        for t in range(k):
            v = np.zeros(dim)
            v[0], v[1 + t // per_intent], v[1 + intents + t] = 0.2, 0.7, np.sqrt(0.47)
            v *= np.sqrt(0.55)
            v[1 + intents + k + t * n + m] = np.sqrt(0.45)  # what this remark says alone
            out.append(v.astype(np.float32))
            truth.append(t // per_intent)
    return out, truth


def filed(vectors: list[np.ndarray]) -> list[int]:
    g = themes.Grouper()
    return [g.final(k) for k in [g.file(v) for v in vectors]]


def mixed(truth: list[int], got: list[int]) -> int:
    return sum(len({t for t, g in zip(truth, got, strict=True) if g == k}) > 1 for k in set(got))


def test_an_intent_split_by_its_slots_is_merged_back_and_intents_stay_apart(monkeypatch):
    vectors, truth = members(2, 8)
    got = filed(vectors)
    # Merged while the process has MIN_THEMES themes or more, never two intents together.
    assert len(set(got)) == theme_neighbours.MIN_THEMES - 1 and mixed(truth, got) == 0
    monkeypatch.setattr(themes, "NEIGHBOURS", False)  # the pairwise bars alone: one per slot
    assert len(set(filed(vectors))) == 16


def test_a_broad_process_has_no_dominant_axis_and_is_left_to_the_pairwise_bars():
    # The same themes, grown: two intents of seven slots merge pairwise by intent; six
    # intents of three slots (no axis holds a quarter of how the themes differ) never.
    for intents, per_intent, merged in ((2, 7, True), (6, 3, False)):
        vectors, truth = members(intents, per_intent)
        k = intents * per_intent
        live = [themes.Theme(t, sum(vectors[t::k]), 4) for t in range(k)]
        done = themes.settle(live, 0)
        assert bool(done) is merged
        assert all(truth[kept] == truth[gone] for kept, gone in done)
        assert len(live) == k - len(done)


def test_the_bot_path_makes_the_same_themes_as_the_grouper():
    vectors, _ = members(2, 8)
    g = themes.Grouper()
    by_grouper = [g.file(v) for v in vectors]
    by_bot, live = bot_path(vectors)

    first: dict[int, int] = {}
    first_bot: dict[int, int] = {}
    a = [first.setdefault(g.final(k), len(first)) for k in by_grouper]
    b = [first_bot.setdefault(k, len(first_bot)) for k in by_bot]
    assert a == b and [t.count for t in g.themes] == [t.count for t in live]


def test_a_process_of_few_themes_is_left_to_the_pairwise_bars():
    vectors, _ = members(2, 3)
    live = [themes.Theme(t, sum(vectors[t::6]), 4) for t in range(6)]
    space = themes._Space(live)
    assert theme_neighbours.best_pair(space.dots, space.n, space.mc, space.cc, space.d) is None
    assert themes.settle(live, 0) == []


def test_profiles_correlate_on_the_other_themes_only():
    s = np.array(
        [
            [9.0, 0.5, 1.0, -1.0],
            [0.5, -9.0, 1.0, -1.0],
            [1.0, 1.0, 9.0, 0.0],
            [-1.0, -1.0, 0.0, 9.0],
        ]
    )
    corr = theme_neighbours.correlation(s, np.ones(4), np.arange(4))
    assert corr[0, 1] > 0.9 and np.allclose(corr, corr.T)  # 0 and 1 rank 2 and 3 alike
    t = s.copy()
    np.fill_diagonal(t, [-5.0, 3.0, 0.0, 1.0])  # a theme's own entry says nothing
    assert np.allclose(theme_neighbours.correlation(t, np.ones(4), np.arange(4)), corr)
    # Rows of some themes only (against every theme): the same correlations.
    assert np.allclose(theme_neighbours.correlation(s[[0, 1]], np.ones(4), np.array([0, 1])),
                       corr[:2, :2])


def test_the_groupers_kept_gram_matrix_stays_the_products_of_its_themes_sums(monkeypatch):
    # Grouper reads theme-to-theme products from a Gram matrix it updates as remarks join,
    # seed and merge (the speed pass of issue 23); it must stay m @ m.T, and past GRAM_MAX
    # themes it is dropped and the products are computed again, to the same themes.
    vecs, _ = members(2, 8)
    g = themes.Grouper()
    keys = []
    for v in vecs:
        keys.append(g.file(v))
        space = g._space
        if space is not None and not space.stale:
            assert space.gram is not None
            m = space.m.astype(np.float64)
            assert np.allclose(space.gram.g, m @ m.T, atol=1e-5)
    assert len(g.themes) < g._next  # the sequence merges, not only joins and seeds
    monkeypatch.setattr(theme_gram, "GRAM_MAX", 2)
    small = themes.Grouper()
    got = [small.file(v) for v in vecs]
    assert small._space is not None and small._space.gram is None
    assert [small.final(k) for k in got] == [g.final(k) for k in keys]
