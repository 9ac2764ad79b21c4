"""Judge theme names: are they phrases a person would say about what the theme is about?

An intent set's dev split, cut into processes as ``bench/theme_eval.py`` cuts it (BANKING77:
the first half of each intent's rows, in the same 15 groups of five intents; CLINC150: its
train and val parts, one process per domain; HWU64: the first half, one process per
scenario); per process, N remarks (seeded draw, spread evenly over its intents) are themed with ``bot.classify.themes.group`` and each theme of at least
MIN_SIZE remarks is named with ``themes.labels``. Printed per theme: its size, its name and
its three most common true intents, so a reader can judge; then three automatic scores over
those themes:

* phrase: share of names whose every part (parts are joined by " · ") is a contiguous run of
  words of some member remark (case-insensitive);
* one phrase: share of names that are one phrase (no " · "), and the mean number of parts;
* loose ends: share of names with a part that starts or ends with a function word
  ("card without") or ends with a word that qualifies what follows it ("holiday · next",
  "directions to the nearest"), or is a number ("(2)") or a general verb alone ("bus · take");
* same name: share of themes whose name says what another theme's name of the same process
  says (the same content words, stemmed, in any order: "alarm" and "alarm", "set alarm" and
  "alarm set");
* unknown head: share of names whose first part is one word no word list knows (not an
  acronym): most often a name ("hubspot", "globex"), bot/classify/english.py;
* intent: share of names whose content words all appear (stemmed) in the name of the theme's
  majority intent ("card_payment_declined"), and share with at least one such word.

* defects: names a person would not write, by kind (bench/theme_label_defects.py).

``--test`` draws from the set's test split instead (score it once, never tune on it).

    python bench/theme_label_eval.py [--data /work/shared/data/banking77] [--set NAME] [--n 120]
        [--seed S] [--quiet] [--test]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from theme_eval import intent_set, sample  # noqa: E402
from theme_label_defects import KINDS, defects  # noqa: E402

from bot.classify import themes  # noqa: E402
from bot.classify.english import known  # noqa: E402
from bot.classify.label_words import LIGHT_VERBS, MODIFIERS, STOP  # noqa: E402
from bot.classify.text import stem  # noqa: E402

MIN_SIZE = 3
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+")


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def contiguous(part: str, texts: list[str]) -> bool:
    want = " " + " ".join(_words(part)) + " "
    return any(want in " " + " ".join(_words(t)) + " " for t in texts)


def loose_end(part: str) -> bool:
    ws = _words(part)
    return (
        not ws or ws[0] in STOP or ws[-1] in STOP or ws[-1] in MODIFIERS or ws[-1].isdigit()
        or ws == [ws[0]] and ws[0] in LIGHT_VERBS
    )


def unknown_head(label: str) -> bool:
    head = label.split(" · ")[0].split(" (")[0].split()
    return len(head) == 1 and not head[0].isupper() and not known(head[0])


def says(label: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _words(label) if w not in STOP and not w.isdigit())


def intent_words(label: str, intent: str) -> tuple[bool, bool]:
    have = {stem(w) for w in re.split(r"[_\W]+", intent.casefold()) if w}
    mine = [stem(p) for w in _words(label) if w not in STOP for p in w.split("-")]
    hits = [m in have for m in mine]
    return bool(hits) and all(hits), any(hits)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data/banking77"))
    ap.add_argument("--set", choices=("banking77", "clinc150", "hwu64"))
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quiet", action="store_true", help="scores only")
    ap.add_argument("--test", action="store_true", help="the test split (score once)")
    args = ap.parse_args()
    data = intent_set(args.data, dev=not args.test, name=args.set)
    faults: Counter[str] = Counter()
    faulty = 0
    rows = data.rows
    named = phrase = loose = all_in = any_in = single = parts_n = same = unknown = 0
    for g, intents in enumerate(data.processes):
        texts, truth = sample(random.Random(args.seed + g), rows, intents, args.n)
        got = themes.group(texts)
        members: dict[int, list[str]] = defaultdict(list)
        true: dict[int, Counter[str]] = defaultdict(Counter)
        for t, c, k in zip(texts, truth, got, strict=True):
            if k is not None:
                members[k].append(t)
                true[k][c] += 1
        big = {k: v for k, v in members.items() if len(v) >= MIN_SIZE}
        names = themes.labels(big)
        told = Counter(says(n) for n in names.values())
        same += sum(told[says(n)] > 1 for n in names.values())
        if not args.quiet:
            print(f"\n== {data.names[g]}: {', '.join(intents)}")
        for k in sorted(big, key=lambda k: -len(big[k])):
            label, parts = names[k], names[k].split(" · ")
            top = ", ".join(f"{c} {n}" for c, n in true[k].most_common(3))
            kinds = defects(label, big[k])
            faults.update(kinds)
            faulty += bool(kinds)
            if not args.quiet:
                flag = f"  [{', '.join(kinds)}]" if kinds else ""
                print(f"  {len(big[k]):3d}  {label:42s} | {top}{flag}")
            named += 1
            single += len(parts) == 1
            parts_n += len(parts)
            phrase += all(contiguous(p, big[k]) for p in parts)
            loose += any(loose_end(p) for p in parts)
            unknown += unknown_head(label)
            a, b = intent_words(label, true[k].most_common(1)[0][0])
            all_in += a
            any_in += b
    print(
        f"\n{named} themes of {MIN_SIZE}+ remarks ({data.name} {'test' if args.test else 'dev'}, {args.n} per process, seed"
        f" {args.seed}): phrase {phrase / named:.0%}, one phrase {single / named:.0%}"
        f" ({parts_n / named:.1f} parts), loose ends {loose / named:.0%}, same name {same / named:.0%},"
        f" unknown head {unknown / named:.0%},"
        f" all words in majority intent {all_in / named:.0%}, some word {any_in / named:.0%}"
    )
    print(f"defects: {faulty} of {named} names; " + ", ".join(f"{k} {faults[k]}" for k in KINDS))


if __name__ == "__main__":
    main()
