"""``earshot processes import|export``: the process registry as a YAML file (config as code).

Needs only DATABASE_URL (no Slack tokens). Errors are one line on stderr and exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bot.cli.common import emit, out_option, read_file, to_stdout
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
@click.option("--dry-run", is_flag=True, help="Show what would change, field by field; change nothing.")
@click.option("--replace", is_flag=True,
              help="The file is the whole registry: fields it leaves out are cleared, its "
                   "capitalisation wins, and processes it does not list are archived.")
@click.option("--archive-missing", is_flag=True,
              help="Archive active processes the file does not list (their remarks stay); "
                   "listed ones are merged as usual.")
def import_command(file: Path, team: str | None, dry_run: bool, replace: bool,
                   archive_missing: bool) -> None:
    """Create or update processes from FILE, matched by name ignoring case. A listed process
    takes the fields the file writes and keeps the ones it leaves out (and its own
    capitalisation), unless --replace. Idempotent; all or nothing."""
    text = read_file(file)

    async def work(sessions: Any) -> Any:
        team_id = await pick_team(sessions, team, create=True)
        try:
            report = await import_processes(sessions, team_id, text, replace=replace,
                                            archive_missing=archive_missing, dry_run=dry_run)
        except ProcessFileError as e:
            fail_db(f"{file}: {e}. Nothing was imported.")
        except RegistryError as e:
            fail_db(f"{file}: {e} Nothing was imported.")
        return team_id, report

    team_id, report = run_db(with_sessions(work))
    prefix = "Dry run: " if dry_run else ""
    click.echo(f"{prefix}{team_id}: {report.summary()}.")
    for line in report.details():
        click.echo(f"  {line}")


@processes_command.command("export")
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
@out_option("the YAML")
@click.option("--output", "old_output", type=click.Path(dir_okay=False, path_type=Path), hidden=True)
def export_command(team: str | None, out: Path | None, old_output: Path | None) -> None:
    """Write a workspace's processes (archived ones too) as YAML."""
    if old_output is not None:
        click.echo("earshot: --output is now -o/--out (the same in every command).", err=True)
        out = out or old_output

    async def work(sessions: Any) -> str:
        return await export_processes(sessions, await pick_team(sessions, team, create=False))

    text = run_db(with_sessions(work))
    emit(out, text)
    if not to_stdout(out):
        click.echo(f"Wrote {text.count('- name:')} processes to {out}.", err=True)
