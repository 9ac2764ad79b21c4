"""A general tone model, learnt from people's ratings of informal text.

The shipped tone regression (sentiment.py) learns from a few hundred business remarks,
so on text in another register (a tweet, a chat aside) it leans on words that only mean
something in ours ("again", "the", "was" read as complaint cues). This model adds
what 20-odd raters per snippet said of 7,908 informal texts: VADER's ground truth
(Hutto & Gilbert, ICWSM 2014; MIT, bot/classify/data/rated/LICENSE.txt), tweets 4,200
and Amazon review snippets 3,708, plus our remarks at weight 10 (15 before issue 23's
second pass) so the business register (complaints without a negative word: "the invoice
doesn't match the quote") stays in view.

Its features carry over to unseen text because none is a word of the training set: the
shipped tone features (VADER's scores with our lexicon, phrase-rule and request cues)
and the remark's mean word vector, which routing computes anyway. Per remark it costs
one 265 x 3 product.

The fitted weights ship in data/general_tone.json; ``python -m bot.classify.general_tone_fit``
refits them from the files above (a test checks the two agree). The choice of data,
C and mixing weight was made on training data and dev splits only: see
docs/classifier.md, "General tone".
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from . import wordvectors
from .customer_phrases import drop_handles
from .types import POLARITIES as CLASSES

# Share of the mixed logits that comes from this model: (1 - w) z_shipped + w z_general.
# More did better on tweets but read situational complaints as neutral
# (bench/general_tone_dev.py).
GENERAL_WEIGHT = 0.5
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
    return np.concatenate([dense, wordvectors.embed(drop_handles(text))])


@dataclass(frozen=True)
class GeneralTone:
    coef: np.ndarray  # (n_features, 3), columns in CLASSES order
    intercept: np.ndarray  # (3,)

    def logits(self, dense: np.ndarray, text: str) -> np.ndarray:
        """``features(dense, text) @ coef + intercept``, without building the 265-vector."""
        n = dense.shape[0]
        return dense @ self.coef[:n] + wordvectors.embed(drop_handles(text)) @ self.coef[n:] + self.intercept


@lru_cache(maxsize=1)
def shipped() -> GeneralTone:
    raw = json.loads(resources.files("bot.classify").joinpath(WEIGHTS_FILE).read_text("utf-8"))
    assert tuple(raw["classes"]) == CLASSES
    return GeneralTone(np.asarray(raw["coef"], dtype=np.float64).T.copy(),
                       np.asarray(raw["intercept"], dtype=np.float64))
