"""``earshot api-token create|list|revoke`` and ``earshot import FILE`` (docs/api.md,
docs/sources.md). Tokens need only DATABASE_URL; an import runs the capture path, so it
reads the bot's settings (REDACT, CLASSIFY_THRESHOLD) but never calls Slack."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from bot.cli.common import fail, read_file
from bot.cli.db import pick_team, run_db, with_sessions
from bot.config import Settings, SettingsError, load_settings
from bot.domain.workspace import api_tokens
from storage.models import utcnow


@click.group("api-token")
def api_token_command() -> None:
    """Tokens for the API (POST /api/v1/remarks; the read API's GETs): made, listed, revoked per workspace."""


@api_token_command.command("create")
@click.argument("name")
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
@click.option("--rate", type=click.IntRange(1, 1_000_000), default=600, show_default=True,
              help="Requests per minute this token may make.")
@click.option("--scope", "scope", default="write", show_default=True,
              help="What it may do: write (POST, the intake API), read (the read API's GETs) or read,write.")
def create(name: str, team: str | None, rate: int, scope: str) -> None:
    """Make a token NAME; it is printed once, and only its hash is kept."""
    try:
        scopes = api_tokens.parse_scopes(scope)
    except api_tokens.TokenError as e:
        fail(str(e), status=2)

    async def work(sessions: Any) -> api_tokens.Made:
        team_id = await pick_team(sessions, team, create=True)
        return await api_tokens.create(sessions, team_id, name, by="cli", at=utcnow(), rate_per_minute=rate,
                                       scopes=scopes)

    try:
        made = run_db(with_sessions(work))
    except api_tokens.TokenError as e:
        fail(str(e))
    click.echo(f"Token {made.name} ({scopes}; shown once; keep it in your integration's secret store):",
               err=True)
    click.echo(made.token)


@api_token_command.command("list")
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
def list_(team: str | None) -> None:
    """The workspace's live tokens: name, scopes, made, last used, rate."""
    async def work(sessions: Any) -> list[Any]:
        return await api_tokens.listed(sessions, await pick_team(sessions, team, create=False))

    tokens = run_db(with_sessions(work))
    if not tokens:
        click.echo("No live API tokens. Make one with `earshot api-token create NAME`.")
    for t in tokens:
        used = t.last_used_at.strftime("%Y-%m-%d %H:%M UTC") if t.last_used_at else "never"
        click.echo(f"{t.name:<28}  {t.scopes:<10}  made {t.created_at:%Y-%m-%d} by {t.created_by}  last used {used}  "
                   f"{t.rate_per_minute}/min")


@api_token_command.command("revoke")
@click.argument("name")
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
def revoke(name: str, team: str | None) -> None:
    """Revoke token NAME: its next request gets 401."""
    async def work(sessions: Any) -> None:
        await api_tokens.revoke(sessions, await pick_team(sessions, team, create=False), name, at=utcnow())

    try:
        run_db(with_sessions(work))
    except api_tokens.TokenError as e:
        fail(str(e))
    click.echo(f"Revoked {name}.")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--team", default=None, help="Slack team id of the workspace to import into "
              "(optional when the database holds one workspace).")
@click.option("--source", required=True, help="Where the rows come from (typeform, zendesk-backlog): "
              "with each row's external_id, what makes a re-import change nothing.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default=None,
              help="Default: from the file's extension (.csv, else JSON Lines).")
def import_command(file: Path, team: str | None, source: str, fmt: str | None) -> None:
    """Import remarks from a CSV (header row) or JSONL FILE, with the API's fields.

    Every row is checked first; if any is bad, each is named by line and nothing is written.
    """
    from bot.domain.capture import imports
    from bot.domain.services import Services

    text = read_file(file)
    fmt = fmt or ("csv" if file.suffix.lower() == ".csv" else "jsonl")
    try:
        # The import never calls Slack: Slack's settings are not needed for it.
        settings = load_settings(Settings, slack_bot_token="xoxb-unused-by-import",
                                 slack_signing_secret="unused-by-import")
    except SettingsError as e:
        fail(str(e), status=2)

    async def work() -> imports.Imported:
        services = Services.create(settings)
        try:
            team_id = await pick_team(services.sessions, team, create=True)
            rows, problems, total = imports.check(services, text, fmt, source=source)
            if not problems and rows:
                problems = await imports.check_processes(services, team_id, rows)
                total = len(problems)
            if problems:
                for p in problems:
                    click.echo(f"{file.name}: line {p.line}: {p.field}: {p.message}", err=True)
                if total > len(problems):
                    click.echo(f"... and {total - len(problems)} more problem(s).", err=True)
                fail(f"{total} problem(s) in {file.name}; nothing was imported.", status=2)
            if not rows:  # empty, a header alone, blank lines: nothing to import is a mistake
                fail(f"{file.name} has no rows; nothing was imported.", status=2)
            with click.progressbar(length=len(rows), label=f"Importing into {team_id}",
                                   file=sys.stderr, show_pos=True) as bar:
                return await imports.write(services, team_id, rows, progress=bar.update)
        finally:
            await services.close()

    done = run_db(work())
    click.echo(f"Imported {done.new + done.known} row(s) of {file.name}: {done.new} new remark(s), "
               f"{done.known} known already.")
