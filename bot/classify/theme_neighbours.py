"""Shared neighbours: a second merge pass over the grown themes of a process of few intents.

In a process of short commands (HWU64's alarm, calendar, audio: ``set`` / ``remove`` /
``query`` an alarm) the remarks differ more by their slots (times, names, places) than by
the verb that says the intent, so one intent grows as many themes whose members are too
far apart in plain cosine to merge (under ``themes.RAW_FLOOR``). Two such themes are still
a little close relative to the process's centre, and close to, and far from, the same
other themes: their *profiles* (centred similarities to every other theme) correlate.
This pass merges such a pair when the process shows one dominant axis (its grown themes'
leading eigenvalue holds a large share): a process of few intents, never a broad one,
where intents that share a sub-topic also share neighbours. Pure array maths on the sums
and counts ``themes._Space`` keeps; the caller merges as ``themes.settle`` always does.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# Chosen on the dev splits of BANKING77, CLINC150 and HWU64 (bench/theme_sweep.py --corr
# --nsim --nmin --nthemes --naxis), never on a test split. A pair merges when both hold
# MIN_COUNT remarks or more, their centred mean similarity reaches SIM_BAR (no raw floor)
# and their profiles correlate at CORR_BAR or more, in a process of MIN_THEMES to
# MAX_THEMES themes (bounded: T^2 products of the stacked sums) whose grown themes'
# leading eigenvalue holds AXIS_SHARE of them or more.
CORR_BAR = 0.3
SIM_BAR = 0.12
MIN_COUNT = 3
MIN_THEMES = 12
MAX_THEMES = 80
AXIS_SHARE = 0.25


def centred(
    dots: np.ndarray, n: np.ndarray, mc: np.ndarray, cc: float, d: float, rows: np.ndarray
) -> np.ndarray:
    """Centred mean similarity of themes ``rows`` to every theme (``themes._Space.pairs``
    without the raw floor): ``dots`` the sums of ``rows`` times every sum, counts ``n``,
    ``mc`` each sum . the centre, ``cc`` the centre's squared norm, ``d`` the members' mean
    squared distance to it."""
    a = mc / n
    raw = dots / np.multiply.outer(n[rows], n)  # np.outer's products, without its wrapper
    return (raw - a[rows][:, None] - a[None, :] + cc) / d


def correlation(s: np.ndarray, n: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Correlation between the rows of ``s`` (themes ``rows`` against every theme) weighted
    by member count, each theme's own entry left out (set to its row's mean: adds nothing)."""
    w = n / np.add.reduce(n)
    z = s.astype(np.float64)  # a copy
    at = np.arange(len(rows))
    z[at, rows] = 0.0
    mean = (z @ w) / np.maximum(1.0 - w[rows], 1e-12)
    z[at, rows] = mean
    z -= mean[:, None]
    z /= np.maximum(np.sqrt((z * z) @ w), 1e-12)[:, None]
    return (z * w) @ z.T


def axis_share(s: np.ndarray, n: np.ndarray) -> float:
    """Share of the leading eigenvalue among the centred similarities ``s`` of some themes
    to each other, weighted by the square root of their counts ``n``: large when one axis
    holds most of how the themes differ (a process of few intents), small in a broad one."""
    w = np.sqrt(n)
    ev = np.linalg.eigvalsh(s * np.multiply.outer(w, w))
    return float(ev[-1] / max(float(np.abs(ev).sum()), 1e-12))


def best_pair(
    dots: Callable[[np.ndarray], np.ndarray], n: np.ndarray, mc: np.ndarray, cc: float,
    d: float,
) -> tuple[int, int] | None:
    """The two themes whose profiles correlate most among those clearing the bars, or
    None (also when the process has too few or too many themes, or no dominant axis).
    ``dots(rows)``: the sums of themes ``rows`` times every sum (``themes._Space.dots``)."""
    if not MIN_THEMES <= len(n) <= MAX_THEMES:
        return None
    grown = (n >= MIN_COUNT).nonzero()[0]  # np.flatnonzero (n is 1-D)
    if len(grown) < 2:
        return None
    s = centred(dots(grown), n, mc, cc, d, grown)
    among = s[:, grown]
    ok = among >= SIM_BAR
    np.fill_diagonal(ok, False)
    if not ok.any() or axis_share(among, n[grown]) < AXIS_SHARE:
        return None
    corr = correlation(s, n, grown)
    ok &= corr >= CORR_BAR
    if not ok.any():
        return None
    a, b = divmod(int(np.where(ok, corr, -np.inf).argmax()), ok.shape[1])
    return int(grown[a]), int(grown[b])
