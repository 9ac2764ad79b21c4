"""``earshot processes import|export``: the process registry as a YAML file (config as code).

Needs only DATABASE_URL (no Slack tokens). Errors are one line on stderr and exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bot.cli.common import read_file, write_file
from bot.cli.db import fail_db, pick_team, run_db, with_sessions
from bot.domain.processes.process_file import ProcessFileError
from bot.domain.processes.registry import RegistryError
from bot.domain.processes.registry_file import export_processes, import_processes


@click.group("processes")
def processes_command() -> None:
    """Import or export a workspace's process registry as YAML."""


@processes_command.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--archive-missing", is_flag=True,
              help="Archive active processes the file does not list (their remarks stay).")
def import_command(file: Path, team: str | None, dry_run: bool, archive_missing: bool) -> None:
    """Create or update processes from FILE (by name, ignoring case). Idempotent."""
    text = read_file(file)

    async def work(sessions: Any) -> Any:
        team_id = await pick_team(sessions, team, create=True)
        try:
            report = await import_processes(sessions, team_id, text, archive_missing=archive_missing,
                                            dry_run=dry_run)
        except ProcessFileError as e:
            fail_db(f"{file}: {e}. Nothing was imported.")
        except RegistryError as e:
            fail_db(f"{file}: {e} Nothing was imported.")
        return team_id, report

    team_id, report = run_db(with_sessions(work))
    prefix = "Dry run: " if dry_run else ""
    click.echo(f"{prefix}{team_id}: {report.summary()}.")
    for label, names in (("created", report.created), ("updated", report.updated),
                         ("archived", report.archived)):
        for name in names:
            click.echo(f"  {label}: {name}")


@processes_command.command("export")
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
def export_command(team: str | None, output: Path | None) -> None:
    """Write a workspace's processes (archived ones too) as YAML."""

    async def work(sessions: Any) -> str:
        return await export_processes(sessions, await pick_team(sessions, team, create=False))

    text = run_db(with_sessions(work))
    if output is None:
        click.echo(text, nl=False)
        return
    write_file(output, text)
    click.echo(f"Wrote {text.count('- name:')} processes to {output}.", err=True)
