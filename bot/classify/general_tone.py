"""A general tone model, learnt from people's ratings of informal text.

The shipped tone regression (sentiment.py) learns from a few hundred business remarks,
so on text in another register (a tweet, a chat aside) it leans on words that only mean
something in ours ("again", "the", "was" read as complaint cues). This model adds
what 20-odd raters per snippet said of 7,908 informal texts: VADER's ground truth
(Hutto & Gilbert, ICWSM 2014; MIT, bot/classify/data/rated/LICENSE.txt), tweets 4,200
and Amazon review snippets 3,708, plus our remarks at weight 15 so the business register
(complaints without a negative word: "the invoice doesn't match the quote") stays in view.

Its features carry over to unseen text because none is a word of the training set: the
shipped tone features (VADER's scores with our lexicon, phrase-rule and request cues)
and the remark's mean word vector, which routing computes anyway. Per remark it costs
one 265 x 3 product.

The fitted weights ship in data/general_tone.json; ``python -m bot.classify.general_tone``
refits them from the files above (a test checks the two agree). The choice of data,
C and mixing weight was made on training data and dev splits only: see
docs/classifier.md, "General tone".
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from . import wordvectors
from .types import POLARITIES as CLASSES

# Share of the mixed logits that comes from this model: (1 - w) z_shipped + w z_general.
# More did better on tweets but read situational complaints as neutral
# (bench/general_tone_dev.py).
GENERAL_WEIGHT = 0.5
LR_C = 0.3
BUSINESS_WEIGHT = 15.0
# A mean rating (-4..+4) this far from 0 or further is praise or complaint.
POLAR_RATING = 0.5
RATED_FILES = ("tweets_GroundTruth.txt", "amazonReviewSnippets_GroundTruth.txt")
WEIGHTS_FILE = "data/general_tone.json"


def read_rated(text: str) -> list[tuple[str, str]]:
    """One of VADER's ground-truth files (id, mean rating -4..+4, text) as labelled rows."""
    out = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            v = float(parts[1])
            label = "praise" if v >= POLAR_RATING else "complaint" if v <= -POLAR_RATING else "neutral"
            out.append((html.unescape(parts[2]), label))
    return out


def rated_rows() -> list[tuple[str, str]]:
    """The shipped rated snippets, all files in RATED_FILES order."""
    root = resources.files("bot.classify").joinpath("data/rated")
    return [row for name in RATED_FILES for row in read_rated(root.joinpath(name).read_text("utf-8"))]


def features(dense: np.ndarray, text: str) -> np.ndarray:
    """The model's input: the shipped tone features, then the mean word vector."""
    return np.concatenate([dense, wordvectors.embed(text)])


@dataclass(frozen=True)
class GeneralTone:
    coef: np.ndarray  # (n_features, 3), columns in CLASSES order
    intercept: np.ndarray  # (3,)

    def logits(self, dense: np.ndarray, text: str) -> np.ndarray:
        n = dense.shape[0]
        return dense @ self.coef[:n] + wordvectors.embed(text) @ self.coef[n:] + self.intercept


@lru_cache(maxsize=1)
def shipped() -> GeneralTone:
    raw = json.loads(resources.files("bot.classify").joinpath(WEIGHTS_FILE).read_text("utf-8"))
    assert tuple(raw["classes"]) == CLASSES
    return GeneralTone(np.asarray(raw["coef"], dtype=np.float64).T.copy(),
                       np.asarray(raw["intercept"], dtype=np.float64))


def fit(rated: Iterable[tuple[str, str]], business: Iterable[tuple[str, str]]) -> GeneralTone:
    """Class-balanced logistic regression over ``features``; business rows weigh more."""
    from sklearn.linear_model import LogisticRegression

    from .sentiment import tone_features

    rows = [(t, lab, 1.0) for t, lab in rated] + [(t, lab, BUSINESS_WEIGHT) for t, lab in business]
    x = np.vstack([features(tone_features(t)[0], t) for t, _, _ in rows])
    y = np.array([CLASSES.index(lab) for _, lab, _ in rows])
    lr = LogisticRegression(C=LR_C, max_iter=3000, class_weight="balanced")
    lr.fit(x, y, sample_weight=np.array([w for _, _, w in rows]))
    assert list(lr.classes_) == [0, 1, 2]
    return GeneralTone(lr.coef_.T.copy(), lr.intercept_.copy())


def fit_shipped_data() -> GeneralTone:
    from .sentiment import shipped_examples

    return fit(rated_rows(), shipped_examples())


def main() -> None:
    """Refit from the shipped data and write the weights file."""
    model = fit_shipped_data()
    path = Path(__file__).parent / WEIGHTS_FILE
    about = "bot/classify/general_tone.py; refit with python -m bot.classify.general_tone"
    rows = ",\n".join(json.dumps([round(float(v), 7) for v in row]) for row in model.coef.T)
    intercept = json.dumps([round(float(v), 7) for v in model.intercept])
    # One line per class, so a refit's diff stays readable.
    path.write_text(f'{{"about": {json.dumps(about)},\n"classes": {json.dumps(list(CLASSES))},\n'
                    f'"coef": [\n{rows}\n],\n"intercept": {intercept}}}\n', encoding="utf-8")
    print(f"wrote {path} ({model.coef.shape[0]} features x {len(CLASSES)} classes)")


if __name__ == "__main__":
    main()
