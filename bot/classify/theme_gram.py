"""The Gram matrix of one process's theme sums (each sum times every other), kept up to date
as themes grow, are seeded and merge: what ``themes._Space`` reads when it is kept from one
remark to the next (``themes.Grouper``: the bench and ``earshot classify``).

A remark then costs one product with the sums (``m @ v``, which joining needs anyway); the
theme-to-theme similarities (``pairs``, a grown theme against all, the shared-neighbours
pass) and the process's centre terms read this matrix instead of products over the full
vector width. With 3,000 BANKING77 remarks filed into one process (82 themes) a remark's
filing went from about 470-535 to 320-330 us of CPU (loaded machine); with a few dozen
themes it is about even (docs/classifier.md, issue 23's speed pass). Not for a space stacked
once (the bot's ``settle`` on the themes it reads): T x T products would cost more than the
20 rows that reads. float64, as it is updated in place for as long as the space lives; its
entries differ from fresh products of the float32 sums in their last bits.
"""

from __future__ import annotations

import numpy as np

# Up to this many themes in a process (T^2 x 8 bytes: 512 KB); past it the space drops
# the matrix and computes the products again.
GRAM_MAX = 256


class Gram:
    def __init__(self, m: np.ndarray) -> None:
        m64 = m.astype(np.float64)
        self.g = m64 @ m64.T

    def grow(self, i: int | None, v: np.ndarray, mv: np.ndarray) -> bool:
        """``v`` joined theme ``i`` (None: seeded a new last one); ``mv`` is the sums times
        ``v`` before it. False: a new theme would pass GRAM_MAX, drop the matrix."""
        if i is None and len(self.g) >= GRAM_MAX:
            return False
        mv = mv.astype(np.float64)
        v64 = v.astype(np.float64)
        vv = float(v64 @ v64)
        if i is None:
            t = len(self.g)
            g = np.empty((t + 1, t + 1))
            g[:t, :t], g[t, :t], g[:t, t], g[t, t] = self.g, mv, mv, vv
            self.g = g
        else:  # (S_i + v) . S_j; the diagonal gets 2 S_i . v + v . v
            self.g[i] += mv
            self.g[:, i] += mv
            self.g[i, i] += vv
        return True

    def merge(self, keep: int, gone: int) -> None:
        """Theme ``gone``'s sum added into ``keep``'s, then ``gone`` removed."""
        g = self.g
        g[keep] += g[gone]  # row, then column: the diagonal gets both cross terms
        g[:, keep] += g[:, gone]
        # np.delete's result (row and column ``gone`` out, C order) without its wrapper
        g = without(g, gone)
        self.g = np.concatenate((g[:, :gone], g[:, gone + 1 :]), axis=1)

    def centre(self, count: float, k: float) -> tuple[np.ndarray, float, float]:
        """With the centre c = k * total (total: the sum of the sums, ``count`` members),
        each sum . c, c . c and the members' mean squared distance to c: sums of this
        matrix, as S . total is a row's sum."""
        s_total = np.add.reduce(self.g, axis=1)  # ndarray.sum's ufunc, without its wrapper
        tt = float(np.add.reduce(s_total))
        cc = tt * k * k
        return s_total * k, cc, max(1.0 - 2.0 * tt * k / count + cc, 1e-6)


def without(a: np.ndarray, i: int) -> np.ndarray:
    """``np.delete(a, i, axis=0)`` without its Python wrapper: the other rows, copied."""
    return np.concatenate((a[:i], a[i + 1 :]))
