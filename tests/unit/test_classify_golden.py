"""Recorded predictions of the per-remark path, so a speed-up that changes one shows.

320 of our own remarks (the first 25, or fewer, of each bench/data CSV in FILES, MIT) go one at a time
through a workspace model of 10 BANKING77 process definitions (names, descriptions and
keywords only, so no public data is needed; threshold 0, so each is filed under its best
process) and through the themes of that process, as the bot files them. Their process, confidence, tone, idea
probability, language and theme are compared with tests/unit/classify_golden.json.
bench/prediction_dump.py is the full check (26,000 predictions, every float to 1e-9);
this one runs in the suite. Scores may move by a few units in their last rounded place
(another machine's BLAS adds float32 products in another order: on this AVX2-only EPYC
machine 55 of the 960 recorded scores moved by up to 7e-4); labels and themes may not.

A change meant to move predictions rewrites the file:
    python tests/unit/test_classify_golden.py --write
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("classify_golden.json")
PROCESSES = ("card arrival", "card payment fee charged", "cash withdrawal not recognised",
             "change pin", "declined transfer", "exchange rate", "lost or stolen card",
             "pending top up", "refund not showing up", "verify my identity")
# Floats are recorded rounded to 4 places; another CPU's float32 kernels move some by up to
# 7e-4 (seen), so 2e-3 is allowed. A change meant to move predictions moves labels or themes.
TOLERANCE = 2e-3


# A fixed list, so a new bench file does not change what is compared.
FILES = ("ideas_business_check", "ideas_business_check2", "ideas_business_dev", "ideas_business_dev2",
         "ideas_business_dev3", "sentiment_eval", "tone_business_check", "tone_business_check2",
         "tone_business_dev", "tone_business_dev2", "tone_business_dev3", "tone_business_dev4",
         "tone_business_dev5")


def _texts() -> list[str]:
    out = []
    for name in FILES:
        with (ROOT / "bench/data" / f"{name}.csv").open(newline="", encoding="utf-8") as fh:
            out += [r["text"] for r in csv.DictReader(fh)][:25]
    return out


def predictions() -> list[list]:
    from bot.classify import ProcessSpec, WorkspaceModel, themes
    from bot.domain.processes.process_file import load_processes

    np.random.seed(1234)  # the LR layer's liblinear solver draws from numpy's generator
    text = (ROOT / "bench/data/banking77_processes.yaml").read_text(encoding="utf-8")
    defs = {d.name: d for d in load_processes(text)}
    specs = [ProcessSpec(name.replace(" ", "_"), defs[name].name, defs[name].description,
                         defs[name].keywords) for name in PROCESSES]
    model = WorkspaceModel.build(specs, threshold=0.0)
    groups: dict[str, themes.Grouper] = {}
    rows = []
    for t in _texts():
        c = model.classify(t)
        v = themes.vector(t)
        key = c.routing.process_key
        theme = None if v is None or key is None else groups.setdefault(key, themes.Grouper()).file(v)
        rows.append([key, round(c.routing.confidence, 4), c.sentiment.label,
                     round(c.sentiment.score, 4), c.sentiment.tone,
                     None if c.sentiment.suggestion is None else round(c.sentiment.suggestion, 4),
                     c.language, theme])
    # Themes as they stand at the end (a later merge folds a key into another).
    for r in rows:
        if r[7] is not None:
            r[7] = groups[r[0]].final(r[7])
    return rows


def test_predictions_are_the_recorded_ones():
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = predictions()
    texts = _texts()
    assert len(got) == len(want) == len(texts)
    for text, a, b in zip(texts, want, got, strict=True):
        for x, y in zip(a, b, strict=True):
            if isinstance(x, float) and isinstance(y, float):
                assert abs(x - y) <= TOLERANCE, (text, a, b)
            else:
                assert x == y, (text, a, b)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] == ["--write"]:
        rows = ",\n".join(json.dumps(r) for r in predictions())
        GOLDEN.write_text(f"[\n{rows}\n]\n", encoding="utf-8")
        print(f"wrote {GOLDEN}")
