"""The digest's chart: praise (up, green) vs complaints (down, red) per process over the
last 8 periods, one small panel per process. PNG bytes via matplotlib's Agg backend."""

from __future__ import annotations

import io
import math

from bot.digest.build import Digest


def render_chart(d: Digest) -> bytes | None:
    """The PNG, or None when there is nothing to draw."""
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
        ax.set_title(name[:40], fontsize=9, loc="left")
        ax.set_xticks(x[::2], labels[::2], fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{abs(int(v))}"))
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(f"Praise (up) vs complaints (down), last {len(labels)} periods", fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def alt_text(d: Digest) -> str:
    parts = [f"{name}: {sum(pr)} praise, {sum(co)} complaints" for name, (pr, co) in d.chart.items()]
    return ("Praise vs complaints per process over the last 8 periods. " + "; ".join(parts))[:1000]
