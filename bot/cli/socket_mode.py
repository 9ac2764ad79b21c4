"""`earshot socket`: the bot over Socket Mode, for set-ups without a public URL.

A module of its own so that `earshot serve` never imports the Socket Mode client."""

from __future__ import annotations

import click

from bot import logs
from bot.cli.common import fail, run, settings_or_exit, until_stopped
from bot.cli.run import mode_line, roles_line, start_clock
from bot.config import Settings, SettingsError
from bot.server.runtime import Runtime
from bot.server.serve import prepare_database, shutdown
from bot.server.socket_mode import build_socket_client


@click.command()
@click.option("--no-clock", is_flag=True, default=False,
              help="Run no scheduler here; `earshot clock` posts digests and alerts "
                   "(same as RUN_SCHEDULER=false).")
def socket(no_clock: bool) -> None:
    """Run the bot over Socket Mode (needs SLACK_APP_TOKEN): no public URL required. Like
    `earshot serve`, it also works through the stored events and runs the clock."""
    settings = settings_or_exit(Settings)
    if no_clock:
        settings = settings.model_copy(update={"run_scheduler": False})
    if settings.slack_app_token is None:
        fail("SLACK_APP_TOKEN is missing: set it to an app-level token (xapp-...) with "
             "connections:write, for Socket Mode.", status=2)
    run(_socket(settings))


async def _socket(settings: Settings) -> None:
    logs.configure(settings.log_level)
    try:
        await prepare_database(settings)
    except SettingsError as e:
        fail(str(e), status=2)
    runtime = Runtime.create(settings)
    await runtime.start()
    click.echo(await mode_line(runtime.services, socket=True), err=True)
    assert settings.slack_app_token is not None
    client = build_socket_client(runtime, settings.slack_app_token.get_secret_value())
    await client.connect()
    scheduler = await start_clock(runtime.services)
    click.echo(roles_line(settings), err=True)
    try:
        await until_stopped()
    finally:
        if scheduler is not None:
            await scheduler.stop()
        await shutdown(client.close(), runtime)
