"""Language detection on short remarks (under ``language.MIN_LETTERS`` letters): the rule
before (always English) against ``language.short_need`` (ask the model when the words are
mostly not English), in the same run.

English (every text of each set that is that short, read from this machine, none in the repo):
CLINC150 train+val, HWU64 trainset, GoEmotions train, the airline tweets, BANKING77, TweetEval
val, and bench/language_eval.py's hand-written short English remarks. Other languages: the short
translations of this machine's gettext catalogues (as bench/language_eval.py reads them, only
those that differ from their English), and short remarks written for this bench (SHORT_OTHER).

    python bench/language_short.py [--data ../shared/data/banking77] [--public ../data/public]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from language_eval import LOCALES, SHORT_ENGLISH, _clean_message, catalogue_pairs  # noqa: E402

from bot.classify import language  # noqa: E402

SHORT_OTHER = {
    "fr": ["très lent", "merci", "merci!", "c'est nul", "trop cher", "pas mal", "génial", "nul",
           "parfait", "super lent", "ça marche pas", "bof", "trop lent", "impeccable", "déçu",
           "ça plante", "facture fausse", "bravo l'équipe"],
    "de": ["danke", "sehr langsam", "vielen dank", "danke schön", "bitte", "kaputt", "zu teuer",
           "super, danke", "geht nicht", "schlecht", "toll", "Mist", "sehr gut", "läuft nicht"],
    "es": ["muy lento", "gracias", "no funciona", "gracias!!", "ayuda", "perfecto", "muy caro",
           "fatal", "genial", "qué lento", "excelente"],
    "pt": ["muito lento", "obrigado", "não funciona", "perfeito", "muito caro", "péssimo", "ótimo",
           "obrigada", "travou"],
    "it": ["molto lento", "grazie", "non funziona", "ottimo", "troppo caro", "pessimo",
           "grazie mille", "lentissimo", "bellissimo"],
    "nl": ["erg traag", "bedankt", "werkt niet", "goed", "slecht", "te duur", "dank je",
           "heel fijn", "kapot"],
    "ja": ["遅い", "最高", "高い", "ありがとう", "使いにくい"],
}


def is_short(text: str) -> bool:
    words = language._WORD.findall(language.clean(text).lower())  # noqa: SLF001
    return bool(words) and not language.enough_letters(words)


def english(public: Path, banking: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    clinc = json.loads((public / "clinc150/data_full.json").read_text(encoding="utf-8"))
    out["clinc150"] = [t for k in ("train", "val") for t, _ in clinc[k]]
    for p in sorted((public / "hwu64/trainset").glob("*.csv")):
        with p.open(encoding="utf-8", errors="replace") as f:
            out["hwu64"] += [r["answer_from_anno"] for r in csv.DictReader(f, delimiter=";")]
    with (public / "goemotions/train.tsv").open(encoding="utf-8") as f:
        out["goemotions"] = [line.split("\t")[0] for line in f]
    out["tweeteval"] = (public / "tweeteval/val_text.txt").read_text(encoding="utf-8").split("\n")
    with (public / "airline/Tweets.csv").open(encoding="utf-8") as f:
        out["airline"] = [r["text"] for r in csv.DictReader(f)]
    with (banking / "train.csv").open(encoding="utf-8") as f:
        out["banking77"] = [r["text"] for r in csv.DictReader(f)]
    sets = {k: sorted({t for t in v if is_short(t)}) for k, v in out.items()}
    sets["hand-written"] = [t for t in SHORT_ENGLISH if is_short(t)]
    return sets


def catalogues() -> dict[str, list[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for lang, dirs in {**LOCALES, "ja": ["ja"]}.items():
        for k, v in catalogue_pairs(dirs):
            other = _clean_message(v)
            if other.lower() != _clean_message(k).lower() and is_short(other):
                out[lang].add(other)
    return {k: sorted(v) for k, v in out.items() if v}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/banking77")
    ap.add_argument("--public", type=Path, default=ROOT.parent.parent / "data/public")
    args = ap.parse_args()
    shipped = language.short_need
    rules = {"before (English)": lambda text, words: None, "short_need": shipped}

    def run(texts: list[str]) -> dict[str, list[str]]:
        got = {}
        for name, rule in rules.items():
            language.short_need = rule  # type: ignore[assignment]
            got[name] = language.detect_many(texts)
        language.short_need = shipped  # type: ignore[assignment]
        return got

    print(f"Texts under {language.MIN_LETTERS} letters. English: lost to another language "
          "(left unfiled though readable)")
    total = {name: 0 for name in rules}
    n_all = 0
    for name, texts in english(args.public, args.data).items():
        got = run(texts)
        lost = {r: sum(c != "en" for c in g) for r, g in got.items()}
        n_all += len(texts)
        for r in rules:
            total[r] += lost[r]
        print(f"  {name:<13} n={len(texts):>5}  " + "  ".join(f"{r}: {v}" for r, v in lost.items()))
        new = [f"{t!r}→{c}" for t, c in zip(texts, got["short_need"], strict=True) if c != "en"]
        if new:
            print("      " + ", ".join(new))
    print(f"  all           n={n_all:>5}  " + "  ".join(f"{r}: {v}" for r, v in total.items()))
    for title, sets in (("Hand-written short remarks (SHORT_OTHER)", SHORT_OTHER),
                        ("Software messages (gettext)", catalogues())):
        print(f"\n{title}: caught (left for a person) / named right")
        for lang, texts in sets.items():
            got = run(texts)
            cells = "  ".join(f"{r}: {sum(c != 'en' for c in g) / len(texts):.2f} / "
                              f"{sum(c == lang for c in g) / len(texts):.2f}" for r, g in got.items())
            print(f"  {lang:<4} n={len(texts):>5}  {cells}")
        if title.startswith("Hand"):
            got = run([t for v in sets.values() for t in v])["short_need"]
            texts = [t for v in sets.values() for t in v]
            print("      missed: " + ", ".join(t for t, c in zip(texts, got, strict=True) if c == "en"))


if __name__ == "__main__":
    main()
