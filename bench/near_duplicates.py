"""Near-duplicate check of a CSV of remarks against every other text file of ours and the
SemEval-2019 Task 9 splits: no written row may repeat or paraphrase a check or eval sentence.

    python bench/near_duplicates.py FILE [--data DIR] [--min 0.6] [--rows N]

Prints each remark of FILE (the first column, or `text`) whose word-set overlap (Jaccard over
lower-cased words) with a sentence of another file reaches --min, or that holds one / is held
by one as a substring; --rows N reads only FILE's last N rows (the rows just written).
Exit 1 when any is found.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> frozenset[str]:
    return frozenset(WORD.findall(text.lower().replace("'", "").replace("’", "")))


def texts(path: Path) -> list[str]:
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        return []
    col = rows[0].index("text") if "text" in rows[0] else (1 if path.parent.name.startswith("semeval") else 0)
    return [r[col] for r in rows[1:] if len(r) > col]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--data", type=Path, default=Path("/work/data/public"))
    ap.add_argument("--min", type=float, default=0.6)
    ap.add_argument("--rows", type=int, default=0)
    args = ap.parse_args()
    mine = texts(args.file)[-args.rows:] if args.rows else texts(args.file)
    others: list[tuple[str, str]] = []
    files = sorted((ROOT / "bench" / "data").glob("*.csv")) + sorted(
        (ROOT / "bot" / "classify" / "data").glob("*.csv")) + sorted(
        (args.data / "semeval2019_task9").glob("*.csv"))
    for p in files:
        if p.resolve() != args.file.resolve():
            others += [(p.name, t) for t in texts(p)]
    index: dict[str, list[int]] = {}
    sets = [words(t) for _, t in others]
    for i, s in enumerate(sets):
        for w in s:
            index.setdefault(w, []).append(i)
    found = 0
    for text in mine:
        ws, low = words(text), text.lower().strip()
        best, where = 0.0, ""
        cand = {i for w in ws for i in index.get(w, ())}
        for i in cand:
            other = others[i][1].lower().strip()
            j = len(ws & sets[i]) / len(ws | sets[i])
            if low and other and (low == other or (len(low) > 25 and (low in other or other in low))):
                j = 1.0
            if j > best:
                best, where = j, f"{others[i][0]}: {others[i][1][:90]}"
        if best >= args.min:
            found += 1
            print(f"{best:.2f}  {text}\n      ~ {where}")
    print(f"{found} of {len(mine)} at or above {args.min}")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
