"""Neutral on customer remarks (issue 23, item 5): what moves it on dev parts. Prints figures.

On the dev parts only (the airline set's dev fifth, rows 0, 5, 10, ...; TweetEval's
validation split; GoEmotions' dev split, first 3,000 rows; our regression set), each line a
macro-recall (praise / complaint / neutral):
* the shipped model, then calibrations of its neutral band on its own log-probabilities: a
  neutral or praise offset, a neutral offset only for questions, asks ("please ..."), remarks
  with a link or with no lexical cue, and "neutral when within m of the top";
* ``--rows CSV[,CSV]``: all three tone models refit with these rows (text,label) added to
  our training remarks, as ``python -m bot.classify.general_tone_fit`` would (about 2 min
  of CPU per run), then the business dev sets (tone_business_dev*.csv) too;
  bench/data/neutral_rows_tried*.csv hold the rows tried;
* ``--ceiling``: a diagnostic, never shipped (it trains on the non-commercial set): a
  class-balanced LR over the general model's 265 features plus the shipped log-probabilities,
  5-fold CV on the airline dev fifth itself: what our features reach with in-domain labels.

    python bench/neutral_dev.py --data DIR [--rows CSV] [--ceiling]

Test sets: bench/sentiment_eval.py, once, at the end.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import general_tone_dev as gd  # noqa: E402
import sentiment_eval as se  # noqa: E402

from bot.classify import broad_tone, general_tone, general_tone_fit, sentiment  # noqa: E402
from bot.classify.lexicon import is_request  # noqa: E402
from bot.classify.sentiment import lower_text, tone_features  # noqa: E402

Adjust = Callable[[str, np.ndarray], tuple[float, float, float]]


def dev_sets(data: Path) -> dict[str, se.Rows]:
    sets = {"airline dev": gd.airline_dev(data), "TweetEval val": gd.tweeteval_val(data),
            "GoEmotions dev": gd.goemotions_dev(data)[:3000], "ours": se.ours_regression(data)}
    return sets


def refit_with(rows: list[tuple[str, str]]) -> None:
    """Refit the business, general and broad models with ``rows`` added to our remarks."""
    ours = tuple(sentiment.shipped_examples()) + tuple(rows)
    sentiment.shipped_examples = lambda: ours  # type: ignore[assignment]
    general = general_tone_fit.fit(general_tone.rated_rows(), ours)
    broad = general_tone_fit.fit_broad(
        [(t, lab, 1.0) for t, lab in general_tone_fit.goemotions_rows() + general_tone.rated_rows()]
        + [(t, lab, general_tone_fit.BROAD_BUSINESS_WEIGHT) for t, lab in ours])
    general_tone.shipped = lambda: general  # type: ignore[assignment]
    broad_tone.shipped = lambda: broad  # type: ignore[assignment]
    sentiment._mixed_dense.cache_clear()
    sentiment._base_regression.cache_clear()


def margin_rule(logp: np.ndarray, m: float) -> np.ndarray:
    """Neutral when it is second and within ``m`` (probability) of the top class."""
    p = np.exp(logp)
    p /= p.sum(axis=1, keepdims=True)
    order = np.argsort(p, axis=1)
    top = order[:, 2].copy()
    gap = np.take_along_axis(p, order[:, 2:], 1)[:, 0] - np.take_along_axis(p, order[:, 1:2], 1)[:, 0]
    top[(order[:, 1] == 2) & (gap < m)] = 2
    return top


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path(os.environ.get(
        "EARSHOT_PUBLIC_DATA", ROOT / "bench" / "data" / "public")))
    ap.add_argument("--rows", default="", help="CSV files (text,label) to add, comma-separated")
    ap.add_argument("--ceiling", action="store_true")
    args = ap.parse_args()
    sets = dev_sets(args.data)
    if args.rows:
        extra: list[tuple[str, str]] = []
        for name in args.rows.split(","):
            with open(name, encoding="utf-8", newline="") as f:
                extra += [(r["text"], r["label"]) for r in csv.DictReader(f)]
        print(f"refitting the three tone models with {len(extra)} rows added")
        refit_with(extra)
    model = sentiment.SentimentModel.build()
    logp = {k: np.log(se.shipped_probs(model, [t for t, _ in r]) + 1e-12) for k, r in sets.items()}
    dense = {k: [tone_features(t)[0] for t, _ in r] for k, r in sets.items()}

    def line(label: str, pick: Callable[[str], np.ndarray]) -> None:
        cells = [f"{k} {se.recalls([g for _, g in r], [se.CLASSES[i] for i in pick(k)])}"
                 for k, r in sets.items()]
        print(f"{label:34} " + " | ".join(cells))

    def offset(fn: Adjust) -> Callable[[str], np.ndarray]:
        def pick(k: str) -> np.ndarray:
            adj = np.array([fn(t, d) for (t, _), d in zip(sets[k], dense[k], strict=True)])
            return (logp[k] + adj).argmax(axis=1)
        return pick

    line("refit with the rows" if args.rows else "shipped", lambda k: logp[k].argmax(axis=1))
    if args.rows:
        for i in ("", "2", "3", "4", "5", "6"):
            with open(ROOT / "bench" / "data" / f"tone_business_dev{i}.csv", encoding="utf-8",
                      newline="") as f:
                rows = [(r["text"], r["label"]) for r in csv.DictReader(f)]
            pred = [model.predict(t).tone for t, _ in rows]
            print(f"tone_business_dev{i}.csv {se.recalls([g for _, g in rows], pred)}")
        return
    for n in (0.2, 0.4, 0.6):
        line(f"neutral +{n}", offset(lambda t, d, n=n: (0.0, 0.0, n)))
    for p in (0.3,):
        for n in (0.0, 0.2, 0.4):
            line(f"praise -{p}, neutral +{n}", offset(lambda t, d, p=p, n=n: (-p, 0.0, n)))
    cues: dict[str, Callable[[str, np.ndarray], bool]] = {
        "question (?)": lambda t, d: "?" in t,
        "ask (is_request)": lambda t, d: is_request(lower_text(t)),
        "link": lambda t, d: "http" in t,
        "no lexical cue": lambda t, d: not (d[1] or d[2] or d[3] or d[4]),
    }
    for name, cue in cues.items():
        for n in (0.3, 0.6, 0.9):
            line(f"{name} neutral +{n}",
                 offset(lambda t, d, cue=cue, n=n: (0.0, 0.0, n if cue(t, d) else 0.0)))
    for m in (0.05, 0.1, 0.2):
        line(f"neutral within {m} of the top", lambda k, m=m: margin_rule(logp[k], m))
    if args.ceiling:
        ceiling(sets["airline dev"], logp["airline dev"])


def ceiling(rows: se.Rows, logp: np.ndarray) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    x = np.vstack([general_tone.features(tone_features(t)[0], t) for t, _ in rows]).astype(np.float64)
    gold = [g for _, g in rows]
    for name, feats in (("265 features", x), ("265 features + shipped log-probs", np.hstack([x, logp]))):
        pred = cross_val_predict(LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced"),
                                 feats, gold, cv=StratifiedKFold(5, shuffle=True, random_state=0))
        print(f"in-domain diagnostic, {name}, 5-fold CV on the dev fifth: "
              f"{se.recalls(gold, [str(p) for p in pred])}")


if __name__ == "__main__":
    main()
