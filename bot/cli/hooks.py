"""``earshot hooks out add|list|remove|test|resume|rotate``: outbound webhooks from the terminal
(docs/webhooks-and-exports.md#outbound-webhooks). The operator needs no Slack role; the
same rules as in Slack apply to the URL (WEBHOOKS_ALLOW_HTTP, WEBHOOKS_ALLOW_PRIVATE)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from bot.cli.common import fail
from bot.cli.db import pick_team, run_db
from bot.config import Settings, SettingsError, load_settings
from bot.domain.workspace import hooks_admin
from bot.domain.workspace.hooks_events import EVENTS
from storage.models import utcnow

T = TypeVar("T")
TEAM_HELP = "Slack team id (optional when the database holds one workspace)."


def _run(team: str | None, work: Callable[[Any, str], Awaitable[T]], *, create: bool = False) -> T:
    from bot.domain.services import Services

    try:
        # Nothing here calls Slack: its settings are not needed.
        settings = load_settings(
            Settings, slack_bot_token="xoxb-unused-by-hooks", slack_signing_secret="unused-by-hooks"
        )
    except SettingsError as e:
        fail(str(e), status=2)

    async def main() -> T:
        services = Services.create(settings)
        try:
            return await work(services, await pick_team(services.sessions, team, create=create))
        finally:
            await services.close()

    try:
        result: T = run_db(main())
        return result
    except hooks_admin.HookError as e:
        fail(str(e))


@click.group("hooks")
def hooks_command() -> None:
    """Webhooks Earshot sends (`hooks out`); tracker webhooks coming in are set up in Slack."""


@hooks_command.group("out")
def out() -> None:
    """Outbound webhooks: signed events POSTed to your URLs."""


@out.command("add")
@click.argument("url")
@click.argument("events", nargs=-1, required=True)
@click.option("--team", help=TEAM_HELP)
def add(url: str, events: tuple[str, ...], team: str | None) -> None:
    """Subscribe URL to EVENTS (or '*'); prints the signing secret once."""
    made = _run(team, lambda s, t: hooks_admin.add(s, t, url, list(events), by="cli"), create=True)
    sub = made.subscription
    click.echo(
        f"Webhook #{sub.id}: {sub.url} gets {', '.join(sub.events)}. Its signing secret "
        "(shown once; keep it in the receiver's secret store):",
        err=True,
    )
    click.echo(made.secret)


@out.command("list")
@click.option("--team", help=TEAM_HELP)
def list_(team: str | None) -> None:
    """The workspace's webhooks: events, state, deliveries waiting."""
    items = _run(team, hooks_admin.listed)
    if not items:
        click.echo(
            f"No outbound webhooks. Add one: earshot hooks out add URL EVENT... (events: {', '.join(EVENTS)})"
        )
    for item in items:
        s = item.subscription
        state = (
            f"PAUSED since {s.paused_at:%Y-%m-%d %H:%M} UTC ({s.pause_reason})"
            if s.paused_at
            else "active"
        )
        last = f"{s.last_success_at:%Y-%m-%d %H:%M} UTC" if s.last_success_at else "never"
        grace = (
            f"  old secret signs too until {s.previous_until:%Y-%m-%d %H:%M} UTC"
            if s.previous_until is not None and s.previous_until > utcnow()
            else ""
        )
        dropped = f" (dropped while paused {s.dropped})" if s.dropped else ""
        click.echo(
            f"#{s.id}  {s.url}  [{', '.join(s.events)}]  {state}  waiting {item.pending}{dropped}  "
            f"last delivered {last}  failed in a row {s.failures}  added by {s.created_by}{grace}"
        )


@out.command("remove")
@click.argument("which")
@click.option("--team", help=TEAM_HELP)
def remove(which: str, team: str | None) -> None:
    """Remove webhook WHICH (its number or URL) and what it had waiting."""
    gone = _run(team, lambda s, t: hooks_admin.remove(s, t, which))
    click.echo(f"Removed webhook #{gone.id} ({gone.url}).")


@out.command("resume")
@click.argument("which")
@click.option("--team", help=TEAM_HELP)
def resume(which: str, team: str | None) -> None:
    """Resume a paused webhook; what waited is sent by the running bot."""
    back = _run(team, lambda s, t: hooks_admin.resume(s, t, which))
    sub = back.subscription
    dropped = f"; {sub.dropped} older were dropped while it was paused" if sub.dropped else ""
    click.echo(
        f"Resumed webhook #{sub.id} ({sub.url}): the running bot sends the {back.pending} "
        f"events that waited{dropped}."
    )


@out.command("test")
@click.argument("which")
@click.option("--team", help=TEAM_HELP)
def test(which: str, team: str | None) -> None:
    """Send webhook WHICH a signed webhook.test event now, through the outbox like any event;
    exit 1 if its first attempt is not taken (the running bot retries it, same webhook-id)."""
    pinged, out = _run(team, lambda s, t: hooks_admin.test_now(s, t, which))
    url, msg = pinged.subscription.url, pinged.msg_id
    if out.error is not None:
        fail(
            f"{url} did not take the test event {msg} (attempt {out.attempts}): {out.error}. "
            "It stays queued: the running bot retries it with the same webhook-id."
        )
    took = f" in {out.took_ms:.0f} ms" if out.took_ms is not None else " (sent by the running bot)"
    click.echo(f"{url} took the signed webhook.test event {msg}{took}.")


@out.command("rotate")
@click.argument("which")
@click.option(
    "--grace-hours",
    type=click.FloatRange(0, hooks_admin.MAX_GRACE_HOURS),
    default=None,
    help="How long the old secret still signs beside the new one (default "
    "WEBHOOKS_ROTATE_GRACE_HOURS, 24; 0 if the old one leaked).",
)
@click.option("--team", help=TEAM_HELP)
def rotate(which: str, grace_hours: float | None, team: str | None) -> None:
    """Give webhook WHICH a new signing secret, printed once; the old one signs beside it for
    the grace period."""
    done = _run(team, lambda s, t: hooks_admin.rotate(s, t, which, grace_hours=grace_hours))
    sub = done.subscription
    click.echo(
        f"Webhook #{sub.id} ({sub.url}) has a new signing secret (shown once). Until "
        f"{done.old_until:%Y-%m-%d %H:%M} UTC requests are signed with the old and the new one; "
        "switch the receiver before then:",
        err=True,
    )
    click.echo(done.secret)
