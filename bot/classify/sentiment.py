"""Sentiment of short business remarks: praise, complaint, neutral, or a suggestion.

A remark the suggestion detector (suggestion.py) is confident proposes a change is a
"suggestion", with the detector's probability as its score; any other remark gets its
tone from the regression below.

A small multinomial logistic regression over two kinds of features:
* lexicon features — VADER's scores with a business lexicon added, plus multi-word
  phrase rules and a question/request flag (lexicon.py). They generalise beyond the
  training sentences;
* stemmed words with negation marking ("not_work") — they learn the register.
It is trained at first use from the shipped bot/classify/data/sentiment_train.csv
(about 50 ms). Its logits are mixed with a general tone model's (general_tone.py),
learnt from people's ratings of tweets and review snippets, so text in another register
than our training remarks is not read through their words alone, and then with a broad
model that reads words learnt from 54k general posts (broad_tone.py). A workspace's own
corrections adjust its model twice over: a remark
nearly identical to a corrected one takes that label, and with enough corrections
the regression is refit with them weighted up.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from . import broad_tone, general_tone, wordvectors
from .customer_phrases import drop_courtesy, drop_handles, split_hashtags
from .features import Featurizer
from .lexicon import is_request, phrase_scores
from .suggestion import SuggestionModel
from .text import normalise, routing_words, stem, words
from .types import POLARITIES, SENTIMENTS, LabelledExample, SentimentResult
from .vader import vader_scores

# Corrections needed before a workspace gets its own refit, and their weight in it.
REFIT_MIN_EXAMPLES = 8
CORRECTION_WEIGHT = 3.0
# Similarity at which a corrected remark's label is copied to a new remark.
NEIGHBOUR_SIMILARITY = 0.8
LR_C = 2.0
# Words after a negation that get marked as negated ("doesnt work" -> "not_work").
NEGATION_SCOPE = 2
_NEGATORS = {
    "not",
    "no",
    "never",
    "cant",
    "cannot",
    "wont",
    "dont",
    "doesnt",
    "didnt",
    "isnt",
    "arent",
    "wasnt",
    "werent",
    "hasnt",
    "havent",
    "couldnt",
    "nobody",
    "nothing",
    "without",
}
_CLASSES = POLARITIES  # index order used by the regression
SUGGESTION = "suggestion"
# Suggestion probability from which a remark is filed as an idea (chosen on the
# suggestion-mining dev splits, forum F1 reweighted to 1 idea in 10 with the hotel
# reviews' trial split held level; see docs/classifier.md, "Ideas, third pass").
SUGGESTION_THRESHOLD = 0.65
# Taken off praise's logit: in remarks to a company thanks and politeness mostly wrap a
# request or a problem ("thanks for nothing", "love waiting on hold"), so praise needs a
# clearer lead. Chosen on dev parts only (the airline set's dev fifth, TweetEval's validation
# split, GoEmotions' dev split, our training remarks; docs/classifier.md).
PRAISE_OFFSET = 0.5


# A word or two in single quotes (the 'express' delivery): kept as double quotes, so the phrase
# rules can read scare quotes after the apostrophes are dropped.
_SINGLE_QUOTED = re.compile(r"(?<![\w'‘’])['‘’]([^\s'‘’][^'‘’\n]{0,25}?)['’](?!\w)")


def lower_text(text: str) -> str:
    """Lower-cased, apostrophes dropped, whitespace collapsed: what the phrase rules read."""
    if "'" in text or "‘" in text or "’" in text:  # (the pass finds nothing without a quote)
        text = _SINGLE_QUOTED.sub(r'"\1"', text)
    return " ".join(text.lower().replace("'", "").replace("’", "").split())


@lru_cache(maxsize=512)
def tone_features(text: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Dense lexicon features and bag-of-words tokens of one (raw Slack) text."""
    raw = normalise(text)
    norm = drop_handles(split_hashtags(raw))
    if not norm:
        return np.zeros(9, dtype=np.float32), ()
    low = lower_text(norm)
    req = 1.0 if is_request(low) else 0.0
    polite = drop_courtesy(norm, bool(req))
    if polite != norm:
        norm, low = polite, lower_text(polite)
        if not norm:
            return np.zeros(9, dtype=np.float32), ()
    compound, vpos, vneg = vader_scores(norm[:1000])
    ppos, pneg = phrase_scores(low)
    lexical = compound + 0.25 * (ppos - pneg)
    dense = np.array(
        [
            compound,
            vpos * 2,
            vneg * 2,
            min(ppos, 5.0) / 2,
            min(pneg, 5.0) / 2,
            req,
            req * lexical,
            float(np.tanh(lexical)),
            1.0,
        ],
        dtype=np.float32,
    )
    # Without emoji cues the words are routing's, already split (and cached).
    ws = routing_words(text) if norm == raw == normalise(text, emoji_cues=False) else words(norm)
    toks: list[str] = []
    scope = 0
    for w in ws[:200]:
        if w in _NEGATORS:
            toks.append("not")
            scope = NEGATION_SCOPE
            continue
        s = stem(w)
        if scope:
            toks.append("not_" + s)
            scope -= 1
        else:
            toks.append(s)
    return dense, tuple(sorted(set(toks)))


class _Regression:
    """Fitted weights: dense part + a dict from token to weight row (fast per remark)."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str], weights: Sequence[float]):
        feats = [tone_features(t) for t in texts]
        vocab = sorted({tok for _, toks in feats for tok in toks})
        index = {tok: i for i, tok in enumerate(vocab)}
        n_dense = feats[0][0].shape[0] if feats else 9
        rows, cols = [], []
        for r, (_, toks) in enumerate(feats):
            for tok in toks:
                rows.append(r)
                cols.append(index[tok])
        # Binary bag of words scaled down so the lexicon features lead on unseen words.
        bow = sparse.csr_matrix(
            (np.full(len(rows), 0.5, dtype=np.float32), (rows, cols)),
            shape=(len(feats), len(vocab)),
        )
        dense = np.vstack([d for d, _ in feats]) if feats else np.zeros((0, n_dense))
        x = sparse.hstack([sparse.csr_matrix(dense), bow]).tocsr()
        y = np.array([_CLASSES.index(lab) for lab in labels])
        lr = LogisticRegression(C=LR_C, max_iter=500)
        lr.fit(x, y, sample_weight=np.asarray(weights))
        coef = np.zeros((len(_CLASSES), x.shape[1]))
        coef[lr.classes_] = lr.coef_ if len(lr.classes_) > 2 else 0.0
        intercept = np.zeros(len(_CLASSES))
        intercept[lr.classes_] = lr.intercept_ if len(lr.classes_) > 2 else 0.0
        self.dense_w = coef[:, :n_dense].T.copy()
        assert len(_CLASSES) == 3  # probs() sums the three classes' weights by hand
        self.token_w: dict[str, tuple[float, ...]] = {
            tok: tuple((0.5 * coef[:, n_dense + i]).tolist()) for tok, i in index.items()
        }
        self.intercept = intercept
        self._dense_kept: tuple[tuple[float, float, float], np.ndarray, np.ndarray] | None = None

    def probs(self, text: str) -> np.ndarray:
        """Class probabilities, this regression's logits mixed with the general model's."""
        return np.array(self.class_probs(text))

    def class_probs(self, text: str) -> tuple[float, float, float]:
        """``probs`` as three Python floats (what ``SentimentModel.predict`` reads)."""
        dense, toks = tone_features(text)
        # Token weights summed as Python floats: numpy's per-call cost on a 3-vector is
        # most of the work.
        get = self.token_w.get
        broad_get = broad_tone.shipped().token_w.get
        z0 = z1 = z2 = b0 = b1 = b2 = 0.0
        for tok in toks:
            w = get(tok)
            if w is not None:
                z0 += w[0]
                z1 += w[1]
                z2 += w[2]
            w = broad_get(tok)
            if w is not None:
                b0 += w[0]
                b1 += w[1]
                b2 += w[2]
        # Mixing logits is mixing log-probabilities: softmax ignores each one's constant.
        # (1 - broad) [(1 - mix) z_business + mix z_general - praise offset] + broad z_broad,
        # with every dense product (this regression's, the general and broad models') done
        # as one (_dense_weights); the tokens' sums are added here.
        mix, broad = general_tone.GENERAL_WEIGHT, broad_tone.BROAD_WEIGHT
        coef, intercept = self._dense_weights(mix, broad, PRAISE_OFFSET)
        n = dense.shape[0]
        k = (1 - broad) * (1 - mix)
        z = (dense @ coef[:n] + wordvectors.embed(drop_handles(text)) @ coef[n:]
             + intercept).tolist()
        z0 = z[0] + k * z0 + broad * b0
        z1 = z[1] + k * z1 + broad * b1
        z2 = z[2] + k * z2 + broad * b2
        top = max(z0, z1, z2)
        e0, e1, e2 = math.exp(z0 - top), math.exp(z1 - top), math.exp(z2 - top)
        total = e0 + e1 + e2
        return e0 / total, e1 / total, e2 / total

    def _dense_weights(
        self, mix: float, broad: float, praise_offset: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """_mixed_dense with this regression's own dense weights and intercept folded in
        (its share, (1 - broad)(1 - mix)), kept for the last arguments: one product a
        remark instead of two, and no numpy call on the three logits. The folded sums
        differ from adding the two products in the last bits (docs/classifier.md)."""
        key = (mix, broad, praise_offset)
        kept = self._dense_kept
        if kept is None or kept[0] != key:
            coef, intercept = _mixed_dense(mix, broad, praise_offset)
            k = (1 - broad) * (1 - mix)
            n = self.dense_w.shape[0]
            coef = coef.copy()
            coef[:n] += k * self.dense_w
            kept = self._dense_kept = (key, coef, intercept + k * self.intercept)
        return kept[1], kept[2]


@lru_cache(maxsize=4)
def _mixed_dense(mix: float, broad: float, praise_offset: float) -> tuple[np.ndarray, np.ndarray]:
    """The general and broad models' dense weights and intercepts, each scaled by its share
    of the final logits, summed, with the praise offset folded into the intercept."""
    general, wide = general_tone.shipped(), broad_tone.shipped()
    coef = (1 - broad) * mix * general.coef + broad * wide.coef
    intercept = (1 - broad) * mix * general.intercept + broad * wide.intercept
    intercept = intercept - (1 - broad) * np.array((praise_offset, 0.0, 0.0))
    return coef, intercept


@lru_cache(maxsize=1)
def shipped_examples() -> tuple[tuple[str, str], ...]:
    path = resources.files("bot.classify").joinpath("data/sentiment_train.csv")
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    return tuple((r["text"], r["label"]) for r in rows)


@lru_cache(maxsize=1)
def _base_regression() -> _Regression:
    rows = shipped_examples()
    return _Regression([t for t, _ in rows], [lab for _, lab in rows], [1.0] * len(rows))


class SentimentModel:
    """A workspace's sentiment model: the shared base plus its own corrections."""

    def __init__(
        self,
        regression: _Regression,
        corrections: Sequence[tuple[str, str]],
        suggestions: SuggestionModel | None = None,
    ) -> None:
        self._regression = regression
        self._suggestions = suggestions or SuggestionModel.build()
        self._labels = [lab for _, lab in corrections]
        self._neighbours: tuple[Featurizer, sparse.csr_matrix] | None = None
        if corrections:
            texts = [t for t, _ in corrections]
            feat, matrix, _ = Featurizer.fit_transform(texts)
            self._neighbours = (feat, matrix.T.tocsr())

    @classmethod
    def build(cls, examples: Sequence[LabelledExample] = ()) -> SentimentModel:
        corrections = sorted(
            {(e.text, e.sentiment) for e in examples if e.sentiment in SENTIMENTS and e.text}
        )
        tones = [(t, lab) for t, lab in corrections if lab in POLARITIES]
        if len(tones) >= REFIT_MIN_EXAMPLES:
            base = shipped_examples()
            texts = [t for t, _ in base] + [t for t, _ in tones]
            labels = [lab for _, lab in base] + [lab for _, lab in tones]
            weights = [1.0] * len(base) + [CORRECTION_WEIGHT] * len(tones)
            regression = _Regression(texts, labels, weights)
        else:
            regression = _base_regression()
        # Every corrected remark teaches the idea detector: a suggestion or not one.
        suggestions = SuggestionModel.build(
            [(t, lab == SUGGESTION) for t, lab in corrections]
            if len(corrections) >= REFIT_MIN_EXAMPLES
            else ()
        )
        return cls(regression, corrections, suggestions)

    def predict(self, text: str) -> SentimentResult:
        if not normalise(text):
            return SentimentResult("neutral", 0.0)
        p0, p1, p2 = self._regression.class_probs(text)
        # np.argmax's answer (the first of equal maxima) without a numpy call
        tone = _CLASSES[0 if p0 >= p1 and p0 >= p2 else 1 if p1 >= p2 else 2]
        polarity = p0 - p1
        idea = self._suggestions.probability(text)
        if self._neighbours is not None:
            feat, matrix = self._neighbours
            q = feat.matrix([text])[0]
            if q.nnz:
                sims = np.asarray((q @ matrix).todense()).ravel()
                best = int(np.argmax(sims))
                if sims[best] >= NEIGHBOUR_SIMILARITY:
                    copied = self._labels[best]
                    if copied == SUGGESTION:
                        idea = 1.0
                    else:
                        tone, polarity, idea = copied, _score_for(copied, polarity), 0.0
        polarity = round(max(-1.0, min(1.0, polarity)), 4)
        idea = round(idea, 4)
        if idea >= SUGGESTION_THRESHOLD:
            return SentimentResult(SUGGESTION, idea, tone, idea, polarity)
        return SentimentResult(tone, polarity, tone, idea)

    def tone_probabilities(self, text: str) -> dict[str, float]:
        """The tone regression's probabilities alone (for the bench), before corrections."""
        return dict(zip(_CLASSES, map(float, self._regression.probs(text)), strict=True))

    def suggestion_probability(self, text: str) -> float:
        """The idea detector's probability alone (for the bench and the CLI)."""
        return self._suggestions.probability(text)

    def predict_many(self, texts: Sequence[str]) -> list[SentimentResult]:
        return [self.predict(t) for t in texts]


def _score_for(label: str, score: float) -> float:
    """Make a model score agree in sign with a label copied from a correction."""
    if label == "praise":
        return max(abs(score), 0.5)
    if label == "complaint":
        return -max(abs(score), 0.5)
    return 0.0
