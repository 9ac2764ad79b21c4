"""The digest's chart: praise (up, green) vs complaints (down, red) per process over the
last 8 periods, one small panel per process, in name order so each process keeps its place
from week to week; a dashed line marks the period an improvement to that process shipped.
PNG bytes via matplotlib's Agg backend."""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

from bot.digest.build import Digest

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SHIPPED_GID = "shipped"  # the marker lines' id, for readers of the figure (and the tests)
SHIPPED_COLOR = "#1264a3"


def chart_figure(d: Digest) -> Figure | None:
    """The chart as a matplotlib Figure, or None when there is nothing to draw."""
    if not d.chart:
        return None
    # A bare Figure renders with the Agg canvas and never touches pyplot's global state.
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    names = list(d.chart)
    cols = 2 if len(names) > 1 else 1
    rows = math.ceil(len(names) / cols)
    fig = Figure(figsize=(4.2 * cols, 2.2 * rows + 0.6), dpi=110)
    labels = [f"{p.start:%-d %b}" for p in d.periods]
    x = list(range(len(labels)))
    top = max(max(max(pr), max(co)) for pr, co in d.chart.values()) or 1
    for i, name in enumerate(names):
        ax = fig.add_subplot(rows, cols, i + 1)
        praise, complaints = d.chart[name]
        ax.bar(x, praise, color="#2eb67d", label="praise")
        ax.bar(x, [-c for c in complaints], color="#e01e5a", label="complaints")
        ax.axhline(0, color="#999999", linewidth=0.6)
        ax.set_ylim(-top * 1.1, top * 1.1)
        for week, _title in d.chart_shipped.get(name, []):
            ax.axvline(week, color=SHIPPED_COLOR, linestyle="--", linewidth=1, gid=SHIPPED_GID)
            ax.text(week + 0.1, top * 1.05, "shipped", color=SHIPPED_COLOR, fontsize=7, va="top")
        ax.set_title(name[:40], fontsize=9, loc="left")
        ax.set_xticks(x[::2], labels[::2], fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{abs(int(v))}"))
        ax.spines[["top", "right"]].set_visible(False)
    shipped = " · dashed: an improvement shipped" if d.chart_shipped else ""
    fig.suptitle(f"Praise (up) vs complaints (down), last {len(labels)} periods{shipped}", fontsize=10)
    fig.tight_layout()
    return fig


def render_chart(d: Digest) -> bytes | None:
    """The PNG, or None when there is nothing to draw."""
    fig = chart_figure(d)
    if fig is None:
        return None
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def alt_text(d: Digest) -> str:
    parts = []
    for name, (pr, co) in d.chart.items():
        shipped = "".join(f", improvement shipped the week of {d.periods[w].start:%-d %b}"
                          for w, _ in d.chart_shipped.get(name, []))
        parts.append(f"{name}: {sum(pr)} praise, {sum(co)} complaints{shipped}")
    return ("Praise vs complaints per process over the last 8 periods. " + "; ".join(parts))[:1000]
