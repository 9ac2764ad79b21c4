"""A remark's theme vector (themes.py): its static word vector (wordvectors.py), with its
command's verb weighed in, beside a hashed bag of its content-word stems, each block unit
length and weighted. Deterministic (a stable hash, not Python's salted ``hash``), so the
centroids a database keeps stay meaningful across processes and restarts.
"""

from __future__ import annotations

import zlib
from collections import Counter

import numpy as np

from . import wordvectors
from .command_act import act
from .command_head import head
from .text import STOPWORDS, routing_words, stem

HASH_DIM = 512
DIM = wordvectors.DIM + HASH_DIM
# Block weights (word vector, stems): chosen on the bench's dev splits with the bars
# (themes.py; bench/theme_eval.py --dev, bench/theme_sweep.py), never on a test split.
EMBED_WEIGHT = 1.5
STEM_WEIGHT = 1.0
# The verb of a command: the word a remark opens on past politeness (``can you please``,
# ``i want to``), unless that word is a question's or a function word (``what``, ``is``,
# ``my``). Its word vector is added to the remark's mean word vector with weight
# HEAD_EMBED before normalising: in a process of short commands (``set`` / ``remove`` /
# ``show`` an alarm) the remarks differ more by their slots (times, names, places) than by
# the verb that says which intent they are.
HEAD_EMBED = 0.2
# The act a remark asks for (command_act.py: *ask* or *do*), a pseudo-stem of the stem block
# at this weight (a stem said once weighs 1). In a process holding both acts over shared
# slots (post to or read a feed; order from or ask about a restaurant) it pulls one act's
# remarks together; where every remark is one act, centring takes it out. 1.2: the largest
# weight tests/unit/test_themes.py's cancel queries allow; on with themes.MERGE_EVIDENCE 0.04
# (docs/classifier.md, "Themes, eighth pass"; the seventh pass scored it alone).
ACT_WEIGHT = 1.2
# Fewer content words than this: too little to say what a remark is about.
MIN_CONTENT_WORDS = 2


def content_stems(text: str) -> list[str]:
    return [
        stem(t)
        for t in routing_words(text)
        if t not in STOPWORDS and len(t) > 1 and not t.isdigit()
    ]


def _bucket(word: str) -> int:
    return zlib.crc32(word.encode()) % HASH_DIM


def vector(text: str) -> np.ndarray | None:
    """A remark's unit-length theme vector, or None when it says too little to group."""
    stems = content_stems(text)
    if len(stems) < MIN_CONTENT_WORDS:
        return None
    out = np.zeros(DIM, dtype=np.float32)
    counts = Counter(map(_bucket, stems))
    idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
    if ACT_WEIGHT and (a := act(text)) is not None:
        b = _bucket("_a" + a)
        hit = np.flatnonzero(idx == b)
        if len(hit):
            tf[hit[0]] += ACT_WEIGHT
        else:
            idx, tf = np.append(idx, b), np.append(tf, np.float32(ACT_WEIGHT))
    out[wordvectors.DIM + idx] = STEM_WEIGHT * tf / float(np.sqrt(tf @ tf))
    emb = wordvectors.embed(text)
    if HEAD_EMBED and (h := head(text)) is not None:
        emb = emb + HEAD_EMBED * wordvectors.embed(h)
        emb = emb / max(float(np.sqrt(emb @ emb)), 1e-9)
    out[: wordvectors.DIM] = EMBED_WEIGHT * emb
    n = float(np.sqrt(out @ out))
    return out / n if n > 0 else None
