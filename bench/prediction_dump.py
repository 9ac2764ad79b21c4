"""Every prediction of the per-remark path, dumped so a speed-up can prove it changed none.

Classifies every BANKING77 remark (for the first model; the throughput bench's 3,000 for
the others), bench/data/sentiment_eval.csv, 300 shipped idea examples, a few Slack-markup
and other-language edge cases and every other bench/data/*.csv remark, one at a time, with four models (10 processes x 20
examples; names only; with sentiment corrections, so the refits and the neighbour copy run;
no processes), and records routing (process, confidence, candidates, raw scores), sentiment
(label, score, tone, idea probability, tone probabilities), theme vectors and theme
assignment and the language, plus the batch path's labels.

    python bench/prediction_dump.py before.json        # on the old code
    python bench/prediction_dump.py after.json --compare before.json
    python bench/prediction_dump.py after.json --compare before.json --flips
    python bench/prediction_dump.py out.json --extra ../data/public/airline/Tweets.csv

--flips counts what changed instead (for a change allowed to move floats in their last
bits): the labels that flipped, the rounded outputs that moved a rounding step, the
theme assignments, and the largest raw float difference, listing each flip.
--compare exits non-zero at the first label or rounded output that differs, or a raw
float that moved by more than 1e-9. The LR layer's liblinear solver draws from numpy's
global generator, so it is seeded here: without that two runs of the same code differ.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from classify_eval import _workspace, fresh, load_banking, load_defs  # noqa: E402

from bot.classify import LabelledExample, WorkspaceModel, themes  # noqa: E402

EDGE_CASES = [
    "<@U123> the :tada: export is great &amp; fast <https://x.com|link> 👍",
    "it's broken :rage: again!! <#C1|general> http://foo.bar",
    "",
    "   ",
    "ok",
    "🙁 no",
    "please add dark mode :+1::skin-tone-2:",
    "<!here> can't log in",
    "x" * 9000,
    " ".join(["word"] * 500),
    "why not let admins merge accounts?",
    "waited ٤٥ minutes",
    # Other languages, so the detector's verdicts are compared too.
    "Je n'arrive pas à me connecter depuis la mise à jour, c'est très pénible",
    "Die Rechnung ist schon wieder falsch, bitte korrigieren Sie das",
    "No puedo descargar las facturas desde la aplicación",
    "La consegna è arrivata in ritardo di tre giorni",
    "merci beaucoup",
    "Het werkt niet meer sinds gisteren",
]
# Fields of one remark's row that must match exactly (labels and rounded outputs).
EXACT = (0, 1, 2, 3, 4, 5, 6, 11, 12)


def _texts(data: Path, extra_csv: list[Path]) -> tuple[list[str], list, list]:
    rows = load_banking(data)
    rng = random.Random(5)
    specs, examples, _ = _workspace(rows, load_defs(), rng, 10, 20)
    pool = sorted({t for v in rows.values() for t in v})
    rng.shuffle(pool)
    with (ROOT / "bench/data/sentiment_eval.csv").open(newline="", encoding="utf-8") as fh:
        sent = [r["text"] for r in csv.DictReader(fh)]
    checks = []
    for path in sorted((ROOT / "bench/data").glob("*.csv")):
        if path.name != "sentiment_eval.csv":
            with path.open(newline="", encoding="utf-8") as fh:
                checks += [r["text"] for r in csv.DictReader(fh)]
    ideas = ROOT / "bot/classify/data/suggestion_train.csv"
    with ideas.open(newline="", encoding="utf-8") as fh:
        sugg = [r["text"] for r in csv.DictReader(fh)][:300]
    corrections = [
        LabelledExample(sent[i], None, ("praise", "complaint", "neutral", "suggestion")[i % 4])
        for i in range(0, 40, 3)
    ]
    extra = sent + sugg + EDGE_CASES + checks
    for path in extra_csv:  # e.g. the airline tweets: any CSV with a "text" column
        with path.open(newline="", encoding="utf-8") as fh:
            extra += [r["text"] for r in csv.DictReader(fh)]
    # Every BANKING77 remark for the main model, the bench's 3,000 for the others.
    return pool + extra, pool[:3000] + extra, [specs, examples], corrections


def dump(data: Path, extra_csv: list[Path]) -> dict[str, Any]:
    np.random.seed(1234)
    every, texts, (specs, examples), corrections = _texts(data, extra_csv)
    models = {
        "ws": WorkspaceModel.build(specs, examples),
        "k0": WorkspaceModel.build(specs, []),
        "corrected": WorkspaceModel.build(specs, list(examples[:50]) + corrections),
        "empty": WorkspaceModel.build([]),
    }
    out: dict[str, Any] = {}
    for name, model in models.items():
        fresh()
        rows = []
        known: dict[str, themes.Grouper] = {}
        for t in every if name == "ws" else texts:
            c = model.classify(t)
            r, s = c.routing, c.sentiment
            v = themes.vector(t)
            joined = None
            if v is not None and r.process_key is not None:
                held = known.setdefault(r.process_key, themes.Grouper())
                before = len(held.themes)
                joined = held.file(v)
                if len(held.themes) > before:
                    joined = -1
            rows.append(
                [
                    r.process_key,
                    r.confidence,
                    [list(x) for x in r.candidates],
                    s.label,
                    s.score,
                    s.tone,
                    s.suggestion,
                    model._router.score_texts([t]).tolist(),
                    list(model._sentiment.tone_probabilities(t).values()),
                    model._sentiment.suggestion_probability(t),
                    None if v is None else v.astype(float).tolist(),
                    joined,
                    c.language,
                ]
            )
        many = [
            [c.routing.process_key, c.routing.confidence, c.sentiment.label, c.sentiment.score]
            for c in model.classify_many(every if name == "ws" else texts)
        ]
        out[name] = {"one": rows, "many": many}
    return out


def _close(a: Any, b: Any, path: str) -> float:
    """Largest float difference between two dumped values; raises on any other change."""
    if isinstance(a, float) and isinstance(b, float):
        if abs(a - b) > 1e-9:
            raise SystemExit(f"changed at {path}: {a!r} -> {b!r}")
        return abs(a - b)
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return max((_close(a[k], b[k], f"{path}.{k}") for k in a), default=0.0)
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        pairs = enumerate(zip(a, b, strict=True))
        return max((_close(x, y, f"{path}[{i}]") for i, (x, y) in pairs), default=0.0)
    if a != b:
        raise SystemExit(f"changed at {path}: {a!r} -> {b!r}")
    return 0.0


def compare(old: dict[str, Any], new: dict[str, Any]) -> float:
    worst = 0.0
    for name in old:
        for i, (a, b) in enumerate(zip(old[name]["one"], new[name]["one"], strict=True)):
            for j in EXACT:
                if a[j] != b[j]:
                    raise SystemExit(f"{name} remark {i} field {j}: {a[j]!r} -> {b[j]!r}")
        worst = max(worst, _close(old[name], new[name], name))
    return worst


# Fields by kind, for --flips: labels (process, sentiment label, tone, language), outputs
# rounded to 4 places (confidence, candidates, score, idea probability), theme assignment.
LABELS, ROUNDED, THEME = (0, 3, 5, 12), (1, 2, 4, 6), 11


def _largest(a: Any, b: Any) -> float:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b)
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return max((_largest(x, y) for x, y in zip(a, b, strict=True)), default=0.0)
    return 0.0 if a == b else float("inf")


def flips(old: dict[str, Any], new: dict[str, Any]) -> None:
    """Count and list what differs between two dumps (see the module's docstring)."""
    n = labels = rounded = theme = 0
    worst = 0.0
    for name in old:
        for i, (a, b) in enumerate(zip(old[name]["one"], new[name]["one"], strict=True)):
            n += 1
            for j in LABELS:
                if a[j] != b[j]:
                    labels += 1
                    print(f"LABEL {name} #{i} field {j}: {a[j]!r} -> {b[j]!r}; scores "
                          f"{a[7]} -> {b[7]}")
            for j in ROUNDED:
                if a[j] != b[j]:
                    rounded += 1
                    print(f"ROUNDED {name} #{i} field {j}: {a[j]!r} -> {b[j]!r}")
            if a[THEME] != b[THEME]:
                theme += 1
            worst = max(worst, max(_largest(a[j], b[j]) for j in (7, 8, 9, 10)))
        many = sum(x != y for x, y in zip(old[name]["many"], new[name]["many"], strict=True))
        if many:
            print(f"{name}: {many} batch-path rows differ")
    print(f"{n} remarks: {labels} label flips, {rounded} rounded outputs moved, {theme} theme "
          f"assignments differ; largest raw float difference {worst:.1e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/banking77")
    ap.add_argument("--extra", type=Path, action="append", default=[],
                    help="a CSV with a 'text' column whose remarks are added (repeatable)")
    ap.add_argument("--compare", type=Path, help="an earlier dump to check this one against")
    ap.add_argument("--flips", action="store_true", help="with --compare: count, not stop")
    args = ap.parse_args()
    new = dump(args.data, args.extra)
    args.out.write_text(json.dumps(new), encoding="utf-8")
    n = sum(len(v["one"]) for v in new.values())
    print(f"{n} predictions dumped to {args.out}")
    if args.compare and args.flips:
        flips(json.loads(args.compare.read_text(encoding="utf-8")), new)
    elif args.compare:
        worst = compare(json.loads(args.compare.read_text(encoding="utf-8")), new)
        print(f"same as {args.compare} (largest raw float difference {worst:.1e})")


if __name__ == "__main__":
    main()
