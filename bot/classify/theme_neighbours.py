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


def centred(m: np.ndarray, n: np.ndarray, mc: np.ndarray, cc: float, d: float) -> np.ndarray:
    """Centred mean similarity between every two themes (``themes._Space.pairs`` without
    the raw floor): sums ``m``, counts ``n``, ``mc`` each sum . the centre, ``cc`` the
    centre's squared norm, ``d`` the members' mean squared distance to it."""
    a = mc / n
    raw = (m @ m.T) / np.outer(n, n)
    return (raw - a[:, None] - a[None, :] + cc) / d


def correlation(s: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Correlation between the rows of ``s`` weighted by member count, each theme's own
    entry left out (set to its row's mean, so it adds nothing)."""
    w = n / n.sum()
    z = s.astype(np.float64).copy()
    np.fill_diagonal(z, 0.0)
    mean = (z @ w) / np.maximum(w.sum() - w, 1e-12)
    np.fill_diagonal(z, mean)
    z -= mean[:, None]
    z /= np.maximum(np.sqrt((z * z) @ w), 1e-12)[:, None]
    return (z * w) @ z.T


def axis_share(s: np.ndarray, n: np.ndarray, grown: np.ndarray) -> float:
    """Share of the leading eigenvalue among the grown themes' centred similarities
    (weighted by the square root of their counts): large when one axis holds most of how
    the themes differ (a process of few intents), small in a broad process."""
    w = np.sqrt(n[grown])
    ev = np.linalg.eigvalsh(s[np.ix_(grown, grown)] * np.outer(w, w))
    return float(ev[-1] / max(float(np.abs(ev).sum()), 1e-12))


def best_pair(
    m: np.ndarray, n: np.ndarray, mc: np.ndarray, cc: float, d: float
) -> tuple[int, int] | None:
    """The two themes whose profiles correlate most among those clearing the bars, or
    None (also when the process has too few or too many themes, or no dominant axis)."""
    if not MIN_THEMES <= len(n) <= MAX_THEMES:
        return None
    grown = n >= MIN_COUNT
    if grown.sum() < 2:
        return None
    s = centred(m, n, mc, cc, d)
    if axis_share(s, n, grown) < AXIS_SHARE:
        return None
    corr = correlation(s, n)
    ok = np.outer(grown, grown) & (s >= SIM_BAR) & (corr >= CORR_BAR)
    np.fill_diagonal(ok, False)
    if not ok.any():
        return None
    a, b = np.unravel_index(int(np.argmax(np.where(ok, corr, -np.inf))), ok.shape)
    return int(a), int(b)
