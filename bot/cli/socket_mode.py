"""`earshot socket`: the bot over Socket Mode, for set-ups without a public URL.

A module of its own so that `earshot serve` never imports the Socket Mode client."""

from __future__ import annotations

import click

from bot import logs
from bot.cli.common import fail, run, settings_or_exit, until_stopped
from bot.cli.run import mode_line
from bot.config import Settings, SettingsError
from bot.server.runtime import Runtime
from bot.server.serve import prepare_database, shutdown
from bot.server.socket_mode import build_socket_client


@click.command()
def socket() -> None:
    """Run the bot over Socket Mode (needs SLACK_APP_TOKEN): no public URL required."""
    settings = settings_or_exit(Settings)
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
    try:
        await until_stopped()
    finally:
        await shutdown(client.close(), runtime)
