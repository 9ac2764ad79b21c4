"""Experiment: does the mean word vector help the idea (suggestion) detector?

Prints figures only (no asserts). The shipped detector (bot/classify/suggestion.py) is a
logistic regression over 23 cue flags and scaled-down stems, trained on our own
bot/classify/data/suggestion_train.csv. Here the same regression also gets the mean
WordLlama vector (bot/classify/wordvectors.py) at weight W, trained on the same file
(no SemEval data in training: it is CC BY-NC-SA).

    python bench/suggestion_embed.py cv   [--data DIR]   # 5-fold CV on ours + SemEval training split (dev)
    python bench/suggestion_embed.py test [--data DIR]   # SemEval-2019 Task 9 A evaluation set, once

As today, the SemEval training split only picks the threshold (and here the vector
weight W); the evaluation set is scored once with what it picked.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
from scipy import sparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sentiment_eval as se  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from bot.classify import suggestion as sg  # noqa: E402
from bot.classify.text import normalise, words  # noqa: E402
from bot.classify.wordvectors import embed  # noqa: E402

WEIGHTS = tuple(float(x) for x in os.environ.get("EARSHOT_IDEA_WEIGHTS", "0,0.5,1,2,3").split(","))
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
CHOSEN = (float(os.environ.get("EARSHOT_IDEA_W", "1.0")), float(os.environ.get("EARSHOT_IDEA_T", "0.7")))


class Model:
    def __init__(self, texts: list[str], labels: list[bool], w: float,
                 extra: list[str] = (), extra_weight: float = 0.3) -> None:
        self.w = w
        sw = np.array([1.0] * len(texts) + [extra_weight] * len(extra))
        texts, labels = list(texts) + list(extra), list(labels) + [False] * len(extra)
        feats = [sg.features(t) for t in texts]
        vocab = sorted({tok for _, toks, _, _ in feats for tok in toks})
        self.index = {tok: i for i, tok in enumerate(vocab)}
        self.lr = LogisticRegression(C=sg.LR_C, max_iter=2000, class_weight="balanced")
        self.lr.fit(self.design(texts), np.array(labels, dtype=int), sample_weight=sw)

    def design(self, texts: list[str]) -> sparse.csr_matrix:
        rows, cols, dense = [], [], []
        for r, t in enumerate(texts):
            d, toks, _, _ = sg.features(t)
            dense.append(np.concatenate([d, self.w * embed(t)]))
            for tok in toks:
                c = self.index.get(tok)
                if c is not None:
                    rows.append(r)
                    cols.append(c)
        bow = sparse.csr_matrix((np.full(len(rows), sg.BOW_SCALE), (rows, cols)),
                                shape=(len(texts), len(self.index)))
        return sparse.hstack([sparse.csr_matrix(np.vstack(dense)), bow]).tocsr()

    def probs(self, texts: list[str]) -> np.ndarray:
        p = self.lr.predict_proba(self.design(texts))[:, 1]
        short = np.array([len(words(normalise(t, emoji_cues=False))) < sg.MIN_WORDS for t in texts])
        p[short] = 0.0
        return p


def show(name: str, gold: list[bool], p: np.ndarray) -> None:
    cells = []
    for th in THRESHOLDS:
        f, pr, rc = se.f1(gold, list(p >= th))
        cells.append(f"{th}: {f:.3f} ({pr:.2f}/{rc:.2f})")
    print(f"  {name:28} " + "  ".join(cells))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("stage", choices=("cv", "test"))
    ap.add_argument("--data", type=Path, default=ROOT / "bench" / "data" / "public")
    ap.add_argument("--negatives", type=Path, help="a VADER ground-truth file: its snippets as non-ideas")
    ap.add_argument("--neg-weight", type=float, default=0.3)
    args = ap.parse_args()
    extra: list[str] = []
    if args.negatives:
        extra = [line.split("\t")[2] for line in args.negatives.read_text(errors="replace").splitlines()
                 if line.count("\t") >= 2]
    ours = list(sg.shipped_examples())
    texts, gold = [t for t, _ in ours], [g for _, g in ours]
    if args.stage == "cv":
        dev = se.semeval_t9(args.data, "V1.4_Training.csv", header=False)
        print("F1 (precision/recall) at each threshold")
        for w in WEIGHTS:
            print(f"vector weight {w}")
            p = np.zeros(len(ours))
            for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, gold):
                m = Model([texts[i] for i in tr], [gold[i] for i in tr], w, extra, args.neg_weight)
                p[te] = m.probs([texts[i] for i in te])
            show("ours, 5-fold CV", gold, p)
            m = Model(texts, gold, w, extra, args.neg_weight)
            show("SemEval training split (dev)", [g for _, g in dev], m.probs([t for t, _ in dev]))
        return
    w, th = CHOSEN
    test = se.semeval_t9(args.data, "SubtaskA_EvaluationData_labeled.csv", header=False)
    m = Model(texts, gold, w)
    f, pr, rc = se.f1([g for _, g in test], list(m.probs([t for t, _ in test]) >= th))
    print(f"SemEval-2019 Task 9 A evaluation set, weight {w}, threshold {th}: "
          f"F1 {f:.3f} precision {pr:.3f} recall {rc:.3f}")


if __name__ == "__main__":
    main()
