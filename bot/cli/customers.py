"""``earshot customers import FILE`` and ``earshot customers export [-o FILE]``: the customer
registry as YAML or CSV.

Needs only DATABASE_URL; with Slack settings, import checks each owner with Slack using the
workspace's own token (single-token or OAuth mode). The format follows the file's extension
(``.csv``; otherwise YAML) or ``--format``. Errors are one line on stderr and exit code 2.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import click
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.common import emit, out_option, read_file, to_stdout
from bot.cli.db import fail_db, pick_team, run_db, with_sessions
from bot.config import Settings, SettingsError, load_settings
from bot.domain.customers.crm.records import SyncReport
from bot.domain.customers.crm.run import hand_back, run_sync
from bot.domain.customers.crm.sync import CRM_FIELDS
from bot.domain.customers.file import (
    CustomerFileError,
    Imported,
    export_customers,
    import_customers,
    is_csv,
)
from bot.domain.workspace.clients import SlackClients
from bot.settings.crm import CRMS, CrmConfigError, crm_config, single_workspace


def users_info_check(client: AsyncWebClient) -> Callable[[str], Awaitable[bool]]:
    async def known(user_id: str) -> bool:
        try:
            user = (await client.users_info(user=user_id)).get("user") or {}
        except SlackApiError as e:
            if e.response.get("error") == "user_not_found":
                return False
            fail_db(f"Slack's users.info failed ({e.response.get('error')}); nothing was imported.")
        return not user.get("deleted") and not user.get("is_bot")

    return known


async def slack_user_check(sessions: async_sessionmaker[AsyncSession],
                           team_id: str) -> Callable[[str], Awaitable[bool]] | None:
    """``users.info`` for owners, with the token of the workspace imported into: the one bot
    token, or in OAuth mode that workspace's installation (bot.domain.workspace.clients). Without
    Slack settings, or for a workspace with no installation, owners are checked for form
    only, and the command says so on stderr."""
    client = await slack_client(sessions, team_id, "owners are checked for form only")
    return users_info_check(client) if client is not None else None


async def slack_client(sessions: async_sessionmaker[AsyncSession], team_id: str,
                       otherwise: str) -> AsyncWebClient | None:
    """The workspace's Slack client (the one bot token, or its OAuth installation); None, with
    a note on stderr saying ``otherwise``, when there is none."""
    try:
        settings: Settings | None = load_settings(Settings)
    except SettingsError:
        settings = None
    if settings is None:
        token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
        if not token:
            click.echo("Note: no Slack settings (SLACK_BOT_TOKEN, or SLACK_CLIENT_ID/SECRET and "
                       f"SLACK_SIGNING_SECRET), so {otherwise}.", err=True)
            return None
        return AsyncWebClient(token=token, base_url=os.environ.get("SLACK_API_URL") or "https://slack.com/api/")
    engine = sessions.kw["bind"]
    client = await SlackClients(settings, engine).for_team(team_id)
    if client is None:
        click.echo(f"Note: Earshot is not installed in {team_id} (OAuth mode: no token for it), so "
                   f"{otherwise}.", err=True)
        return None
    return client


@click.group("customers")
def customers_command() -> None:
    """Import or export a workspace's customer registry (YAML or CSV); sync it from a CRM."""


@customers_command.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
def import_command(file: Path, team: str | None, dry_run: bool) -> None:
    """Create or update customers from FILE (matched by name, ignoring case). Idempotent;
    the file is validated whole and written in one transaction, or not at all. With
    Slack settings, each owner is checked with Slack (users.info) with that workspace's token
    (SLACK_BOT_TOKEN, or in OAuth mode the workspace's installation)."""
    text = read_file(file)  # a CSV saved by a spreadsheet: with a BOM, or UTF-16

    async def work(sessions: async_sessionmaker[AsyncSession]) -> tuple[str, Imported]:
        team_id = await pick_team(sessions, team, create=True)
        try:
            report = await import_customers(sessions, team_id, text, csv_format=is_csv(file.name, text),
                                            dry_run=dry_run,
                                            known_user=await slack_user_check(sessions, team_id))
        except CustomerFileError as e:
            fail_db(f"{file}: {str(e).rstrip('.')}. Nothing was imported.")
        return team_id, report

    team_id, report = run_db(with_sessions(work))
    click.echo(f"{'Dry run: ' if dry_run else ''}{team_id}: {report.summary()}.")
    for label, names in (("created", report.created), ("updated", report.updated)):
        for name in names:
            click.echo(f"  {label}: {name}")


@customers_command.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
@out_option("the registry")
@click.option("--format", "fmt", type=click.Choice(("yaml", "csv")), default=None,
              help="yaml or csv (default: from the --out file's extension, else yaml).")
def export_command(file: Path | None, team: str | None, out: Path | None, fmt: str | None) -> None:
    """Write a workspace's customers as YAML or CSV (the format import reads back).

    FILE (positional) is the old spelling of -o FILE and still works."""
    if file is not None:
        click.echo("earshot: `customers export FILE` is now `customers export -o FILE` "
                   "(the same in every command).", err=True)
        out = out or file
    csv_format = fmt == "csv" if fmt else (not to_stdout(out) and str(out).lower().endswith(".csv"))

    async def work(sessions: async_sessionmaker[AsyncSession]) -> tuple[str, int]:
        team_id = await pick_team(sessions, team, create=False)
        return await export_customers(sessions, team_id, csv_format=csv_format)

    text, n = run_db(with_sessions(work))
    emit(out, text)
    if not to_stdout(out):
        click.echo(f"Wrote {n} customers to {out}.", err=True)


@customers_command.command("sync")
@click.option("--team", help="Slack team id (optional when the database holds one workspace).")
@click.option("--crm", type=click.Choice(CRMS), default=None,
              help="Which CRM (default: every one configured for the workspace).")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--crm-owns", "crm_owns", default=None, metavar="FIELDS",
              help="First hand these fields (tier,value,owner) back to the CRM on every customer, "
                   "undoing what people set by hand in Earshot.")
def sync_command(team: str | None, crm: str | None, dry_run: bool, crm_owns: str | None) -> None:
    """Bring the registry in step with HubSpot or Salesforce (docs/customers.md, "CRM sync"):
    customers matched by CRM id, then web domain, then name or alias; created, updated,
    unchanged and unmatched companies are listed. Exit 1 when the CRM stopped the sync (what
    was read before stays applied), 2 when it is not set up."""
    owns = [f.strip().lower() for f in (crm_owns or "").split(",") if f.strip()]
    if [f for f in owns if f not in CRM_FIELDS]:
        fail_db(f"--crm-owns takes {', '.join(CRM_FIELDS)} (comma-separated), not {crm_owns!r}.")

    async def work(sessions: async_sessionmaker[AsyncSession]) -> tuple[list[SyncReport], int]:
        team_id = await pick_team(sessions, team, create=True)
        try:
            config = crm_config(team_id, shared=single_workspace())
        except CrmConfigError as e:
            fail_db(str(e))
        crms = [crm] if crm else config.configured()
        missing = [c for c in crms if c not in config.configured()]
        if not crms or missing:
            fail_db(f"{' and '.join(missing) + ' is not' if missing else 'no CRM is'} set up for {team_id}: set HUBSPOT_TOKEN, or "
                    "SALESFORCE_DOMAIN, SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET "
                    "(docs/customers.md, \"CRM sync\").")
        handed = 0
        if owns and not dry_run:
            handed = await hand_back(sessions, team_id, owns)
        client = await slack_client(sessions, team_id, "account owners are not set")
        return [await run_sync(sessions, team_id, c, config, client, dry_run=dry_run) for c in crms], handed

    reports, handed = run_db(with_sessions(work))
    if owns and not dry_run:
        click.echo(f"The CRM owns {', '.join(owns)} again on {handed} customer(s).")
    for report in reports:
        click.echo(("Dry run: " if dry_run else "") + f"{report.team_id}: " + "\n".join(report.lines()))
    if any(r.error for r in reports):
        raise SystemExit(1)
