"""Themes: remarks inside one process that say the same thing, found incrementally.

A remark's *theme vector* is its static word vector (wordvectors.py) beside a hashed
bag of its content-word stems, each block unit length and weighted. A theme is the
running sum of its members' vectors (the centroid, up to scale). A new remark joins
the theme whose centroid is most similar (cosine) when that similarity clears
``JOIN_BAR``; otherwise it seeds a new theme. Nothing is rebuilt: each remark costs
one vector and one product against its process's centroids, so a theme keeps its
identity for as long as remarks keep joining it.

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
# Block weights (word vector, stems) and the join bar: chosen on the bench's dev split
# (bench/theme_eval.py --dev), never on the split it reports.
EMBED_WEIGHT = 1.5
STEM_WEIGHT = 1.0
JOIN_BAR = 0.45
# Fewer content words than this: too little to say what a remark is about.
MIN_CONTENT_WORDS = 2
LABEL_WORDS = theme_labels.LABEL_WORDS


def content_stems(text: str) -> list[str]:
    return [stem(t) for t in routing_words(text)
            if t not in STOPWORDS and len(t) > 1 and not t.isdigit()]


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
    """One theme as the assigner sees it: its id and the sum of its members' vectors."""

    key: int
    total: np.ndarray

    def similarity(self, v: np.ndarray) -> float:
        n = float(np.sqrt(self.total @ self.total))
        return float(self.total @ v) / n if n > 0 else 0.0


def nearest(themes: Sequence[Theme], v: np.ndarray) -> tuple[int | None, float]:
    """Index of the theme most similar to ``v`` and its similarity (None without themes)."""
    if not themes:
        return None, 0.0
    m = np.stack([t.total for t in themes])
    norms = np.sqrt((m * m).sum(axis=1))
    sims = (m @ v) / np.where(norms > 0, norms, 1.0)
    i = int(np.argmax(sims))
    return i, float(sims[i])


def assign(themes: Sequence[Theme], v: np.ndarray, bar: float = JOIN_BAR) -> int | None:
    """Index of the theme ``v`` joins, or None: it seeds a new one."""
    i, sim = nearest(themes, v)
    return i if i is not None and sim >= bar else None


def group(texts: Sequence[str], bar: float = JOIN_BAR) -> list[int | None]:
    """Theme number of each text, filed one after another as the bot files them (None:
    too short to group). The bench's and ``earshot classify --themes``'s entry point."""
    themes: list[Theme] = []
    out: list[int | None] = []
    for text in texts:
        v = vector(text)
        if v is None:
            out.append(None)
            continue
        i = assign(themes, v, bar)
        if i is None:
            themes.append(Theme(len(themes), v.copy()))
            out.append(len(themes) - 1)
        else:
            themes[i].total += v
            out.append(i)
    return out


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
