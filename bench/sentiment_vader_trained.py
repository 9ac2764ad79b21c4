"""Experiment, NOT shipped: does a tone model learnt from VADER's human-rated sets lift
Earshot's sentiment on general social text? Prints figures only (no asserts).

The model tried: a class-balanced logistic regression over features meant to generalise
(the remark's mean WordLlama word vector, bot/classify/wordvectors.py; VADER's scores with
Earshot's business lexicon; the phrase-rule and request cues of bot/classify/lexicon.py),
trained on VADER's tweet (4,200) and Amazon-review (3,708) ground truth (mean human
rating -4..+4, neutral for |rating| < 0.5) plus Earshot's own training remarks (weight 5),
and mixed with the shipped tone model as ``(1 - A) log p_shipped + A log p_general``.

Chosen on the training data only: 5-fold cross-validation on VADER's tweets (printed
first; also tried: all four VADER sets, C = 1, business weight 1, neutral band 0.75,
all lower on the CV). The public test sets (TweetEval test, airline test part) were then
scored once with that choice. Because VADER's tweets are training data here, their row is
a cross-validated figure, not an evaluation.

    python bench/sentiment_vader_trained.py --vader DIR [--data DIR]

DIR for --vader holds ``tweets_GroundTruth.txt`` and ``amazonReviewSnippets_GroundTruth.txt``
from ``additional_resources/hutto_ICWSM_2014.tar.gz`` in github.com/cjhutto/vaderSentiment
(MIT). --data as for bench/sentiment_eval.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sentiment_eval as se  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from bot.classify.lexicon import WORDS, is_request, phrase_scores  # noqa: E402
from bot.classify.sentiment import SentimentModel  # noqa: E402
from bot.classify.text import normalise  # noqa: E402
from bot.classify.wordvectors import embed  # noqa: E402

CLASSES = ("praise", "complaint", "neutral")
MIX = (0.0, 0.3, 0.5, 0.7, 0.85, 1.0)
CHOSEN_MIX = 0.7
BUSINESS_WEIGHT = 5.0
C = 0.3

_plain = SentimentIntensityAnalyzer()
_business = SentimentIntensityAnalyzer()
_business.lexicon.update(WORDS)


def features(text: str) -> np.ndarray:
    """The general model's features: lexicon scores and cues, then the word vector."""
    norm = normalise(text)
    vs = _business.polarity_scores(norm[:1000])
    low = " ".join(norm.lower().replace("'", "").replace("’", "").split())
    ppos, pneg = phrase_scores(low)
    req = 1.0 if is_request(low) else 0.0
    lexical = vs["compound"] + 0.25 * (ppos - pneg)
    dense = [vs["compound"], vs["pos"] * 2, vs["neg"] * 2, min(ppos, 5.0) / 2,
             min(pneg, 5.0) / 2, req, req * lexical, float(np.tanh(lexical)), 1.0]
    return np.concatenate([np.asarray(dense, dtype=np.float32), embed(text)])


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(x, y, sample_weight=w)


def mixed(shipped: np.ndarray, general: np.ndarray, a: float) -> list[str]:
    z = (1 - a) * np.log(shipped + 1e-9) + a * np.log(general + 1e-9)
    return [CLASSES[i] for i in z.argmax(axis=1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vader", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=Path(os.environ.get(
        "EARSHOT_PUBLIC_DATA", ROOT / "bench" / "data" / "public")))
    args = ap.parse_args()
    model = SentimentModel.build()
    tweets = se.rated(args.vader / "tweets_GroundTruth.txt")
    amazon = se.rated(args.vader / "amazonReviewSnippets_GroundTruth.txt")
    business = se.our_training_set()
    xt = np.vstack([features(t) for t, _ in tweets])
    yt = np.array([CLASSES.index(g) for _, g in tweets])
    rest = amazon + business
    xr = np.vstack([features(t) for t, _ in rest])
    yr = np.array([CLASSES.index(g) for _, g in rest])
    wr = np.array([1.0] * len(amazon) + [BUSINESS_WEIGHT] * len(business))

    print("Training data only: 5-fold CV on VADER's tweets (amazon + ours always in training)")
    general = np.zeros((len(tweets), 3))
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(xt, yt):
        lr = fit(np.vstack([xt[tr], xr]), np.concatenate([yt[tr], yr]),
                 np.concatenate([np.ones(len(tr)), wr]))
        general[te] = lr.predict_proba(xt[te])
    gold = [g for _, g in tweets]
    ship = se.shipped_probs(model, [t for t, _ in tweets])
    for a in MIX:
        mark = "  <- chosen" if a == CHOSEN_MIX else ""
        print(f"  mix A = {a:4}: macro-recall (praise / complaint / neutral) "
              f"{se.recalls(gold, mixed(ship, general, a))}{mark}")

    lr = fit(np.vstack([xt, xr]), np.concatenate([yt, yr]), np.concatenate([np.ones(len(yt)), wr]))
    print(f"\nPublic test sets, scored once with A = {CHOSEN_MIX} "
          "(macro-recall, then praise / complaint / neutral recall)")
    sets = [("TweetEval sentiment test", se.tweeteval),
            ("Twitter US Airline Sentiment, test 4/5", se.airline),
            ("bench/data/sentiment_eval.csv (ours; regression only)", se.ours_regression)]
    for name, load in sets:
        try:
            rows = load(args.data)
        except OSError as exc:
            print(f"  {name}: missing ({exc.filename}); see bench/data/public/README.md")
            continue
        texts, gold = [t for t, _ in rows], [g for _, g in rows]
        ship = se.shipped_probs(model, texts)
        gen = lr.predict_proba(np.vstack([features(t) for t in texts]))

        def vader(t: str) -> str:
            c = _plain.polarity_scores(t)["compound"]
            return "praise" if c >= 0.05 else "complaint" if c <= -0.05 else "neutral"

        print(f"  {name} (n = {len(rows)})")
        print(f"    VADER                 {se.recalls(gold, [vader(t) for t in texts])}")
        print(f"    Earshot (shipped)     {se.recalls(gold, mixed(ship, gen, 0.0))}")
        print(f"    general model alone   {se.recalls(gold, mixed(ship, gen, 1.0))}")
        print(f"    mixed, A = {CHOSEN_MIX}        {se.recalls(gold, mixed(ship, gen, CHOSEN_MIX))}")


if __name__ == "__main__":
    main()
