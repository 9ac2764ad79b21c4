"""Try theme-vector and merge variants on the dev splits (issue 23 item 4, fifth to seventh passes).

Each variant replaces one part of the shipped rule for the run (the vector, the join's
similarity, or the shared-neighbours pass's bars) and is scored as ``bench/theme_sweep.py``
scores a setting: every process x size of ``bench/theme_eval.py --dev`` (mean over draws),
ours against k-means told the true k (computed once per cell and kept in ``--cache``), cells
won on both V-measure and ARI, the smallest ARI margin, the mean ARI per size and the cells
lost (``size/process``). Dev splits only: the test splits are never read here. None of these
variants is shipped (docs/classifier.md, "Themes, fifth pass" and "sixth pass").

    python bench/theme_variants.py --data ../shared/data/banking77 --data DIR_CLINC \
        --data DIR_HWU [--draws 3] [--cache FILE] base funcwords=0.5 bigrams=0.5 ...

Variants (NAME=VALUE): ``funcwords`` (stop words hashed into the stem block at this weight),
``bigrams`` (adjacent word pairs hashed into it), ``wordmean`` (the word-vector block a mean
over words, each word's tokens averaged first, weighted 1 / tokens^(VALUE-1)),
``shortstems`` (the stem block weighed by min(stems, 4) / 4 to this power), ``centroid``
(the join's centred similarity times (|theme mean - c|^2 / d)^(-VALUE/2): toward cosine to the
centroid), ``lam`` (neighbours: a pair's similarity bar lowered by VALUE x its profile
correlation above CORR_BAR, down to 0), ``corrhi`` (neighbours: no similarity bar above 0.06
for a pair correlated at VALUE or more), ``axhi`` (neighbours: similarity bar 0.06 when the
leading axis holds VALUE or more), ``act`` (the act a remark asks for, ``act()``: *ask* or
*do*, a pseudo-stem of the stem block at this weight), ``actverb`` (the same plus the finer
act, the question word or the command's verb stem, as a second pseudo-stem), ``actsplit`` (act first, then topic: never a join or a merge across
acts, the act carried in two extra dimensions too small to move a similarity; VALUE, if
any, adds ``act`` at that weight), ``actstrict`` (``act`` with *do* only for a verb followed
by an object's determiner, a pronoun or a particle), and the shipped constants as ``MODULE.NAME=VALUE``
(``theme_vectors.HEAD_EMBED=0.35``, ``theme_neighbours.SIM_BAR=0.06``, ``themes.CENTRE_PRIOR=1``;
``theme_vectors.ACT_WEIGHT=0``: the act, bot/classify/command_act.py, off as before the
eighth pass).
Joined by ``+``, several at once (the first one's vector: put a vector variant first).
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, v_measure_score
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from theme_eval import SIZES, _fill, baseline, intent_set, sample  # noqa: E402

from bot.classify import theme_neighbours, themes, wordvectors  # noqa: E402
from bot.classify import theme_vectors as tv  # noqa: E402
from bot.classify.command_act import act as gated_act  # noqa: E402
from bot.classify.command_head import HEAD_QUESTION, HEAD_SKIP, head  # noqa: E402
from bot.classify.text import STOPWORDS, routing_words, stem  # noqa: E402

Vector = Callable[[str], "np.ndarray | None"]

# The act a remark asks for (the sixth pass): *ask* (a question, or a request to read or
# tell: ``what's on facebook``, ``tell me my alarms``, ``show unread emails``) or *do* (a
# command to change something: ``tweet my complaint``, ``order a pizza``, ``set an alarm``),
# told by the word it opens on past politeness (``command_head.HEAD_SKIP``).
READ_VERBS = frozenset(
    """tell show read list check find give confirm look search let say know see describe
    explain display lookup report remind""".split()
)
WH = frozenset("what whats how hows why when whens where wheres which who whos whose whom".split())


def act(text: str) -> tuple[str, str] | None:
    """(``ask`` or ``do``, a finer part: the question word, ``yn``, ``read`` or the
    command's verb stem), or None (opens on a function word, or no words)."""
    for w in routing_words(text):
        if w in HEAD_SKIP or w.isdigit():
            continue
        if w in WH:
            return "ask", w.rstrip("s") if w.endswith("s") and w[:-1] in WH else w
        if w in HEAD_QUESTION:
            return "ask", "yn"
        if w in READ_VERBS:
            return "ask", "read"
        if w in STOPWORDS:
            return None
        return "do", stem(w)
    return None


# ``actstrict``: a command only when its verb is followed by an object's determiner, a
# pronoun or a particle (``tweet my``, ``order a``, ``turn off``), so a remark opening on a
# noun (``invoice shows an incorrect amount``) has no act.
OBJECT_WORDS = frozenset(
    """a an the my me this that these those all some off on up down out it us him her them
    your our any every""".split()
)


def strict_act(text: str) -> tuple[str, str] | None:
    a = act(text)
    if a is None or a[0] == "ask":
        return a
    words = [w for w in routing_words(text) if not w.isdigit()]
    at = next(i for i, w in enumerate(words) if w not in HEAD_SKIP)
    return a if at + 1 < len(words) and words[at + 1] in OBJECT_WORDS else None


ACT_EPS = 1e-3  # the act carried in two extra dimensions, too small to move a similarity

MODULES = {"themes": themes, "theme_vectors": tv, "theme_neighbours": theme_neighbours}


def _word_vector(word: str) -> tuple[np.ndarray | None, int]:
    ids = wordvectors._token_ids(word)
    if not ids:
        return None, 0
    vec = wordvectors._vectors()
    rows = np.frombuffer(ids, dtype=np.intc)
    return (vec.table[rows] * vec.scale[rows][:, None]).mean(axis=0), len(ids)


_word_vector = cache(_word_vector)  # type: ignore[assignment]


def _word_mean(text: str, beta: float) -> np.ndarray:
    acc = np.zeros(wordvectors.DIM, dtype=np.float32)
    total = 0.0
    for w in routing_words(text):
        v, k = _word_vector(w)
        if v is not None:
            weight = 1.0 / k ** (beta - 1.0)
            acc += weight * v
            total += weight
    if not total:
        return np.zeros(wordvectors.DIM, dtype=np.float32)
    out = acc / total - wordvectors._vectors().common
    n = float(np.sqrt(out @ out))
    return out / n if n else out


def make_vector(kind: str = "base", value: float = 0.0) -> Vector:
    """The shipped ``theme_vectors.vector`` with one variant."""

    def vector(text: str) -> np.ndarray | None:
        toks = list(routing_words(text))
        stems = tv.content_stems(text)
        if len(stems) < tv.MIN_CONTENT_WORDS:
            return None
        vals: dict[int, float] = {}
        for b, c in Counter(map(tv._bucket, stems)).items():
            vals[b] = 1.0 + float(np.log(c))
        extra: Counter[str] = Counter()
        if kind == "funcwords":
            extra = Counter("_f" + t for t in toks if t in STOPWORDS)
        elif kind in ("act", "actverb", "actsplit", "actstrict") and (
            a := (strict_act if kind == "actstrict" else act)(text)
        ) is not None:
            extra = Counter({"_a" + a[0]: 1})  # actsplit=VALUE: its soft act weight as act's
            if kind == "actverb":
                extra["_a" + a[0] + ":" + a[1]] = 1
        elif kind == "bigrams":
            seq = [t if t in STOPWORDS else stem(t) for t in toks if not t.isdigit()]
            extra = Counter(f"_b{a} {b}" for a, b in zip(seq, seq[1:], strict=False))
        for t, c in extra.items():
            b = tv._bucket(t)
            vals[b] = vals.get(b, 0.0) + value * (1.0 + float(np.log(c)))
        if tv.ACT_WEIGHT and (g := gated_act(text)) is not None:  # the shipped act
            b = tv._bucket("_a" + g)
            vals[b] = vals.get(b, 0.0) + tv.ACT_WEIGHT
        idx = np.fromiter(vals.keys(), dtype=np.int64)
        tf = np.fromiter(vals.values(), dtype=np.float32)
        weight = tv.STEM_WEIGHT
        if kind == "shortstems":
            weight *= (min(len(stems), 4) / 4) ** value
        out = np.zeros(tv.DIM, dtype=np.float32)
        out[wordvectors.DIM + idx] = weight * tf / float(np.sqrt(tf @ tf))
        embed = (lambda s: _word_mean(s, value)) if kind == "wordmean" else wordvectors.embed
        emb = embed(text)
        if tv.HEAD_EMBED and (h := head(text)) is not None:
            emb = emb + tv.HEAD_EMBED * embed(h)
            emb = emb / max(float(np.sqrt(emb @ emb)), 1e-9)
        out[: wordvectors.DIM] = tv.EMBED_WEIGHT * emb
        n = float(np.sqrt(out @ out))
        if n <= 0:
            return None
        out /= n
        if kind == "actsplit":  # two extra dimensions carry the act (ask, do)
            a = act(text)
            tail = np.zeros(2, dtype=np.float32)
            if a is not None:
                tail[int(a[0] == "do")] = ACT_EPS
            out = np.concatenate([out, tail])
        return out

    return vector


def _acts(tails: np.ndarray) -> np.ndarray:
    """Each theme's act from its sum's two act dimensions: 0 ask, 1 do (a clear majority of
    its members with an act), -1 none or mixed."""
    tails = np.atleast_2d(tails)
    ask, do = tails[:, 0], tails[:, 1]
    tot = ask + do
    out = np.full(len(tails), -1)
    out[(tot > 0) & (ask >= 0.67 * tot)] = 0
    out[(tot > 0) & (do >= 0.67 * tot)] = 1
    return out


def _clash(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a[:, None] >= 0) & (b[None, :] >= 0) & (a[:, None] != b[None, :])


def _split_space(put: Callable[[object, str, object], None]) -> None:
    """Two-level grouping: act first, then topic. A remark never joins, and two themes never
    merge (the neighbours pass included), across acts (ask against do)."""
    sp = themes._Space
    to, to_theme, pairs = sp.to, sp.to_theme, sp.pairs

    def to_(self: themes._Space, x: np.ndarray, nx: float,
            mx: np.ndarray | None = None) -> np.ndarray:
        out = to(self, x, nx, mx)
        return np.where(_clash(_acts(x[-2:]), _acts(self.m[:, -2:]))[0], -np.inf, out)

    def to_theme_(self: themes._Space, i: int) -> np.ndarray:
        out = to_theme(self, i)
        return np.where(_clash(_acts(self.m[i, -2:]), _acts(self.m[:, -2:]))[0], -np.inf, out)

    def pairs_(self: themes._Space, rows: np.ndarray) -> np.ndarray:
        out = pairs(self, rows)
        return np.where(_clash(_acts(self.m[rows, -2:]), _acts(self.m[:, -2:])), -np.inf, out)

    def best_(dots: Callable[[np.ndarray], np.ndarray], n: np.ndarray, mc: np.ndarray,
              cc: float, d: float) -> tuple[int, int] | None:
        nb = theme_neighbours  # its best_pair, no pair across acts
        if not nb.MIN_THEMES <= len(n) <= nb.MAX_THEMES:
            return None
        grown = np.flatnonzero(n >= nb.MIN_COUNT)
        if len(grown) < 2:
            return None
        acts = _acts(dots.__self__.m[grown, -2:])  # type: ignore[attr-defined]
        s = nb.centred(dots(grown), n, mc, cc, d, grown)
        among = s[:, grown]
        ok = (among >= nb.SIM_BAR) & ~_clash(acts, acts)
        np.fill_diagonal(ok, False)
        if not ok.any() or nb.axis_share(among, n[grown]) < nb.AXIS_SHARE:
            return None
        corr = nb.correlation(s, n, grown)
        ok &= corr >= nb.CORR_BAR
        if not ok.any():
            return None
        a, b = np.unravel_index(int(np.argmax(np.where(ok, corr, -np.inf))), ok.shape)
        return int(grown[a]), int(grown[b])

    put(sp, "to", to_)
    put(sp, "to_theme", to_theme_)
    put(sp, "pairs", pairs_)
    put(theme_neighbours, "best_pair", best_)


def _best_pair(kind: str, value: float) -> Callable[..., tuple[int, int] | None]:
    nb = theme_neighbours

    def best_pair(
        dots: Callable[[np.ndarray], np.ndarray], n: np.ndarray, mc: np.ndarray, cc: float,
        d: float,
    ) -> tuple[int, int] | None:
        if not nb.MIN_THEMES <= len(n) <= nb.MAX_THEMES:
            return None
        grown = np.flatnonzero(n >= nb.MIN_COUNT)
        if len(grown) < 2:
            return None
        s = nb.centred(dots(grown), n, mc, cc, d, grown)
        among = s[:, grown]
        low = {"lam": 0.0, "corrhi": 0.06, "axhi": 0.06}[kind]
        ok = among >= low
        np.fill_diagonal(ok, False)
        if not ok.any():
            return None
        axis = nb.axis_share(among, n[grown])
        if axis < nb.AXIS_SHARE:
            return None
        corr = nb.correlation(s, n, grown)
        if kind == "lam":
            ok &= among >= nb.SIM_BAR - value * (corr - nb.CORR_BAR)
        elif kind == "corrhi":
            ok &= (among >= nb.SIM_BAR) | (corr >= value)
        elif axis < value:
            ok &= among >= nb.SIM_BAR
        ok &= corr >= nb.CORR_BAR
        if not ok.any():
            return None
        a, b = np.unravel_index(int(np.argmax(np.where(ok, corr, -np.inf))), ok.shape)
        return int(grown[a]), int(grown[b])

    return best_pair


@contextmanager
def variant(spec: str) -> Iterator[Vector]:
    """Install the variant ``spec`` for the block; yields the vector function to use."""
    kind, _, raw = spec.partition("=")
    value = float(raw) if raw else 0.0
    saved: list[tuple[object, str, object]] = []

    def put(obj: object, name: str, new: object) -> None:
        saved.append((obj, name, getattr(obj, name)))
        setattr(obj, name, new)

    if "." in kind:
        mod, name = kind.split(".")
        put(MODULES[mod], name, value)
    elif kind in ("lam", "corrhi", "axhi"):
        put(theme_neighbours, "best_pair", _best_pair(kind, value))
    elif kind == "centroid":
        to = themes._Space.to

        def boosted(self: themes._Space, x: np.ndarray, nx: float,
                    mx: np.ndarray | None = None) -> np.ndarray:
            sq = (np.diag(self.gram.g) if self.gram is not None
                  else np.einsum("ij,ij->i", self.m, self.m))
            mu2 = sq / self.n.astype(np.float64) ** 2 - 2 * self.mc / self.n + self.cc
            return to(self, x, nx, mx) * np.clip(mu2 / self.d, 1e-3, None) ** (-value / 2)

        put(themes._Space, "to", boosted)
    elif kind == "actsplit":
        _split_space(put)
    try:
        yield cache(make_vector(kind, value))
    finally:
        for obj, name, old in reversed(saved):
            setattr(obj, name, old)


def grouped(vector: Vector, texts: list[str]) -> list[int]:
    grouper = themes.Grouper(themes.JOIN_BAR, themes.MERGE_BAR)
    got = [None if (v := vector(t)) is None else grouper.file(v) for t in texts]
    return _fill([None if g is None else grouper.final(g) for g in got])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, action="append", required=True)
    ap.add_argument("--draws", type=int, default=3)
    ap.add_argument("--cache", type=Path, help="keep k-means' cells here between runs")
    ap.add_argument("variants", nargs="*", default=["base"])
    args = ap.parse_args()
    sets = [intent_set(d, dev=True) for d in args.data]
    cells: dict[tuple[str, int, int], list[tuple[list[str], list[str], float, float]]] = {}
    if args.cache and args.cache.exists():
        cells = pickle.loads(args.cache.read_bytes())
    with threadpool_limits(1):
        for data in sets:
            if any(k[0] == data.name for k in cells):
                continue
            for d in range(args.draws):
                rng = random.Random(d)
                for g, intents in enumerate(data.processes):
                    for n in SIZES:
                        texts, truth = sample(rng, data.rows, intents, n)
                        base = baseline(texts, len(set(truth)), d)
                        cells.setdefault((data.name, n, g), []).append(
                            (texts, truth, v_measure_score(truth, base),
                             adjusted_rand_score(truth, base)))
        if args.cache:
            args.cache.write_bytes(pickle.dumps(cells))
        for spec in args.variants:
            line = [spec]
            with ExitStack() as stack:
                vector = [stack.enter_context(variant(p)) for p in spec.split("+")][0]
                for data in sets:
                    won = total = 0
                    margin = np.inf
                    ari: dict[int, list[float]] = {n: [] for n in SIZES}
                    lost = []
                    for (name, n, g), draws in cells.items():
                        if name != data.name:
                            continue
                        got = [grouped(vector, texts) for texts, _, _, _ in draws]
                        ov = np.mean([v_measure_score(c[1], x) for c, x in zip(draws, got, strict=True)])
                        oa = [adjusted_rand_score(c[1], x) for c, x in zip(draws, got, strict=True)]
                        bv, ba = np.mean([c[2] for c in draws]), np.mean([c[3] for c in draws])
                        ahead = ov > bv and np.mean(oa) > ba
                        total += 1
                        won += bool(ahead)
                        if not ahead:
                            lost.append(f"{n}/{g}")
                        margin = min(margin, float(np.mean(oa) - ba))
                        ari[n] += oa
                    line.append(
                        f"{data.name} {won}/{total} min {margin:+.3f} ARI "
                        + "/".join(f"{np.mean(ari[n]):.3f}" for n in SIZES)
                        + (f" lost {','.join(lost)}" if lost else "")
                    )
            print(" | ".join(line), flush=True)


if __name__ == "__main__":
    main()
