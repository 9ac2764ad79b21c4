"""Tone on plain business remarks we wrote (bench/data/tone_business_check.csv), against
VADER in the same run. Prints figures only.

The file (MIT, written for this project) holds 80 remarks to a company across SaaS,
retail, banking, travel and logistics: complaints with no negative word (money, waiting,
repetition, effort, churn), praise, neutral statements and questions, questions that carry
a complaint, litotes, negation and sarcasm. It is a held-out check: never trained or tuned
on (the shipped training rows share no sentence with it), scored before and after a change.

    python bench/tone_business_check.py [--misses] [--file CSV]

``--file bench/data/tone_business_dev.csv`` scores our dev set instead (same columns,
written apart from the check with no sentence shared; the one to tune on).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sentiment_eval as se  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from bot.classify.sentiment import SentimentModel  # noqa: E402

CHECK = ROOT / "bench" / "data" / "tone_business_check.csv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--misses", action="store_true", help="print each remark read wrong")
    ap.add_argument("--file", type=Path, default=CHECK,
                    help="a CSV with text, label, kind columns (default: the check)")
    args = ap.parse_args()
    with open(args.file, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    model = SentimentModel.build()
    analyzer = SentimentIntensityAnalyzer()

    def vader(text: str) -> str:
        c = analyzer.polarity_scores(text)["compound"]
        return "praise" if c >= 0.05 else "complaint" if c <= -0.05 else "neutral"

    gold = [r["label"] for r in rows]
    # The tone, whether or not the idea detector would file the remark as an idea.
    ours = [model.predict(r["text"]).tone for r in rows]
    base = [vader(r["text"]) for r in rows]
    print(f"{args.file.name}, n={len(rows)}; macro-recall (praise / complaint / neutral)")
    print(f"  {'VADER':8} {se.recalls(gold, base)}  right {sum(map(str.__eq__, gold, base))}")
    print(f"  {'Earshot':8} {se.recalls(gold, ours)}  right {sum(map(str.__eq__, gold, ours))}")
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for r, p in zip(rows, ours, strict=True):
        by_kind[r["kind"]].append(p == r["label"])
    print("  Earshot right per kind: " + ", ".join(
        f"{k} {sum(v)}/{len(v)}" for k, v in sorted(by_kind.items())))
    if args.misses:
        for r, p in zip(rows, ours, strict=True):
            if p != r["label"]:
                print(f"    {r['label']:9} read {p:9} {r['text']}")


if __name__ == "__main__":
    main()
