"""The demo's folder: what a person opens after the run.

- ``digest-week-N.json``: the digest exactly as posted, as ``{"blocks": [...]}`` (paste it
  into Slack's Block Kit Builder to see it rendered);
- ``digest-week-N-chart.png``: the chart the bot uploaded into the digest's thread;
- ``customers.yaml``: the customer registry the story imported first;
- ``remarks.csv``: every filed remark, readable (process, sentiment, who decided, customer,
  routes, text, permalink);
- ``summary.json``: what happened, in numbers (Web API calls the stand-in recorded, digests
  posted per week, routes exercised, elapsed time): for tests and the curious.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from bot.demo import show, show_loop
from bot.demo import story as s
from bot.demo.runner import Demo
from bot.domain.privacy import csvsafe

BUILDER_URL = "https://app.slack.com/block-kit-builder"
CSV_COLUMNS = ("id", "said_at", "process", "process_decided_by", "sentiment", "sentiment_decided_by",
               "customer", "said_by", "captured_by", "routes", "endorsements", "channel", "text",
               "permalink")


def prepare(out: Path) -> Path:
    """Create the folder; refuse a path that is a file. Earlier demo files are replaced."""
    out = out.expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} is a file; pass a folder to --out")
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("digest-week-*.json")) + list(out.glob("digest-week-*-chart.png")):
        old.unlink()
    return out


def write_all(demo: Demo, out: Path, remarks: list[dict[str, Any]], *, elapsed: float,
              refused: list[str]) -> list[tuple[Path, str]]:
    """Write every file; returns (path, what it is) in the order to show them."""
    written: list[tuple[Path, str]] = []
    for d in demo.digests:
        path = out / f"digest-week-{d.week}.json"
        path.write_text(json.dumps({"blocks": d.blocks}, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        written.append((path, f"week {d.week} digest as Block Kit: paste into {BUILDER_URL}"))
        if d.chart:
            chart = out / f"digest-week-{d.week}-chart.png"
            chart.write_bytes(d.chart)
            written.append((chart, f"week {d.week} chart, as uploaded to the digest's thread"))
    if any(isinstance(p.step, s.Registry) for p in demo.played):
        path = out / s.CUSTOMERS_FILE
        path.write_text(s.CUSTOMERS, encoding="utf-8")
        written.append((path, "the customer registry the story imported (earshot customers import)"))
    path = out / "remarks.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csvsafe.DictWriter(f, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(remarks)
    written.append((path, f"the {len(remarks)} remarks Earshot filed, one row each"))
    path = out / "summary.json"
    path.write_text(json.dumps(summary(demo, remarks, elapsed=elapsed, refused=refused), indent=2) + "\n",
                    encoding="utf-8")
    written.append((path, "what happened, in numbers"))
    return written


def summary(demo: Demo, remarks: list[dict[str, Any]], *, elapsed: float,
            refused: list[str]) -> dict[str, Any]:
    calls = Counter(c.method for c in demo.fake.calls)
    routes: Counter[str] = Counter()
    for r in remarks:
        for route in filter(None, (x.strip() for x in r["routes"].split(","))):
            routes[route] += 1
    kinds = Counter(type(p.step).__name__ for p in demo.played)
    return {
        "elapsed_seconds": round(elapsed, 2),
        "story_start": demo.story_start.isoformat(),
        "database": demo.database_label,
        "team_id": demo.team_id,
        "steps": len(demo.played),
        "steps_by_kind": dict(sorted(kinds.items())),
        "step_errors": [f"{p.step.caption()}: {p.error}" for p in demo.played if p.error],
        "remarks": len(remarks),
        "remarks_by_route": dict(sorted(routes.items())),
        "remarks_by_process": dict(sorted(Counter(r["process"] or "(unfiled)" for r in remarks).items())),
        "web_api_calls": dict(sorted(calls.items())),
        "scheduler_ticks": demo.scheduler_ticks,
        "digests": [
            {"week": d.week, "due_at": d.due_at.isoformat(), "channel": d.channel, "ts": d.ts,
             "posts": d.posts, "blocks": len(d.blocks), "chart": d.chart_name, "text": d.text}
            for d in demo.digests
        ],
        "customers": {
            "registered": len(show.registry(demo)),
            "remarks_with_customer": sum(1 for r in remarks if r["customer"]),
            "account_owner_notes": sorted(show_loop.dm_recipients(demo, show.ACCOUNT_NOTE)),
        },
        "loop": {
            "shipped_dms": sorted(show_loop.dm_recipients(demo, show_loop.SHIPPED)),
            "account_owner_shipped_dms": sorted(
                show_loop.dm_recipients(demo, show_loop.OWNERS_SHIPPED)
            ),
            "worked_dms": sorted(show_loop.dm_recipients(demo, show_loop.WORKED)),
            "account_owner_worked_dms": sorted(
                show_loop.dm_recipients(demo, show_loop.OWNERS_WORKED)
            ),
            "praise_notes": len(show_loop.dm_recipients(demo, show_loop.PRAISE)),
            "did_it_work": show_loop.did_it_work(demo),
        },
        "outside_loopback_connections_refused": refused,
    }
