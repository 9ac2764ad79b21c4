"""``earshot watch``: watch a channel from the terminal, take other apps' posts there, and
bring in its history (``--since 30d``), with progress printed as it goes."""

from __future__ import annotations

import asyncio
import contextlib

import click
from slack_sdk.web.async_client import AsyncWebClient

from bot.cli.common import fail, run, settings_or_exit
from bot.config import Settings, SettingsError
from bot.domain.capture import backfill
from bot.domain.capture import watch as watching
from bot.domain.services import Services
from bot.server.serve import prepare_database

PROGRESS_SECONDS = 2.0


@click.command("watch")
@click.option("--team", required=True, help="Slack team id, e.g. T012AB3CD.")
@click.option("--channel", required=True, help="Channel id, e.g. C012AB3CD (the bot must be in it).")
@click.option("--since", default=None, help="Bring in its history: 30d, 2w (up to 90 days).")
@click.option("--bots", default=None,
              help='Other apps\' posts there: "all", "off", or app names, e.g. "Zendesk,Typeform".')
def watch_command(team: str, channel: str, since: str | None, bots: str | None) -> None:
    """Watch a channel (every new top-level message is a remark) and optionally bring in its
    past messages, paced within Slack's limits (SLACK_HISTORY_TIER). Safe to stop and run
    again: a backfill resumes where it was and files nothing twice."""
    settings = settings_or_exit(Settings)
    words = " ".join(x for x in (f"since {since}" if since else "", _bots_words(bots)) if x)
    try:
        _, options = watching.parse_options(words)
    except watching.NotWatchable as e:
        fail(str(e), status=2)
    run(_watch(settings, team.strip().upper(), channel.strip().upper(), options))


def _bots_words(bots: str | None) -> str:
    if bots is None:
        return ""
    if bots.strip().lower() in ("all", "off"):
        return "bots" if bots.strip().lower() == "all" else "bots off"
    return "bots " + " ".join(f'"{n.strip()}"' for n in bots.split(",") if n.strip())


async def _watch(settings: Settings, team: str, channel: str, options: watching.Options) -> None:
    try:
        await prepare_database(settings)
    except SettingsError as e:
        fail(str(e), status=2)
    services = Services.create(settings)
    try:
        client = await services.clients.without_retries().for_team(team)
        if client is None:
            fail(f"Earshot is not installed in {team}.", status=2)
        try:
            await watching.resolve_channel(client, watching.ChannelRef(id=channel, name=None, raw=channel))
        except watching.NotWatchable as e:
            fail(str(e).replace("`/invite @Earshot`", "/invite @Earshot"), status=2)
        new = await watching.watch(services, team, channel, by="cli")
        click.echo(f"{'Now watching' if new else 'Already watching'} {channel}.")
        if options.bots is not None:
            await watching.set_bots(services, team, channel, options)
            click.echo(f"Other apps' posts: {options.bots}" + (f" ({', '.join(options.names)})" if options.names else "") + ".")
        if options.since_days:
            await _backfill(services, client, team, channel, options.since_days)
    finally:
        await services.close()


async def _backfill(services: Services, client: AsyncWebClient, team: str, channel: str, days: int) -> None:
    asked = await backfill.request(services, team_id=team, channel_id=channel, by="cli", days=days)
    click.echo(f"Bringing in the last {days} days. {asked.estimate}")
    owner = backfill.owner_id()
    work = None
    if await backfill.claim(services, asked.job.id, owner=owner):
        work = asyncio.create_task(backfill.run(services, client, asked.job.id, owner=owner))
    else:
        click.echo("Another Earshot process is bringing it in; following its progress.")
    last = None
    while True:
        job = await backfill.job(services, asked.job.id)
        if job is None:
            fail("the backfill disappeared (was the workspace purged?).")
        line = (f"  {job.fetched:,} read: {job.captured:,} filed, {job.skipped:,} skipped as noise, "
                f"{job.known:,} already known ({job.pages} pages)")
        if line != last:
            click.echo(line)
            last = line
        if job.status in ("done", "failed") or (work is not None and work.done()):
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(work) if work else asyncio.sleep(PROGRESS_SECONDS),
                                   PROGRESS_SECONDS)
    if work is not None:
        await work
    job = await backfill.job(services, asked.job.id)
    assert job is not None
    if job.status == "failed":
        fail(f"stopped: {job.error}")
    click.echo(f"Done: {job.fetched:,} messages read, {job.captured:,} filed with their original dates, "
               f"{job.skipped:,} skipped as noise, {job.known:,} already known, {job.other:,} not for filing.")
