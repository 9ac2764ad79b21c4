"""The clock's CRM sync: every CRM_SYNC_MINUTES, each installed workspace with a CRM set up
is synced once (claimed in ``crm_syncs`` first, so several clocks do not sync it twice)."""

from __future__ import annotations

import datetime as dt
import logging

from bot.domain.customers.crm.records import SyncReport
from bot.domain.customers.crm.run import run_sync
from bot.domain.processes.starter import ensure_workspace
from bot.domain.services import Services
from bot.domain.workspace.clients import Clients, client_for
from bot.settings.crm import CrmConfigError, crm_config
from storage.db import transaction
from storage.repositories import WorkspaceRepository
from storage.repositories.customers import CustomerRepository

log = logging.getLogger(__name__)


async def sync_due(
    services: Services, clients: Clients, *, now: dt.datetime, every: dt.timedelta
) -> list[SyncReport]:
    """Sync every workspace whose last sync from a CRM started more than ``every`` ago."""
    async with services.sessions() as session:
        workspaces = [
            w for w in await WorkspaceRepository(session).all() if w.uninstalled_at is None
        ]
    reports: list[SyncReport] = []
    for ws in workspaces:
        try:
            config = crm_config(ws.team_id, shared=not services.settings.oauth)
        except CrmConfigError as e:
            log.error("crm: team=%s CRM settings are wrong: %s", ws.team_id, e)
            continue
        for crm in config.configured():
            async with transaction(services.sessions) as session:
                await ensure_workspace(session, ws.team_id)
                claimed = await CustomerRepository(session).claim_sync(
                    ws.team_id, crm, now=now, since=now - every
                )
            if not claimed:
                continue
            client = await client_for(clients, ws.team_id)
            report = await run_sync(services.sessions, ws.team_id, crm, config, client)
            if report.error:
                log.warning("crm: team=%s %s sync stopped: %s", ws.team_id, crm, report.error)
            reports.append(report)
    return reports
