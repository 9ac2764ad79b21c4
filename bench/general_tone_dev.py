"""How the general tone model's weights were chosen: dev parts only. Prints figures.

For each business weight (our remarks' weight in the general model's training) and each
share of the general part in the mix, macro-recall (praise / complaint / neutral recall)
on dev parts that no reported figure comes from:
* TweetEval's validation split (``tweeteval/val_text.txt``, ``val_labels.txt`` from
  github.com/cardiffnlp/tweeteval, ``datasets/sentiment/``; Twitter's terms, not in the repo);
* the airline set's dev fifth (rows 0, 5, 10, ... of ``airline/Tweets.csv``);
* GoEmotions' dev split (``goemotions/dev.tsv`` from github.com/monologg/GoEmotions-pytorch,
  ``data/group/``; Apache-2.0, not in the repo);
and on our regression set, where the rule was: no loss, above all on complaints without
negative words (the two remarks printed last). The shipped choice is marked. The broad
model (broad_tone.py) is left out here; its share was chosen after this grid.

    python bench/general_tone_dev.py --data DIR [--shipped]

``--shipped`` prints only the last line (the shipped model as it runs), without the grid.

A missing dev set is reported and skipped. Test sets: bench/sentiment_eval.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sentiment_eval as se  # noqa: E402

from bot.classify import broad_tone, general_tone, general_tone_fit  # noqa: E402
from bot.classify.sentiment import SentimentModel, shipped_examples, tone_features  # noqa: E402

BUSINESS_WEIGHTS = (5.0, 10.0, 15.0, 40.0)
MIXES = (0.5, 0.7, 0.85)
SITUATIONAL = ("our invoice doesn't match the quote they signed",
               "it's been a week and the account is still locked")


def tweeteval_val(d: Path) -> se.Rows:
    return se.tweeteval(d, "val")


def airline_dev(d: Path) -> se.Rows:
    return [r for i, r in enumerate(se.airline_all(d)) if i % 5 == 0]


def goemotions_dev(d: Path) -> se.Rows:
    return se.goemotions(d / "goemotions" / "dev.tsv")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path(os.environ.get(
        "EARSHOT_PUBLIC_DATA", ROOT / "bench" / "data" / "public")))
    ap.add_argument("--shipped", action="store_true", help="only the shipped model's line, no grid")
    args = ap.parse_args()
    loaders: list[tuple[str, Callable[[Path], se.Rows]]] = [
        ("TweetEval val", tweeteval_val), ("airline dev", airline_dev),
        ("GoEmotions dev", goemotions_dev), ("ours", se.ours_regression)]
    sets: dict[str, se.Rows] = {}
    for name, load in loaders:
        try:
            sets[name] = load(args.data)
        except OSError as exc:
            print(f"{name}: missing ({exc.filename}); see the docstring")
    sets["situational"] = [(t, "complaint") for t in SITUATIONAL]

    # The business regression's log-probabilities alone: mixing them is mixing its logits.
    shipped_weight, broad_weight = general_tone.GENERAL_WEIGHT, broad_tone.BROAD_WEIGHT
    general_tone.GENERAL_WEIGHT = broad_tone.BROAD_WEIGHT = 0.0
    model = SentimentModel.build()
    business = {k: np.log(se.shipped_probs(model, [t for t, _ in r]) + 1e-12) for k, r in sets.items()}
    general_tone.GENERAL_WEIGHT, broad_tone.BROAD_WEIGHT = shipped_weight, broad_weight
    feats = {k: np.vstack([general_tone.features(tone_features(t)[0], t) for t, _ in r])
             for k, r in sets.items()}

    def line(label: str, logits: dict[str, np.ndarray]) -> str:
        cells = []
        for k, r in sets.items():
            pred = [se.CLASSES[i] for i in logits[k].argmax(axis=1)]
            if k == "situational":
                cells.append("situational " + "".join(p[0] for p in pred))
            else:
                cells.append(f"{k} {se.recalls([g for _, g in r], pred)}")
        return f"{label:24} " + " | ".join(cells)

    print("macro-recall (praise / complaint / neutral); situational: c = complaint, n = neutral")
    print(line("business regression alone", business))
    rated, ours = general_tone.rated_rows(), shipped_examples()
    for bw in () if args.shipped else BUSINESS_WEIGHTS:
        fitted = general_tone_fit.fit(rated, ours, business_weight=bw)
        for mix in MIXES:
            mixed = {k: (1 - mix) * business[k] + mix * (feats[k] @ fitted.coef + fitted.intercept)
                     for k in sets}
            mark = "  <- shipped" if (bw, mix) == (general_tone_fit.BUSINESS_WEIGHT, shipped_weight) else ""
            print(line(f"weight {bw:g}, mix {mix:g}", mixed) + mark)
    # The shipped model as it runs (business + general + broad), what docs/classifier.md reports.
    shipped = {k: np.log(se.shipped_probs(model, [t for t, _ in r]) + 1e-12) for k, r in sets.items()}
    print(line("shipped, with broad", shipped))


if __name__ == "__main__":
    main()
