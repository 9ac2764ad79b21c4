"""``earshot doctor``: what is wrong with this set-up, and how to fix each thing.

Checks, in order (later checks need the earlier ones): settings, database reachable and
migrated, the bot token (auth.test), its scopes (auth.test's ``x-oauth-scopes`` header)
against manifest.yml, the bot's membership of every digest and watched channel
(conversations.info ``is_member``), and the clock's heartbeat. Exit status 1 when
something would break, 0 otherwise (warnings included).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import DatabaseSettings, Settings, SettingsError, load_settings
from bot.domain.privacy import retention
from bot.domain.workspace.clients import SlackClients
from bot.server.scheduler import CLOCK_HEARTBEAT, HEARTBEAT_SECONDS
from storage.db import create_engine, session_factory
from storage.migrate import SchemaNotCurrent, check_current
from storage.models import utcnow
from storage.repositories import WorkspaceRepository
from storage.repositories.installations import InstallationRepository

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
# The clock writes its heartbeat every HEARTBEAT_SECONDS; a few missed beats mean it is gone.
CLOCK_STALE = dt.timedelta(seconds=HEARTBEAT_SECONDS * 5)


@dataclass
class Finding:
    ok: bool
    what: str
    fix: str = ""
    fatal: bool = True  # would something break (exit 1), or is it a warning


def manifest_scopes(path: Path) -> set[str] | None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    scopes = (((data or {}).get("oauth_config") or {}).get("scopes") or {}).get("bot")
    return set(scopes) if isinstance(scopes, list) else None


async def diagnose(manifest: Path = MANIFEST) -> list[Finding]:
    out: list[Finding] = []
    try:
        settings = load_settings(Settings)
    except SettingsError as e:
        out.append(Finding(False, "settings are not valid", str(e)))
        try:
            db_only = load_settings(DatabaseSettings)
        except SettingsError:
            return out
        await _database(db_only.database_url, out)
        return out
    out.append(Finding(True, "settings are valid"))
    if not await _database(settings.database_url, out):
        return out
    if settings.oauth:
        await _installed(settings, manifest, out)
    else:
        client = AsyncWebClient(token=settings.bot_token, base_url=settings.slack_api_url, timeout=10)
        if not await _workspace(settings, client, manifest, out, "the bot token",
                                "set SLACK_BOT_TOKEN to the Bot User OAuth Token on the app's OAuth & "
                                "Permissions page; if the app was uninstalled, reinstall it"):
            return out
    await _clock(settings, out)
    return out


async def _installed(settings: Settings, manifest: Path, out: list[Finding]) -> None:
    """OAuth mode: every installed workspace's own token, scopes and channels."""
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            bots = await InstallationRepository(session).installed()
        clients = SlackClients(settings, engine)
        if not bots:
            where = f"{settings.public_url.rstrip('/')}/slack/install" if settings.public_url else "/slack/install"
            out.append(Finding(False, "OAuth mode: no workspace has installed Earshot yet",
                               f"open {where} and click Allow (set PUBLIC_URL so the link is absolute)",
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


async def _workspace(settings: Settings, client: AsyncWebClient, manifest: Path, out: list[Finding],
                     who: str, fix: str) -> bool:
    try:
        auth = await client.auth_test()
    except SlackApiError as e:
        err = e.response.get("error")
        out.append(Finding(False, f"{who}: the bot token was refused by auth.test ({err})", fix))
        return False
    except Exception as e:  # network: wrong SLACK_API_URL, no route, ...
        out.append(Finding(False, f"Slack is not reachable at {settings.slack_api_url} "
                                  f"({type(e).__name__})", "check SLACK_API_URL and the network"))
        return False
    team_id = str(auth.get("team_id") or "")
    out.append(Finding(True, f"the bot token works (team {team_id}, bot user {auth.get('user_id')})"))
    _scopes(auth.headers, manifest, out)
    await _channels(settings, client, team_id, out)
    return True


async def _database(url: str, out: list[Finding]) -> bool:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql("SELECT 1")
    except Exception as e:
        reason = str(getattr(e, "orig", None) or e).splitlines()[0] if str(e) else type(e).__name__
        out.append(Finding(False, f"the database is not reachable ({reason})",
                           "check DATABASE_URL (and that the database server is running)"))
        return False
    finally:
        await engine.dispose()
    try:
        await check_current(url)
    except SchemaNotCurrent as e:
        out.append(Finding(False, str(e).split(": run")[0], "run `earshot migrate`"))
        return False
    out.append(Finding(True, "the database is reachable and migrated"))
    return True


def _scopes(headers: Any, manifest: Path, out: list[Finding]) -> None:
    wanted = manifest_scopes(manifest)
    raw = None
    for k, v in (headers or {}).items():
        if k.lower() == "x-oauth-scopes":
            raw = v[0] if isinstance(v, list) else v
    if wanted is None:
        out.append(Finding(False, f"could not read the bot scopes from {manifest}",
                           "run doctor from Earshot's checkout, or pass --manifest", fatal=False))
        return
    if raw is None:
        out.append(Finding(False, "Slack did not report the token's scopes (no x-oauth-scopes header)",
                           "compare the app's OAuth & Permissions page with manifest.yml", fatal=False))
        return
    have = {s.strip() for s in str(raw).split(",") if s.strip()}
    missing = sorted(wanted - have)
    if missing:
        out.append(Finding(False, f"the bot token lacks scope(s): {', '.join(missing)}",
                           "add them under OAuth & Permissions > Bot Token Scopes (or update the "
                           "app from manifest.yml) and reinstall the app to the workspace"))
    else:
        out.append(Finding(True, f"the bot token has every scope manifest.yml asks for ({len(wanted)})"))


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


async def _clock(settings: Settings, out: list[Finding]) -> None:
    engine = create_engine(settings.database_url)
    try:
        seen = await retention.last_seen(session_factory(engine), CLOCK_HEARTBEAT)
    finally:
        await engine.dispose()
    if seen is None:
        out.append(Finding(False, "no clock process has ever run: digests, owner alerts and "
                                  "retention jobs never happen",
                           "run `earshot clock` (the Procfile's clock process), or set "
                           "RUN_SCHEDULER=true for `earshot serve`"))
    elif utcnow() - seen > CLOCK_STALE:
        ago = int((utcnow() - seen).total_seconds() // 60)
        out.append(Finding(False, f"the clock was last seen {ago} minute(s) ago",
                           "start `earshot clock` again (or RUN_SCHEDULER=true for `earshot serve`)"))
    else:
        out.append(Finding(True, "the clock is running (seen within the last minutes)"))


@click.command("doctor")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path), default=MANIFEST,
              show_default=False, help="The app manifest whose bot scopes are expected.")
def doctor_command(manifest: Path) -> None:
    """Check this set-up and say how to fix each problem (exit 1 if something would break)."""
    findings = asyncio.run(diagnose(manifest))
    for f in findings:
        mark = "ok " if f.ok else ("ERR" if f.fatal else "warn")
        click.echo(f"[{mark}] {f.what}")
        if f.fix and not f.ok:
            click.echo(f"       fix: {f.fix}")
    broken = [f for f in findings if not f.ok and f.fatal]
    click.echo(f"{len(broken)} problem(s) that would break Earshot." if broken
               else "Nothing that would break Earshot.")
    raise SystemExit(1 if broken else 0)
