"""Sparse TF-IDF features for routing: stemmed words, word pairs and character n-grams.

Hand-rolled rather than sklearn's vectorisers because the bot classifies one remark
at a time: a dict lookup per feature costs microseconds, while a vectoriser's
per-call overhead is a large part of a 0.5 ms budget. Word features carry meaning;
character n-grams of the unstemmed words catch typos and morphology the stemmer
misses ("verfication", "recieved"). Each block is L2-normalised on its own and then
weighted, so long documents' many n-grams cannot drown their words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

from .text import NEGATIONS, STOPWORDS, normalise, stem, words

# Block weights (word, word pair, char n-gram); tuned on the BANKING77 bench.
BLOCK_WEIGHTS = (1.0, 0.3, 1.5)
CHAR_NGRAMS = (2, 3, 4)


@lru_cache(maxsize=8192)
def raw_features(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Feature names and counts of one text (cached: process docs recur in every rebuild)."""
    stems: list[str] = []
    raws: list[str] = []
    for tok in words(normalise(text, emoji_cues=False)):
        if tok in NEGATIONS:
            stems.append("not")
            raws.append("not")
        elif tok in STOPWORDS or (len(tok) < 2 and not tok.isdigit()):
            continue
        else:
            stems.append(stem(tok))
            raws.append(tok)
    counts: Counter[str] = Counter()
    for s in stems:
        counts["w" + s] += 1
    for a, b in zip(stems, stems[1:], strict=False):
        counts["b" + a + " " + b] += 1
    for r in raws:
        padded = f" {r} "
        for n in CHAR_NGRAMS:
            for i in range(len(padded) - n + 1):
                counts["c" + padded[i : i + n]] += 1
    names = tuple(sorted(counts))
    return names, tuple(counts[n] for n in names)


_BLOCK_INDEX = {"w": 0, "b": 1, "c": 2}


class Featurizer:
    """Vocabulary + IDF fitted on one workspace's documents."""

    def __init__(self, vocab: dict[str, int], idf: np.ndarray, block: np.ndarray) -> None:
        self.vocab = vocab
        self.idf = idf
        self.block = block

    @property
    def size(self) -> int:
        return len(self.vocab)

    @classmethod
    def fit(cls, texts: Sequence[str]) -> Featurizer:
        """Build the vocabulary (sorted, so deterministic) and smoothed IDF."""
        df: Counter[str] = Counter()
        for t in texts:
            df.update(raw_features(t)[0])
        names = sorted(df)
        vocab = {n: i for i, n in enumerate(names)}
        n_docs = len(texts)
        idf = np.array([math.log((1 + n_docs) / (1 + df[n])) + 1.0 for n in names])
        block = np.array([_BLOCK_INDEX[n[0]] for n in names], dtype=np.int8)
        return cls(vocab, idf.astype(np.float64), block)

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Indices and L2-normalised values of one text's known features."""
        names, counts = raw_features(text)
        vocab = self.vocab
        ids = []
        tfs = []
        for n, c in zip(names, counts, strict=True):
            i = vocab.get(n)
            if i is not None:
                ids.append(i)
                tfs.append(c)
        if not ids:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64)
        idx = np.array(ids, dtype=np.int32)
        vals = (1.0 + np.log(np.array(tfs, dtype=np.float64))) * self.idf[idx]
        blk = self.block[idx]
        sq = np.bincount(blk, weights=vals * vals, minlength=3)
        scale = np.array(BLOCK_WEIGHTS) / np.sqrt(np.where(sq > 0, sq, 1.0))
        vals = vals * scale[blk]
        norm = float(np.sqrt(np.dot(vals, vals)))
        if norm > 0:
            vals = vals / norm
        return idx, vals.astype(np.float64)

    def matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Rows of normalised vectors for many texts."""
        indptr = [0]
        all_idx = []
        all_vals = []
        for t in texts:
            idx, vals = self.vector(t)
            all_idx.append(idx)
            all_vals.append(vals)
            indptr.append(indptr[-1] + len(idx))
        idx_cat = np.concatenate(all_idx) if all_idx else np.zeros(0, dtype=np.int32)
        val_cat = np.concatenate(all_vals) if all_vals else np.zeros(0, dtype=np.float64)
        return sparse.csr_matrix(
            (val_cat, idx_cat, np.array(indptr)), shape=(len(texts), self.size), dtype=np.float64
        )
