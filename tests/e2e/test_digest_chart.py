"""The digest's chart keeps each process in the same place from week to week, whatever this
week's ranking, and marks the period an improvement to a process shipped (issue 22 item
10). Checked on the figure's own artists (titles, marker lines), not on pixels."""

from __future__ import annotations

import datetime as dt

from matplotlib.lines import Line2D

from bot.digest.build import build_digest
from bot.digest.chart import SHIPPED_GID, alt_text, chart_figure, render_chart
from bot.digest.periods import Period
from storage.db import transaction
from storage.models import Workspace
from storage.repositories.improvements import ImprovementRepository
from tests.e2e import digest_support as ds
from tests.e2e.queries import BOB

MONDAY = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)  # the schedule's default: Monday 09:00 UTC


def week(n: int) -> Period:
    start = (MONDAY + dt.timedelta(days=7 * n)).date()
    return Period(start, start + dt.timedelta(days=7))


async def digest_of(db, n: int):
    async with db() as s:
        ws = await s.get(Workspace, ds.TEAM)
    return await build_digest(db, ws, week(n))


async def test_panels_keep_their_order_and_the_shipped_week_is_marked(db):
    await ds.workspace(db)
    zeta, alpha, middle = [await ds.process(db, n) for n in ("Zeta", "alpha", "Middle")]
    async with transaction(db) as s:
        # Week 0: Zeta draws the complaints; week 1: alpha does. Middle is praised throughout.
        for n, (worst, count) in enumerate([(zeta, 4), (alpha, 5)]):
            at = MONDAY + dt.timedelta(days=7 * n, hours=10)
            for i in range(count):
                await ds.remark(s, process_id=worst, sentiment="complaint", at=at + dt.timedelta(hours=i))
            for i in range(2):
                await ds.remark(s, process_id=middle, sentiment="praise", at=at + dt.timedelta(hours=i))
        await ds.remark(s, process_id=alpha, sentiment="praise", at=MONDAY + dt.timedelta(hours=3))
        await ds.remark(s, process_id=zeta, sentiment="praise", at=MONDAY + dt.timedelta(days=8))
        repo = ImprovementRepository(s)
        fix = await repo.create(ds.TEAM, process_id=zeta, title="One invoice per order", description="",
                                owner_user_id=BOB, proposed_by=BOB, link=None, remark_ids=[],
                                at=MONDAY)
        await repo.set_status(ds.TEAM, fix.id, "shipped", by=BOB, at=MONDAY + dt.timedelta(days=2))

    first, second = await digest_of(db, 0), await digest_of(db, 1)
    assert first.improve[0].name == "Zeta" and second.improve[0].name == "alpha"  # ranks differ
    assert list(first.chart) == list(second.chart) == ["alpha", "Middle", "Zeta"]

    # Zeta's improvement shipped in week 0: the last period of the first digest's chart and
    # the one before the last of the second's.
    assert first.chart_shipped == {"Zeta": [(7, "One invoice per order")]}
    assert second.chart_shipped == {"Zeta": [(6, "One invoice per order")]}
    fig = chart_figure(second)
    assert fig is not None
    axes = fig.get_axes()
    assert [ax.get_title(loc="left") for ax in axes] == ["alpha", "Middle", "Zeta"]
    marks = {ax.get_title(loc="left"): [line.get_xdata()[0] for line in ax.get_lines()
                                        if isinstance(line, Line2D) and line.get_gid() == SHIPPED_GID]
             for ax in axes}
    assert marks == {"alpha": [], "Middle": [], "Zeta": [6]}
    assert any(t.get_text() == "shipped" for t in axes[2].texts)
    assert "Zeta: 1 praise, 4 complaints, improvement shipped the week of 3 Mar" in alt_text(second)
    png = render_chart(second)
    assert png is not None and png.startswith(b"\x89PNG")
