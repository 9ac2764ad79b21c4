"""Static word vectors: what a remark means, beyond the words it shares with a process.

TF-IDF and the thesaurus only match words (or concepts) that two texts share, so
"I was charged twice" and a process described as "duplicate payments" meet only
through the thesaurus. Averaged static token embeddings close much of that gap at
almost no cost: one tokenizer call and one mean over a few rows, about 20 µs a
remark on one core, with no model to run.

The vectors are WordLlama's ``l2_supercat`` 256-dimension token embeddings (MIT,
https://github.com/dleemiller/WordLlama), which ship *inside* its wheel, so nothing
is fetched at run time. We read its two files ourselves rather than through
``WordLlama.load()``: in 0.4.0 ``load()`` looks for the bundled tokenizer under the
wrong folder name and then tries Hugging Face, and importing the package calls
``logging.basicConfig`` on the root logger. The tokenizer is the ``tokenizers``
library's; the table is read straight into one array (see ``_read_table``).
"""

from __future__ import annotations

import importlib.util
import json
import math
import struct
import threading
from array import array
from functools import lru_cache
from pathlib import Path

import numpy as np

from .text import routing_words

DIM = 256
_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


class _Vectors:
    def __init__(self, root: Path) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(root / _TOKENIZER))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        table = _read_table(root / _WEIGHTS, "embedding.weight")
        # The average of all token vectors is a direction every text shares; removing
        # it makes unrelated texts' cosine sit near 0, as it does for TF-IDF.
        self.common = table.mean(axis=0, dtype=np.float32)
        self.table, self.scale = _quantise(table)


def _quantise(table: np.ndarray, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Rows as int8 with one float32 scale each: 8 MB instead of 16.

    Each of the 50 workspace models a bot may hold costs about 1 MB, so the table is a
    large share of the memory budget. On the dev subsets routing accuracy is the same
    to three decimals. Done in chunks so the float32 working copy stays small.
    """
    q = np.empty(table.shape, dtype=np.int8)
    scale = np.empty(table.shape[0], dtype=np.float32)
    for start in range(0, table.shape[0], chunk):
        rows = table[start : start + chunk].astype(np.float32)
        s = np.abs(rows).max(axis=1) / 127.0
        s[s == 0] = 1.0
        np.rint(rows / s[:, None], out=rows)
        q[start : start + chunk] = rows
        scale[start : start + chunk] = s
    return q, scale


def _read_table(path: Path, name: str) -> np.ndarray:
    """One float16 tensor from a safetensors file, read straight into its array.

    The format is an 8-byte little-endian header length, a JSON header giving each
    tensor's dtype, shape and byte offsets, then the raw data. safetensors' own numpy
    loader maps the file and then copies it, which doubles the bot's peak memory for
    a moment; reading into the array directly does not.
    """
    with path.open("rb") as fh:
        (header_len,) = struct.unpack("<Q", fh.read(8))
        meta = json.loads(fh.read(header_len))[name]
        start, end = meta["data_offsets"]
        if meta["dtype"] != "F16" or end - start != 2 * math.prod(meta["shape"]):
            raise RuntimeError(f"unexpected word-vector table in {path}: {meta}")
        fh.seek(8 + header_len + start)
        table = np.fromfile(fh, dtype="<f2", count=(end - start) // 2)
    return table.reshape(meta["shape"])


_lock = threading.Lock()
_loaded: _Vectors | None = None


def _vectors() -> _Vectors:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _Vectors(_root())
    return _loaded


def _root() -> Path:
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("wordllama is not installed: pip install wordllama")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def whole_words() -> frozenset[str]:
    """The lower-case words the tokenizer holds whole ("▁invoice"-style tokens, 3+ letters):
    a vocabulary of common words in several languages (theme names: english.py). Read from
    the tokenizer file alone, so asking does not load the vector table."""
    from tokenizers import Tokenizer

    vocab = Tokenizer.from_file(str(_root() / _TOKENIZER)).get_vocab()
    return frozenset(
        w for t in vocab if t.startswith("\u2581") and (w := t[1:]).isalpha() and w.islower()
        and len(w) >= 3
    )


@lru_cache(maxsize=8192)
def _token_ids(word: str) -> array:
    """A word's token ids. Cached per word: the tokenizer call is most of the cost of
    a remark's vector, and words recur. The tokenizer splits on spaces first, so a
    text's ids are its words' ids in order. An int32 array, not a tuple: a tuple's ids
    are an int object each, which made a full cache about 2 MB instead of 0.7."""
    return array("i", _vectors().tokenizer.encode(word, add_special_tokens=False).ids)


_ZERO = np.zeros(DIM, dtype=np.float32)
_ZERO.setflags(write=False)


@lru_cache(maxsize=1024)
def embed(text: str) -> np.ndarray:
    """Unit-length mean token vector of a text's words (zeros if it has none).

    Stop words stay in: "how do I" or "why was I" says what kind of question a remark
    is, and on the dev subsets keeping them did better than content words alone.
    """
    ids = array("i")
    for tok in routing_words(text):
        ids.extend(_token_ids(tok))
    if not ids:
        return _ZERO
    vec = _vectors()
    rows = np.frombuffer(ids, dtype=np.intc)  # no copy; for both lookups
    # The mean as ndarray.mean computes it (a sum, then a division by the count as an
    # intp, into the float32 sum), without its Python wrapper: half this line's cost.
    v = np.add.reduce(vec.table[rows] * vec.scale[rows][:, None], axis=0)
    np.true_divide(v, np.intp(len(ids)), out=v, casting="unsafe")
    v -= vec.common
    n = float(np.sqrt(v @ v))
    if n == 0:
        return _ZERO
    v /= n
    v.setflags(write=False)  # cached and shared: nobody may scale it in place
    return v
