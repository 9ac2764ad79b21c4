"""``earshot improvements [--team T] [--json] [-o FILE]``: a workspace's improvements from the terminal:
title, process, status, owner, link, remarks addressed and, once shipped, the verdict with its
before → after figures. Needs only DATABASE_URL; errors are one line on stderr, exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import click
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.common import emit, out_option
from bot.cli.db import pick_team, run_db, with_sessions
from bot.domain.loop.report import Row, report
from storage.models import utcnow

STATUS = {"planned": "planned", "in_progress": "in progress", "shipped": "shipped", "dropped": "dropped"}


def _line(r: Row) -> str:
    head = f"#{r.id} {r.title} · {r.process} · {STATUS.get(r.status, r.status)}"
    if r.shipped_at:
        head += f" {r.shipped_at[:10]}"
    head += f" · owner {r.owner or '-'} · {r.remarks} remark{'s' if r.remarks != 1 else ''}"
    if r.link:
        head += f" · {r.link}"
    if r.verdict:
        head += f"\n    {r.verdict}: complaints {r.complaints}; praise {r.praise}"
    return head


@click.command("improvements")
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per improvement, one a line.")
@out_option("the list")
def improvements_command(team: str | None, as_json: bool, out: Path | None) -> None:
    """List a workspace's improvements with status, remarks and verdict."""

    async def work(sessions: async_sessionmaker[AsyncSession]) -> tuple[str, list[Row]]:
        team_id = await pick_team(sessions, team, create=False)
        return team_id, await report(sessions, team_id, now=utcnow())

    team_id, rows = run_db(with_sessions(work))
    if as_json:
        lines = [json.dumps({"team": team_id, **r.as_json()}, ensure_ascii=False) for r in rows]
    elif not rows:
        lines = [f"{team_id}: no improvements yet."]
    else:
        lines = [f"{team_id}: {len(rows)} improvement{'s' if len(rows) != 1 else ''}", *map(_line, rows)]
    emit(out, "".join(line + "\n" for line in lines))
