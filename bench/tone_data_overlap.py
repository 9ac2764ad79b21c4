"""Near-duplicates between tone training rows and the held-out checks. Prints pairs only.

    python bench/tone_data_overlap.py [--train CSV ...] [--held CSV ...] [--min 0.6]

By default the training files are bot/classify/data/sentiment_train*.csv and the held-out
files bench/data/*check*.csv and bench/data/sentiment_eval.csv. A pair is printed when
the two sentences are equal after lower-casing and dropping punctuation, when their
word sequences are alike (difflib ratio over words at least --min), or when their content
words (3+ letters, a few function words dropped) overlap by a Jaccard index of at least
--jaccard with two or more shared. Exit status 1 when any pair is printed.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP = {"the", "and", "for", "our", "was", "with", "that", "this", "you", "your", "have",
        "has", "are", "but", "from", "they", "their", "its", "been", "were", "not", "all"}


def texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [r["text"] for r in csv.DictReader(fh)]


def plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9%]+", text.lower()))


def content(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in STOP)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, nargs="*",
                    default=sorted((ROOT / "bot/classify/data").glob("sentiment_train*.csv")))
    ap.add_argument("--held", type=Path, nargs="*",
                    default=sorted((ROOT / "bench/data").glob("*check*.csv"))
                    + [ROOT / "bench/data/sentiment_eval.csv"])
    ap.add_argument("--min", type=float, default=0.6)
    ap.add_argument("--jaccard", type=float, default=0.5)
    args = ap.parse_args()
    held = [(p.name, t, plain(t), content(t)) for p in args.held for t in texts(p)]
    found = 0
    for path in args.train:
        for t in texts(path):
            pt, ct = plain(t), content(t)
            for name, h, ph, ch in held:
                shared = len(ct & ch)
                jac = shared / len(ct | ch) if ct | ch else 0.0
                seq = difflib.SequenceMatcher(None, pt.split(), ph.split())
                if pt == ph or (shared >= 2 and jac >= args.jaccard) or (
                        seq.quick_ratio() >= args.min and seq.ratio() >= args.min):
                    found += 1
                    print(f"{path.name}: {t!r}\n  {name}: {h!r}")
    print(f"{found} near-duplicate pairs")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
