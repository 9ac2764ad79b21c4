"""Idea detector on its dev sets and on our business check (prints figures, no asserts).

    python bench/suggestion_dev.py [--data DIR] [--misses]

Dev: SemEval-2019 Task 9 Subtask A's training split and trial split, and Subtask B's trial
split (hotel reviews, half suggestions; see bench/data/public/README.md), all CC BY-NC-SA,
read at bench time only, never trained on: F1 of the suggestion class at several thresholds,
the average precision (threshold-free) and F1 with the classes reweighted to 1 suggestion in 10.
Ours (MIT, never trained on): bench/data/ideas_business_dev.csv (the dev set for ideas asked
as questions and their support-request look-alikes, tuned on),
bench/data/ideas_business_dev2.csv (the fifth pass's dev set: ideas asked as questions,
wishes, conditional offers and comparisons with other tools, next to support, how-to and
status questions, complaints asked as questions and requests to a person, tuned on),
bench/data/ideas_business_dev3.csv (the sixth pass's: offers to stay if something is fixed,
asking for a manager, plain complaints, next to offers that propose a new thing; tuned on),
bench/data/ideas_business_dev4.csv (the eighth pass's: ideas asked as questions and wishes
in other idioms, next to support requests, how-tos and complaints with "should"; tuned on),
bench/data/ideas_business_dev5.csv (the tenth pass's: offers to move over for a capability,
"crying out for", "is that doable?", another provider's feature asked for, "you'll ever",
next to support requests, bug reports with "should ... but" and threats to leave; tuned on),
bench/data/ideas_business_dev6.csv (the eleventh pass's: offers to bring sites over or to
test a feature, "all we need now is", "are you planning to open...", "suggestion:", "would
change everything", "can we get something that...", next to support requests asked the same
way; tuned on),
bench/data/ideas_business_dev8.csv (the twelfth pass's: "is anyone working on...", "any
intention of...", "the moment you support X we'll...", "what we're really after is...",
votes, next to a teammate's login asked "too" and services asked the same way; tuned on),
bench/data/ideas_business_check.csv (the held-out check, now 1.000) and
bench/data/ideas_business_check2.csv (the second held-out check, written before the sixth
pass tuned anything), bench/data/ideas_business_check3.csv (the third, written before the
seventh pass), bench/data/ideas_business_check4.csv (the fourth, written before the
eighth), bench/data/ideas_business_check5.csv (the fifth, written before the ninth) and
bench/data/ideas_business_check6.csv (the sixth, written before the tenth) and
bench/data/ideas_business_check7.csv (the seventh, written before the eleventh) and
bench/data/ideas_business_check8.csv (the eighth, written before the twelfth):
accuracy at the shipped threshold; `--misses` prints the dev sets' misses
only, never a check's. The evaluation set is not read here:
`python bench/sentiment_eval.py --part ideas` scores it, once per change.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sentiment_eval as se  # noqa: E402
from sklearn.metrics import average_precision_score  # noqa: E402

from bot.classify.sentiment import SUGGESTION_THRESHOLD  # noqa: E402
from bot.classify.suggestion import SuggestionModel  # noqa: E402

THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.8)
DEV = (
    ("training split", "V1.4_Training.csv"),
    ("trial split", "SubtaskA_Trial_Test_Labeled.csv"),
    ("B trial split", "SubtaskB_Trial_Test_Labeled.csv"),
)


def f1_at_share(gold: list[bool], probs: list[float], th: float, share: float) -> float:
    """F1 if suggestions were `share` of the remarks (the splits have 25 % and 50 %, the
    evaluation set 10 %, a workspace likely less): recall and false-positive rate as measured,
    the classes reweighted."""
    pos = [x for x, g in zip(probs, gold, strict=True) if g]
    neg = [x for x, g in zip(probs, gold, strict=True) if not g]
    tpr = sum(x >= th for x in pos) / len(pos)
    fpr = sum(x >= th for x in neg) / len(neg)
    tp, fp, fn = share * tpr, (1 - share) * fpr, share * (1 - tpr)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path(os.environ.get(
        "EARSHOT_PUBLIC_DATA", ROOT / "bench" / "data" / "public")))
    ap.add_argument("--misses", action="store_true", help="print the misses on our two sets")
    args = ap.parse_args()
    model = SuggestionModel.build()
    for title, name in DEV:
        try:
            rows = se.semeval_t9(args.data, name, header=False)
        except OSError as exc:
            print(f"{title}: missing ({exc.filename})")
            continue
        gold = [g for _, g in rows]
        probs = [model.probability(t) for t, _ in rows]
        cells, tenth = [], []
        for th in THRESHOLDS:
            score, p, r = se.f1(gold, [x >= th for x in probs])
            cells.append(f"{th}: {score:.3f} ({p:.2f}/{r:.2f})")
            tenth.append(f"{th}: {f1_at_share(gold, probs, th, 0.1):.3f}")
        print(f"{title:15} n={len(rows):5}  F1 (P/R) at " + "  ".join(cells))
        print(f"{'':15} average precision {average_precision_score(gold, probs):.3f}  "
              "F1 with 1 suggestion in 10 at " + "  ".join(tenth))
    score_ours(model, "business dev", ROOT / "bench" / "data" / "ideas_business_dev.csv",
               args.misses)
    score_ours(model, "business dev2", ROOT / "bench" / "data" / "ideas_business_dev2.csv",
               args.misses)
    score_ours(model, "business dev3", ROOT / "bench" / "data" / "ideas_business_dev3.csv",
               args.misses)
    score_ours(model, "business dev4", ROOT / "bench" / "data" / "ideas_business_dev4.csv",
               args.misses)
    score_ours(model, "business dev5", ROOT / "bench" / "data" / "ideas_business_dev5.csv",
               args.misses)
    score_ours(model, "business dev6", ROOT / "bench" / "data" / "ideas_business_dev6.csv",
               args.misses)
    score_ours(model, "business dev8", ROOT / "bench" / "data" / "ideas_business_dev8.csv",
               args.misses)
    score_ours(model, "business check", ROOT / "bench" / "data" / "ideas_business_check.csv",
               False)
    # The held-out checks never print their misses: they are scored, not read.
    score_ours(model, "business check2", ROOT / "bench" / "data" / "ideas_business_check2.csv",
               False)
    score_ours(model, "business check3", ROOT / "bench" / "data" / "ideas_business_check3.csv",
               False)
    score_ours(model, "business check4", ROOT / "bench" / "data" / "ideas_business_check4.csv",
               False)
    score_ours(model, "business check5", ROOT / "bench" / "data" / "ideas_business_check5.csv",
               False)
    score_ours(model, "business check6", ROOT / "bench" / "data" / "ideas_business_check6.csv",
               False)
    score_ours(model, "business check7", ROOT / "bench" / "data" / "ideas_business_check7.csv",
               False)
    score_ours(model, "business check8", ROOT / "bench" / "data" / "ideas_business_check8.csv",
               False)


def score_ours(model: SuggestionModel, title: str, path: Path, misses: bool) -> None:
    """Accuracy and F1 of ideas at the shipped threshold on one of our CSVs (text,idea)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = [(r["text"], r["idea"] == "1") for r in csv.DictReader(f)]
    probs = [model.probability(t) for t, _ in rows]
    pred = [x >= SUGGESTION_THRESHOLD for x in probs]
    gold = [g for _, g in rows]
    right = sum(g == p for g, p in zip(gold, pred, strict=True))
    score, p, r = se.f1(gold, pred)
    print(f"{title:15} n={len(rows)}  accuracy {right / len(rows):.3f}  "
          f"F1 {score:.3f} (P {p:.2f} / R {r:.2f}) at {SUGGESTION_THRESHOLD}")
    if misses:
        for (text, g), x in zip(rows, probs, strict=True):
            if g != (x >= SUGGESTION_THRESHOLD):
                print(f"  miss ({'idea' if g else 'not'}, {x:.2f}): {text}")

if __name__ == "__main__":
    main()
