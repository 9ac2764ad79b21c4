"""``earshot doctor``: what is wrong with this set-up, and how to fix each thing.

It reports every problem in one run: settings, the database (reachable, migrated), the bot
token (auth.test), its scopes (auth.test's ``x-oauth-scopes`` header) against the app
manifest, the bot's membership of every digest and watched channel (conversations.info
``is_member``), the clock's heartbeat, deliveries no worker has touched, each workspace's last
CRM sync, its outbound webhooks (paused, behind) and the webhook rules' test-only switches;
in OAuth mode
every installed workspace, and who runs the install page. A check that needs an earlier one
that failed says it was skipped and why. Exit status 1 when something would break, 0
otherwise (warnings included). An unmigrated SQLite file is a warning, since `earshot serve`
migrates SQLite itself; an unmigrated PostgreSQL database is an error (`earshot migrate`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
from pathlib import Path
from typing import Any

import click
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import make_url

from bot.cli.doctor_hooks import webhooks
from bot.cli.findings import Finding, skipped
from bot.cli.manifest import bot_scopes, bundled
from bot.config import DatabaseSettings, Settings, SettingsError, load_settings
from bot.domain.customers.crm.run import last_syncs
from bot.domain.privacy import retention
from bot.domain.workspace.clients import SlackClients
from bot.server.scheduler import CLOCK_HEARTBEAT, HEARTBEAT_SECONDS
from storage.db import create_engine, is_sqlite, session_factory
from storage.migrate import SchemaNotCurrent, check_current
from storage.models import utcnow
from storage.repositories import InboxRepository, WorkspaceRepository
from storage.repositories.installations import InstallationRepository

# The clock writes its heartbeat every HEARTBEAT_SECONDS; a few missed beats mean it is gone.
CLOCK_STALE = dt.timedelta(seconds=HEARTBEAT_SECONDS * 5)
# A worker polls every second or so; a delivery nobody tried for this long has no worker.
UNTOUCHED = dt.timedelta(minutes=5)


class Db(enum.Enum):
    READY = "ready"
    NEW = "new"  # SQLite that `earshot serve` will create or migrate at start
    BROKEN = "broken"


async def diagnose(manifest: str | None = None) -> list[Finding]:
    """Every finding about this set-up; ``manifest`` is the app manifest's text (the bundled
    one by default)."""
    out: list[Finding] = []
    settings: Settings | None = None
    try:
        settings = load_settings(Settings)
        out.append(Finding(True, "settings are valid"))
        url: str | None = settings.database_url
    except SettingsError as e:
        out.append(Finding(False, "settings are not valid", str(e)))
        try:
            url = load_settings(DatabaseSettings).database_url
        except SettingsError:
            url = None
    db = await _database(url, out) if url else Db.BROKEN
    not_ready = ("the database is not ready (see above)" if db is Db.BROKEN
                 else "`earshot serve` has not set up the database yet")
    if settings is not None:
        manifest_text = bundled() if manifest is None else manifest
        if settings.oauth:
            _operator(settings, out)
            if db is Db.READY:
                await _installed(settings, manifest_text, out)
            else:
                out.append(skipped("the installed workspaces' tokens, scopes and channels", not_ready))
        else:
            client = AsyncWebClient(token=settings.bot_token, base_url=settings.slack_api_url, timeout=10)
            await _workspace(settings, client, manifest_text, out, "the bot token",
                             "set SLACK_BOT_TOKEN to the Bot User OAuth Token on the app's OAuth & "
                             "Permissions page; if the app was uninstalled, reinstall it",
                             channels=db is Db.READY, not_ready=not_ready)
    else:
        out.append(skipped("the bot token, its scopes and channels", "the settings are not valid (see above)"))
    if db is Db.READY:
        assert url is not None
        await _clock(url, out)
        await _untouched(url, out)
        await _crm_syncs(url, out)
    elif db is Db.NEW:
        out.append(Finding(False, "Earshot has not run on this database yet, so no clock has either",
                           "start `earshot serve` (it runs the clock too)", fatal=False))
    else:
        out.append(skipped("the clock and the worker", not_ready))
    await webhooks(settings, url if db is Db.READY else None, out)
    return out


def _operator(settings: Settings, out: list[Finding]) -> None:
    """OAuth mode: the install page names who runs this Earshot, so an admin can judge it."""
    missing = [name for name, value in (("OPERATOR_NAME", settings.operator_name),
                                        ("OPERATOR_CONTACT", settings.operator_contact),
                                        ("PRIVACY_POLICY_URL", settings.privacy_policy_url)) if not value]
    if missing:
        out.append(Finding(False, f"the Add to Slack page cannot say who runs Earshot ({', '.join(missing)} "
                                  "not set)", f"set {' and '.join(missing)} (see docs/deploy.md)", fatal=False))
    else:
        out.append(Finding(True, f"the Add to Slack page names the operator ({settings.operator_name})"))
    if not settings.public_url:
        out.append(Finding(False, "PUBLIC_URL is not set: OAuth installs use the redirect URL configured "
                                  "in the app", "set PUBLIC_URL=https://your-host", fatal=False))


async def _installed(settings: Settings, manifest: str, out: list[Finding]) -> None:
    """OAuth mode: every installed workspace's own token, scopes and channels."""
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            bots = await InstallationRepository(session).installed()
        clients = SlackClients(settings, engine)
        if not bots:
            where = f"{settings.public_url.rstrip('/')}/slack/install" if settings.public_url else "/slack/install"
            out.append(Finding(False, "OAuth mode: no workspace has installed Earshot yet",
                               f"open {where} and press Add to Slack (set PUBLIC_URL so the link is absolute)",
                               fatal=False))
        for b in bots:
            team = b.team_id or ""
            if b.is_enterprise_install and b.team_id is None:
                continue  # the org's token; checked through each of its workspaces' rows
            client = await clients.for_team(team, enterprise_id=b.enterprise_id)
            if client is None:
                out.append(Finding(False, f"workspace {team}: its token could not be refreshed",
                                   "reinstall Earshot there (/slack/install)"))
                continue
            await _workspace(settings, client, manifest, out, f"workspace {team} ({b.team_name})",
                             "reinstall Earshot in that workspace (/slack/install)")
    finally:
        await engine.dispose()


async def _workspace(settings: Settings, client: AsyncWebClient, manifest: str, out: list[Finding],
                     who: str, fix: str, *, channels: bool = True, not_ready: str = "") -> bool:
    try:
        auth = await client.auth_test()
    except SlackApiError as e:
        err = e.response.get("error")
        out.append(Finding(False, f"{who}: the bot token was refused by auth.test ({err})", fix))
        out.append(skipped(f"{who}: its scopes and channels", "the token was refused"))
        return False
    except Exception as e:  # network: wrong SLACK_API_URL, no route, ...
        out.append(Finding(False, f"Slack is not reachable at {settings.slack_api_url} "
                                  f"({type(e).__name__})", "check SLACK_API_URL and the network"))
        out.append(skipped(f"{who}: its scopes and channels", "Slack is not reachable"))
        return False
    team_id = str(auth.get("team_id") or "")
    out.append(Finding(True, f"the bot token works (team {team_id}, bot user {auth.get('user_id')})"))
    _scopes(auth.headers, manifest, out)
    if channels:
        await _channels(settings, client, team_id, out)
    else:
        out.append(skipped("the digest and watched channels", not_ready))
    return True


async def _database(url: str, out: list[Finding]) -> Db:
    sqlite = is_sqlite(url)
    path = make_url(url).database if sqlite else None
    if sqlite and path and path != ":memory:" and not await asyncio.to_thread(Path(path).exists):
        # Connecting would create the file: say what `serve` will do instead.
        out.append(Finding(False, f"no SQLite database at {path} yet",
                           "`earshot serve` creates and migrates it at start", fatal=False))
        return Db.NEW
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql("SELECT 1")
    except Exception as e:
        reason = str(getattr(e, "orig", None) or e).splitlines()[0] if str(e) else type(e).__name__
        out.append(Finding(False, f"the database is not reachable ({reason})",
                           "check DATABASE_URL (and that the database server is running)"))
        return Db.BROKEN
    finally:
        await engine.dispose()
    try:
        await check_current(url)
    except SchemaNotCurrent as e:
        what = str(e).split(": run")[0]
        if sqlite:
            out.append(Finding(False, what, "`earshot serve` migrates SQLite itself at start "
                                            "(or run `earshot migrate` now)", fatal=False))
            return Db.NEW
        out.append(Finding(False, what, "run `earshot migrate` (the Procfile's release phase)"))
        return Db.BROKEN
    out.append(Finding(True, "the database is reachable and migrated"))
    return Db.READY


def _scopes(headers: Any, manifest: str, out: list[Finding]) -> None:
    wanted = bot_scopes(manifest)
    raw = None
    for k, v in (headers or {}).items():
        if k.lower() == "x-oauth-scopes":
            raw = v[0] if isinstance(v, list) else v
    if wanted is None:
        out.append(Finding(False, "could not read the bot scopes from the manifest given",
                           "pass --manifest with a Slack app manifest (or leave it out: "
                           "`earshot manifest` prints the one Earshot ships)", fatal=False))
        return
    if raw is None:
        out.append(Finding(False, "Slack did not report the token's scopes (no x-oauth-scopes header)",
                           "compare the app's OAuth & Permissions page with `earshot manifest`", fatal=False))
        return
    have = {s.strip() for s in str(raw).split(",") if s.strip()}
    missing = sorted(wanted - have)
    if missing:
        out.append(Finding(False, f"the bot token lacks scope(s): {', '.join(missing)}",
                           "add them under OAuth & Permissions > Bot Token Scopes (or update the "
                           "app from `earshot manifest`) and reinstall the app to the workspace"))
    else:
        out.append(Finding(True, f"the bot token has every scope the manifest asks for ({len(wanted)})"))


async def _channels(settings: Settings, client: AsyncWebClient, team_id: str,
                    out: list[Finding]) -> None:
    sessions = session_factory(engine := create_engine(settings.database_url))
    try:
        async with sessions() as session:
            repo = WorkspaceRepository(session)
            ws = await repo.get(team_id)
            watched = await repo.watched(team_id) if ws else []
    finally:
        await engine.dispose()
    channels: list[tuple[str, str]] = []
    if ws is not None and ws.digest_enabled and ws.digest_channel_id:
        channels.append((ws.digest_channel_id, "the digest channel"))
    elif ws is None or not ws.digest_channel_id:
        out.append(Finding(False, "no digest channel is set, so no digest is posted",
                           "in Slack: `/feedback digest channel #channel`", fatal=False))
    channels += [(c, "a watched channel") for c in watched if c not in {ch for ch, _ in channels}]
    for channel, role in channels:
        try:
            info = (await client.conversations_info(channel=channel)).get("channel") or {}
        except SlackApiError as e:
            out.append(Finding(False, f"{role} {channel} cannot be seen ({e.response.get('error')})",
                               f"invite the bot: `/invite @Earshot` in <#{channel}>, or pick another"))
            continue
        name = info.get("name") or channel
        if info.get("is_member"):
            out.append(Finding(True, f"the bot is in {role} #{name}"))
        else:
            out.append(Finding(False, f"the bot is not a member of {role} #{name} ({channel})",
                               f"in Slack, in #{name}: `/invite @Earshot`"))


async def _clock(url: str, out: list[Finding]) -> None:
    engine = create_engine(url)
    try:
        seen = await retention.last_seen(session_factory(engine), CLOCK_HEARTBEAT)
    finally:
        await engine.dispose()
    if seen is None:
        out.append(Finding(False, "no clock has ever run: digests, owner alerts and retention "
                                  "jobs never happen",
                           "run `earshot serve` without --no-clock, or `earshot clock` (the "
                           "Procfile's clock process)"))
    elif utcnow() - seen > CLOCK_STALE:
        ago = int((utcnow() - seen).total_seconds() // 60)
        out.append(Finding(False, f"the clock was last seen {ago} minute(s) ago",
                           "start `earshot serve` again (or `earshot clock`, where the roles are split)"))
    else:
        out.append(Finding(True, "the clock is running (seen within the last minutes)"))


async def _crm_syncs(url: str, out: list[Finding]) -> None:
    """Each workspace's last CRM sync: a stopped one is a warning with the CRM's reason."""
    engine = create_engine(url)
    try:
        rows = await last_syncs(session_factory(engine))
    finally:
        await engine.dispose()
    for r in rows:
        first = (r.summary.splitlines() or [""])[0]
        what = f"{r.team_id}: the last {r.crm} sync ({r.started_at:%Y-%m-%d %H:%M} UTC)"
        if r.ok:
            out.append(Finding(True, f"{what} finished: {first.partition(': ')[2] or first}"))
        elif r.finished_at is None:
            out.append(Finding(True, f"{what} is running or was cut short"))
        else:
            out.append(Finding(False, f"{what} stopped", first.partition("stopped: ")[2] or first, fatal=False))


async def _untouched(url: str, out: list[Finding]) -> None:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            n = await InboxRepository(session).untouched_since(utcnow() - UNTOUCHED)
    finally:
        await engine.dispose()
    if n:
        out.append(Finding(False, f"{n} Slack deliveries have waited over {UNTOUCHED.seconds // 60} "
                                  "minutes without a worker trying them",
                           "run `earshot serve` without --no-worker, or `earshot worker` beside it"))
    else:
        out.append(Finding(True, "no delivery is waiting for a worker"))


MARKS = {"ok": "ok  ", "err": "ERR ", "warn": "warn", "skip": "skip"}


def mark(f: Finding) -> str:
    return MARKS["ok" if f.ok else "skip" if f.skipped else "err" if f.fatal else "warn"]


@click.command("doctor")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A Slack app manifest whose bot scopes are expected (default: the one Earshot "
                   "ships, `earshot manifest`).")
def doctor_command(manifest: Path | None) -> None:
    """Check this set-up and say how to fix each problem (exit 1 if something would break)."""
    text = None
    if manifest is not None:
        try:
            text = manifest.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise click.BadParameter(f"cannot read it ({e})", param_hint="--manifest") from None
    findings = asyncio.run(diagnose(text))
    for f in findings:
        click.echo(f"[{mark(f)}] {f.what}")
        if f.fix and not f.ok:
            click.echo(f"       {'why' if f.skipped else 'fix'}: {f.fix}")
    broken = [f for f in findings if not f.ok and f.fatal]
    warnings = [f for f in findings if not f.ok and not f.fatal and not f.skipped]
    tail = f"; {len(warnings)} warning(s)" if warnings else ""
    click.echo(f"{len(broken)} problem(s) that would break Earshot{tail}." if broken
               else f"Nothing that would break Earshot{tail}.")
    raise SystemExit(1 if broken else 0)
