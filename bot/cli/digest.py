"""`earshot digest` (preview or post one workspace's digest) and `earshot clock` (the scheduler)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from pathlib import Path

import click

from bot import logs
from bot.cli.common import emit, fail, out_option, run, settings_or_exit, until_stopped
from bot.cli.db import pick_team
from bot.cli.names import slack_names
from bot.config import ReadSettings, Settings, SettingsError
from bot.digest import render
from bot.digest.build import build_digest, schedule_of
from bot.digest.periods import current_period
from bot.digest.post import DigestPoster
from bot.digest.settings import pick_period
from bot.domain.services import Services
from bot.server.scheduler import DigestScheduler, build_digest_client, offset_clock
from bot.server.serve import prepare_database
from storage.db import create_engine, is_sqlite, session_factory
from storage.migrate import SchemaNotCurrent, check_current, upgrade_async
from storage.models import Workspace, utcnow
from storage.repositories.workspaces import WorkspaceRepository

log = logging.getLogger("earshot")


@click.command("digest")
@click.option("--team", "team", default=None,
              help="Slack team id (optional when the database holds one workspace).")
@click.option("--preview", "mode", flag_value="preview", default=True,
              help="Print the digest as readable text (default). Needs only DATABASE_URL.")
@click.option("--post", "mode", flag_value="post", help="Post it now (exactly once per period).")
@click.option("--json", "as_json", is_flag=True, help="With --preview: print the Block Kit payload.")
@click.option("--force", is_flag=True, help="With --post: post again even if this period was posted.")
@click.option("--period", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Any day (UTC) of the period; default: the latest period whose slot has passed.")
@out_option("the preview")
def digest_command(team: str | None, mode: str, as_json: bool, force: bool, day: dt.datetime | None,
                   out: Path | None) -> None:
    """Preview or post the weekly improvement digest for one workspace."""
    on = day.date() if day else None
    if mode == "preview":
        # No Slack settings needed: the preview only reads the database.
        run(_preview(settings_or_exit(ReadSettings), team, as_json, on, out))
        return
    if out is not None:
        fail("--out goes with --preview; --post posts to Slack.", status=2)
    run(_digest(settings_or_exit(Settings), team, force, on))


async def _preview(settings: ReadSettings, team: str | None, as_json: bool, day: dt.date | None,
                   out: Path | None) -> None:
    url = settings.database_url
    try:
        await check_current(url)
    except SchemaNotCurrent as e:
        if not is_sqlite(url):
            fail(str(e), status=2)
        await upgrade_async(url)  # as `earshot serve` does on SQLite
    engine = create_engine(url)
    try:
        sessions = session_factory(engine)
        team_id = await pick_team(sessions, team, create=False)
        async with sessions() as session:
            ws = await WorkspaceRepository(session).get(team_id)
        assert ws is not None  # pick_team found it
        now = utcnow() + dt.timedelta(seconds=settings.clock_offset_seconds)
        period = pick_period(ws, settings.default_timezone, now, day)
        d = await build_digest(sessions, ws, period, default_tz=settings.default_timezone,
                               in_progress=period.slot is not None and period.slot > now)
        if as_json:
            emit(out, json.dumps(render.digest_message(d), indent=2, ensure_ascii=False) + "\n")
        else:
            emit(out, render.digest_text(d, users=await slack_names(engine, team_id, d)) + "\n")
    finally:
        await engine.dispose()


async def _digest(settings: Settings, team: str | None, force: bool, day: dt.date | None) -> None:
    await prepare_database(settings)
    services = Services.create(settings)
    try:
        team_id = await pick_team(services.sessions, team, create=False)
        async with services.sessions() as session:
            ws = await WorkspaceRepository(session).get(team_id)
        assert ws is not None  # pick_team found it
        now = offset_clock(services)()
        period = pick_period(ws, settings.default_timezone, now, day)
        if not ws.digest_channel_id:
            click.echo("earshot: no digest channel set; use `/feedback digest channel #c` in Slack.",
                       err=True)
            sys.exit(2)
        if period.slot is not None and period.slot > now and not force:
            click.echo(f"earshot: the period {period.label()} is still in progress; "
                       "use --force to post it anyway.", err=True)
            sys.exit(2)
        poster = DigestPoster(services, build_digest_client(services), now=lambda: offset_clock(services)())
        outcome = await poster.post(team_id, period, force=force)
        if outcome.status == "posted":
            click.echo(f"Posted the digest for {period.label()} (ts {outcome.message_ts})"
                       f"{' late' if outcome.late else ''}.")
            if day is None:
                await _say_what_is_current(services, ws, settings, now)
        elif outcome.status == "busy":
            click.echo(f"The digest for {period.label()} was already posted (or is being posted); "
                       "use --force to post it again.")
        else:
            click.echo(f"earshot: the digest was not posted: {outcome.status} ({outcome.error}).",
                       err=True)
            sys.exit(1)
    finally:
        await services.close()


async def _say_what_is_current(services: Services, ws: Workspace, settings: Settings,
                               now: dt.datetime) -> None:
    """`--post` without `--period` posts the last *complete* week: say so, and how to post
    the week in progress when it already has remarks (otherwise "Quiet week" puzzles)."""
    current = current_period(schedule_of(ws, settings.default_timezone), now)
    d = await build_digest(services.sessions, ws, current, default_tz=settings.default_timezone,
                           in_progress=True)
    click.echo("That is the last complete period (the one whose digest was due).")
    if d.totals.total:
        click.echo(f"The period in progress, {current.label()}, has {d.totals.total} remark(s) so far; "
                   "it is posted at its own slot, or now with "
                   f"`earshot digest --team {ws.team_id} --post --period {current.start.isoformat()} --force`.")


@click.command("clock")
def clock_command() -> None:
    """Run the scheduler alone: weekly digests and owner alerts (the Procfile's `clock`)."""
    run(_clock(settings_or_exit(Settings)))


async def _clock(settings: Settings) -> None:
    logs.configure(settings.log_level)
    try:
        await prepare_database(settings)
    except SettingsError as e:
        click.echo(f"earshot: {e}", err=True)
        sys.exit(2)
    services = Services.create(settings)
    scheduler = DigestScheduler(services)
    await scheduler.start()
    log.info("clock: running")
    try:
        await until_stopped()
    finally:
        # A digest or alerts being sent finish and are recorded before the database closes.
        await scheduler.stop(grace=settings.shutdown_grace_seconds)
        await services.close()
