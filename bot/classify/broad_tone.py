"""A broad tone model: general posts read by many people, with their own words.

The general tone model (general_tone.py) reads no word of its training text, only the
lexicon features and the mean word vector. This one adds stemmed words (negation-marked,
as the business regression's) learnt from 54k texts rated or labelled by people:
GoEmotions' training split (Demszky et al. 2020, Google; Apache-2.0, Reddit comments in
its authors' positive / negative / neutral grouping, two-group and ambiguous rows dropped;
bench/data/public/goemotions/ with its licence), VADER's rated tweets and Amazon snippets
(MIT, data/rated/) and our remarks at weight 5. With that many texts a word's weight says
how people use it in general, which the few hundred business remarks cannot.

Mixed last, over the business + general logits: ``(1 - w) z + w z_broad``. Per remark it
costs a 265 x 3 product and a dict walk over the remark's stems (about 9k stems ship).
The weights ship in data/broad_tone.json; ``python -m bot.classify.general_tone_fit``
refits them with the general model. Chosen on dev parts only (docs/classifier.md,
"General tone").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from . import wordvectors
from .customer_phrases import drop_handles
from .types import POLARITIES as CLASSES

# Share of the broad model in the final logits; chosen on dev parts (0, 0.3, 0.5, 0.7, 0.85).
BROAD_WEIGHT = 0.3
# A stem's value in the design matrix (binary bag of words scaled so the dense features lead).
TOKEN_SCALE = 0.5
# A stem must occur in this many training texts to get a weight.
MIN_DF = 3
WEIGHTS_FILE = "data/broad_tone.json"


@dataclass(frozen=True)
class BroadTone:
    coef: np.ndarray  # (9 + 256, 3): tone features then the word vector, columns in CLASSES order
    token_w: dict[str, tuple[float, float, float]]  # already multiplied by TOKEN_SCALE
    intercept: np.ndarray  # (3,)

    def logits(self, dense: np.ndarray, text: str, toks: tuple[str, ...]) -> np.ndarray:
        n = dense.shape[0]
        z = dense @ self.coef[:n] + wordvectors.embed(drop_handles(text)) @ self.coef[n:] + self.intercept
        z0 = z1 = z2 = 0.0
        get = self.token_w.get
        for tok in toks:
            w = get(tok)
            if w is not None:
                z0 += w[0]
                z1 += w[1]
                z2 += w[2]
        return z + np.array((z0, z1, z2))


@lru_cache(maxsize=1)
def shipped() -> BroadTone:
    raw = json.loads(resources.files("bot.classify").joinpath(WEIGHTS_FILE).read_text("utf-8"))
    assert tuple(raw["classes"]) == CLASSES
    tokens = {tok: (float(a), float(b), float(c)) for tok, (a, b, c) in raw["tokens"].items()}
    return BroadTone(np.asarray(raw["coef"], dtype=np.float64).T.copy(), tokens,
                     np.asarray(raw["intercept"], dtype=np.float64))
