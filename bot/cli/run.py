"""The commands that run the bot over HTTP: `serve`, `worker` and `migrate`, the Procfile's
lines (`socket` is in socket_mode.py, so serve does not load the Socket Mode client)."""

from __future__ import annotations

import asyncio
import gc
import logging

import click

from bot import logs
from bot.cli.common import fail, run, settings_or_exit, until_stopped
from bot.config import DatabaseSettings, Settings, SettingsError
from bot.domain.services import Services
from bot.server.scheduler import DigestScheduler
from bot.server.serve import shutdown, start_http, start_worker
from storage.migrate import upgrade
from storage.repositories.installations import InstallationRepository

log = logging.getLogger("earshot")


@click.command()
@click.option("--port", type=int, default=None, help="Port to listen on (default: $PORT or 3000).")
@click.option("--host", default=None, help="Interface to bind (default: 0.0.0.0).")
@click.option("--no-worker", is_flag=True, default=False,
              help="Only verify, store and acknowledge; `earshot worker` runs the stored events "
                   "(same as WORKER=separate).")
@click.option("--no-clock", is_flag=True, default=False,
              help="Run no scheduler here; `earshot clock` posts digests and alerts "
                   "(same as RUN_SCHEDULER=false).")
def serve(port: int | None, host: str | None, no_worker: bool, no_clock: bool) -> None:
    """Run the bot in HTTP mode: Slack POSTs to /slack/events; /healthz for load balancers.

    One `earshot serve` is a whole Earshot: it answers Slack, works through the stored events
    and runs the clock (weekly digest, alerts, retention). Split the roles with --no-worker
    and --no-clock plus `earshot worker` and `earshot clock` (the Procfile does).

    On SQLite the schema is migrated first; on PostgreSQL run `earshot migrate`
    (the Procfile's release phase) before starting.
    """
    settings = settings_or_exit(Settings)
    overrides: dict[str, object] = {k: v for k, v in {"port": port, "host": host}.items() if v is not None}
    if no_worker:
        overrides["worker"] = "separate"
    if no_clock:
        overrides["run_scheduler"] = False
    if overrides:
        settings = settings.model_copy(update=overrides)
    run(_serve(settings))


@click.command()
def worker() -> None:
    """Work through the deliveries `earshot serve --no-worker` (WORKER=separate) stored.

    Run one or more beside the web processes (Procfile: `worker: earshot worker`); leases
    keep two workers from running the same delivery, and a killed worker's leases expire.
    """
    settings = settings_or_exit(Settings)
    run(_worker(settings))


async def _worker(settings: Settings) -> None:
    logs.configure(settings.log_level)
    try:
        runtime = await start_worker(settings)
    except SettingsError as e:
        fail(str(e), status=2)
    log.info("worker: working through stored deliveries")
    try:
        await until_stopped()
    finally:
        await shutdown(asyncio.sleep(0), runtime)


@click.command()
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def migrate(revision: str) -> None:
    """Apply database migrations (Alembic) to DATABASE_URL."""
    settings = settings_or_exit(DatabaseSettings)
    try:
        upgrade(settings.database_url, revision)
    except Exception as e:  # connection refused, bad credentials, ...
        fail(f"migration failed: {type(e).__name__}: {e}")
    click.echo(f"Database is at revision {revision}.")


async def _serve(settings: Settings) -> None:
    logs.configure(settings.log_level)
    try:
        runner, runtime, _port = await start_http(settings)
    except SettingsError as e:
        fail(str(e), status=2)
    except OSError as e:
        fail(f"cannot listen on {settings.host}:{settings.port} ({e.strerror}); "
             "set PORT or pass --port.", status=2)
    log.info("listening on http://%s:%d/slack/events", settings.host, settings.port)
    click.echo(await mode_line(runtime.services, socket=False), err=True)
    scheduler = await start_clock(runtime.services)
    click.echo(roles_line(settings), err=True)
    # What start-up made (modules, Bolt, SQLAlchemy's and pydantic's tables: ~130,000
    # objects) lives as long as the process: moved out of the cyclic collector's reach, a
    # full collection (a few every thousand requests) no longer walks it all each time.
    gc.freeze()
    try:
        await until_stopped()
    finally:
        await shutdown(runner.cleanup(), runtime, scheduler=scheduler)


async def start_clock(services: Services) -> DigestScheduler | None:
    """The clock inside this process, unless RUN_SCHEDULER=false (--no-clock)."""
    if not services.settings.run_scheduler:
        return None
    scheduler = DigestScheduler(services)
    await scheduler.start()
    return scheduler


def roles_line(settings: Settings) -> str:
    """What this process runs besides answering Slack, and what must run elsewhere."""
    here = ["web"]
    elsewhere: list[str] = []
    (here if settings.worker == "inline" else elsewhere).append("worker")
    (here if settings.run_scheduler else elsewhere).append("clock")
    line = f"This process runs: {', '.join(here)}."
    if elsewhere:
        line += " Run " + " and ".join(f"`earshot {r}`" for r in elsewhere) + " beside it."
    return line


async def mode_line(services: Services, *, socket: bool) -> str:
    """How this process is set up: one bot token, or OAuth installs (and where to add one)."""
    s = services.settings
    if not s.oauth:
        return ("Single-token mode: one workspace, the one SLACK_BOT_TOKEN belongs to. For many "
                "workspaces set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET instead (see README).")
    async with services.sessions() as session:
        n = len(await InstallationRepository(session).installed())
    where = f"{s.public_url.rstrip('/')}/slack/install" if s.public_url else "/slack/install (set PUBLIC_URL)"
    how = (f"add a workspace with Add to Slack at {where}, served by `earshot serve` (Socket Mode "
           "cannot receive Slack's OAuth redirect)" if socket else f"add a workspace at {where}")
    return f"OAuth mode: {n} workspace(s) installed; {how}."
