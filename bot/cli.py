"""The ``earshot`` command and its subcommands."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import click

from bot.config import DatabaseSettings, Settings, SettingsError, load_settings


def _settings(cls: type[Any] = Settings, **overrides: Any) -> Any:
    try:
        return load_settings(cls, **overrides)
    except SettingsError as e:
        click.echo(f"earshot: {e}", err=True)
        sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="earshot")
def main() -> None:
    """Earshot: catch customer feedback in Slack, file it against your processes,
    and post a weekly improvement digest.

    Configuration comes from the environment and a .env file; see README.md.
    """


@main.command()
@click.option("--port", type=int, default=None, help="Port to listen on (default: $PORT or 3000).")
@click.option("--host", default=None, help="Interface to bind (default: 0.0.0.0).")
def serve(port: int | None, host: str | None) -> None:
    """Run the bot in HTTP mode: Slack POSTs to /slack/events; /healthz for load balancers.

    On SQLite the schema is migrated first; on PostgreSQL run `earshot migrate`
    (the Procfile's release phase) before starting.
    """
    settings = _settings()
    overrides = {k: v for k, v in {"port": port, "host": host}.items() if v is not None}
    if overrides:
        settings = settings.model_copy(update=overrides)
    _run(_serve(settings))


@main.command()
def socket() -> None:
    """Run the bot over Socket Mode (needs SLACK_APP_TOKEN): no public URL required."""
    settings = _settings()
    if settings.slack_app_token is None:
        click.echo("earshot: SLACK_APP_TOKEN is missing: set it to an app-level token "
                   "(xapp-...) with connections:write, for Socket Mode.", err=True)
        sys.exit(2)
    _run(_socket(settings))


@main.command()
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def migrate(revision: str) -> None:
    """Apply database migrations (Alembic) to DATABASE_URL."""
    from storage.migrate import upgrade

    settings = _settings(DatabaseSettings)
    try:
        upgrade(settings.database_url, revision)
    except Exception as e:  # connection refused, bad credentials, ...
        click.echo(f"earshot: migration failed: {type(e).__name__}: {e}", err=True)
        sys.exit(1)
    click.echo(f"Database is at revision {revision}.")


def _run(coro: Awaitable[None]) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(coro)  # type: ignore[arg-type]


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def prepare_database(settings: Settings) -> None:
    """SQLite is migrated in place; PostgreSQL must have been migrated by the release phase."""
    from storage.db import is_sqlite
    from storage.migrate import is_current, upgrade_async

    if is_sqlite(settings.database_url):
        await upgrade_async(settings.database_url)
    elif not await is_current(settings.database_url):
        raise SettingsError("the database schema is not up to date: run `earshot migrate` first.")


async def start_http(settings: Settings, *, services: Any = None) -> tuple[Any, Any, int]:
    """What `earshot serve` runs (and `earshot demo`, on loopback): prepare the database,
    start the runtime (inbox + worker) and listen. Returns ``(runner, runtime, port)``.

    Raises SettingsError (schema not current) or OSError (cannot listen), having cleaned up.
    """
    from aiohttp import web

    from bot.runtime import Runtime
    from bot.web import build_web_app

    await prepare_database(settings)
    runtime = Runtime.create(settings, services=services)
    await runtime.start()
    runner = web.AppRunner(build_web_app(runtime), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        await runtime.stop()
        await runtime.services.close()
        raise
    return runner, runtime, int(runner.addresses[0][1])


async def _serve(settings: Settings, *, ready: Callable[[int], None] | None = None) -> None:
    from bot import logs

    logs.configure(settings.log_level)
    try:
        runner, runtime, _port = await start_http(settings)
    except SettingsError as e:
        click.echo(f"earshot: {e}", err=True)
        sys.exit(2)
    except OSError as e:
        click.echo(f"earshot: cannot listen on {settings.host}:{settings.port} ({e.strerror}); "
                   "set PORT or pass --port.", err=True)
        sys.exit(2)
    import logging

    logging.getLogger("earshot").info("listening on http://%s:%d/slack/events", settings.host, settings.port)
    scheduler = None
    if settings.run_scheduler:  # single-process setups: the digest clock runs in here too
        from bot.scheduler import DigestScheduler

        scheduler = DigestScheduler(runtime.services)
        await scheduler.start()
    try:
        await _until_stopped()
    finally:
        if scheduler is not None:
            await scheduler.stop()
        await _shutdown(runner.cleanup(), runtime)


async def _shutdown(first: Awaitable[None], runtime: Any) -> None:
    """Stop within a bounded time: everything acknowledged is in the database already."""
    import logging

    async def steps() -> None:
        await first
        await runtime.stop()
        await runtime.services.close()

    try:
        await asyncio.wait_for(steps(), timeout=15)
    except TimeoutError:
        logging.getLogger("earshot").warning("shutdown took too long; exiting (unfinished work resumes on restart)")


async def _socket(settings: Settings) -> None:
    from bot import logs
    from bot.runtime import Runtime
    from bot.socket_mode import build_socket_client

    logs.configure(settings.log_level)
    await prepare_database(settings)
    runtime = Runtime.create(settings)
    await runtime.start()
    assert settings.slack_app_token is not None
    client = build_socket_client(runtime, settings.slack_app_token.get_secret_value())
    await client.connect()
    try:
        await _until_stopped()
    finally:
        await _shutdown(client.close(), runtime)


def _add_optional_commands() -> None:
    from bot.classify.cli import classify_command

    main.add_command(classify_command)

    from bot.registry_cli import processes_command

    main.add_command(processes_command)

    from bot.demo.cli import demo_command

    main.add_command(demo_command)

    from bot.digest.cli import clock_command, digest_command

    main.add_command(digest_command)
    main.add_command(clock_command)


_add_optional_commands()
