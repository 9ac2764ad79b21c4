"""Sweep the theme constants on the dev splits of several intent sets at once.

For each setting of JOIN_BAR, MERGE_BAR, RAW_FLOOR and CENTRE_PRIOR, the cells of
``bench/theme_eval.py --dev`` (every process x size, mean over draws) are scored for ours
against k-means told the true k (computed once per cell: it does not depend on the
setting), with each remark's vector computed once. Printed per setting and set: cells won
(ahead on both V-measure and ARI), the smallest ARI margin, mean ARI per size, and the
broad process's mean ARI (dev draws) at 10 remarks per intent against the uncentred rule.
Dev splits only: the test splits are never read here.

    python bench/theme_sweep.py --data DIR [--data DIR ...] [--join 0.25,0.3] [--merge ...]
        [--floor ...] [--prior ...] [--evidence ...] [--draws 3] [--sizes 40,120,300] [--broad]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from functools import cache
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, v_measure_score
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from theme_eval import (  # noqa: E402
    BROAD,
    BROAD_DEV_SEEDS,
    SIZES,
    _fill,
    baseline,
    intent_set,
    sample,
    uncentred,
)

from bot.classify import theme_neighbours, themes  # noqa: E402

vector = cache(themes.vector)


def grouped(texts: list[str], join: float, merge: float) -> list[int]:
    grouper = themes.Grouper(join, merge)
    got = [None if (v := vector(t)) is None else grouper.file(v) for t in texts]
    return _fill([None if g is None else grouper.final(g) for g in got])


def floats(s: str) -> list[float]:
    return [float(x) for x in s.split(",")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, action="append", required=True)
    ap.add_argument("--join", type=floats, default=[themes.JOIN_BAR])
    ap.add_argument("--merge", type=floats, default=[themes.MERGE_BAR])
    ap.add_argument("--floor", type=floats, default=[themes.RAW_FLOOR])
    ap.add_argument("--prior", type=floats, default=[themes.CENTRE_PRIOR])
    ap.add_argument("--evidence", type=floats, default=[themes.MERGE_EVIDENCE])
    ap.add_argument("--corr", type=floats, default=[theme_neighbours.CORR_BAR],
                    help="shared neighbours: profile correlation bar (above 1: off)")
    ap.add_argument("--nsim", type=floats, default=[theme_neighbours.SIM_BAR])
    ap.add_argument("--nmin", type=floats, default=[theme_neighbours.MIN_COUNT])
    ap.add_argument("--nmax", type=floats, default=[theme_neighbours.MAX_THEMES])
    ap.add_argument("--nthemes", type=floats, default=[theme_neighbours.MIN_THEMES])
    ap.add_argument("--naxis", type=floats, default=[theme_neighbours.AXIS_SHARE])
    ap.add_argument("--draws", type=int, default=3)
    ap.add_argument("--seed0", type=int, default=0, help="first draw's seed (dev: 0)")
    ap.add_argument("--sizes", type=lambda x: [int(n) for n in x.split(",")], default=list(SIZES))
    ap.add_argument("--broad", action="store_true", help="also the broad process (slow)")
    args = ap.parse_args()
    sets = [intent_set(d, dev=True) for d in args.data]
    cells = {}  # (set, size, process) -> [(texts, truth, base_v, base_ari)] per draw
    with threadpool_limits(1):
        for data in sets:
            for d in range(args.draws):
                rng = random.Random(args.seed0 + d)
                for g, intents in enumerate(data.processes):
                    for n in SIZES:
                        texts, truth = sample(rng, data.rows, intents, n)  # same draws
                        if n not in args.sizes:
                            continue
                        base = baseline(texts, len(set(truth)), args.seed0 + d)
                        cells.setdefault((data.name, n, g), []).append(
                            (texts, truth, v_measure_score(truth, base),
                             adjusted_rand_score(truth, base))
                        )
        broads = {
            data.name: [sample(random.Random(s), data.rows, sorted(data.rows),
                               BROAD[0] * len(data.rows)) for s in BROAD_DEV_SEEDS]
            for data in sets
        }
        if args.broad:
            for name, drawn in broads.items():
                u = np.mean([adjusted_rand_score(t, uncentred(x)) for x, t in drawn])
                print(f"{name}: broad uncentred rule {u:.3f}")
        for join, merge, floor, prior, evidence, corr, nsim, nmin, nmax, nthemes, naxis in itertools.product(
            args.join, args.merge, args.floor, args.prior, args.evidence,
            args.corr, args.nsim, args.nmin, args.nmax, args.nthemes, args.naxis,
        ):
            themes.RAW_FLOOR, themes.CENTRE_PRIOR = floor, prior
            themes.MERGE_EVIDENCE = evidence
            theme_neighbours.CORR_BAR, theme_neighbours.SIM_BAR = corr, nsim
            theme_neighbours.MIN_COUNT, theme_neighbours.MAX_THEMES = nmin, int(nmax)
            theme_neighbours.MIN_THEMES, theme_neighbours.AXIS_SHARE = int(nthemes), naxis
            line = [f"join {join:.2f} merge {merge:.2f} floor {floor:.2f} prior {prior:g}"
                    f" evidence {evidence:g} corr {corr:g} nsim {nsim:g} nmin {nmin:g}"
                    f" nmax {nmax:g} nthemes {nthemes:g} naxis {naxis:g}"]
            for data in sets:
                won = total = 0
                margin = np.inf
                ari: dict[int, list[float]] = {n: [] for n in args.sizes}
                lost = []
                for (name, n, g), draws in cells.items():
                    if name != data.name:
                        continue
                    ov, oa, bv, ba = [], [], [], []
                    for texts, truth, base_v, base_ari in draws:
                        got = grouped(texts, join, merge)
                        ov.append(v_measure_score(truth, got))
                        oa.append(adjusted_rand_score(truth, got))
                        bv.append(base_v)
                        ba.append(base_ari)
                    total += 1
                    ahead = np.mean(ov) > np.mean(bv) and np.mean(oa) > np.mean(ba)
                    won += bool(ahead)
                    if not ahead:
                        lost.append(f"{n}/{g}")
                    margin = min(margin, np.mean(oa) - np.mean(ba))
                    ari[n] += oa
                part = (f"{data.name} {won}/{total} min {margin:+.3f} ARI "
                        + "/".join(f"{np.mean(ari[n]):.3f}" for n in args.sizes))
                if lost:
                    part += f" lost {','.join(lost)}"
                if args.broad:
                    b = np.mean([adjusted_rand_score(t, grouped(x, join, merge))
                                 for x, t in broads[data.name]])
                    part += f" broad {b:.3f}"
                line.append(part)
            print(" | ".join(line), flush=True)


if __name__ == "__main__":
    main()
