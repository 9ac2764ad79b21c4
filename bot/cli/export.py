"""``earshot export``: a workspace's remarks as CSV or JSON Lines, written locally.

Needs only DATABASE_URL. Streams (keyset pages), so memory stays bounded at any size; a
progress bar goes to stderr so stdout can be the file itself.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import IO, Any

import click

from bot.cli.db import pick_team as _team
from bot.cli.db import run_db as _run
from bot.cli.db import with_sessions as _with_sessions
from bot.domain.privacy import export


@click.command("export")
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
@click.option("--format", "fmt", type=click.Choice(export.FORMATS), default="csv", show_default=True)
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only remarks said on or after this day (UTC).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: stdout).")
def export_command(team: str | None, fmt: str, since: dt.datetime | None, out: Path | None) -> None:
    """Export the workspace's remarks (columns: docs/privacy.md, "Export columns")."""
    since_utc = since.replace(tzinfo=dt.UTC) if since else None

    async def work(sessions: Any) -> tuple[str, int]:
        team_id = await _team(sessions, team, create=False)
        total = await export.count(sessions, team_id, since=since_utc)
        stream: IO[str] = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
        try:
            with click.progressbar(length=total, label=f"Exporting {team_id}", file=sys.stderr,
                                   show_pos=True) as bar:
                n = await export.write(stream, sessions, team_id, fmt, since=since_utc,
                                       progress=bar.update)
        finally:
            if out:
                stream.close()
        return team_id, n

    team_id, n = _run(_with_sessions(work))
    click.echo(f"Exported {n} remark(s) of {team_id}" + (f" to {out}." if out else "."), err=True)
