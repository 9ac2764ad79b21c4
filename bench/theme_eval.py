"""Benchmark themes: how well they recover fine intents inside coarse processes.

BANKING77's 77 intents are drawn in groups of GROUP (seeded); each group is one coarse
"process", its intents the truth the themes should recover. Per process, N remarks
(shuffled, spread evenly over its intents) are filed one after another through
``bot.classify.themes.group``, exactly as the bot assigns them; the baseline is
k-means on TF-IDF (word 1-2 grams, sublinear tf) with k = the true number of intents
(told to it, which favours the baseline: ours is not told k). Scores: V-measure and
adjusted Rand index, mean over the processes of every draw. A remark too short to group
counts as a cluster of its own.

Rows are split per intent: the first half is the dev split (used to choose
themes.JOIN_BAR and the block weights, ``--dev``), the second half is the test split
reported by default. Prints figures only.

    python bench/theme_eval.py [--data ../shared/data/banking77] [--draws 3] [--dev]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, v_measure_score
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.classify import themes  # noqa: E402

GROUP = 5
SIZES = (40, 120, 300)


def load(data: Path) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = defaultdict(list)
    with (data / "train.csv").open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows[r["category"]].append(r["text"])
    return dict(rows)


def split(rows: dict[str, list[str]], dev: bool) -> dict[str, list[str]]:
    out = {}
    for c, texts in rows.items():
        half = len(texts) // 2
        out[c] = texts[:half] if dev else texts[half:]
    return out


def processes(rng: random.Random, cats: list[str]) -> list[list[str]]:
    cats = cats[:]
    rng.shuffle(cats)
    return [sorted(cats[i : i + GROUP]) for i in range(0, len(cats) - GROUP + 1, GROUP)]


def sample(rng: random.Random, rows: dict[str, list[str]], intents: list[str],
           n: int) -> tuple[list[str], list[str]]:
    per = max(1, n // len(intents))
    items = []
    for c in intents:
        texts = rows[c][:]
        rng.shuffle(texts)
        items += [(t, c) for t in texts[:per]]
    rng.shuffle(items)
    return [t for t, _ in items], [c for _, c in items]


def ours(texts: list[str], bar: float) -> list[int]:
    got = themes.group(texts, bar)
    fresh = iter(range(10**6, 10**7))
    return [g if g is not None else next(fresh) for g in got]


def baseline(texts: list[str], k: int, seed: int) -> list[int]:
    x = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1).fit_transform(texts)
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(x).tolist()


def run(rows: dict[str, list[str]], draws: int, sizes: tuple[int, ...], bar: float,
        seed0: int, with_baseline: bool = True) -> dict[int, dict[str, list[float]]]:
    scores: dict[int, dict[str, list[float]]] = {n: defaultdict(list) for n in sizes}
    cats = sorted(rows)
    for d in range(draws):
        rng = random.Random(seed0 + d)
        for intents in processes(rng, cats):
            for n in sizes:
                texts, truth = sample(rng, rows, intents, n)
                got = ours(texts, bar)
                scores[n]["ours_v"].append(v_measure_score(truth, got))
                scores[n]["ours_ari"].append(adjusted_rand_score(truth, got))
                scores[n]["ours_k"].append(len(set(got)))
                if with_baseline:
                    base = baseline(texts, len(set(truth)), seed0 + d)
                    scores[n]["base_v"].append(v_measure_score(truth, base))
                    scores[n]["base_ari"].append(adjusted_rand_score(truth, base))
    return scores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/banking77")
    ap.add_argument("--draws", type=int, default=3)
    ap.add_argument("--dev", action="store_true", help="the dev split, with a sweep of JOIN_BAR")
    args = ap.parse_args()
    rows = split(load(args.data), dev=args.dev)
    with threadpool_limits(1):
        if args.dev:
            for bar in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65):
                s = run(rows, args.draws, SIZES, bar, seed0=0, with_baseline=False)
                print(f"bar={bar:.2f} " + "  ".join(
                    f"n={n}: V={np.mean(s[n]['ours_v']):.3f} ARI={np.mean(s[n]['ours_ari']):.3f}"
                    f" k={np.mean(s[n]['ours_k']):.1f}" for n in SIZES))
            return
        s = run(rows, args.draws, SIZES, themes.JOIN_BAR, seed0=1000)
    print(f"Themes vs k-means on TF-IDF (k = true intents, {GROUP} per process), BANKING77 test "
          f"split, {args.draws} draws x {len(processes(random.Random(0), sorted(rows)))} processes")
    print(f"{'remarks/process':>16} {'ours V':>8} {'k-means V':>10} {'ratio':>6} "
          f"{'ours ARI':>9} {'k-means ARI':>12} {'ratio':>6} {'our themes':>11}")
    for n in SIZES:
        ov, bv = np.mean(s[n]["ours_v"]), np.mean(s[n]["base_v"])
        oa, ba = np.mean(s[n]["ours_ari"]), np.mean(s[n]["base_ari"])
        print(f"{n:>16} {ov:>8.3f} {bv:>10.3f} {ov / bv:>6.2f} {oa:>9.3f} {ba:>12.3f} "
              f"{oa / ba:>6.2f} {np.mean(s[n]['ours_k']):>11.1f}")


if __name__ == "__main__":
    main()
