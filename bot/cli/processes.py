"""``earshot processes import|export``: the process registry as a YAML file (config as code).

Needs only DATABASE_URL (no Slack tokens). Errors are one line on stderr and exit code 2.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from sqlalchemy.exc import SQLAlchemyError

from bot.config import DatabaseSettings, SettingsError, load_settings
from bot.domain.process_file import ProcessFileError
from bot.domain.registry import RegistryError, is_team_id
from bot.domain.registry_file import export_processes, import_processes
from storage.db import create_engine, session_factory
from storage.repositories import WorkspaceRepository


def fail_cli(message: str) -> NoReturn:
    click.echo(f"earshot: {message}", err=True)
    sys.exit(2)


def _database_url() -> str:
    try:
        return load_settings(DatabaseSettings).database_url
    except SettingsError as e:
        fail_cli(str(e))


async def with_sessions(work: Any) -> Any:
    engine = create_engine(_database_url())
    try:
        return await work(session_factory(engine))
    finally:
        await engine.dispose()


async def workspace_for(sessions: Any, team: str | None, *, create: bool) -> str:
    """The workspace to work on: ``--team``, or the only one in the database."""
    async with sessions() as session:
        known = [w.team_id for w in await WorkspaceRepository(session).all()]
    if team:
        team = team.strip().upper()
        if team in known:
            return team
        if not create:
            fail_cli(f"no workspace {team} in the database (known: {', '.join(known) or 'none yet'}).")
        if not is_team_id(team):
            fail_cli(f"{team!r} is not a Slack team id (they look like T012AB3CD).")
        return team
    if len(known) == 1:
        return known[0]
    if not known:
        fail_cli("the database has no workspace yet: pass --team T012AB3CD (the Slack team id).")
    fail_cli(f"the database has {len(known)} workspaces ({', '.join(known)}): pick one with --team.")


def run_db(coro: Any) -> Any:
    try:
        return asyncio.run(coro)
    except SQLAlchemyError as e:
        reason = str(e.orig if getattr(e, "orig", None) else e).splitlines()[0]
        fail_cli(f"database error ({reason}); is DATABASE_URL right and `earshot migrate` done?")
    except OSError as e:
        fail_cli(f"cannot reach the database ({e}); is DATABASE_URL right?")


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
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail_cli(f"{file}: no such file.")
    except (OSError, UnicodeDecodeError) as e:
        fail_cli(f"{file}: cannot read it ({e}).")

    async def work(sessions: Any) -> Any:
        team_id = await workspace_for(sessions, team, create=True)
        try:
            report = await import_processes(sessions, team_id, text, archive_missing=archive_missing,
                                            dry_run=dry_run)
        except ProcessFileError as e:
            fail_cli(f"{file}: {e}. Nothing was imported.")
        except RegistryError as e:
            fail_cli(f"{file}: {e} Nothing was imported.")
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
        return await export_processes(sessions, await workspace_for(sessions, team, create=False))

    text = run_db(with_sessions(work))
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        fail_cli(f"{output}: cannot write it ({e.strerror}).")
    click.echo(f"Wrote {text.count('- name:')} processes to {output}.", err=True)
