"""Refit the general and broad tone models (general_tone.py, broad_tone.py) from their data.

    python -m bot.classify.general_tone_fit

writes data/general_tone.json and data/broad_tone.json (the broad model reads GoEmotions'
training split from bench/data/public/goemotions/, so run it from a checkout). Kept apart from general_tone.py because fitting needs the
tone features of sentiment.py, which itself uses the fitted model at run time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from . import broad_tone
from .broad_tone import BroadTone
from .general_tone import CLASSES, WEIGHTS_FILE, GeneralTone, features, rated_rows
from .sentiment import shipped_examples, tone_features

LR_C = 0.3
# Our remarks' weight against a rated snippet's: complaints without a negative word
# ("the invoice doesn't match the quote") must stay complaints (bench/general_tone_dev.py).
# 15 for 523 remarks; 10 since issue 23's second pass brought them to 728 (about the same
# total weight; chosen on dev parts, docs/classifier.md).
BUSINESS_WEIGHT = 10.0
# Our remarks' weight in the broad model (bench/sentiment_general.py chose 5 on dev parts).
BROAD_BUSINESS_WEIGHT = 5.0
# Solved to the optimum (the problem is convex, so it is unique): with scikit-learn's default
# tolerance lbfgs stopped early, where it stopped moved from one scikit-learn or BLAS release
# to the next (0.25 logits on a probe), and a fresh install could no longer reproduce the
# shipped weights. At 1e-6 a refit is within 0.002 of one at 1e-8.
LR_TOL = 1e-6
LR_MAX_ITER = 20000
GOEMOTIONS_TRAIN = Path(__file__).resolve().parents[2] / "bench/data/public/goemotions/train.tsv"


def fit(rated: Iterable[tuple[str, str]], business: Iterable[tuple[str, str]],
        business_weight: float = BUSINESS_WEIGHT) -> GeneralTone:
    """Class-balanced logistic regression over ``features``; business rows weigh more."""
    rows = [(t, lab, 1.0) for t, lab in rated] + [(t, lab, business_weight) for t, lab in business]
    # float64: on the word vectors' float32 lbfgs cannot reach LR_TOL, and where it stopped
    # moved with the BLAS thread count (a refit 0.05 logits off under one thread).
    x = np.vstack([features(tone_features(t)[0], t) for t, _, _ in rows]).astype(np.float64)
    y = np.array([CLASSES.index(lab) for _, lab, _ in rows])
    lr = LogisticRegression(C=LR_C, max_iter=LR_MAX_ITER, tol=LR_TOL, class_weight="balanced")
    lr.fit(x, y, sample_weight=np.array([w for _, _, w in rows]))
    assert list(lr.classes_) == [0, 1, 2]
    return GeneralTone(lr.coef_.T.copy(), lr.intercept_.copy())


def fit_shipped_data() -> GeneralTone:
    return fit(rated_rows(), shipped_examples())


def goemotions_rows(path: Path = GOEMOTIONS_TRAIN) -> list[tuple[str, str]]:
    """GoEmotions in its authors' sentiment groups (1 negative, 2 neutral, 3 positive);
    rows in the ambiguous group (0) or in two groups are dropped."""
    names = {"1": "complaint", "2": "neutral", "3": "praise"}
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text, labels, _ = line.split("\t")
        groups = labels.split(",")
        found = {names[g] for g in groups if g in names}
        if len(found) == 1 and "0" not in groups:
            out.append((text, found.pop()))
    return out


def fit_broad(rows: Iterable[tuple[str, str, float]]) -> BroadTone:
    """Class-balanced LR over the general features plus the binary stems of MIN_DF+ texts."""
    rows = list(rows)
    feats = [tone_features(t) for t, _, _ in rows]
    df: dict[str, int] = {}
    for _, toks in feats:
        for tok in toks:
            df[tok] = df.get(tok, 0) + 1
    vocab = sorted(tok for tok, n in df.items() if n >= broad_tone.MIN_DF)
    index = {tok: i for i, tok in enumerate(vocab)}
    r_idx, c_idx = [], []
    for r, (_, toks) in enumerate(feats):
        for tok in toks:
            if tok in index:
                r_idx.append(r)
                c_idx.append(index[tok])
    bow = sparse.csr_matrix((np.full(len(r_idx), broad_tone.TOKEN_SCALE), (r_idx, c_idx)),
                            shape=(len(rows), len(vocab)))
    dense = np.vstack([features(d, t) for (d, _), (t, _, _) in zip(feats, rows, strict=True)])
    x = sparse.hstack([sparse.csr_matrix(dense), bow]).tocsr()
    y = np.array([CLASSES.index(lab) for _, lab, _ in rows])
    lr = LogisticRegression(C=LR_C, max_iter=LR_MAX_ITER, tol=LR_TOL, class_weight="balanced")
    lr.fit(x, y, sample_weight=np.array([w for _, _, w in rows]))
    n = dense.shape[1]
    tokens = {tok: tuple(float(v) * broad_tone.TOKEN_SCALE for v in lr.coef_[:, n + i])
              for tok, i in index.items()}
    return BroadTone(lr.coef_[:, :n].T.copy(), tokens, lr.intercept_.copy())  # type: ignore[arg-type]


def fit_broad_data() -> BroadTone:
    return fit_broad([(t, lab, 1.0) for t, lab in goemotions_rows() + rated_rows()]
                     + [(t, lab, BROAD_BUSINESS_WEIGHT) for t, lab in shipped_examples()])


def _write_broad(model: BroadTone) -> None:
    path = Path(__file__).parent / broad_tone.WEIGHTS_FILE
    about = "bot/classify/broad_tone.py; refit with python -m bot.classify.general_tone_fit"
    rows = ",\n".join(json.dumps([round(float(v), 7) for v in row]) for row in model.coef.T)
    tokens = ",\n".join(f"{json.dumps(tok)}: {json.dumps([round(v, 6) for v in w])}"
                         for tok, w in sorted(model.token_w.items()))
    path.write_text(f'{{"about": {json.dumps(about)},\n"classes": {json.dumps(list(CLASSES))},\n'
                    f'"coef": [\n{rows}\n],\n"intercept": '
                    f'{json.dumps([round(float(v), 7) for v in model.intercept])},\n'
                    f'"tokens": {{\n{tokens}\n}}}}\n', encoding="utf-8")
    print(f"wrote {path} ({len(model.token_w)} stems)")


def main() -> None:
    """Refit from the shipped data and write the weights files."""
    _write_broad(fit_broad_data())
    model = fit_shipped_data()
    path = Path(__file__).parent / WEIGHTS_FILE
    about = "bot/classify/general_tone.py; refit with python -m bot.classify.general_tone_fit"
    rows = ",\n".join(json.dumps([round(float(v), 7) for v in row]) for row in model.coef.T)
    intercept = json.dumps([round(float(v), 7) for v in model.intercept])
    # One line per class, so a refit's diff stays readable.
    path.write_text(f'{{"about": {json.dumps(about)},\n"classes": {json.dumps(list(CLASSES))},\n'
                    f'"coef": [\n{rows}\n],\n"intercept": {intercept}}}\n', encoding="utf-8")
    print(f"wrote {path} ({model.coef.shape[0]} features x {len(CLASSES)} classes)")


if __name__ == "__main__":
    main()
