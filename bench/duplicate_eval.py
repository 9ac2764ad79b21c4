"""Benchmark the duplicate suggestion: precision and recall on labelled pairs.

PROXY DATA, clearly: no public paraphrase/duplicate set with a licence that allows use and
redistribution here was found offline in time (MRPC is in GitHub snapshots, but it is
news text under Microsoft's own research licence; Quora Question Pairs is non-commercial).
So the pairs are BANKING77 (CC BY 4.0) queries: a *positive* pair is two customers asking
the same fine intent ("my card has not arrived" / "still waiting on my new card"), which
is what one customer repeating themselves looks like; a *negative* pair is two queries of
different intents inside the same coarse process (GROUP intents, as bench/theme_eval.py),
the near-misses a merge must not suggest. Balanced, POS pairs each per process.

The suggestion fires when the pair's theme-vector cosine reaches themes.DUPLICATE_BAR,
exactly the bot's test. Baseline: cosine of plain TF-IDF vectors (word 1-2 grams,
sublinear tf, fitted on the pair texts). Both bars are chosen on the dev split by one
rule: the lowest bar whose precision reaches 0.99 (precision first: a wrong suggestion
wastes a person's click, and a same-intent pair is a looser "duplicate" than a real
repeat, so the bot's bar should sit high). F0.5 weighs precision double. Dev split = first half of each intent's rows (used to choose DUPLICATE_BAR);
test split = the second half, reported. Prints figures only.

    python bench/duplicate_eval.py [--data ../shared/data/banking77] [--dev]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from theme_eval import groups, load, split  # noqa: E402

from bot.classify import themes  # noqa: E402

POS = 40
BARS = tuple(round(0.5 + 0.05 * i, 2) for i in range(9))


def pairs(rows: dict[str, list[str]], seed: int) -> list[tuple[str, str, bool]]:
    rng = random.Random(seed)
    out = []
    for intents in groups(sorted(rows)):
        for _ in range(POS):
            c = rng.choice(intents)
            a, b = rng.sample(rows[c], 2)
            out.append((a, b, True))
            c1, c2 = rng.sample(intents, 2)
            out.append((rng.choice(rows[c1]), rng.choice(rows[c2]), False))
    return out


def ours(ps: list[tuple[str, str, bool]]) -> np.ndarray:
    sims = []
    for a, b, _ in ps:
        va, vb = themes.vector(a), themes.vector(b)
        sims.append(float(va @ vb) if va is not None and vb is not None else -1.0)
    return np.array(sims)


def tfidf(ps: list[tuple[str, str, bool]]) -> np.ndarray:
    texts = [t for a, b, _ in ps for t in (a, b)]
    x = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
    return np.asarray(x[0::2].multiply(x[1::2]).sum(axis=1)).ravel()


def pr(sims: np.ndarray, truth: np.ndarray, bar: float) -> tuple[float, float, float]:
    fired = sims >= bar
    tp = float((fired & truth).sum())
    p = tp / fired.sum() if fired.sum() else 1.0
    r = tp / truth.sum()
    f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
    return p, r, f05


TARGET_PRECISION = 0.99


def best_bar(sims: np.ndarray, truth: np.ndarray, bars: tuple[float, ...]) -> float:
    """The lowest bar whose dev precision reaches TARGET_PRECISION (the highest bar if none)."""
    return next((b for b in sorted(bars) if pr(sims, truth, b)[0] >= TARGET_PRECISION), max(bars))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/banking77")
    ap.add_argument("--dev", action="store_true", help="sweep the bar on the dev split")
    args = ap.parse_args()
    data = load(args.data)
    dev = pairs(split(data, dev=True), seed=0)
    dev_truth = np.array([t for _, _, t in dev])
    dev_ours, dev_base = ours(dev), tfidf(dev)
    if args.dev:
        for bar in BARS:
            p, r, f = pr(dev_ours, dev_truth, bar)
            print(f"bar={bar:.2f} precision={p:.3f} recall={r:.3f} F0.5={f:.3f}")
        print(f"lowest bar with precision >= {TARGET_PRECISION}: {best_bar(dev_ours, dev_truth, BARS)}")
        return
    base_bar = best_bar(dev_base, dev_truth, tuple(round(0.05 * i, 2) for i in range(2, 19)))
    test = pairs(split(data, dev=False), seed=1000)
    truth = np.array([t for _, _, t in test])
    po, ro, fo = pr(ours(test), truth, themes.DUPLICATE_BAR)
    pb, rb, fb = pr(tfidf(test), truth, base_bar)
    print(f"Duplicate suggestion on {len(test)} BANKING77 proxy pairs (test split, half positive; "
          f"negatives = other intents of the same coarse process)")
    print(f"{'':24} {'bar':>5} {'precision':>10} {'recall':>7} {'F0.5':>6}")
    print(f"{'ours (theme vectors)':24} {themes.DUPLICATE_BAR:>5.2f} {po:>10.3f} {ro:>7.3f} {fo:>6.3f}")
    print(f"{'TF-IDF cosine':24} {base_bar:>5.2f} {pb:>10.3f} {rb:>7.3f} {fb:>6.3f}")
    print(f"ratio ours/baseline: precision {po / pb:.2f}, F0.5 {fo / fb:.2f}")


if __name__ == "__main__":
    main()
