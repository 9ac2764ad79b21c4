"""Refit the general tone model (general_tone.py) from the shipped data.

    python -m bot.classify.general_tone_fit

writes data/general_tone.json. Kept apart from general_tone.py because fitting needs the
tone features of sentiment.py, which itself uses the fitted model at run time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from .general_tone import CLASSES, WEIGHTS_FILE, GeneralTone, features, rated_rows
from .sentiment import shipped_examples, tone_features

LR_C = 0.3
# Our remarks' weight against a rated snippet's: complaints without a negative word
# ("the invoice doesn't match the quote") must stay complaints (bench/general_tone_dev.py).
BUSINESS_WEIGHT = 15.0


def fit(rated: Iterable[tuple[str, str]], business: Iterable[tuple[str, str]],
        business_weight: float = BUSINESS_WEIGHT) -> GeneralTone:
    """Class-balanced logistic regression over ``features``; business rows weigh more."""
    rows = [(t, lab, 1.0) for t, lab in rated] + [(t, lab, business_weight) for t, lab in business]
    x = np.vstack([features(tone_features(t)[0], t) for t, _, _ in rows])
    y = np.array([CLASSES.index(lab) for _, lab, _ in rows])
    lr = LogisticRegression(C=LR_C, max_iter=3000, class_weight="balanced")
    lr.fit(x, y, sample_weight=np.array([w for _, _, w in rows]))
    assert list(lr.classes_) == [0, 1, 2]
    return GeneralTone(lr.coef_.T.copy(), lr.intercept_.copy())


def fit_shipped_data() -> GeneralTone:
    return fit(rated_rows(), shipped_examples())


def main() -> None:
    """Refit from the shipped data and write the weights file."""
    model = fit_shipped_data()
    path = Path(__file__).parent / WEIGHTS_FILE
    about = "bot/classify/general_tone.py; refit with python -m bot.classify.general_tone_fit"
    rows = ",\n".join(json.dumps([round(float(v), 7) for v in row]) for row in model.coef.T)
    intercept = json.dumps([round(float(v), 7) for v in model.intercept])
    # One line per class, so a refit's diff stays readable.
    path.write_text(f'{{"about": {json.dumps(about)},\n"classes": {json.dumps(list(CLASSES))},\n'
                    f'"coef": [\n{rows}\n],\n"intercept": {intercept}}}\n', encoding="utf-8")
    print(f"wrote {path} ({model.coef.shape[0]} features x {len(CLASSES)} classes)")


if __name__ == "__main__":
    main()
