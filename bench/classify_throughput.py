"""Targets: filing + sentiment + theme assignment per remark on one core, and the bot's
memory with 50 workspaces' models and themes held.

Throughput: distinct BANKING77 remarks (caches cleared first, so repeats cannot flatter
it) go one at a time, as the bot files them, through ``WorkspaceModel.classify`` (routing
and sentiment) and then ``themes.vector`` + ``themes.Grouper.file`` against the themes of the
process it was filed under (held in memory, as they are read from the database). The
baseline in the same run is a plain TF-IDF (word 1-2 grams) + LogisticRegression
classifier from scikit-learn, also one remark at a time; the ratio is printed.

Memory (a fresh interpreter, after the bot's own imports): 50 workspace models of 10
processes x 20 examples, each used on 200 remarks whose themes (centroids) are kept,
then every text and word cache filled to its bound. Peak RSS (VmHWM). Prints figures.

    python bench/classify_throughput.py [--data ../shared/data/banking77] [--n 3000]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from classify_eval import _one_core, _peak_rss_mb, _workspace, fresh, load_banking, load_defs  # noqa: E402

from bot.classify import WorkspaceModel, themes  # noqa: E402

TARGET_RATE = 2000
TARGET_MB = 300


class Themed:
    """One workspace's themes per process, in memory: what the bot reads per filing."""

    def __init__(self) -> None:
        self.by_process: dict[str, themes.Grouper] = {}

    def file(self, process: str | None, text: str) -> int | None:
        v = themes.vector(text)
        if process is None or v is None:
            return None
        return self.by_process.setdefault(process, themes.Grouper()).file(v)


def speed(data: Path, n: int) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    _one_core()
    rows = load_banking(data)
    defs = load_defs()
    rng = random.Random(5)
    specs, examples, _ = _workspace(rows, defs, rng, 10, 20)
    model = WorkspaceModel.build(specs, examples)
    pool = sorted({t for v in rows.values() for t in v})
    rng.shuffle(pool)
    texts = pool[:n]
    # Warm the word vectors (loaded once per process) outside the timing.
    model.classify("warm up")
    themes.vector("warm up the vectors")

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    x = vec.fit_transform([e.text for e in examples] + [s.name for s in specs])
    y = [e.process_key for e in examples] + [s.key for s in specs]
    lr = LogisticRegression(max_iter=500).fit(x, y)
    t0 = time.perf_counter()
    for t in texts:
        lr.predict(vec.transform([t]))
    t_base = time.perf_counter() - t0

    fresh()
    t0 = time.perf_counter()
    for t in texts:
        model.classify(t)
    t_classify = time.perf_counter() - t0

    fresh()
    index = Themed()
    t0 = time.perf_counter()
    for t in texts:
        result = model.classify(t)
        index.file(result.routing.process_key, t)
    t_all = time.perf_counter() - t0
    n_themes = sum(len(g.themes) for g in index.by_process.values())
    rate, base = n / t_all, n / t_base
    print(
        f"THROUGHPUT  one core, {n} distinct BANKING77 remarks, one at a time; model = 10 "
        f"processes x 20 examples"
    )
    print(f"  filing + sentiment                     : {n / t_classify:>7.0f} remarks/s")
    print(
        f"  filing + sentiment + theme assignment  : {rate:>7.0f} remarks/s "
        f"({n_themes} themes formed)  target >= {TARGET_RATE}: {'met' if rate >= TARGET_RATE else 'NOT met'}"
    )
    print(f"  baseline: sklearn TF-IDF + LR predict  : {base:>7.0f} remarks/s")
    print(f"  ratio ours (all three) / baseline      : {rate / base:>7.2f}")


def memory(data: Path, n_models: int) -> None:
    import bot.server.runtime  # noqa: F401  (what `earshot serve` imports)
    import bot.server.scheduler  # noqa: F401
    import bot.server.web  # noqa: F401

    rows = load_banking(data)
    defs = load_defs()
    rng = random.Random(9)
    WorkspaceModel.build([]).classify("warm up the shared sentiment model")
    themes.vector("warm up the word vectors")
    before = _peak_rss_mb()
    held = []
    for _ in range(n_models):
        specs, examples, rest = _workspace(rows, defs, rng, 10, 20)
        model = WorkspaceModel.build(specs, examples)
        index = Themed()
        for t in rest[:200]:
            index.file(model.classify(t).routing.process_key, t)
        held.append((model, index))
    peak = _peak_rss_mb()
    word_rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = list(
        {"".join(word_rng.choices(letters, k=word_rng.randint(4, 10))) for _ in range(80_000)}
    )
    model0, index0 = held[0]
    for _ in range(8_000):
        t = " ".join(word_rng.sample(vocab, 12))
        index0.file(model0.classify(t).routing.process_key, t)
    full = _peak_rss_mb()
    n_themes = sum(len(v.themes) for _, ix in held for v in ix.by_process.values())
    theme_mb = n_themes * themes.DIM * 4 / 2**20
    print(
        f"MEMORY  {n_models} workspaces: models (10 processes x 20 examples) + themes of 200 "
        f"remarks each ({n_themes} themes, {theme_mb:.1f} MB of centroids)"
    )
    print(f"  peak RSS, the bot's imports + shared models : {before:>6.0f} MB")
    print(f"  peak RSS with {n_models} workspaces held        : {peak:>6.0f} MB")
    print(
        f"  ... and every text and word cache filled    : {full:>6.0f} MB  target < {TARGET_MB} MB: "
        f"{'met' if full < TARGET_MB else 'NOT met'}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/banking77")
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--only", choices=["speed", "memory"], default=None)
    args = ap.parse_args()
    if args.only in (None, "speed"):
        speed(args.data, args.n)
    if args.only == "memory":
        memory(args.data, 50)
    elif args.only is None:
        cmd = [sys.executable, __file__, "--data", str(args.data), "--only", "memory"]
        print(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout, end="")
    np.random.seed(0)


if __name__ == "__main__":
    main()
