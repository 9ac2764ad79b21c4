"""``earshot workspace erase-user|purge``: erasure of one person, deletion of a workspace.

Needs only DATABASE_URL (no Slack tokens); ``--team`` may be left out when the database holds
one workspace. Errors are one line on stderr and exit code 2;
``erase-user`` with an id Earshot holds nothing of exits 1 and erases nobody.
"""

from __future__ import annotations

from typing import Any

import click

from bot.cli.common import fail
from bot.cli.db import fail_db
from bot.cli.db import pick_team as _team
from bot.cli.db import run_db as _run
from bot.cli.db import with_sessions as _with_sessions
from bot.domain.privacy import retention
from bot.domain.processes.registry import is_user_id


@click.group("workspace")
def workspace_command() -> None:
    """Erase a person's data, or delete a workspace's data."""


@workspace_command.command("erase-user")
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
@click.argument("users", nargs=-1, required=True)
def erase_user_command(team: str | None, users: tuple[str, ...]) -> None:
    """Erase USERS (Slack user ids): remarks they wrote lose their text; wherever they
    captured or decided something they become an anonymous stand-in; counts stay."""

    ids = [u.strip().upper() for u in users]
    if bad := [u for u, i in zip(users, ids, strict=True) if not is_user_id(i)]:
        fail_db(f"{', '.join(repr(b) for b in bad)}: not a Slack user id (they look like U012AB3CD); "
                "nothing was erased.")

    async def work(sessions: Any) -> list[tuple[str, dict[str, int]]]:
        team_id = await _team(sessions, team, create=False)
        unknown = [u for u in ids if not await retention.holds_user(sessions, team_id, u)]
        if unknown:
            fail(f"Earshot holds nothing of {', '.join(unknown)} in {team_id} (is the id right? "
                 "user ids look like U012AB3CD); nothing was erased.", status=1)
        return [(u, await retention.erase_user(sessions, team_id, u)) for u in dict.fromkeys(ids)]

    for user, counts in _run(_with_sessions(work)):
        detail = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items() if v) or "nothing found"
        click.echo(f"Erased {user}: {detail}.")


@workspace_command.command("purge")
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge_command(team: str | None, yes: bool) -> None:
    """Delete every row of the workspace in every table, in one transaction."""

    async def which(sessions: Any) -> str:
        return await _team(sessions, team, create=False)

    team_id = _run(_with_sessions(which))
    if not yes:
        click.confirm(f"Delete all of {team_id}'s data from Earshot? This cannot be undone", abort=True)

    async def work(sessions: Any) -> dict[str, int]:
        return await retention.purge_workspace(sessions, team_id)

    counts = _run(_with_sessions(work))
    click.echo(f"Purged {team_id}: {sum(counts.values())} row(s) "
               f"({', '.join(f'{k} {v}' for k, v in counts.items() if v) or 'none'}).")
