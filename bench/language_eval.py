"""Language detection (bot/classify/language.py): accuracy on short texts, memory, speed.

Labelled texts, all read from this machine at bench time (none is in the repo):

- **Software messages** (``/usr/share/locale/<lang>/LC_MESSAGES/*.mo``): the gettext catalogues
  of the installed Debian packages (coreutils, apt, git, PostgreSQL, ...): each English message
  and its human translations into French, German, Spanish, Italian, Portuguese, Dutch, ...
  Short UI and error messages, format codes removed; the place names of the iso_* catalogues
  are left out. Their licences are the packages' own (GPL and the like); nothing is copied.
- **Fortune cookies** (Debian's ``fortunes-min``, ``fortunes-de``, ``-es``, ``-it``, ``-br``;
  ``apt-get install`` them): quotes and jokes, English, German, Spanish, Italian, Portuguese.
  There is no French set in Debian.
- **Our own English remarks**: bench/data/sentiment_eval.csv (written by us) and BANKING77's
  customer queries (``--data``), plus a hand-written list of very short English remarks.

For each, the share of English kept English (anything else would leave a readable remark
unfiled) and, for other languages, the share left for a person ("caught") and the share whose
language was named right, by length. Then the short cut's cost (non-English texts it takes
for English), the detector's memory (RSS before and after loading it) and its speed: the
classifier's throughput with and without detection in the same run (ratio).

    python bench/language_eval.py [--data ../shared/data/banking77] [--per 400]
"""

from __future__ import annotations

import argparse
import csv
import gettext
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from classify_eval import _one_core, _workspace, fresh, load_banking, load_defs  # noqa: E402

from bot.classify import WorkspaceModel, language  # noqa: E402

LOCALES = {
    "fr": ["fr"],
    "de": ["de"],
    "es": ["es"],
    "it": ["it"],
    "pt": ["pt", "pt_BR"],
    "nl": ["nl"],
    "sv": ["sv"],
    "pl": ["pl"],
    "ru": ["ru"],
    "ja": ["ja"],
}
FORTUNES = {
    "en": ["fortunes"],
    "de": ["de"],
    "es": ["es"],
    "it": ["it", "italia"],
    "pt": ["brasil"],
}
FORMAT = re.compile(
    r"%(\d+\$)?[-+ #0]*\d*(\.\d+)?[hlLqjzt]*[a-zA-Z%]|\{[^}]*\}|\$\{?\w+\}?|&(?=\w)|_(?=\w)"
)
SHORT_ENGLISH = [
    "ok thanks",
    "SSO pls",
    "pls fix SSO asap",
    "lol",
    "nope",
    "thx!!",
    "great, thanks!",
    "can u check the onboarding flow",
    "love it",
    "still broken",
    "same issue here",
    "any update on the refund?",
    "billing is wrong",
    "works now, ty",
    "export keeps timing out",
    "UI is confusing",
    "the new dashboard rocks",
    "CSV import fails on big files",
    "need SAML + SCIM",
    "pricing too high for us",
    "where's my invoice",
    "onboarding was smooth",
    "404 on the help page",
    "can we get dark mode",
    "slow again today",
    "support never answered",
    "API rate limits too low",
    "PDF export cut off",
    "renewal quote is off",
    "login loop on Safari",
]
BUCKETS = ((0, 30, "<=30 chars"), (31, 80, "31-80"), (81, 10_000, ">80"))


def _clean_message(s: str) -> str:
    return " ".join(FORMAT.sub(" ", s).split()).strip(" :.-")


def catalogue_pairs(dirs: list[str]) -> Iterator[tuple[str, str]]:
    """(English msgid, translation) from the gettext catalogues under each locale dir."""
    for d in dirs:
        for mo in sorted(Path(f"/usr/share/locale/{d}/LC_MESSAGES").glob("*.mo")):
            if mo.name.startswith("iso_"):
                continue
            try:
                with mo.open("rb") as f:
                    catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
            except Exception:  # a catalogue we cannot read: skip
                continue
            for k, v in catalog.items():
                if isinstance(k, str) and k and isinstance(v, str) and v != k:
                    yield k, v


def messages(per: int, rng: random.Random) -> dict[str, list[str]]:
    """{lang: texts} from the gettext catalogues; English from their msgids."""
    out: dict[str, set[str]] = defaultdict(set)
    for lang, dirs in LOCALES.items():
        for k, v in catalogue_pairs(dirs):
            en, other = _clean_message(k), _clean_message(v)
            if len(en) >= 4 and len(other) >= 4 and "\n" not in k:
                out["en"].add(en)
                out[lang].add(other)
    return {lang: rng.sample(sorted(v), min(per, len(v))) for lang, v in out.items()}


def fortunes(per: int, rng: random.Random) -> dict[str, list[str]]:
    base = Path("/usr/share/games/fortunes")
    out: dict[str, list[str]] = {}
    for lang, names in FORTUNES.items():
        texts: set[str] = set()
        for name in names:
            for p in [base / name] if (base / name).is_file() else sorted((base / name).glob("*")):
                if p.suffix in (".dat", ".u8") or not p.is_file():
                    continue
                raw = p.read_bytes().decode("utf-8", errors="replace")
                for rec in raw.split("\n%\n"):
                    t = " ".join(rec.split())
                    if 4 <= len(t) <= 200 and "\ufffd" not in t:
                        texts.add(t)
        if texts:
            out[lang] = rng.sample(sorted(texts), min(per, len(texts)))
    return out


def ours(data: Path, per: int, rng: random.Random) -> list[str]:
    with (ROOT / "bench/data/sentiment_eval.csv").open(encoding="utf-8") as f:
        texts = [r["text"] for r in csv.DictReader(f)]
    if data.exists():
        pool = sorted({t for v in load_banking(data).values() for t in v})
        texts += rng.sample(pool, min(per, len(pool)))
    return texts


def bucket(t: str) -> str:
    return next(name for lo, hi, name in BUCKETS if lo <= len(t) <= hi)


def score(name: str, sets: dict[str, list[str]]) -> None:
    print(f"\n{name}")
    print(
        f"  {'language':<12} {'n':>5}  {'English kept':>12}  {'caught':>7}  {'named right':>11}  "
        f"{'model alone right':>17}  by length: caught (n)"
    )
    for lang, texts in sorted(sets.items(), key=lambda kv: (kv[0] != "en", kv[0])):
        got = language.detect_many(texts)
        raw = [c for c, _, _ in language.predict_many([language.clean(t) for t in texts])]
        per_bucket: dict[str, list[bool]] = defaultdict(list)
        for t, g in zip(texts, got, strict=True):
            per_bucket[bucket(t)].append(g == "en" if lang == "en" else g != "en")
        n = len(texts)
        alone = sum(r == lang for r in raw) / n
        lengths = "  ".join(
            f"{b} {sum(v) / len(v):.2f} ({len(v)})"
            for _, _, b in BUCKETS
            if (v := per_bucket.get(b))
        )
        if lang == "en":
            kept = sum(g == "en" for g in got) / n
            print(
                f"  {lang:<12} {n:>5}  {kept:>12.3f}  {'':>7}  {'':>11}  {alone:>17.3f}  {lengths}"
            )
        else:
            caught = sum(g != "en" for g in got) / n
            right = sum(g == lang for g in got) / n
            print(
                f"  {lang:<12} {n:>5}  {'':>12}  {caught:>7.3f}  {right:>11.3f}  {alone:>17.3f}  {lengths}"
            )


def shortcut_cost(sets: dict[str, list[str]]) -> None:
    taken: dict[str, float] = {}
    for lang, texts in sets.items():
        hits = 0
        for t in texts:
            c = language.clean(t)
            words = language._WORD.findall(c.lower())  # noqa: SLF001 - the bench measures the rule itself
            if language.enough_letters(words) and language.short_cut(words):
                hits += 1
        taken[lang] = hits / max(1, len(texts))
    print("\nSHORT CUT (ASCII words, enough English function words → English, the model not asked)")
    print("  share taken: " + ", ".join(f"{k} {v:.3f}" for k, v in sorted(taken.items())))


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def memory() -> str:
    before = rss_mb()
    language._model()  # noqa: SLF001 - load it now, to measure it
    after = rss_mb()
    return f"MEMORY  detector (lid.176.ftz via fasttext-predict): RSS +{after - before:.1f} MB"


def sweep(sets: dict[str, list[str]]) -> None:
    """English kept and other languages caught (pooled over the sets) at other thresholds."""
    print("\nTHRESHOLD (pooled: every English text above / every other text)")
    keep = language.THRESHOLD
    for th in (0.4, 0.5, 0.6, 0.7, 0.8):
        language.THRESHOLD = th
        en = [
            g == "en" for k, v in sets.items() if k.endswith("-en") for g in language.detect_many(v)
        ]
        other = [
            g != "en"
            for k, v in sets.items()
            if not k.endswith("-en")
            for g in language.detect_many(v)
        ]
        print(
            f"  {th:.1f}{' (shipped)' if th == keep else '':<10}  English kept {sum(en) / len(en):.3f} "
            f"({len(en) - sum(en)} of {len(en)} lost)   others caught {sum(other) / len(other):.3f} (n={len(other)})"
        )
    language.THRESHOLD = keep


def memory_and_speed(data: Path, n: int) -> None:
    _one_core()
    if not data.exists():
        print("  (no BANKING77 at --data: speed not measured)")
        return
    rows = load_banking(data)
    rng = random.Random(5)
    specs, examples, _ = _workspace(rows, load_defs(), rng, 10, 20)
    model = WorkspaceModel.build(specs, examples)
    pool = sorted({t for v in rows.values() for t in v})
    rng.shuffle(pool)
    texts = pool[:n]
    model.classify("warm up")
    language.predict_many(["warm up the language model"])  # loaded once, outside the timing
    detect = language.detect_many

    def run(with_detection: bool) -> float:
        language.detect_many = detect if with_detection else (lambda ts: ["en"] * len(ts))  # type: ignore[assignment]
        fresh()
        t0 = time.perf_counter()
        for t in texts:
            model.classify(t)
        return n / (time.perf_counter() - t0)

    rates = [(run(True), run(False)) for _ in range(3)]
    language.detect_many = detect  # type: ignore[assignment]
    t0 = time.perf_counter()
    for t in texts:
        detect([t])
    per = (time.perf_counter() - t0) / n * 1e6
    asked = sum(1 for t in texts if _asks_model(t)) / n
    print(f"SPEED  one core, {n} distinct BANKING77 remarks one at a time (3 alternating runs)")
    for i, (w, wo) in enumerate(rates, 1):
        print(
            f"  run {i}: with detection {w:>6.0f} remarks/s, without {wo:>6.0f}/s, ratio {w / wo:.2f}"
        )
    med = sorted(w / wo for w, wo in rates)[1]
    print(
        f"  median ratio with/without: {med:.2f}; detection alone {per:.0f} µs a remark; "
        f"{asked:.1%} of these remarks reach the model (the rest: too short or the short cut)"
    )


def _asks_model(t: str) -> bool:
    c = language.clean(t)
    words = language._WORD.findall(c.lower())  # noqa: SLF001
    return language.enough_letters(words) and not language.short_cut(words)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/banking77")
    ap.add_argument("--per", type=int, default=400, help="texts per language and source")
    ap.add_argument("--n", type=int, default=3000, help="remarks for the speed runs")
    args = ap.parse_args()
    rng = random.Random(23)
    print(memory())
    print(
        f"rules: at least {language.MIN_LETTERS} letters, the short cut at a share of "
        f"{language.CUE_SHARE}, the model at least {language.THRESHOLD} sure"
    )
    msgs = messages(args.per, rng)
    if msgs:
        score("SOFTWARE MESSAGES (gettext catalogues of this machine's Debian packages)", msgs)
    fort = fortunes(args.per, rng)
    if fort:
        score("FORTUNE COOKIES (Debian fortunes-*)", fort)
    else:
        print(
            "\n(no fortunes installed: apt-get install fortunes-min fortunes-de fortunes-es fortunes-it fortunes-br)"
        )
    mine = {"en": ours(args.data, args.per, rng)}
    score("OUR ENGLISH REMARKS (bench/data/sentiment_eval.csv + BANKING77 queries)", mine)
    score("VERY SHORT ENGLISH REMARKS (hand-written, in this file)", {"en": SHORT_ENGLISH})
    pooled = {
        **{f"msg-{k}": v for k, v in msgs.items()},
        **{f"fortune-{k}": v for k, v in fort.items()},
        "ours-en": mine["en"],
        "short-en": SHORT_ENGLISH,
    }
    shortcut_cost(pooled)
    sweep(pooled)
    memory_and_speed(args.data, args.n)


if __name__ == "__main__":
    main()
