"""Benchmark Earshot's classifier: routing on BANKING77, sentiment, speed and memory.

Prints figures only (no asserts). Routing: for k in 0, 5, 10, 20 labelled examples per
process, mean accuracy / macro-F1 over random 10-category subsets of BANKING77, ours
vs. the README's TF-IDF + LogisticRegression baseline on the same splits. Sentiment:
macro-recall on bench/data/sentiment_eval.csv vs. VADER out of the box. Then
throughput on one core and peak RSS with 50 workspace models held in memory.

    python bench/classify_eval.py [--data ../shared/data/banking77] [--subsets 10] [--quick]
    python bench/classify_eval.py --dev   # the tuning subsets; see docs/classifier.md
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.classify import (  # noqa: E402
    DEFAULT_THRESHOLD,  # noqa: E402
    LabelledExample,
    ProcessSpec,
    WorkspaceModel,
)
from bot.domain.processes.process_file import load_processes  # noqa: E402

KS = (0, 5, 10, 20)
N_CATEGORIES = 10
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


def category_name(category: str) -> str:
    """BANKING77 label -> the process name an admin would type ("card arrival")."""
    return re.sub(r"[^a-z ]", "", category.lower().replace("_", " ")).strip()


def load_banking(data: Path) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = defaultdict(list)
    with (data / "train.csv").open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows[r["category"]].append(r["text"])
    return dict(rows)


def load_defs() -> dict:
    """The hand-written process definitions for all 77 categories, by process name."""
    text = (ROOT / "bench/data/banking77_processes.yaml").read_text(encoding="utf-8")
    return {d.name: d for d in load_processes(text)}


def draw_subset(rng: random.Random, rows: dict[str, list[str]], defs: dict,
                test_per_cat: int) -> tuple[list[str], list[ProcessSpec], dict, list]:
    """One subset: N_CATEGORIES categories, their processes, up to max(KS) example
    candidates and test_per_cat test rows each (as (text, category))."""
    chosen = sorted(rng.sample(sorted(rows), N_CATEGORIES))
    specs, pool, tests = [], {}, []
    for c in chosen:
        d = defs[category_name(c)]
        specs.append(ProcessSpec(c, d.name, d.description, d.keywords))
        texts = rows[c][:]
        rng.shuffle(texts)
        pool[c] = texts[: max(KS)]
        tests += [(t, c) for t in texts[max(KS) : max(KS) + test_per_cat]]
    return chosen, specs, pool, tests


def macro_f1(gold: list[str], pred: list[str | None], labels: list[str]) -> float:
    f1s = []
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s))


def baseline_predict(train_texts, train_labels, test_texts) -> list[str]:
    """The baseline (docs/classifier.md): word + char n-gram TF-IDF, LogisticRegression, name + k examples."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    pipe = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        ),
        LogisticRegression(C=10.0, max_iter=2000),
    )
    pipe.fit(train_texts, train_labels)
    return list(pipe.predict(test_texts))


def routing_bench(data: Path, subsets: int, test_per_cat: int, seed: int = 7) -> dict:
    rows = load_banking(data)
    defs = load_defs()
    cats = sorted(rows)
    rng = random.Random(seed)
    res = {k: defaultdict(list) for k in KS}
    oos_conf = {k: [] for k in KS}
    in_conf = {k: [] for k in KS}  # (confidence, correct)
    build_times = []
    for _ in range(subsets):
        chosen, specs, train_pool, tests = draw_subset(rng, rows, defs, test_per_cat)
        others = [c for c in cats if c not in chosen]
        oos = [rng.choice(rows[rng.choice(others)]) for _ in range(test_per_cat * 2)]
        test_texts = [t for t, _ in tests]
        gold = [c for _, c in tests]
        for k in KS:
            examples = [LabelledExample(t, c) for c in chosen for t in train_pool[c][:k]]
            t0 = time.perf_counter()
            model = WorkspaceModel.build(specs, examples, threshold=0.0)
            build_times.append(time.perf_counter() - t0)
            out = model.classify_many(test_texts)
            pred = [o.routing.candidates[0][0] for o in out]
            res[k]["acc"].append(np.mean([p == g for p, g in zip(pred, gold, strict=True)]))
            res[k]["f1"].append(macro_f1(gold, pred, chosen))
            in_conf[k] += [(o.routing.confidence, p == g) for o, p, g in zip(out, pred, gold, strict=True)]
            oos_conf[k] += [o.routing.confidence for o in model.classify_many(oos)]
            b_train = [category_name(c) for c in chosen] + [e.text for e in examples]
            b_labels = list(chosen) + [e.process_key for e in examples]
            b_pred = baseline_predict(b_train, b_labels, test_texts)
            res[k]["b_acc"].append(np.mean([p == g for p, g in zip(b_pred, gold, strict=True)]))
            res[k]["b_f1"].append(macro_f1(gold, b_pred, chosen))
    return {"res": res, "in_conf": in_conf, "oos_conf": oos_conf, "build": build_times}


DEV_SEEDS = (101, 202, 303)


def dev_bench(data: Path, subsets: int = 10, test_per_cat: int = 40) -> dict:
    """Routing accuracy on the *dev* subsets: tune settings here, never on the bench.

    Replays the reported bench's draws (seed 7, 10 subsets, 60 test rows per category,
    120 out-of-scope rows) and drops every row it scores; then draws 10 subsets per dev
    seed from the remaining rows only, with 20 example candidates and up to
    test_per_cat test rows per category.
    """
    rows = load_banking(data)
    defs = load_defs()
    cats = sorted(rows)
    rng = random.Random(7)
    scored: set[str] = set()
    for _ in range(10):
        chosen, _, _, tests = draw_subset(rng, rows, defs, 60)
        scored.update(t for t, _ in tests)
        others = [c for c in cats if c not in chosen]
        scored.update(rng.choice(rows[rng.choice(others)]) for _ in range(120))
    dev_rows = {c: [t for t in v if t not in scored] for c, v in rows.items()}
    acc: dict[int, list[float]] = {k: [] for k in KS}
    # At the default threshold: (confidence, correct) of in-scope rows, and the
    # confidence of out-of-scope rows (other categories' dev rows).
    in_conf: dict[int, list] = {k: [] for k in KS}
    oos_conf: dict[int, list] = {k: [] for k in KS}
    for seed in DEV_SEEDS:
        r = random.Random(seed)
        r_oos = random.Random(-seed)  # its own stream, so the subsets stay as they were
        for _ in range(subsets):
            chosen, specs, pool, tests = draw_subset(r, dev_rows, defs, test_per_cat)
            test_texts = [t for t, _ in tests]
            others = [c for c in cats if c not in chosen]
            oos = [r_oos.choice(dev_rows[r_oos.choice(others)]) for _ in range(test_per_cat * 2)]
            for k in KS:
                examples = [LabelledExample(t, c) for c in chosen for t in pool[c][:k]]
                model = WorkspaceModel.build(specs, examples, threshold=0.0)
                out = model.classify_many(test_texts)
                pred = [o.routing.candidates[0][0] for o in out]
                hits = [p == c for p, (_, c) in zip(pred, tests, strict=True)]
                acc[k].append(float(np.mean(hits)))
                in_conf[k] += [(o.routing.confidence, h) for o, h in zip(out, hits, strict=True)]
                oos_conf[k] += [o.routing.confidence for o in model.classify_many(oos)]
    return {"acc": {k: float(np.mean(v)) for k, v in acc.items()},
            "in_conf": in_conf, "oos_conf": oos_conf}


def _threshold_cell(in_conf: list, oos_conf: list, th: float) -> str:
    """filed share / accuracy of filed / out-of-scope left unfiled, at threshold th."""
    filed = [ok for c, ok in in_conf if c >= th]
    cov = len(filed) / len(in_conf)
    acc = np.mean(filed) if filed else 0.0
    rej = np.mean([c < th for c in oos_conf])
    return f"{cov:.2f}/{acc:.3f}/{rej:.2f}"


def print_routing(r: dict, subsets: int) -> None:
    print(f"\nROUTING  BANKING77, {N_CATEGORIES}-process subsets, mean of {subsets}")
    print(f"{'k':>3} | {'earshot acc':>11} {'macro-F1':>9} | {'tfidf-LR acc':>12} {'macro-F1':>9}")
    for k in KS:
        v = r["res"][k]
        print(f"{k:>3} | {np.mean(v['acc']):>11.3f} {np.mean(v['f1']):>9.3f} | "
              f"{np.mean(v['b_acc']):>12.3f} {np.mean(v['b_f1']):>9.3f}")
    print("\nUnfiled threshold: filed share / accuracy of filed (in-scope) / "
          "out-of-scope remarks left unfiled")
    for k in KS:
        parts = [f"{th:.1f}: " + _threshold_cell(r["in_conf"][k], r["oos_conf"][k], th)
                 for th in THRESHOLDS]
        print(f"  k={k:<2} " + "  ".join(parts))
    print(f"  (default threshold {DEFAULT_THRESHOLD}); build time per model: "
          f"mean {1000 * np.mean(r['build']):.1f} ms, max {1000 * np.max(r['build']):.1f} ms")


def sentiment_bench() -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    with (ROOT / "bench/data/sentiment_eval.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    labels = ("praise", "complaint", "neutral")
    model = WorkspaceModel.build([])
    # The tone, as in sentiment_eval.py: a remark filed as an idea still has one.
    ours = [c.sentiment.tone for c in model.classify_many([r["text"] for r in rows])]
    vader = SentimentIntensityAnalyzer()

    def vader_label(text: str) -> str:
        c = vader.polarity_scores(text)["compound"]
        return "praise" if c >= 0.05 else "complaint" if c <= -0.05 else "neutral"

    base = [vader_label(r["text"]) for r in rows]
    gold = [r["label"] for r in rows]

    def recalls(pred: list[str]) -> list[float]:
        return [float(np.mean([p == g for p, g in zip(pred, gold, strict=True) if g == lab]))
                for lab in labels]

    counts = {lab: gold.count(lab) for lab in labels}
    print(f"\nSENTIMENT  bench/data/sentiment_eval.csv, {len(rows)} remarks {counts}")
    print(f"{'':>22} | {'macro-recall':>12} | " + " ".join(f"{lab:>9}" for lab in labels))
    for name, pred in (("earshot", ours), ("VADER out of the box", base)):
        r = recalls(pred)
        print(f"{name:>22} | {np.mean(r):>12.3f} | " + " ".join(f"{x:>9.3f}" for x in r))


def _one_core() -> None:
    """Pin this process to one CPU and its BLAS/OpenMP pools to one thread."""
    threadpool_limits(1)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def _workspace(rows: dict[str, list[str]], defs: dict, rng: random.Random, n_proc: int,
               n_ex: int) -> tuple[list[ProcessSpec], list[LabelledExample], list[str]]:
    chosen = sorted(rng.sample(sorted(rows), n_proc))
    specs, examples, rest = [], [], []
    for c in chosen:
        d = defs[category_name(c)]
        specs.append(ProcessSpec(c, d.name, d.description, d.keywords))
        texts = rows[c][:]
        rng.shuffle(texts)
        examples += [LabelledExample(t, c) for t in texts[:n_ex]]
        rest += texts[n_ex:]
    return specs, examples, rest


def fresh() -> None:
    """Empty the classifier's text caches, so each timed pass sees uncached texts (the
    caches would flatter repeated remarks)."""
    from bot.classify import sentiment, suggestion, text, wordvectors

    sentiment.tone_features.cache_clear()
    suggestion.features.cache_clear()
    text.normalise.cache_clear()
    wordvectors.embed.cache_clear()


def speed_bench(data: Path, n: int) -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from bot.classify import language, wordvectors

    _one_core()
    rows = load_banking(data)
    defs = load_defs()
    rng = random.Random(5)
    specs, examples, _ = _workspace(rows, defs, rng, 10, 20)
    model = WorkspaceModel.build(specs, examples)
    pool = sorted({t for v in rows.values() for t in v})
    rng.shuffle(pool)
    texts = pool[:n]

    # The language model is loaded once per process, by the first remark that reaches it.
    language.predict_many(["warm up the language model"])
    vader = SentimentIntensityAnalyzer()
    t0 = time.perf_counter()
    for t in texts:
        vader.polarity_scores(t)
    t_vader = time.perf_counter() - t0
    fresh()
    t0 = time.perf_counter()
    for t in texts:
        model.classify(t)
    t_single = time.perf_counter() - t0
    fresh()
    t0 = time.perf_counter()
    model.classify_many(texts)
    t_many = time.perf_counter() - t0
    fresh()
    t0 = time.perf_counter()
    for _ in range(20):
        WorkspaceModel.build(specs, examples)
        wordvectors.embed.cache_clear()
    t_build = (time.perf_counter() - t0) / 20
    big_specs, big_examples, _ = _workspace(rows, defs, rng, 20, 50)
    t0 = time.perf_counter()
    for _ in range(5):
        WorkspaceModel.build(big_specs, big_examples)
        wordvectors.embed.cache_clear()
    t_big = (time.perf_counter() - t0) / 5
    print(f"\nSPEED  one core, {n} distinct BANKING77 remarks, model = 10 processes x 20 examples")
    print(f"  earshot classify() one at a time : {n / t_single:>8.0f} remarks/s")
    print(f"  earshot classify_many()          : {n / t_many:>8.0f} remarks/s")
    print(f"  baseline: VADER polarity_scores  : {n / t_vader:>8.0f} remarks/s")
    print(f"  model build (10 x 20, cold cache): {1000 * t_build:>8.1f} ms")
    print(f"  model build (20 x 50, cold cache): {1000 * t_big:>8.1f} ms")


def _peak_rss_mb() -> float:
    """Peak RSS of this process image in MB.

    Linux's getrusage ru_maxrss survives execve, so a child spawned by a big parent
    would report the parent's size; /proc's VmHWM belongs to this image only.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_bench(data: Path, n_models: int) -> None:
    """Runs in a fresh process so earlier bench work does not inflate the peak.

    Imports what ``earshot serve`` imports first, so the figure is the bot's, not a
    bare classifier's.
    """
    import bot.server.runtime  # noqa: F401
    import bot.server.scheduler  # noqa: F401
    import bot.server.web  # noqa: F401

    rows = load_banking(data)
    defs = load_defs()
    rng = random.Random(9)
    WorkspaceModel.build([]).classify("warm up the shared sentiment model")
    before = _peak_rss_mb()
    models = []
    for _ in range(n_models):
        specs, examples, rest = _workspace(rows, defs, rng, 10, 20)
        models.append(WorkspaceModel.build(specs, examples))
        models[-1].classify_many(rest[:50])
    peak = _peak_rss_mb()
    # Real traffic brings far more distinct words than BANKING77 does, so also fill
    # every text and word cache to its bound: the worst case a long-running bot meets.
    word_rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = list({"".join(word_rng.choices(letters, k=word_rng.randint(4, 10)))
                  for _ in range(80_000)})
    for _ in range(8_000):  # one at a time, as the bot does
        models[0].classify(" ".join(word_rng.sample(vocab, 12)))
    full = _peak_rss_mb()
    print(f"\nMEMORY  {n_models} workspace models (10 processes x 20 examples each) held")
    print(f"  peak RSS, the bot's imports + shared sentiment model: {before:>6.0f} MB")
    print(f"  peak RSS with {n_models} models built and used        : {peak:>6.0f} MB")
    print(f"  ... and every text and word cache filled to its bound : {full:>6.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/banking77")
    ap.add_argument("--subsets", type=int, default=10)
    ap.add_argument("--quick", action="store_true", help="fewer subsets and test rows")
    ap.add_argument("--dev", action="store_true",
                    help="routing accuracy on the dev subsets (for tuning) and exit")
    ap.add_argument("--only", choices=["routing", "sentiment", "speed", "memory"], default=None)
    args = ap.parse_args()
    subsets = 3 if args.quick else args.subsets
    if args.dev:
        dev = dev_bench(args.data)
        print(f"DEV  seeds {DEV_SEEDS}, {N_CATEGORIES}-process subsets, rows the bench never "
              "scores\n" + "  ".join(f"k={k}: {a:.3f}" for k, a in dev["acc"].items()))
        print(f"at threshold {DEFAULT_THRESHOLD}, filed share / accuracy of filed / "
              "out-of-scope left unfiled\n" + "  ".join(
                  f"k={k}: " + _threshold_cell(dev["in_conf"][k], dev["oos_conf"][k],
                                               DEFAULT_THRESHOLD) for k in KS))
        return
    test_per_cat = 30 if args.quick else 60
    if args.only in (None, "routing"):
        print_routing(routing_bench(args.data, subsets, test_per_cat), subsets)
    if args.only in (None, "sentiment"):
        sentiment_bench()
    if args.only in (None, "speed"):
        speed_bench(args.data, 1000 if args.quick else 3000)
    if args.only == "memory":
        memory_bench(args.data, 50)
    elif args.only is None:
        # A fresh interpreter, so the routing bench's baseline fits don't count.
        cmd = [sys.executable, __file__, "--data", str(args.data), "--only", "memory"]
        print(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout, end="")


if __name__ == "__main__":
    main()
