"""The airline set's dev fifth (rows 0, 5, 10, ... of ``airline/Tweets.csv``), read for error
kinds (issue 23, item 5): the confusion matrix of the shipped tone model, each class's recall,
and with ``--misses CELL`` the tweets of one cell (gold>read, e.g. ``neutral>complaint``) to
read; with ``--rules`` how often each customer rule (customer_phrases.CUSTOMER) fires on dev,
by gold label. Prints figures only; the set is non-commercial, so nothing is written.

    python bench/airline_dev.py --data DIR [--misses neutral>complaint] [--rules]

The test part (the other four fifths) is scored once, at the end: bench/sentiment_eval.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import general_tone_dev as gd  # noqa: E402
import sentiment_eval as se  # noqa: E402

from bot.classify.lexicon import customer_rules  # noqa: E402
from bot.classify.sentiment import SentimentModel, lower_text  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path(os.environ.get(
        "EARSHOT_PUBLIC_DATA", ROOT / "bench" / "data" / "public")))
    ap.add_argument("--misses", default="", help="print one cell's tweets, gold>read")
    ap.add_argument("--rules", action="store_true", help="customer rules firing, by gold label")
    args = ap.parse_args()
    rows = gd.airline_dev(args.data)
    model = SentimentModel.build()
    gold = [g for _, g in rows]
    pred = [model.predict(t).tone for t, _ in rows]
    print(f"airline dev fifth, n={len(rows)}; macro-recall (praise / complaint / neutral) "
          f"{se.recalls(gold, pred)}")
    cells = Counter(zip(gold, pred, strict=True))
    print(f"  {'gold / read':12}" + "".join(f"{c:>11}" for c in se.CLASSES))
    for g in se.CLASSES:
        print(f"  {g:12}" + "".join(f"{cells[g, p]:>11}" for p in se.CLASSES))
    if args.rules:
        fired: dict[str, Counter[str]] = {}
        for (t, g), p in zip(rows, pred, strict=True):
            for name in customer_rules(lower_text(t)):
                fired.setdefault(name, Counter())[f"{g}>{p}"] += 1
        for name, c in sorted(fired.items()):
            print(f"  {name:22} " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    if args.misses:
        want = tuple(args.misses.split(">"))
        for (t, g), p in zip(rows, pred, strict=True):
            if (g, p) == want:
                print("   ", " ".join(t.split()))


if __name__ == "__main__":
    main()
