"""Count theme names a person would not write (issue 23 item 4), defect by defect.

Reads what ``earshot classify --themes`` (or ``--themes-by-process``) wrote, a CSV with
``text``, ``theme`` and ``theme_label``, and judges each theme's name against its members'
texts. Written, with its rules, before the naming was changed, and not tuned on after:

* empty: no name ("(no words)");
* article: "a" before a vowel sound or "an" before a consonant sound ("a amtrak", "an UI";
  an acronym by its first letter's name, "an SMS", "a UFO");
* name: a word no word list knows (not an acronym), or one the members capitalise
  mid-sentence at least as often as not: a brand's, a customer's or a place's name; not a
  nationality, language or cuisine word ("Thai food", "in Spanish": English capitalises
  those by rule; ``label_words.NATIONAL``, added 2026-12-07 when names began keeping them);
* stem: a word of the name no member writes (any case; "top-up" matches "top up") and no
  word list knows: a cut word ("arriv"), not another member's inflection ("charges");
* hyphen: a hyphenated word no member writes hyphenated ("set-up" for "set up");
* repeated: one content word twice (by stem: "card · cards");
* dangling: a part that starts or ends with a function word ("card without", "the fee");
* stopwords: every word a function word;
* truncated: a part that ends with a word that qualifies what follows it ("holiday · next");
* casing: a word not in the case the members write it mid-sentence most ("vat" for "VAT").

    python bench/theme_label_defects.py OUT.csv [OUT2.csv ...] [--examples N]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.classify.english import known  # noqa: E402
from bot.classify.label_words import MODIFIERS, NATIONAL, STOP  # noqa: E402
from bot.classify.text import stem  # noqa: E402

KINDS = (
    "empty", "article", "name", "stem", "hyphen", "repeated", "dangling", "stopwords",
    "truncated", "casing",
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+")
_SENTENCE = re.compile(r"[.!?\n]+")
# Letters whose name starts with a vowel sound: "an SMS", "an FAQ", "a UI".
_AN_LETTERS = set("AEFHILMNORSX")
# Vowel letters read with a consonant sound, and an "h" not said.
_YOU = ("uni", "use", "usa", "usu", "uti", "ure", "uro", "eu", "ewe", "one", "once", "ubi", "uk")
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")


def wants_an(word: str) -> bool:
    """Whether "an" goes before this word (the bench's own reading of its first sound)."""
    if len(word) >= 2 and word.isupper():
        return word[0] in _AN_LETTERS
    w = word.casefold()
    if w.startswith(_SILENT_H):
        return True
    return w[:1] in "aeiou" and not w.startswith(_YOU)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _member_forms(texts: list[str]) -> tuple[set[str], set[str], Counter[str], dict[str, Counter[str]]]:
    """Words the members write (casefolded, hyphens also split), their hyphenated words,
    capitals mid-sentence per word, and each word's forms mid-sentence."""
    have: set[str] = set()
    hyphened: set[str] = set()
    capital: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for t in texts:
        for sentence in _SENTENCE.split(t):
            for i, w in enumerate(_words(sentence)):
                f = w.casefold()
                have.add(f)
                have.update(f.split("-"))
                if "-" in f:
                    hyphened.add(f)
                if i > 0:
                    forms[f][w] += 1
                    capital[f] += w[:1].isupper() and not w.isupper()
    return have, hyphened, capital, forms


def defects(label: str, texts: list[str]) -> list[str]:
    """The kinds of defect of one theme's name (an empty list: a name a person would write)."""
    if not label.strip() or label.strip() == "(no words)":
        return ["empty"]
    found: list[str] = []
    parts = [re.sub(r"\s*\(\d+\)$", "", p).strip() for p in label.split(" · ")]
    have, hyphened, capital, forms = _member_forms(texts)
    words = [w for p in parts for w in _words(p)]
    for a, b in zip(words, words[1:], strict=False):
        if a.casefold() in ("a", "an") and (a.casefold() == "an") != wants_an(b):
            found.append("article")
            break
    content = [w for w in words if w.casefold() not in STOP]
    seen_forms = {f: sum(c.values()) for f, c in forms.items()}
    if any(
        not (len(w) >= 2 and w.isupper()) and len(w) >= 3 and w.casefold() not in NATIONAL and (
            not known(w) or (seen_forms.get(w.casefold(), 0)
                             and 2 * capital[w.casefold()] >= seen_forms[w.casefold()])
        )
        for w in content
    ):
        found.append("name")
    if any(w.casefold() not in have and not known(w)
           and w.casefold().replace("-", " ") not in " ".join(texts).casefold() for w in words):
        found.append("stem")
    if any("-" in w and w.casefold() not in hyphened for w in words):
        found.append("hyphen")
    stems = [stem(w.casefold()) for w in content]
    if len(stems) != len(set(stems)):
        found.append("repeated")
    ends = [(_words(p)[0].casefold(), _words(p)[-1].casefold()) for p in parts if _words(p)]
    if any(a in STOP or b in STOP for a, b in ends):
        found.append("dangling")
    if words and not content:
        found.append("stopwords")
    if any(b in MODIFIERS for _, b in ends):
        found.append("truncated")
    if any(
        forms.get(w.casefold()) and forms[w.casefold()].most_common(1)[0][0] != w
        and forms[w.casefold()][w] * 2 < sum(forms[w.casefold()].values())
        for w in words
    ):
        found.append("casing")
    return found


def themes_of(path: Path) -> dict[str, tuple[str, list[str]]]:
    """Theme -> (its name, its members' texts), from an ``earshot classify --themes`` CSV."""
    out: dict[str, tuple[str, list[str]]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if not r.get("theme"):
                continue
            out.setdefault(r["theme"], (r["theme_label"], []))[1].append(r["text"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--examples", type=int, default=4)
    args = ap.parse_args()
    for path in args.files:
        got = themes_of(path)
        counts: Counter[str] = Counter()
        examples: dict[str, list[str]] = defaultdict(list)
        bad = 0
        for _theme, (label, texts) in sorted(got.items()):
            kinds = defects(label, texts)
            bad += bool(kinds)
            for k in kinds:
                counts[k] += 1
                examples[k].append(f"{label} [{len(texts)}]")
        print(f"{path.name}: {len(got)} themes, {bad} names with a defect ({bad / max(len(got), 1):.1%}): "
              + ", ".join(f"{k} {counts[k]}" for k in KINDS))
        for k in KINDS:
            if examples[k] and args.examples:
                print(f"    {k}: " + " | ".join(sorted(set(examples[k]))[: args.examples]))


if __name__ == "__main__":
    main()
