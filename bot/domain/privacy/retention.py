"""Retention, erasure and uninstall: what Earshot forgets, and when.

* ``expire_text``: remarks said more than REMARK_TEXT_RETENTION_DAYS ago lose their text
  (and their capture notes); filing and counts stay, so digests stay exact.
* ``erase_user``: one person's authored text and identity leave a workspace's data.
* ``mark_uninstalled`` / ``reinstalled`` / ``purge_due`` / ``purge_workspace``: an
  uninstalled workspace does no work, and its rows are deleted after UNINSTALL_GRACE_DAYS.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.classify.forget import forget_texts
from bot.domain.acting import Asker, require_admin
from storage.db import transaction
from storage.models import utcnow
from storage.repositories import InboxRepository, PrivacyRepository
from storage.repositories.api_tokens import ApiTokenRepository
from storage.repositories.heartbeats import HeartbeatRepository
from storage.repositories.installations import InstallationRepository

log = logging.getLogger(__name__)

Sessions = async_sessionmaker[AsyncSession]

ERASED = "erased"


async def expire_text(sessions: Sessions, *, retention_days: int | None,
                      now: dt.datetime | None = None) -> int:
    """Drop the text of remarks older than the retention window; how many lost it."""
    if retention_days is None:
        return 0
    now = now or utcnow()
    async with transaction(sessions) as session:
        n = await PrivacyRepository(session).expire_text(
            said_before=now - dt.timedelta(days=retention_days), now=now)
        if n:
            # Their original events may still be held by given-up deliveries.
            await InboxRepository(session).clear_finished_bodies()
    if n:
        forget_texts()
        log.info("privacy: text of %d remark(s) older than %d days dropped", n, retention_days)
    return n


def erased_id() -> str:
    """A stand-in identity for one erased person: unlinkable to them (random), but one per
    erasure, so counts of distinct capturers stay right."""
    return f"{ERASED}-{secrets.token_hex(4)}"


async def erase_user(sessions: Sessions, team_id: str, user_id: str, *,
                     now: dt.datetime | None = None, asker: Asker | None = None) -> dict[str, int]:
    """Erase one person (admins: ``asker``, refused with NotAdmin otherwise)."""
    await require_admin(asker, team_id)
    async with transaction(sessions) as session:
        counts = await PrivacyRepository(session).erase_user(
            team_id, user_id, replacement=erased_id(), now=now or utcnow())
    forget_texts()
    log.info("privacy: team=%s a person was erased: %s", team_id,
             ", ".join(f"{k}={v}" for k, v in counts.items() if v))
    return counts


async def holds_user(sessions: Sessions, team_id: str, user_id: str, *,
                     asker: Asker | None = None) -> bool:
    """Whether the workspace's data names ``user_id`` anywhere an erasure would change (what
    Earshot holds on a person is for admins only: ``asker``)."""
    await require_admin(asker, team_id)
    async with sessions() as session:
        return await PrivacyRepository(session).holds_user(team_id, user_id)


async def _stop(session: AsyncSession, team_id: str, *, why: str, now: dt.datetime) -> bool:
    """One workspace stops, in the caller's transaction: marked uninstalled (False: it was
    already), its pending deliveries finished unrun, its API tokens revoked (docs/api.md:
    nothing more comes in or goes out by them)."""
    marked = await PrivacyRepository(session).mark_uninstalled(team_id, now=now)
    await InboxRepository(session).finish_pending_for_team(team_id, reason=f"skipped: {why}")
    await ApiTokenRepository(session).revoke_all(team_id, at=now)
    return marked


async def mark_uninstalled(sessions: Sessions, team_id: str, *, why: str,
                           now: dt.datetime | None = None) -> bool:
    """Stop all work for ``team_id``: mark it, finish its pending deliveries unrun."""
    async with transaction(sessions) as session:
        marked = await _stop(session, team_id, why=why, now=now or utcnow())
    if marked:
        log.info("privacy: team=%s uninstalled (%s); its data goes after the grace period", team_id, why)
    return marked


async def mark_org_uninstalled(sessions: Sessions, enterprise_id: str, *, why: str,
                               now: dt.datetime | None = None) -> list[str]:
    """An org-wide install is gone (``app_uninstalled`` or its bot token revoked): the
    organisation's own installation and bot rows go, and every workspace it reached stops
    work as if uninstalled itself, in one transaction. The workspaces, by id."""
    async with transaction(sessions) as session:
        installs = InstallationRepository(session)
        teams = await installs.org_teams(enterprise_id)
        for team_id in teams:
            await _stop(session, team_id, why=why, now=now or utcnow())
        await installs.forget_org(enterprise_id)
    log.info("privacy: enterprise=%s org-wide install removed (%s); %d workspace(s) stop: %s",
             enterprise_id, why, len(teams), ", ".join(teams) or "none")
    return teams


async def is_uninstalled(sessions: Sessions, team_id: str) -> bool:
    async with sessions() as session:
        return await PrivacyRepository(session).uninstalled_at(team_id) is not None


async def reinstalled(sessions: Sessions, team_id: str) -> bool:
    """A new event from an uninstalled workspace (a reinstall): keep everything, work again."""
    async with transaction(sessions) as session:
        cleared = await PrivacyRepository(session).clear_uninstalled(team_id)
    if cleared:
        log.info("privacy: team=%s is back (reinstalled); its data is kept", team_id)
    return cleared


async def purge_workspace(sessions: Sessions, team_id: str) -> dict[str, int]:
    """Delete every row of ``team_id`` in every table, in one transaction."""
    async with transaction(sessions) as session:
        counts = await PrivacyRepository(session).purge_workspace(team_id)
    log.info("privacy: team=%s purged (%d rows)", team_id, sum(counts.values()))
    return counts


async def purge_due(sessions: Sessions, *, grace_days: int, now: dt.datetime | None = None) -> list[str]:
    """Purge every workspace uninstalled more than ``grace_days`` ago; their ids. (And drop
    the OAuth states of installs that were never finished.)"""
    cutoff = (now or utcnow()) - dt.timedelta(days=grace_days)
    async with transaction(sessions) as session:
        await InstallationRepository(session).drop_expired_states(now or utcnow())
    async with sessions() as session:
        due = await PrivacyRepository(session).uninstalled_before(cutoff)
    for team_id in due:
        await purge_workspace(sessions, team_id)
    return due


async def heartbeat(sessions: Sessions, name: str, *, detail: str | None = None,
                    now: dt.datetime | None = None) -> None:
    async with transaction(sessions) as session:
        await HeartbeatRepository(session).beat(name, seen_at=now or utcnow(), detail=detail)


async def last_seen(sessions: Sessions, name: str) -> dt.datetime | None:
    async with sessions() as session:
        return await HeartbeatRepository(session).last_seen(name)
