"""Static word vectors: what a remark means, beyond the words it shares with a process.

TF-IDF and the thesaurus only match words (or concepts) that two texts share, so
"I was charged twice" and a process described as "duplicate payments" meet only
through the thesaurus. Averaged static token embeddings close much of that gap at
almost no cost: one tokenizer call and one mean over a few rows, about 20 µs a
remark on one core, with no model to run.

The vectors are WordLlama's ``l2_supercat`` 256-dimension token embeddings (MIT,
https://github.com/dleemiller/WordLlama), which ship *inside* its wheel, so nothing
is fetched at run time. We read the two files directly (``tokenizers`` +
``safetensors``) rather than through ``WordLlama.load()``: in 0.4.0 ``load()`` looks
for the bundled tokenizer under the wrong folder name and then tries Hugging Face,
and importing the package calls ``logging.basicConfig`` on the root logger.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from .text import normalise, words

DIM = 256
_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


class _Vectors:
    def __init__(self, root: Path) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(root / _TOKENIZER))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        with safe_open(str(root / _WEIGHTS), framework="np", device="cpu") as fh:
            table = fh.get_tensor("embedding.weight").astype(np.float32)
        self.table = np.ascontiguousarray(table)
        # The average of all token vectors is a direction every text shares; removing
        # it makes unrelated texts' cosine sit near 0, as it does for TF-IDF.
        self.common = self.table.mean(axis=0)


_lock = threading.Lock()
_loaded: _Vectors | None = None


def _vectors() -> _Vectors:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                spec = importlib.util.find_spec("wordllama")
                if spec is None or not spec.submodule_search_locations:
                    raise RuntimeError("wordllama is not installed: pip install wordllama")
                _loaded = _Vectors(Path(next(iter(spec.submodule_search_locations))))
    return _loaded


@lru_cache(maxsize=65536)
def _token_ids(word: str) -> tuple[int, ...]:
    """A word's token ids. Cached per word: the tokenizer call is most of the cost of
    a remark's vector, and words recur. The tokenizer splits on spaces first, so a
    text's ids are its words' ids in order."""
    return tuple(_vectors().tokenizer.encode(word, add_special_tokens=False).ids)


_ZERO = np.zeros(DIM, dtype=np.float32)
_ZERO.setflags(write=False)


@lru_cache(maxsize=4096)
def embed(text: str) -> np.ndarray:
    """Unit-length mean token vector of a text's words (zeros if it has none).

    Stop words stay in: "how do I" or "why was I" says what kind of question a remark
    is, and on the dev subsets keeping them did better than content words alone.
    """
    ids: list[int] = []
    for tok in words(normalise(text, emoji_cues=False)):
        ids.extend(_token_ids(tok))
    if not ids:
        return _ZERO
    vec = _vectors()
    v = vec.table[ids].mean(axis=0) - vec.common
    n = float(np.sqrt(v @ v))
    if n == 0:
        return _ZERO
    v /= n
    v.setflags(write=False)  # cached and shared: nobody may scale it in place
    return v
