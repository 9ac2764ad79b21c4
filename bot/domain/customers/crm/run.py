"""Run one workspace's sync from one CRM (``earshot customers sync``, the clock's job) and
keep its summary (``crm_syncs``: the last sync per workspace and CRM, for ``earshot doctor``
and ``/feedback customer sync``)."""

from __future__ import annotations

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.acting import Asker, require_admin
from bot.domain.customers.crm.http import Sleep
from bot.domain.customers.crm.hubspot import HubSpot
from bot.domain.customers.crm.owners import no_slack, slack_owners
from bot.domain.customers.crm.records import SyncReport
from bot.domain.customers.crm.salesforce import Salesforce
from bot.domain.customers.crm.sync import Source, sync
from bot.domain.customers.rules import CustomerError
from bot.domain.processes.starter import ensure_workspace
from bot.settings.crm import CrmConfig
from storage.db import transaction
from storage.models import CrmSync, utcnow
from storage.repositories.customers import CustomerRepository

SUMMARY_CHARS = 8000  # what is kept of a sync's report


async def run_sync(
    sessions: async_sessionmaker[AsyncSession],
    team_id: str,
    crm: str,
    config: CrmConfig,
    client: AsyncWebClient | None,
    *,
    dry_run: bool = False,
    sleep: Sleep | None = None,
) -> SyncReport:
    """Sync ``team_id`` from ``crm`` (which ``config`` must hold); ``client``: the workspace's
    Slack client for owners (None: owners are not set, and the report says why)."""
    started = utcnow()
    owner_of = (
        slack_owners(client)
        if client is not None
        else no_slack("Earshot has no Slack token for this workspace")
    )
    async with aiohttp.ClientSession() as http:
        source: Source
        if crm == "hubspot":
            assert config.hubspot is not None
            source = HubSpot(config.hubspot, http, max_wait=config.max_wait_seconds, sleep=sleep)
        else:
            assert config.salesforce is not None
            source = Salesforce(
                config.salesforce, http, max_wait=config.max_wait_seconds, sleep=sleep
            )
        report = await sync(
            sessions, team_id, source, config=config, owner_of=owner_of, dry_run=dry_run
        )
    if not dry_run:
        async with transaction(sessions) as session:
            await ensure_workspace(session, team_id)
            await CustomerRepository(session).record_sync(
                team_id,
                crm,
                started_at=started,
                finished_at=utcnow(),
                ok=report.ok,
                summary="\n".join(report.lines())[:SUMMARY_CHARS],
            )
    return report


async def last_syncs(
    sessions: async_sessionmaker[AsyncSession],
    team_id: str | None = None,
    *,
    asker: Asker | None = None,
) -> list[CrmSync]:
    """The last sync of each CRM (of ``team_id``, or all); an asker must be its admin."""
    if asker is not None:
        await require_admin(asker, team_id or "")
    async with sessions() as session:
        return [*await CustomerRepository(session).syncs(team_id)]


async def hand_back(
    sessions: async_sessionmaker[AsyncSession],
    team_id: str,
    fields: list[str],
    *,
    customer: str | None = None,
    asker: Asker | None = None,
) -> int:
    """Let the CRM own ``fields`` again (on one customer, or every one); how many changed.
    ``asker``: the person who asked, refused unless an admin (None: the operator)."""
    await require_admin(asker, team_id)
    async with transaction(sessions) as session:
        repo = CustomerRepository(session)
        row = None
        if customer is not None:
            row = await repo.by_name(team_id, customer)
            if row is None:
                raise CustomerError(f"There is no customer called “{customer}”.")
        return await repo.set_manual(team_id, fields, manual=False, customer=row)
