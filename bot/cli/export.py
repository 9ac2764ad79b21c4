"""``earshot export``: a workspace's remarks as CSV or JSON Lines, written locally.

Needs only DATABASE_URL. Streams (keyset pages), so memory stays bounded at any size; a
progress bar goes to stderr so stdout can be the file itself.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from bot.cli.common import out_option, output, to_stdout
from bot.cli.db import pick_team as _team
from bot.cli.db import run_db as _run
from bot.cli.db import with_sessions as _with_sessions
from bot.domain.privacy import export


def format_of(fmt: str | None, out: Path | None) -> str:
    """``--format``, else the output file's extension (.jsonl/.json: jsonl), else csv."""
    if fmt:
        return fmt
    if not to_stdout(out) and out is not None and out.suffix.lower() in (".jsonl", ".json"):
        return "jsonl"
    return "csv"


@click.command("export")
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
@click.option("--format", "fmt", type=click.Choice(export.FORMATS), default=None,
              help="csv or jsonl (default: from the --out file's extension, else csv).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only remarks said on or after this day (UTC).")
@out_option("the remarks")
def export_command(team: str | None, fmt: str | None, since: dt.datetime | None, out: Path | None) -> None:
    """Export the workspace's remarks (columns: docs/privacy.md, "Export columns")."""
    since_utc = since.replace(tzinfo=dt.UTC) if since else None
    fmt = format_of(fmt, out)

    async def work(sessions: Any) -> tuple[str, int]:
        team_id = await _team(sessions, team, create=False)
        total = await export.count(sessions, team_id, since=since_utc)
        with output(out, newline="") as stream, click.progressbar(
                length=total, label=f"Exporting {team_id}", file=sys.stderr, show_pos=True) as bar:
            n = await export.write(stream, sessions, team_id, fmt, since=since_utc, progress=bar.update)
            stream.flush()  # a closed pipe shows here, inside the command, not at exit
        return team_id, n

    team_id, n = _run(_with_sessions(work))
    click.echo(f"Exported {n} remark(s) of {team_id}" + ("." if to_stdout(out) else f" to {out}."),
               err=True)
