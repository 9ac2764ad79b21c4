"""Sparse TF-IDF features for routing: stemmed words, word pairs and character n-grams.

Hand-rolled rather than sklearn's vectorisers because the bot classifies one remark
at a time: a dict lookup per feature costs microseconds, while a vectoriser's
per-call overhead is a large part of a 0.5 ms budget. Word features carry meaning;
character n-grams of the unstemmed words catch typos and morphology the stemmer
misses ("verfication", "recieved"). Each block is L2-normalised on its own and then
weighted, so long documents' many n-grams cannot drown their words. Two more
blocks come from the shipped thesaurus (thesaurus.py): a concept feature for every
word or phrase it knows ("reimburse" and "money back" both give ``trefund``), and
one feature per pair of concepts in the text ("top up" + "pending").
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

from . import wordvectors
from .text import NEGATIONS, STOPWORDS, routing_words, stem
from .thesaurus import CONCEPTS, PHRASE_CONCEPTS

# Block weights (word, word pair, char n-gram, thesaurus concept, concept pair). The
# last two were chosen on BANKING77 dev subsets the bench does not score (see
# docs/classifier.md); the first three predate them.
BLOCK_WEIGHTS = (1.0, 0.3, 1.5, 0.6, 1.0)
CHAR_NGRAMS = (2, 3, 4)


# A word's stem, its character n-gram features' hashes, word feature and thesaurus concepts.
TokenFeatures = tuple[str, array, str, tuple[str, ...]]


def _grams(tok: str) -> tuple[str, ...]:
    """A word's character n-gram feature names."""
    padded = f" {tok} "
    return tuple(
        "c" + padded[i : i + n] for n in CHAR_NGRAMS for i in range(len(padded) - n + 1)
    )


@lru_cache(maxsize=4096)
def _token_features(tok: str) -> TokenFeatures:
    """Everything a word adds on its own (cached: words recur across remarks).

    The n-grams are kept as their hashes (int64), which is all a remark's lookup reads
    (Featurizer._known_keys): as ~20 strings a word they were most of a full cache's
    memory (about 5 of 7 MB). A fit, which needs their names, makes them again (_grams).
    """
    st = stem(tok)
    return st, array("q", map(hash, _grams(tok))), "w" + st, CONCEPTS.get(st, ())


# Not cached per text: an entry would hold ~100 feature strings, a new remark is always
# a miss, and a cache that churns scatters long-lived strings over the heap (the memory
# bench fills every cache to its bound to show the worst case). A rebuild computes
# each exemplar's features once (Featurizer.fit_transform); words are cached above.
RawFeatures = tuple[tuple[str, ...], np.ndarray]


def _features(text: str, names: bool) -> tuple[list, list[str]]:
    """A text's character n-grams (their names, or their hashes) and its other feature
    names, each in first-seen order."""
    stems: list[str] = []
    grams: list = []
    word_feats: list[str] = []
    concepts: list[str] = []
    for tok in routing_words(text):
        if tok in NEGATIONS:
            tok = "not"  # every negation is the word "not"
        elif tok in STOPWORDS or (len(tok) < 2 and not tok.isdigit()):
            continue
        st, hashes, word, found = _token_features(tok)
        stems.append(st)
        grams.extend(_grams(tok) if names else hashes)
        word_feats.append(word)
        if found:
            concepts.extend(found)
    feats = word_feats
    for a, b in zip(stems, stems[1:], strict=False):
        feats.append("b" + a + " " + b)
        pair = PHRASE_CONCEPTS.get((a, b))
        if pair:
            concepts.extend(pair)
    if concepts:
        feats.extend(["t" + c for c in concepts])
        # Pairs of concepts: an intent is often an object and what went wrong with it
        # ("top up" + "pending" vs "top up" + "declined"), which single words can't say.
        uniq = sorted(set(concepts))
        feats.extend(
            ["u" + a + " " + b for i, a in enumerate(uniq) for b in uniq[i + 1 :]]
        )
    return grams, feats


def _counted(feats: list) -> tuple[Counter, np.ndarray]:
    counts = Counter(feats)
    tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    return counts, 1.0 + np.log(tf)


def raw_features(text: str) -> RawFeatures:
    """Feature names and sublinear term frequencies (1 + log count) of one text.

    Names come in first-seen order, which is deterministic; the vocabulary is sorted
    separately when a model is fitted.
    """
    grams, others = _features(text, names=True)
    counts, tf = _counted(grams + others)
    return tuple(counts), tf


def raw_hashes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """raw_features with each name's hash in its place: what a lookup reads."""
    grams, others = _features(text, names=False)
    grams.extend(map(hash, others))
    counts, tf = _counted(grams)
    return np.fromiter(counts, dtype=np.int64, count=len(counts)), tf


_BLOCK_INDEX = {"w": 0, "b": 1, "c": 2, "t": 3, "u": 4}


class Featurizer:
    """Vocabulary + IDF fitted on one workspace's documents.

    With ``embed_weight`` > 0 each vector also has a dense part: the text's static word
    vector (wordvectors.py), weighted like one more block. Sparse and dense parts are
    kept apart, because a 256-wide dense block inside a sparse matrix would make
    every sparse product slow; together they are one unit-length vector.
    """

    def __init__(
        self,
        names: Sequence[str],
        df: np.ndarray,
        n_docs: int,
        block: np.ndarray,
        embed_weight: float,
    ) -> None:
        # The vocabulary as a sorted array of the names' hashes (and each one's column)
        # rather than a dict: about a tenth of the memory, which adds up over 50
        # workspaces, and one vectorised lookup per remark. Columns stay in name order,
        # so a model is the same in every process; hashes are only the index.
        hashes = np.fromiter(map(hash, names), dtype=np.int64, count=len(names))
        order = np.argsort(hashes, kind="stable")
        self._hashes = hashes[order]
        self._cols = order.astype(np.int32)
        if len(names) > 1 and (np.diff(self._hashes) == 0).any():
            # Two names with one 64-bit hash: vanishingly rare, but then look names up
            # exactly.
            self._exact: dict[str, int] | None = {n: i for i, n in enumerate(names)}
        else:
            self._exact = None
        self._size = len(names)
        # Smoothed IDF. A feature's depends only on how many documents have it, so it is
        # kept as that count (the smallest unsigned type that holds it) and one float64
        # per count: a tenth of the memory of one float64 per feature, the same values.
        self._df = df.astype(np.min_scalar_type(n_docs))
        self._idf_by_df = np.array(
            [math.log((1 + n_docs) / (1 + d)) + 1.0 for d in range(n_docs + 1)]
        )
        self.block = block
        self.embed_weight = embed_weight
        self.dense_size = wordvectors.DIM if embed_weight > 0 else 0

    @property
    def idf(self) -> np.ndarray:
        """Each feature's smoothed IDF, ``log((1 + n) / (1 + df)) + 1``."""
        return self._idf_by_df[self._df]

    @property
    def size(self) -> int:
        """Width of the sparse part."""
        return self._size

    def columns(self, names: Sequence[str]) -> np.ndarray:
        """Each name's column, or -1 for names outside the vocabulary."""
        if self._exact is not None:
            get = self._exact.get
            return np.fromiter([get(n, -1) for n in names], dtype=np.int32, count=len(names))
        if not self._size:
            return np.full(len(names), -1, dtype=np.int32)
        h = np.fromiter(map(hash, names), dtype=np.int64, count=len(names))
        pos = np.searchsorted(self._hashes, h)
        pos[pos == self._size] = 0
        return np.where(self._hashes[pos] == h, self._cols[pos], -1).astype(np.int32)

    def _known(self, names: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
        """The columns of the names in the vocabulary, and which names those are
        (None: all of them); columns() in fewer numpy calls, for one remark."""
        if self._exact is not None or not self._size:
            idx = self.columns(names)
            known = idx >= 0
            return (idx, None) if known.all() else (idx[known], known)
        return self._known_keys(np.fromiter(map(hash, names), dtype=np.int64, count=len(names)))

    def _known_keys(self, h: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """_known for the names' hashes (no hash collision in the vocabulary, not empty)."""
        # The array's own methods and ufuncs, not numpy's Python wrappers around them
        # (np.searchsorted, ndarray.all): a few per cent of a remark.
        pos = self._hashes.searchsorted(h)
        np.minimum(pos, self._size - 1, out=pos)  # past the end: any row, it won't match
        hit = self._hashes[pos] == h
        if np.logical_and.reduce(hit):
            return self._cols[pos], None
        return self._cols[pos[hit]], hit

    @classmethod
    def fit(cls, texts: Sequence[str], embed_weight: float = 0.0) -> Featurizer:
        """Build the vocabulary (sorted, so deterministic) and smoothed IDF."""
        return cls._fit([raw_features(t) for t in texts], embed_weight)

    @classmethod
    def fit_transform(
        cls, texts: Sequence[str], embed_weight: float = 0.0
    ) -> tuple[Featurizer, sparse.csr_matrix, np.ndarray]:
        """fit(texts) and matrix(texts) with each text's features computed once."""
        raws = [raw_features(t) for t in texts]
        featurizer = cls._fit(raws, embed_weight)
        return featurizer, *featurizer.matrix(texts, raws)

    @classmethod
    def _fit(cls, raws: Sequence[RawFeatures], embed_weight: float) -> Featurizer:
        df: Counter[str] = Counter()
        for names, _ in raws:
            df.update(names)
        vocab = sorted(df)
        n_docs = len(raws)
        counts = np.fromiter((df[n] for n in vocab), dtype=np.int64, count=len(vocab))
        block = np.array([_BLOCK_INDEX[n[0]] for n in vocab], dtype=np.int8)
        return cls(vocab, counts, n_docs, block, embed_weight)

    def vector(
        self, text: str, raw: RawFeatures | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Indices and values of one text's known sparse features, and its dense part.

        The whole vector (both parts) has unit length. A text with no known sparse
        feature gets an empty vector, dense part included: when it shares not even a
        character n-gram with the workspace's texts, meaning alone is too weak a
        reason to file it.
        """
        if raw is not None or self._exact is not None or not self._size:
            vocab, tf = raw if raw is not None else raw_features(text)
            idx, known = self._known(vocab)
        else:
            keys, tf = raw_hashes(text)
            idx, known = self._known_keys(keys)
        if known is not None:
            tf = tf[known]
        if not len(idx):
            dense = np.zeros(self.dense_size, dtype=np.float32)
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64), dense
        vals = tf * self._idf_by_df[self._df[idx]]
        blk = self.block[idx]
        sq = np.bincount(blk, weights=vals * vals, minlength=len(BLOCK_WEIGHTS)).tolist()
        # Each block's weight over its norm, for five numbers in plain Python (the same
        # IEEE sqrt and division as numpy's; an empty block's norm is taken as 1).
        scale = np.array([w / math.sqrt(q) if q > 0 else w for w, q in zip(BLOCK_WEIGHTS, sq, strict=True)])
        vals = (vals * scale[blk]).astype(np.float32, copy=False)
        sq_norm = float(vals @ vals)
        if self.dense_size:
            dense = (self.embed_weight * wordvectors.embed(text)).astype(np.float32, copy=False)
            sq_norm += float(dense @ dense)
        else:
            dense = np.zeros(0, dtype=np.float32)
        norm = math.sqrt(sq_norm)
        if norm > 0:
            vals = vals / norm
            dense /= norm
        return idx, vals, dense

    def matrix(
        self, texts: Sequence[str], raws: Sequence[RawFeatures] | None = None
    ) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Rows of normalised vectors for many texts: sparse part, dense part."""
        indptr = [0]
        all_idx = []
        all_vals = []
        # float32: the dense rows are most of a workspace model's memory.
        dense = np.zeros((len(texts), self.dense_size), dtype=np.float32)
        for i, t in enumerate(texts):
            idx, vals, dense[i] = self.vector(t, raws[i] if raws is not None else None)
            all_idx.append(idx)
            all_vals.append(vals)
            indptr.append(indptr[-1] + len(idx))
        idx_cat = np.concatenate(all_idx) if all_idx else np.zeros(0, dtype=np.int32)
        val_cat = np.concatenate(all_vals) if all_vals else np.zeros(0, dtype=np.float64)
        x = sparse.csr_matrix(
            (val_cat, idx_cat, np.array(indptr)), shape=(len(texts), self.size), dtype=np.float64
        )
        return x, dense
