"""Themes: remarks inside one process that say the same thing, found incrementally.

A remark's *theme vector* is its static word vector (wordvectors.py) beside a hashed
bag of its content-word stems, each block unit length and weighted. A theme keeps the sum
of its members' vectors and their count, which is all average-link clustering needs: the
mean cosine between a remark and a theme's members is ``sum . v / count``, and between two
themes' members ``sum_a . sum_b / (count_a * count_b)``. A new remark joins the theme its
members are on average closest to when that reaches ``JOIN_BAR``, else it seeds a new
theme; the theme it joined then merges with any theme whose members are now on average
``MERGE_BAR`` close to its own (the bigger keeps its id). Nothing is rebuilt: each remark
costs one vector and a few products against its process's sums, so a theme keeps its
identity for as long as it lives. Joining by mean cosine (not cosine to the centroid) and
merging are what let this online grouping beat k-means told the true number of groups
(bench/theme_eval.py): a theme seeded by an odd remark no longer splits an intent for good.

Names come from class-based TF-IDF over whole words (theme_labels.py), computed from the
members' current text when shown; never a customer's name.

The vectors (theme_vectors.py) are deterministic (a stable hash, not Python's salted
``hash``), so the centroids a database keeps stay meaningful across processes and restarts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import theme_labels, theme_neighbours
from .command_head import head as head  # re-exported: the verb theme_vectors weighs
from .theme_gram import Gram, without
from .theme_vectors import DIM as DIM  # re-exported, with the vectors
from .theme_vectors import HASH_DIM as HASH_DIM
from .theme_vectors import content_stems as content_stems
from .theme_vectors import vector as vector

# The bars: chosen on the bench's dev splits (bench/theme_eval.py --dev,
# bench/theme_sweep.py: BANKING77's, then CLINC150's for MERGE_EVIDENCE, then all three
# with HWU64's for theme_vectors.HEAD_EMBED and MERGE_FALL), never on a test split. Both
# bars are mean cosines between members (average link): a remark joins a theme whose
# members it is on average this close to; two themes whose members are on average this
# close become one. Merging is the easier: a lone remark is weak evidence, two
# themes are judged on all their pairs, and an intent worded two ways (``cancel a
# transfer`` / ``reverse a payment``) grows as two themes that only a merge joins.
JOIN_BAR = 0.3
MERGE_BAR = 0.18
# The bars compare similarities centred on the process (``_Space``): what every remark of
# the process shares (a "card" process's "my card") says nothing about which theme a
# remark is in. Its centre is its remarks' mean shrunk toward zero by CENTRE_PRIOR remarks.
# And a pair must also be RAW_FLOOR close in plain mean cosine: in a broad process the
# centre is weak and two intents sharing a sub-topic would look close relative to it.
CENTRE_PRIOR = 3.0
RAW_FLOOR = 0.32
# Two themes merge when their centred mean similarity reaches MERGE_BAR plus
# MERGE_EVIDENCE / sqrt(n_a * n_b): a mean over few pairs is weak evidence (two lone
# remarks are one pair), over many pairs strong, as a mean's standard error shrinks with
# the square root of what it averages. 0.04 (0.03 before the act, theme_vectors.ACT_WEIGHT,
# was switched on: docs/classifier.md, "Themes, eighth pass").
MERGE_EVIDENCE = 0.04
# The bar also falls by MERGE_FALL times the share of the process's remarks the bigger of
# the two themes holds: a theme holding a large part of its process is settled evidence of
# what that part says, and the satellites an odd wording seeded around it (a short command
# whose slots differ: ``set an alarm for six`` / ``wake me at 7 tomorrow``) fold into it.
MERGE_FALL = 0.05
# ``settle``'s last pass: grown themes sharing their neighbours in a process of few intents
NEIGHBOURS = True  # (theme_neighbours: one intent split by its slots); False: off.
LABEL_WORDS = theme_labels.LABEL_WORDS


@dataclass
class Theme:
    """One theme as the assigner sees it: its id, the sum of its members' vectors and how
    many members that sum holds."""

    key: int
    total: np.ndarray
    count: int = 1

    def similarity(self, v: np.ndarray) -> float:
        """Mean cosine between ``v`` and the members (unit vectors: total . v / count), not
        centred: what a near-duplicate or a person would call alike."""
        return float(self.total @ v) / max(self.count, 1)


class _Space:
    """A process's themes stacked once, with the process's centre, for the centred mean
    similarities every decision uses. Between member sets A and B (sums S, counts n) it is
    the mean over pairs of ``(a - c) . (b - c)``, divided by the members' mean squared
    distance to ``c``: ``(S_A/n_A - c) . (S_B/n_B - c) / d``. ``c`` is the mean of all the
    process's remarks, shrunk toward zero by ``CENTRE_PRIOR`` remarks so a young process
    is barely centred. Merges keep the process's sum and count, so ``c`` and ``d`` hold for
    a whole ``settle``; after one, ``stale`` says ``recentre`` must run before the next
    remark (a fresh stack would compute each theme's ``S . c`` anew, not as a sum)."""

    def __init__(
        self, themes: Sequence[Theme], centred: bool = True, gram: bool = False
    ) -> None:
        self.m = np.stack([t.total for t in themes])
        self.n = np.array([max(t.count, 1) for t in themes], dtype=np.float32)
        self.keys = np.array([t.key for t in themes], dtype=np.int64)
        self.centred = centred
        # With ``gram`` (a space kept from one remark to the next), the sums' products
        # are kept and read rather than computed (theme_gram.py).
        self.gram = Gram(self.m) if gram else None
        self.recentre()

    def recentre(self) -> None:
        self.stale = False
        count = float(_sum(self.n))
        if self.gram is not None:  # the centre as k * total
            self.k = 1.0 / (count + CENTRE_PRIOR) if self.centred else 0.0
            self.mc, self.cc, self.d = self.gram.centre(count, self.k)
            return
        total = self.m.sum(axis=0)
        self.c = total / (count + CENTRE_PRIOR) if self.centred else np.zeros_like(total)
        self.cc = float(self.c @ self.c)
        self.d = max(1.0 - 2.0 * float(self.c @ total) / count + self.cc, 1e-6)
        self.mc = self.m @ self.c  # S . c per theme

    def dots(self, rows: np.ndarray | int) -> np.ndarray:
        """The sums of themes ``rows`` times every theme's sum."""
        return self.gram.g[rows] if self.gram is not None else self.m[rows] @ self.m.T

    def to(self, x: np.ndarray, nx: float, mx: np.ndarray | None = None) -> np.ndarray:
        """Centred mean similarity of every theme to a set of ``nx`` members summing to ``x``
        (``mx``: ``m @ x`` if the caller has it)."""
        mx = self.m @ x if mx is None else mx
        if self.gram is None:
            xc = float(x @ self.c) / nx
        else:
            xc = float(_sum(mx)) * self.k / nx  # x . total / (count + prior)
        raw = mx / (self.n * nx)
        return self._floor(raw, (raw - self.mc / self.n - xc + self.cc) / self.d)

    def to_theme(self, i: int) -> np.ndarray:
        """``to`` for theme ``i``'s own members."""
        if self.gram is None:
            return self.to(self.m[i], float(self.n[i]))
        nx = float(self.n[i])
        raw = self.gram.g[i] / (self.n * nx)
        return self._floor(raw, (raw - self.mc / self.n - self.mc[i] / nx + self.cc) / self.d)

    def pairs(self, rows: np.ndarray) -> np.ndarray:
        """Centred mean similarity of themes ``rows`` to every theme."""
        n, mc = self.n[rows], self.mc[rows]
        raw = self.dots(rows) / np.multiply.outer(n, self.n)
        return self._floor(
            raw, (raw - (mc / n)[:, None] - (self.mc / self.n)[None, :] + self.cc) / self.d
        )

    @staticmethod
    def _floor(raw: np.ndarray, centred: np.ndarray) -> np.ndarray:
        """Not even ``RAW_FLOOR`` close uncentred: never joined or merged, however close
        relative to the process (two intents sharing a sub-topic of a broad process)."""
        return np.where(raw >= RAW_FLOOR, centred, -np.inf)

    def add(
        self, i: int | None, v: np.ndarray, key: int = -1, mv: np.ndarray | None = None
    ) -> None:
        """``v`` joined theme ``i`` (None: seeded a new last one, ``key``), as ``Theme``
        sums it (``mv``: ``m @ v`` before it, if the caller has it)."""
        if self.gram is not None and not self.gram.grow(i, v, self.m @ v if mv is None else mv):
            self.gram = None  # too many themes: recentre() below computes the centre again
        if i is None:  # np.vstack and np.append's arrays, without their Python wrappers
            self.m = np.concatenate((self.m, v[None, :]))
            self.n = np.concatenate((self.n, _ONE))
            self.keys = np.concatenate((self.keys, np.array((key,), dtype=np.int64)))
        else:
            self.m[i] += v
            self.n[i] += 1
        self.recentre()

    def doubt(self, rows: np.ndarray | int, cols: np.ndarray | None = None) -> np.ndarray:
        """What a merge of themes ``rows`` with themes ``cols`` (default: all) must clear
        above the bar for the few pairs their mean is over (MERGE_EVIDENCE)."""
        cols_n = self.n if cols is None else self.n[cols]
        doubt = MERGE_EVIDENCE / np.sqrt(np.multiply.outer(self.n[rows], cols_n))
        if MERGE_FALL:
            share = np.maximum.outer(self.n[rows], cols_n) / float(_sum(self.n))
            doubt = doubt - MERGE_FALL * share
        return doubt

    def merge(self, keep: int, gone: int) -> None:
        self.m[keep] += self.m[gone]
        self.n[keep] += self.n[gone]
        self.mc[keep] += self.mc[gone]
        if self.gram is not None:
            self.gram.merge(keep, gone)
        self.m, self.n, self.mc, self.keys = (
            without(a, gone) for a in (self.m, self.n, self.mc, self.keys)
        )
        self.stale = True


# ndarray.sum's ufunc called straight, without its Python wrapper: dozens of calls a remark
_sum = np.add.reduce  # on arrays of a few dozen numbers (the same ufunc, the same sums)
_ONE = np.ones(1, dtype=np.float32)


def nearest(
    themes: Sequence[Theme], v: np.ndarray, centred: bool = True
) -> tuple[int | None, float]:
    """Index of the theme whose members are on average most similar to ``v`` (centred,
    ``_Space``), and that similarity (None without themes)."""
    if not themes:
        return None, 0.0
    sims = _Space(themes, centred).to(v, 1.0)
    i = int(sims.argmax())
    return i, float(sims[i])


def assign(
    themes: Sequence[Theme], v: np.ndarray, bar: float = JOIN_BAR, centred: bool = True
) -> int | None:
    """Index of the theme ``v`` joins, or None: it seeds a new one."""
    i, sim = nearest(themes, v, centred)
    return i if i is not None and sim >= bar else None


def _merges(
    themes: list[Theme], space: _Space, i: int, bar: float
) -> tuple[int, list[tuple[int, int]]]:
    done: list[tuple[int, int]] = []
    while len(themes) > 1:
        sims = space.to_theme(i) - space.doubt(i)
        sims[i] = -np.inf
        j = int(sims.argmax())
        if sims[j] < bar:
            break
        i = _merge_pair(themes, space, i, j, done)
    return i, done


def _merge_pair(
    themes: list[Theme], space: _Space, i: int, j: int, done: list[tuple[int, int]]
) -> int:
    """Merge themes ``i`` and ``j`` (the bigger, else the older, keeps its key) into ``done``."""
    keep, gone = sorted((i, j), key=lambda x: (-themes[x].count, themes[x].key))
    themes[keep] = Theme(
        themes[keep].key,
        themes[keep].total + themes[gone].total,
        themes[keep].count + themes[gone].count,
    )
    done.append((themes[keep].key, themes[gone].key))
    del themes[gone]
    space.merge(keep, gone)
    return keep if keep < gone else keep - 1


def merges(
    themes: list[Theme], i: int, bar: float = MERGE_BAR, centred: bool = True
) -> tuple[int, list[tuple[int, int]]]:
    """Theme ``i`` just grew: merge it with every theme whose members are now on average as
    close to its members as a remark must be to join (``bar``), one at a time, best first,
    as average-link clustering would. The bigger theme (the older on a tie) absorbs the
    other and keeps its key, so the themes people have seen keep their ids. Changes
    ``themes`` in place; returns the index of the theme now holding ``i``'s members and the
    (kept key, absorbed key) pairs, in order."""
    if len(themes) < 2:
        return i, []
    return _merges(themes, _Space(themes, centred), i, bar)


RECENT = 20  # the newest themes ``settle`` checks against all the others


def settle(
    themes: list[Theme],
    key: int,
    bar: float = MERGE_BAR,
    recent: int = RECENT,
    centred: bool = True,
) -> list[tuple[int, int]]:
    """After theme ``key`` grew (or was seeded): its merges (``merges``), then any merge
    among the ``recent`` newest themes and all the others (two workers filing at once may
    each seed one; the process's centre moves with every remark, so a pair apart yesterday
    may be close today), then the shared-neighbours pass (``theme_neighbours``, bounded:
    MAX_THEMES). One at a time, the closest pair first, the bigger keeping its key; stacked
    once for all of it. Changes ``themes`` in place; returns (kept key, absorbed key) pairs."""
    if len(themes) < 2:
        return []
    i = next(j for j, t in enumerate(themes) if t.key == key)
    return _settle(themes, _Space(themes, centred), i, bar, recent)


def _settle(
    themes: list[Theme], space: _Space, i: int, bar: float, recent: int = RECENT
) -> list[tuple[int, int]]:
    _, done = _merges(themes, space, i, bar)
    while len(themes) > 1:
        newest = space.keys.argsort(kind="stable")[-recent:]
        sims = space.pairs(newest) - space.doubt(newest)
        sims[np.arange(len(newest)), newest] = -np.inf
        a, b = divmod(int(sims.argmax()), sims.shape[1])
        if sims[a, b] < bar:
            break
        _, more = _merges(themes, space, int(newest[a]), bar)
        done += more
    while NEIGHBOURS and space.centred and (  # uncentred: the bench's old reference rule
        pair := theme_neighbours.best_pair(space.dots, space.n, space.mc, space.cc, space.d)
    ):
        _, more = _merges(themes, space, _merge_pair(themes, space, *pair, done), bar)
        done += more
    return done


class Grouper:
    """Online grouping of one process's remarks, as the bot does it: each vector joins the
    theme its members are on average closest to (when that mean cosine reaches
    ``JOIN_BAR``) or seeds a new one, and a theme that grew merges with any theme now as
    close (``merges``). ``file`` returns the key of the theme holding the remark now; a
    merge may later fold that key into another (``final``)."""

    def __init__(
        self, bar: float = JOIN_BAR, merge_bar: float = MERGE_BAR, centred: bool = True
    ) -> None:
        self.themes: list[Theme] = []
        self.bar, self.merge_bar, self.centred = bar, merge_bar, centred
        self._into: dict[int, int] = {}
        self._next = 0
        self._space: _Space | None = None

    def file(self, v: np.ndarray) -> int:
        """``assign`` then ``settle``, as the bot files a remark, with the themes kept
        stacked from one remark to the next: the same sums in the same order, their
        products read from a kept Gram matrix (theme_gram.py: equal to the bot's in all
        but the last bits), so the same themes (tests/unit/test_themes.py checks it)."""
        if not self.themes:
            self.themes.append(Theme(self._next, v.copy(), 1))
            self._next += 1
            return self.themes[0].key
        space = self._space
        if space is None:
            space = self._space = _Space(self.themes, self.centred, gram=True)
        elif space.stale:
            space.recentre()
        mv = space.m @ v
        sims = space.to(v, 1.0, mv)
        at = int(sims.argmax())
        if sims[at] < self.bar:  # seeded: settle too, as the bot does (the centre moved)
            key = self._next
            self.themes.append(Theme(key, v.copy(), 1))
            self._next += 1
            space.add(None, v, key, mv)
            at = len(self.themes) - 1
        else:
            t = self.themes[at]
            self.themes[at] = Theme(t.key, t.total + v, t.count + 1)
            key = t.key
            space.add(at, v, mv=mv)
        self._into.update(
            (gone, keep) for keep, gone in _settle(self.themes, space, at, self.merge_bar)
        )
        return self.final(key)

    def final(self, key: int) -> int:
        while key in self._into:
            key = self._into[key]
        return key


def group(
    texts: Sequence[str], bar: float = JOIN_BAR, merge_bar: float = MERGE_BAR
) -> list[int | None]:
    """Theme number (0, 1, ... in order of first appearance) of each text, filed one after
    another as the bot files them, merges included (None: too short to group). The bench's
    and ``earshot classify --themes``'s entry point."""
    grouper = Grouper(bar, merge_bar)
    got = [None if (v := vector(text)) is None else grouper.file(v) for text in texts]
    number: dict[int, int] = {}
    return [None if g is None else number.setdefault(grouper.final(g), len(number)) for g in got]


def labels(members: Mapping[int, Iterable[str]], *, exclude: Iterable[str] = ()) -> dict[int, str]:
    """A name for each theme of one process from its members' texts: whole words, never a
    name in ``exclude`` (the workspace's customers) nor another proper name (theme_labels)."""
    return theme_labels.labels(members, exclude=exclude)


# A near-duplicate: the same remark again (forwarded and reacted to separately, a customer
# repeating themselves), closer than two remarks of one theme (JOIN_BAR). Chosen on the
# dev split of bench/duplicate_eval.py as the lowest bar with precision >= 0.99: a wrong
# suggestion costs a person's time.
DUPLICATE_BAR = 0.65


def most_similar(v: np.ndarray, texts: Sequence[str]) -> tuple[int | None, float]:
    """The text most similar to vector ``v`` and its similarity (None: no comparable text)."""
    best, best_sim = None, -1.0
    for i, text in enumerate(texts):
        w = vector(text)
        if w is None:
            continue
        sim = float(v @ w)
        if sim > best_sim:
            best, best_sim = i, sim
    return best, best_sim
