"""The clock's CRM sync for real: two `earshot clock` processes against one database and the
HubSpot stand-in (tests/e2e/crm_standins.py names its documented shapes). Every period the
workspace is synced, a company added in the CRM meanwhile arrives, and nothing is duplicated."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import CrmSync, Customer
from tests.conftest import eventually
from tests.e2e import digest_support as ds
from tests.e2e.crm_standins import HubSpotCompany, HubSpotStandIn
from tests.e2e.queries import ALICE, TEAM, count
from tests.e2e.test_digest_clock import _env, _start, _stop


async def test_the_clock_syncs_every_period_and_two_clocks_duplicate_nothing(
    fake, settings, db, tmp_path
):
    await ds.workspace(db)
    start = [
        HubSpotCompany("1", "Acme Corp", "acme.com", "1000", owner_id="7"),
        HubSpotCompany("2", "Initech", "initech.com", "2000"),
        HubSpotCompany("3", "Hooli", "hooli.xyz", ""),
    ]
    async with HubSpotStandIn(
        companies=start, owners={"7": "alice@example.com"}, page_size=2
    ) as hub:
        env = _env(
            settings,
            HUBSPOT_TOKEN=hub.token,
            HUBSPOT_API_URL=hub.url,
            CRM_SYNC_MINUTES="0.02",
            CRM_MAX_WAIT_SECONDS="0.1",
        )
        clocks = [_start(["clock"], env, tmp_path), _start(["clock"], env, tmp_path)]
        try:
            await eventually(lambda: count(db, Customer), timeout=60)
            await eventually(lambda: _count_is(db, 3), timeout=60)
            hub.companies.append(HubSpotCompany("4", "Globex", "globex.com", "3000"))
            await eventually(lambda: _count_is(db, 4), timeout=60)
            async with db() as s:
                last = await s.get(CrmSync, (TEAM, "hubspot"))
                acme = await s.scalar(select(Customer).where(Customer.name == "Acme Corp"))
            assert last is not None
            assert acme is not None and (acme.crm_id, acme.owner_user_id, acme.domains) == (
                "1",
                ALICE,
                ["acme.com"],
            )
        finally:
            logs = await _stop(clocks)
        assert not [
            line
            for log in logs
            for line in log.splitlines()
            if "ERROR" in line or "Traceback" in line
        ], logs
        assert hub.token not in "".join(logs)
        assert await count(db, Customer) == 4


async def _count_is(db, n: int) -> bool:
    return await count(db, Customer) == n
