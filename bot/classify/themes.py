"""Themes: remarks inside one process that say the same thing, found incrementally.

A remark's *theme vector* is its static word vector (wordvectors.py) beside a hashed
bag of its content-word stems, each block unit length and weighted. A theme keeps the sum
of its members' vectors and their count, which is all average-link clustering needs: the
mean cosine between a remark and a theme's members is ``sum . v / count``, and between two
themes' members ``sum_a . sum_b / (count_a * count_b)``. A new remark joins the theme its
members are on average closest to when that reaches ``JOIN_BAR``, else it seeds a new
theme; the theme it joined then merges with any theme whose members are now on average
``MERGE_BAR`` close to its own (the bigger keeps its id). Nothing is rebuilt: each remark
costs one vector and a few products against its process's sums, so a theme keeps its
identity for as long as it lives. Joining by mean cosine (not cosine to the centroid) and
merging are what let this online grouping beat k-means told the true number of groups
(bench/theme_eval.py): a theme seeded by an odd remark no longer splits an intent for good.

Names come from class-based TF-IDF over whole words (theme_labels.py): a word (or two-word
phrase) names a theme when it is frequent in the theme and rare in the process's other
themes; never a customer's name. Names are computed from the members' current text when
shown, so an expired or deleted remark stops naming anything.

The vectors are deterministic (a stable hash, not Python's salted ``hash``), so the
centroids a database keeps stay meaningful across processes and restarts.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import theme_labels, wordvectors
from .text import STOPWORDS, routing_words, stem

HASH_DIM = 512
DIM = wordvectors.DIM + HASH_DIM
# Block weights (word vector, stems) and the bars: chosen on the bench's dev split
# (bench/theme_eval.py --dev), never on the split it reports. Both bars are mean cosines
# between members (average link): a remark joins a theme whose members it is on average
# this close to; two themes whose members are on average this close become one.
EMBED_WEIGHT = 1.5
STEM_WEIGHT = 1.0
JOIN_BAR = 0.4
MERGE_BAR = 0.4
# Fewer content words than this: too little to say what a remark is about.
MIN_CONTENT_WORDS = 2
LABEL_WORDS = theme_labels.LABEL_WORDS


def content_stems(text: str) -> list[str]:
    return [
        stem(t)
        for t in routing_words(text)
        if t not in STOPWORDS and len(t) > 1 and not t.isdigit()
    ]


def _bucket(word: str) -> int:
    return zlib.crc32(word.encode()) % HASH_DIM


def vector(text: str) -> np.ndarray | None:
    """A remark's unit-length theme vector, or None when it says too little to group."""
    stems = content_stems(text)
    if len(stems) < MIN_CONTENT_WORDS:
        return None
    out = np.zeros(DIM, dtype=np.float32)
    counts = Counter(map(_bucket, stems))
    idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
    out[wordvectors.DIM + idx] = STEM_WEIGHT * tf / float(np.sqrt(tf @ tf))
    emb = wordvectors.embed(text)
    out[: wordvectors.DIM] = EMBED_WEIGHT * emb
    n = float(np.sqrt(out @ out))
    return out / n if n > 0 else None


@dataclass
class Theme:
    """One theme as the assigner sees it: its id, the sum of its members' vectors and how
    many members that sum holds."""

    key: int
    total: np.ndarray
    count: int = 1

    def similarity(self, v: np.ndarray) -> float:
        """Mean cosine between ``v`` and the members (unit vectors: total . v / count)."""
        return float(self.total @ v) / max(self.count, 1)


def nearest(themes: Sequence[Theme], v: np.ndarray) -> tuple[int | None, float]:
    """Index of the theme whose members are on average most similar to ``v``, and that
    mean similarity (None without themes)."""
    if not themes:
        return None, 0.0
    m = np.stack([t.total for t in themes])
    counts = np.fromiter((max(t.count, 1) for t in themes), dtype=np.float32, count=len(themes))
    sims = (m @ v) / counts
    i = int(np.argmax(sims))
    return i, float(sims[i])


def assign(themes: Sequence[Theme], v: np.ndarray, bar: float = JOIN_BAR) -> int | None:
    """Index of the theme ``v`` joins, or None: it seeds a new one."""
    i, sim = nearest(themes, v)
    return i if i is not None and sim >= bar else None


def merges(
    themes: list[Theme], i: int, bar: float = MERGE_BAR
) -> tuple[int, list[tuple[int, int]]]:
    """Theme ``i`` just grew: merge it with every theme whose members are now on average as
    close to its members as a remark must be to join (``bar``), one at a time, best first,
    as average-link clustering would. The bigger theme (the older on a tie) absorbs the
    other and keeps its key, so the themes people have seen keep their ids. Changes
    ``themes`` in place; returns the index of the theme now holding ``i``'s members and the
    (kept key, absorbed key) pairs, in order."""
    done: list[tuple[int, int]] = []
    while len(themes) > 1:
        grown = themes[i]
        others = [j for j in range(len(themes)) if j != i]
        m = np.stack([themes[j].total for j in others])
        counts = np.fromiter(
            (max(themes[j].count, 1) for j in others), dtype=np.float32, count=len(others)
        )
        sims = (m @ grown.total) / (counts * max(grown.count, 1))
        best = int(np.argmax(sims))
        if sims[best] < bar:
            break
        j = others[best]
        keep, gone = sorted((i, j), key=lambda x: (-themes[x].count, themes[x].key))
        themes[keep] = Theme(
            themes[keep].key,
            themes[keep].total + themes[gone].total,
            themes[keep].count + themes[gone].count,
        )
        done.append((themes[keep].key, themes[gone].key))
        del themes[gone]
        i = keep if keep < gone else keep - 1
    return i, done


RECENT = 20  # the newest themes ``settle`` checks against all the others


def settle(
    themes: list[Theme], key: int, bar: float = MERGE_BAR, recent: int = RECENT
) -> list[tuple[int, int]]:
    """After theme ``key`` grew (or was seeded): its merges (``merges``), then any merge the
    order of filing missed among the ``recent`` newest themes. Two remarks filed at the same
    moment by two workers each see the themes without the other and may both seed one;
    the next remark filed in that process merges them. One at a time, the closest pair
    first, the bigger keeping its key; filed one after another (the bench), the second
    step finds nothing. Changes ``themes`` in place; returns (kept key, absorbed key) pairs."""
    i = next(j for j, t in enumerate(themes) if t.key == key)
    _, done = merges(themes, i, bar)
    while len(themes) > 1:
        newest = sorted(range(len(themes)), key=lambda j: themes[j].key)[-recent:]
        m = np.stack([t.total for t in themes])
        counts = np.fromiter((max(t.count, 1) for t in themes), dtype=np.float32, count=len(themes))
        sims = (m[newest] @ m.T) / np.outer(counts[newest], counts)
        sims[np.arange(len(newest)), newest] = -np.inf
        a, b = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[a, b] < bar:
            break
        _, more = merges(themes, newest[a], bar)
        done += more
    return done


class Grouper:
    """Online grouping of one process's remarks, as the bot does it: each vector joins the
    theme its members are on average closest to (when that mean cosine reaches
    ``JOIN_BAR``) or seeds a new one, and a theme that grew merges with any theme now as
    close (``merges``). ``file`` returns the key of the theme holding the remark now; a
    merge may later fold that key into another (``final``)."""

    def __init__(self, bar: float = JOIN_BAR, merge_bar: float = MERGE_BAR) -> None:
        self.themes: list[Theme] = []
        self.bar, self.merge_bar = bar, merge_bar
        self._into: dict[int, int] = {}
        self._next = 0

    def file(self, v: np.ndarray) -> int:
        i = assign(self.themes, v, self.bar)
        if i is None:
            self.themes.append(Theme(self._next, v.copy(), 1))
            self._next += 1
            return self.themes[-1].key
        t = self.themes[i]
        self.themes[i] = Theme(t.key, t.total + v, t.count + 1)
        self._into.update((gone, keep) for keep, gone in settle(self.themes, t.key, self.merge_bar))
        return self.final(t.key)

    def final(self, key: int) -> int:
        while key in self._into:
            key = self._into[key]
        return key


def group(
    texts: Sequence[str], bar: float = JOIN_BAR, merge_bar: float = MERGE_BAR
) -> list[int | None]:
    """Theme number (0, 1, ... in order of first appearance) of each text, filed one after
    another as the bot files them, merges included (None: too short to group). The bench's
    and ``earshot classify --themes``'s entry point."""
    grouper = Grouper(bar, merge_bar)
    got = [None if (v := vector(text)) is None else grouper.file(v) for text in texts]
    number: dict[int, int] = {}
    return [None if g is None else number.setdefault(grouper.final(g), len(number)) for g in got]


def labels(members: Mapping[int, Iterable[str]], *, exclude: Iterable[str] = ()) -> dict[int, str]:
    """A name for each theme of one process from its members' texts: whole words, never a
    name in ``exclude`` (the workspace's customers) nor another proper name (theme_labels)."""
    return theme_labels.labels(members, exclude=exclude)


# A near-duplicate: the same remark again (forwarded and reacted to separately, a customer
# repeating themselves), closer than two remarks of one theme (JOIN_BAR). Chosen on the
# dev split of bench/duplicate_eval.py as the lowest bar with precision >= 0.99: a wrong
# suggestion costs a person's time.
DUPLICATE_BAR = 0.65


def most_similar(v: np.ndarray, texts: Sequence[str]) -> tuple[int | None, float]:
    """The text most similar to vector ``v`` and its similarity (None: no comparable text)."""
    best, best_sim = None, -1.0
    for i, text in enumerate(texts):
        w = vector(text)
        if w is None:
            continue
        sim = float(v @ w)
        if sim > best_sim:
            best, best_sim = i, sim
    return best, best_sim
