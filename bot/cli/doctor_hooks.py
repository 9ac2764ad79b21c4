"""``earshot doctor``'s look at outbound webhooks (docs/webhooks-and-exports.md#outbound-webhooks):
the test-only switches that lift the URL rules, and each workspace's subscriptions (paused,
or with deliveries owed for over an hour). All warnings: events wait, nothing is lost."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from urllib.parse import urlsplit

from pydantic import ValidationError

from bot.cli.findings import Finding
from bot.settings.hooks import HookSettings
from storage.db import create_engine, session_factory
from storage.models import WebhookSubscription, utcnow
from storage.repositories.webhooks import WebhookRepository

# Retries back off to an hour apart: an event still owed after that is more than one blip.
BEHIND = dt.timedelta(hours=1)

SWITCHES = (
    ("WEBHOOKS_ALLOW_HTTP", "webhooks_allow_http", "plain http:// webhook URLs are allowed"),
    (
        "WEBHOOKS_ALLOW_PRIVATE",
        "webhooks_allow_private",
        "webhooks may go to private, loopback and link-local addresses (cloud metadata included)",
    ),
)


def host(url: str) -> str:
    """The URL's host (and port), never its path or query (they may carry a token)."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "an unreadable URL"
    return f"{parts.hostname or '?'}{port}"


def switches(rules: HookSettings | None, out: list[Finding]) -> None:
    if rules is None:
        try:
            rules = HookSettings()  # type: ignore[call-arg]  # from the environment
        except ValidationError:
            return  # reported with the settings already
    for env, field, what in SWITCHES:
        if getattr(rules, field):
            out.append(
                Finding(
                    False,
                    f"{env} is on: {what}",
                    f"fine for tests or a receiver inside your network; in production unset {env}",
                    fatal=False,
                )
            )


async def webhooks(rules: HookSettings | None, url: str | None, out: list[Finding]) -> None:
    """The switches always; the subscriptions when the database (``url``) is ready."""
    switches(rules, out)
    if url is None:
        return
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            repo = WebhookRepository(session)
            subs = await repo.everywhere()
            behind = await repo.owed_since(utcnow() - BEHIND) if subs else {}
            owed = await repo.owed_since() if any(s.paused_at for s in subs) else {}
    finally:
        await engine.dispose()
    teams: dict[str, list[WebhookSubscription]] = defaultdict(list)
    for s in subs:
        teams[s.team_id].append(s)
    for team, mine in teams.items():
        before = len(out)
        for s in mine:
            _one(team, s, behind.get(s.id, 0), out, owed=owed.get(s.id, 0))
        if len(out) == before:
            out.append(
                Finding(True, f"{team}: {len(mine)} outbound webhook(s), none paused or behind")
            )


def _one(
    team: str, s: WebhookSubscription, late: int, out: list[Finding], *, owed: int = 0
) -> None:
    where = f"{team}: the webhook to {host(s.url)} (#{s.id})"
    # While paused its events wait, capped (WEBHOOKS_PAUSED_KEEP): say how many, and how many
    # were dropped.
    waiting = f"; {owed} events wait for it ({late} for over an hour)" if owed else ""
    if s.dropped:
        waiting += f", {s.dropped} older ones were dropped while paused"
    error = s.last_error or s.pause_reason or "unknown"
    if s.paused_at is not None:
        out.append(
            Finding(
                False,
                f"{where} is paused since {s.paused_at:%Y-%m-%d %H:%M} UTC "
                f"(last error: {error}){waiting}",
                f"fix the receiver, then `earshot hooks out resume {s.id} --team {team}` "
                f"(or `/feedback hooks out resume {s.id}` in Slack)",
                fatal=False,
            )
        )
    elif late:
        last = f" (last error: {s.last_error})" if s.last_error else ""
        out.append(
            Finding(
                False,
                f"{where} has {late} deliveries owed for over an hour{last}",
                "if the receiver fails, fix it (`earshot hooks out test` tries it now); if it "
                "has no error, no worker is sending: run `earshot serve` without --no-worker",
                fatal=False,
            )
        )
