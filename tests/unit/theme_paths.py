"""The bot's way of filing into themes, for tests that compare it with ``themes.Grouper``."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from bot.classify import themes


def bot_path(vectors: Iterable[np.ndarray]) -> tuple[list[int], list[themes.Theme]]:
    """File ``vectors`` as the bot does (``assign``, then ``settle`` on the themes it holds):
    each remark's theme key once every merge is followed, and the themes left."""
    live: list[themes.Theme] = []
    into: dict[int, int] = {}
    keys, seeds = [], 0
    for v in vectors:
        i = themes.assign(live, v)
        if i is None:  # a new theme row: keys in order, as Grouper numbers them
            key, seeds = seeds, seeds + 1
            live.append(themes.Theme(key, v.copy(), 1))
        else:
            key = live[i].key
            live[i] = themes.Theme(key, live[i].total + v, live[i].count + 1)
        into.update((gone, kept) for kept, gone in themes.settle(live, key))
        keys.append(key)

    def final(k: int) -> int:
        while k in into:
            k = into[k]
        return k

    return [final(k) for k in keys], live
