"""Process routing: which of a workspace's processes a remark is about.

Every process is represented by *exemplars*: its name, its description, each of its
keywords, and every remark people filed under it. A remark is scored against each
process by (a) cosine similarity to the weighted centroid of the exemplars and
(b) its best match among them. The centroid carries the k=0 case, where the
admin's words are the only signal; the best match lets one correction pull a
near-duplicate remark over. A constant "none of these" logit joins the softmax so
confidence falls when nothing matches, which is what the unfiled threshold reads.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

try:  # the kernel of a CSR matrix times a CSR matrix (scipy's private module; stable for years)
    from scipy.sparse._sparsetools import csr_matmat as _csr_matmat
except ImportError:  # pragma: no cover - another scipy: the public product, same sums
    def _csr_matmat(n_row, n_col, ap, aj, ax, bp, bj, bx, cp, cj, cx):
        a = sparse.csr_matrix((ax, aj, ap), shape=(n_row, len(bp) - 1))
        c = a @ sparse.csr_matrix((bx, bj, bp), shape=(len(bp) - 1, n_col))
        cp[:] = c.indptr
        cj[: c.nnz] = c.indices
        cx[: c.nnz] = c.data

from .features import Featurizer
from .text import STOPWORDS, routing_words
from .types import LabelledExample, ProcessSpec, Routing

# Exemplar weights in the centroid: the name is the admin's most deliberate word,
# examples are real remarks and so outweigh keyword phrases as they accumulate.
NAME_WEIGHT = 2.0
DESCRIPTION_WEIGHT = 1.0
KEYWORD_WEIGHT = 0.7
EXAMPLE_WEIGHT = 1.0
# Score = CENTROID_COEF * centroid similarity + MAX_COEF * best exemplar similarity.
CENTROID_COEF = 1.0
MAX_COEF = 1.0
# Softmax temperatures and the "none of these" logit, calibrated on dev subsets the
# bench does not score. The logit rises from NULL_SCORE to NULL_SCORE_FILED as filed
# remarks accumulate (the LR ramp below): remarks resemble one another more than they
# resemble an admin's description, so with examples an off-topic remark's best match
# is closer too, and the bar for "about one of these" must rise with it.
TEMPERATURE = 4.0
SCOPE_TEMPERATURE = 8.0
NULL_SCORE = 0.7
NULL_SCORE_FILED = 0.9
TOP_N = 3
MAX_CONFIDENCE = 0.999
# Logistic-regression layer, weighted in as examples accumulate (full weight at
# LR_RAMP examples per process).
LR_COEF = 2.0
LR_C = 10.0
LR_RAMP = 5.0
LR_MAX_ITER = 200
# Word-dropout augmentation for the LR layer: each filed remark also trains as copies
# with some of its content words removed (copy j drops every g-th content word from
# the j-th), at a low weight. With a few examples per process the LR otherwise leans
# on one or two words per remark; the copies make it spread weight over all of them.
# g = min(AUG_MAX_COPIES, AUG_ROW_BUDGET // examples), and no copies when g < 2, so a
# big workspace (whose LR needs no help) keeps its build time. Chosen on dev subsets.
AUG_WEIGHT = 0.3
AUG_MAX_COPIES = 8
AUG_ROW_BUDGET = 1600
# Weight of the static word-vector block (wordvectors.py) next to the TF-IDF blocks,
# whose own weights' squares sum to about 4-5. Chosen on dev subsets (1.5-3 within
# 0.3 points); the vector is in the similarity and in the LR layer alike.
EMBED_WEIGHT = 2.0
# Rows of the LR layer's training matrix written at a time (_side_by_side).
SIDE_BY_SIDE_ROWS = 256


@dataclass(frozen=True)
class _Exemplar:
    process: int
    text: str
    weight: float


class Router:
    """Routing model for one workspace, immutable once built."""

    def __init__(self, processes: Sequence[ProcessSpec], examples: Sequence[LabelledExample]):
        # Sort so the same inputs in any order give the same model.
        procs = sorted(processes, key=lambda p: p.key)
        self.keys: tuple[str, ...] = tuple(p.key for p in procs)
        index = {k: i for i, k in enumerate(self.keys)}
        exemplars: list[_Exemplar] = []
        for i, p in enumerate(procs):
            exemplars.append(_Exemplar(i, p.name, NAME_WEIGHT))
            if p.description.strip():
                exemplars.append(_Exemplar(i, p.description, DESCRIPTION_WEIGHT))
            for kw in p.keywords:
                if kw.strip():
                    exemplars.append(_Exemplar(i, kw, KEYWORD_WEIGHT))
        labelled = sorted(
            {(e.process_key, e.text) for e in examples if e.process_key in index and e.text}
        )
        for key, text in labelled:
            exemplars.append(_Exemplar(index[key], text, EXAMPLE_WEIGHT))
        exemplars.sort(key=lambda e: (e.process, e.text))
        self._n = len(self.keys)
        n_examples = len(labelled)
        ramp = min(1.0, n_examples / (LR_RAMP * self._n)) if self._n else 0.0
        self._null = NULL_SCORE + (NULL_SCORE_FILED - NULL_SCORE) * ramp
        if not exemplars:
            self._featurizer = Featurizer.fit([])
            self._rows = None
            return
        texts = [e.text for e in exemplars]
        # n_exemplars x F (sparse) and n_exemplars x D (dense word vectors)
        self._featurizer, x, x_dense = Featurizer.fit_transform(texts, EMBED_WEIGHT)
        group = np.array([e.process for e in exemplars])
        weights = np.array([e.weight for e in exemplars], dtype=np.float64)
        # Centroids: weighted sum of exemplar vectors per process, renormalised. A remark's
        # similarity to one is then the same weighted sum of its similarities to the
        # process's exemplars, times the centroid's inverse norm: kept as one weight per
        # exemplar (``_cent_weights``, summed per process with add.reduceat), so the
        # centroids are never stored. As stored rows they were a fifth of the sparse
        # product's values (their unions of n-grams) and 10-20 more dense rows.
        assign = sparse.csr_matrix(
            (weights, (group, np.arange(len(exemplars)))), shape=(self._n, len(exemplars))
        )
        cent = (assign @ x).tocsr()
        cent_dense = assign @ x_dense
        norms = np.sqrt(np.asarray(cent.multiply(cent).sum(axis=1)).ravel()
                        + (cent_dense * cent_dense).sum(axis=1))
        del cent, cent_dense
        inv = 1.0 / np.where(norms > 0, norms, 1.0)
        self._cent_weights = weights * inv[group]
        # The E x F exemplar matrix, kept transposed (F x E, CSR: each feature's exemplars),
        # and its dense twin E x D, so a remark is scored with a single product each.
        # Transposed, a remark's product walks only its own ~80 features' values, not all
        # of them (_score_one); its rows' columns are sorted, as _score_one needs.
        rows = x.astype(np.float32)
        rows.sort_indices()
        self._rows = rows.T.tocsr()
        del rows
        self._dense = np.ascontiguousarray(x_dense, dtype=np.float32)
        self._starts = np.searchsorted(group, np.arange(self._n))
        self._lr = None
        if n_examples and LR_COEF > 0:
            # A discriminative layer once people have filed remarks: it learns which
            # words separate *these* processes, which similarity alone cannot.
            sparse_parts, dense_parts, g_fit, w_fit = [x], [x_dense], group, weights
            copies = min(AUG_MAX_COPIES, AUG_ROW_BUDGET // n_examples)
            if AUG_WEIGHT > 0 and copies >= 2:
                aug_texts, aug_group = [], []
                for key, text in labelled:
                    for t in dropout_copies(text, copies):
                        aug_texts.append(t)
                        aug_group.append(index[key])
                if aug_texts:
                    aug_sparse, aug_dense = self._featurizer.matrix(aug_texts)
                    sparse_parts.append(aug_sparse)
                    dense_parts.append(aug_dense)
                    del aug_sparse, aug_dense  # the lists alone hold them, freed below
                    g_fit = np.concatenate([group, aug_group])
                    w_fit = np.concatenate([weights, np.full(len(aug_texts), AUG_WEIGHT)])
            left, right = sparse.vstack(sparse_parts, format="csr"), np.vstack(dense_parts)
            del sparse_parts, dense_parts
            x_fit = _side_by_side(left, right)
            del left, right
            coef, intercept = _fit_one_vs_rest(x_fit, g_fit, w_fit, self._n)
            del x_fit
            width = self._featurizer.size
            self._lr = (np.ascontiguousarray(coef[:, :width]),
                        np.ascontiguousarray(coef[:, width:]), intercept)
            self._lr_weight = LR_COEF * ramp

    def _scores(self, q: sparse.csr_matrix, q_dense: np.ndarray) -> np.ndarray:
        """Per-process scores for rows of query vectors (sparse and dense parts)."""
        assert self._rows is not None and self._dense is not None  # fitted
        ex = (q @ self._rows).toarray() + q_dense @ self._dense.T
        cent = np.add.reduceat(ex * self._cent_weights, self._starts, axis=1)
        best = np.maximum.reduceat(ex, self._starts, axis=1)
        sim = CENTROID_COEF * cent + MAX_COEF * best
        lr = np.zeros_like(sim)
        if self._lr is not None:
            coef, coef_dense, intercept = self._lr
            z = np.asarray(q @ coef.T) + q_dense @ coef_dense.T + intercept
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            lr = self._lr_weight * p / p.sum(axis=1, keepdims=True)
        return np.stack([sim, lr], axis=1)

    def score_texts(self, texts: Sequence[str]) -> np.ndarray:
        """Raw scores, shape (len(texts), 2, n_processes): similarity and weighted LR."""
        if self._rows is None or not texts:
            return np.zeros((len(texts), 2, self._n), dtype=np.float64)
        if len(texts) == 1:
            return np.array(self._score_one(texts[0]), dtype=np.float32)[None, :]
        return self._scores(*self._featurizer.matrix(texts))

    def _score_one(self, text: str) -> tuple[list[float], list[float]]:
        """The same maths as _scores for one remark, in plain numpy; the similarity
        and LR rows as lists (what _routing reads).

        scipy's per-call checks cost more than the arithmetic for a 20-feature remark,
        and the bot classifies remarks one at a time.
        """
        idx, vals, dense = self._featurizer.vector(text)
        if not len(idx):
            zeros = [0.0] * self._n
            return zeros, zeros
        cols = self._rows
        assert cols is not None and self._dense is not None  # fitted
        # The exemplars' similarities (E x F times the remark) as the remark's row times the
        # F x E transpose: scipy's sparse product kernel called straight, without its
        # checks and dispatch, walks only the remark's features' values (a tenth of them).
        # With the remark's features in column order each exemplar's sum adds the same
        # float32 products in the same order as the row-by-row product (whose other terms
        # are zeros), so the same bits; the kernel leaves out sums of exactly 0.
        n_ex = cols.shape[1]
        order = idx.argsort()
        ends = np.empty(2, dtype=cols.indptr.dtype)
        hit = np.empty(n_ex, dtype=cols.indices.dtype)
        sims = np.empty(n_ex, dtype=np.float32)
        _csr_matmat(1, n_ex, np.array((0, len(idx)), dtype=ends.dtype),
                    idx[order].astype(hit.dtype, copy=False), vals[order], cols.indptr,
                    cols.indices, cols.data, ends, hit, sims)
        ex = np.zeros(n_ex, dtype=np.float32)
        k = int(ends[1])
        ex[hit[:k]] = sims[:k]
        ex += self._dense @ dense
        cent = np.add.reduceat(ex * self._cent_weights, self._starts)
        best = np.maximum.reduceat(ex, self._starts)
        # A coefficient of 1 multiplies exactly: two numpy calls a remark left out.
        if CENTROID_COEF != 1.0:
            cent *= CENTROID_COEF
        if MAX_COEF != 1.0:
            best *= MAX_COEF
        sim = cent + best
        if self._lr is None:
            return sim.tolist(), [0.0] * self._n
        coef, coef_dense, intercept = self._lr
        z = coef[:, idx] @ vals + coef_dense @ dense + intercept
        p = np.exp(z - np.maximum.reduce(z))  # z.max() and p.sum()'s ufuncs, called straight
        return sim.tolist(), (self._lr_weight * p / np.add.reduce(p)).tolist()

    def route_one(self, text: str, threshold: float) -> Routing:
        """route_many([text], threshold)[0]."""
        if not self._n:
            return Routing(None, 0.0, ())
        if self._rows is not None:
            return self._routing(*self._score_one(text), threshold)
        return self.route_many([text], threshold)[0]

    def route_many(self, texts: Sequence[str], threshold: float) -> list[Routing]:
        if not self._n:
            return [Routing(None, 0.0, ()) for _ in texts]
        if len(texts) == 1 and self._rows is not None:
            return [self._routing(*self._score_one(texts[0]), threshold)]
        scores = self.score_texts(texts)
        return [self._routing(sim, lr, threshold) for sim, lr in scores.tolist()]

    def _routing(self, sim: list[float], lr: list[float], threshold: float) -> Routing:
        # Plain Python on purpose: for the 5-50 processes of a workspace, a dozen
        # numpy calls on tiny arrays cost more than the arithmetic itself.
        # P(about one of these processes) from similarity alone, against the "none of
        # these" score: the LR layer can only rank, it cannot say "none".
        exp = math.exp
        z = [SCOPE_TEMPERATURE * v for v in sim]
        top = max(max(z), SCOPE_TEMPERATURE * self._null)
        e = [exp(v - top) for v in z]
        e_null = exp(SCOPE_TEMPERATURE * self._null - top)
        in_scope = 1.0 - e_null / (sum(e) + e_null)
        z = [TEMPERATURE * (a + b) for a, b in zip(sim, lr, strict=True)]
        top = max(z)
        e = [exp(v - top) for v in z]
        scale = in_scope / sum(e)
        probs = [v * scale for v in e]
        order = sorted(range(self._n), key=probs.__getitem__, reverse=True)[:TOP_N]
        # Never claim certainty: a keyword match is strong evidence, not proof.
        candidates = tuple(
            (self.keys[i], round(min(probs[i], MAX_CONFIDENCE), 4)) for i in order
        )
        top_key, top_conf = candidates[0]
        if top_conf < threshold or not any(sim):
            return Routing(None, top_conf, candidates)
        return Routing(top_key, top_conf, candidates)


def _fit_one_vs_rest(
    x: sparse.csr_matrix, group: np.ndarray, weights: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """One binary logistic regression per process, solved in the dual (liblinear).

    With ~1,000 remarks and ~25,000 features the dual has far fewer variables than a
    multinomial L-BFGS fit, which keeps a 20-process x 50-example rebuild well under
    a second. Their scores are softmaxed together at prediction time.
    """
    coef = np.zeros((n, x.shape[1]), dtype=np.float32)  # float32: 50 workspaces add up
    intercept = np.full(n, -10.0, dtype=np.float32)  # a process with no examples: never
    for c in np.unique(group):
        y = (group == c).astype(int)
        if y.all():
            continue
        lr = LogisticRegression(C=LR_C, solver="liblinear", dual=True, tol=1e-3,
                                max_iter=LR_MAX_ITER)
        lr.fit(x, y, sample_weight=weights)
        coef[c] = lr.coef_[0]
        intercept[c] = lr.intercept_[0]
    return coef, intercept


def _side_by_side(left: sparse.csr_matrix, right: np.ndarray) -> sparse.csr_matrix:
    """[left | right] as one float64 CSR matrix, written straight into its arrays.

    This matrix is the peak of a rebuild's memory; scipy's hstack would first make
    the dense block a sparse matrix of its own and then copy both into the result.
    Written SIDE_BY_SIDE_ROWS rows at a time: the positions of a whole matrix's values
    at once (int64, 8 bytes a value) made a rebuild's peak about 5 MB higher.
    """
    n, width = left.shape
    d = right.shape[1]
    lengths = np.diff(left.indptr)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths + d, out=indptr[1:])
    data = np.empty(indptr[-1], dtype=np.float64)
    indices = np.empty(indptr[-1], dtype=np.int32)
    dense_cols = width + np.arange(d, dtype=np.int32)
    for r0 in range(0, n, SIDE_BY_SIDE_ROWS):
        r1 = min(n, r0 + SIDE_BY_SIDE_ROWS)
        s0, s1 = left.indptr[r0], left.indptr[r1]
        rows = np.repeat(np.arange(r0, r1), lengths[r0:r1])
        at = indptr[rows] + (np.arange(s0, s1) - left.indptr[rows])
        data[at] = left.data[s0:s1]
        indices[at] = left.indices[s0:s1]
        at = (indptr[r0:r1] + lengths[r0:r1])[:, None] + np.arange(d)
        data[at] = right[r0:r1]
        indices[at] = dense_cols
    return sparse.csr_matrix((data, indices, indptr), shape=(n, width + d))


def dropout_copies(text: str, copies: int) -> list[str]:
    """Copies of a remark with some content words dropped (copy j: every copies-th from j).

    With at least as many copies as content words, each copy drops exactly one word.
    A remark with fewer than two content words gives none: nothing would be left.
    """
    toks = routing_words(text)
    content = [i for i, t in enumerate(toks) if t not in STOPWORDS]
    if len(content) < 2:
        return []
    g = min(copies, len(content))
    out = []
    for j in range(g):
        drop = set(content[j::g])
        out.append(" ".join(t for i, t in enumerate(toks) if i not in drop))
    return out
