"""CRM sync end to end: `earshot customers sync` run as the CLI against stand-ins that answer
as HubSpot and Salesforce document (tests/e2e/crm_standins.py names the source of every
shape), owners looked up in the Slack stand-in with users.lookupByEmail, on the real
database. The bad inputs of issue 24: a company with no domain, two with one domain, revenue
in another currency or empty, a token revoked mid-sync."""

from __future__ import annotations

import asyncio

from click.testing import CliRunner
from sqlalchemy import select

from bot.cli.main import main
from storage.models import CrmSync, Customer
from tests.conftest import SECRET, TOKEN
from tests.e2e import digest_support as ds
from tests.e2e.crm_standins import Account, HubSpotCompany, HubSpotStandIn, SalesforceStandIn
from tests.e2e.queries import ALICE, BOB, GENERAL, TEAM, count


async def cli(settings, *args: str, **env: str):
    base = {
        "DATABASE_URL": settings.database_url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": settings.slack_api_url,
        "CRM_MAX_WAIT_SECONDS": "0.05",
    }
    return await asyncio.to_thread(
        CliRunner().invoke, main, list(args), env={**base, **env}, catch_exceptions=False
    )


def hubspot_env(hub: HubSpotStandIn, **extra: str) -> dict[str, str]:
    return {"HUBSPOT_TOKEN": hub.token, "HUBSPOT_API_URL": hub.url, **extra}


async def customers(db) -> dict[str, Customer]:
    async with db() as s:
        return {
            c.name: c
            for c in (await s.scalars(select(Customer).where(Customer.team_id == TEAM))).all()
        }


def companies() -> list[HubSpotCompany]:
    return [
        HubSpotCompany("101", "Acme Corp", "acme.com", "1200000", "customer", owner_id="7"),
        HubSpotCompany(
            "102", "Initech", "", "", "opportunity", owner_id="8"
        ),  # no domain, no revenue
        HubSpotCompany("103", "Globex Inc", "https://www.globex.com", "500000", "customer"),
        HubSpotCompany("104", "Globex Labs", "globex.com", "90000", "lead"),  # the same domain
        HubSpotCompany("105", "Umbrella GmbH", "umbrella.de", "800000", "customer", currency="EUR"),
        HubSpotCompany(
            "106", "Hooli", "hooli.xyz", "2500000", "customer", owner_id="9"
        ),  # owner gone
    ]


async def test_hubspot_sync_creates_matches_and_reports_and_a_rerun_duplicates_nothing(
    db, fake, settings, tmp_path
):
    await ds.workspace(db)
    # Typed by hand first: Initech's tier (kept from the CRM) and Globex, known by its domain.
    registry = tmp_path / "customers.yaml"
    registry.write_text(
        "customers:\n  - name: Initech\n    tier: Strategic\n"
        "  - name: Globex\n    aliases: [globex.com]\n",
        encoding="utf-8",
    )
    res = await cli(settings, "customers", "import", str(registry), "--team", TEAM)
    assert res.exit_code == 0, res.output
    async with HubSpotStandIn(
        companies=companies(),
        owners={"7": "alice@example.com", "8": "nobody@example.org"},
        page_size=2,
        rate_limit_requests={2},
    ) as hub:
        res = await cli(
            settings,
            "customers",
            "sync",
            "--team",
            TEAM,
            "--crm",
            "hubspot",
            **hubspot_env(hub, HUBSPOT_CURRENCY_PROPERTY="currency"),
        )
        assert res.exit_code == 0, res.output
        out = res.output
        assert "hubspot: 3 created, 2 updated, 0 unchanged, 1 could not be matched (3 pages)" in out
        # Page 2 was answered 429 once, then read again: 4 companies requests for 3 pages.
        assert hub.company_requests == 4 and hub.pages_served == 3
        assert (
            "Globex Labs (hubspot 104): its domain globex.com is also that of hubspot company "
            "“Globex Inc” (103)"
        ) in out
        assert "Umbrella GmbH (hubspot 105): revenue 800,000 EUR kept out: no rate for EUR" in out
        assert (
            "Initech (hubspot 102): owner not set: no Slack user has the owner's email nobody@example.org"
            in out
        )
        assert "Hooli (hubspot 106): owner not set: HubSpot has no owner 9" in out
        rows = await customers(db)
        assert set(rows) == {"Acme Corp", "Initech", "Globex", "Umbrella GmbH", "Hooli"}
        acme, initech, globex = rows["Acme Corp"], rows["Initech"], rows["Globex"]
        assert (
            acme.crm,
            acme.crm_id,
            acme.domains,
            acme.yearly_value,
            acme.tier,
            acme.owner_user_id,
        ) == ("hubspot", "101", ["acme.com"], 1_200_000, "customer", ALICE)
        # No domain: matched by name; the tier a person set stays; empty revenue leaves it as it is.
        assert (initech.crm_id, initech.tier, initech.yearly_value, initech.manual_fields) == (
            "102",
            "Strategic",
            None,
            ["tier"],
        )
        # Matched by the domain it had as an alias; the CRM's name becomes an alias.
        assert (globex.crm_id, globex.domains, globex.yearly_value) == (
            "103",
            ["globex.com"],
            500_000,
        )
        assert "Globex Inc" in globex.aliases
        assert rows["Umbrella GmbH"].yearly_value is None
        async with db() as s:
            last = await s.get(CrmSync, (TEAM, "hubspot"))
        assert last is not None and last.ok and "3 created" in last.summary

        # The same companies again: nothing new, nothing duplicated; Acme's owner changes in the CRM.
        hub.owners["7"] = "bob@example.com"
        res = await cli(
            settings,
            "customers",
            "sync",
            "--team",
            TEAM,
            **hubspot_env(hub, HUBSPOT_CURRENCY_PROPERTY="currency"),
        )
        assert res.exit_code == 0, res.output
        assert "hubspot: 0 created, 1 updated, 4 unchanged, 1 could not be matched" in res.output
        assert await count(db, Customer) == 5
        assert (await customers(db))["Acme Corp"].owner_user_id == BOB

        # With a rate for EUR and Initech's tier handed back to the CRM.
        res = await cli(
            settings,
            "customers",
            "sync",
            "--team",
            TEAM,
            "--crm-owns",
            "tier",
            **hubspot_env(hub, HUBSPOT_CURRENCY_PROPERTY="currency", CRM_RATES="EUR=1.10"),
        )
        assert res.exit_code == 0, res.output
        assert "The CRM owns tier again on 1 customer(s)." in res.output
        rows = await customers(db)
        assert rows["Umbrella GmbH"].yearly_value == 880_000
        assert (rows["Initech"].tier, rows["Initech"].manual_fields) == ("opportunity", [])


async def test_a_token_revoked_on_page_3_keeps_pages_1_and_2_and_the_next_run_finishes(
    db, fake, settings
):
    await ds.workspace(db)
    many = [
        HubSpotCompany(str(200 + i), f"Company {i}", f"c{i}.example", str(1000 * i))
        for i in range(7)
    ]
    async with HubSpotStandIn(companies=many, page_size=2, revoke_on_page=3) as hub:
        good = hub.token
        res = await cli(settings, "customers", "sync", "--team", TEAM, **hubspot_env(hub))
        assert res.exit_code == 1
        assert (
            "hubspot: 4 created, 0 updated, 0 unchanged, 0 could not be matched (2 pages); stopped: "
            "HubSpot refused the token on page 3 of companies (401 INVALID_AUTHENTICATION)"
            in res.output
        )
        assert good not in res.output
        assert await count(db, Customer) == 4
        async with db() as s:
            last = await s.get(CrmSync, (TEAM, "hubspot"))
        assert last is not None and not last.ok and "stopped" in last.summary
        doctor = await cli(settings, "doctor")
        assert "T0001: the last hubspot sync (" in doctor.output and ") stopped" in doctor.output
        assert "HubSpot refused the token on page 3 of companies" in doctor.output

        hub.token, hub.revoke_on_page = good, None  # a new token is set
        res = await cli(settings, "customers", "sync", "--team", TEAM, **hubspot_env(hub))
        assert res.exit_code == 0, res.output
        assert "hubspot: 3 created, 0 updated, 4 unchanged" in res.output
        assert await count(db, Customer) == 7


def accounts() -> list[Account]:
    return [
        Account(
            "001A",
            "Acme Corp",
            "https://acme.com",
            1_000_000.0,
            "Customer - Direct",
            "alice@example.com",
        ),
        Account(
            "001B", "Vandelay Industries", None, None, "Prospect", "bob@example.com"
        ),  # no website
        Account(
            "001C",
            "Stark GmbH",
            "stark.de",
            2_000_000.0,
            "Customer - Channel",
            None,
            currency="EUR",
        ),
        Account(
            "001D",
            "Wayne Enterprises",
            "www.wayne.com",
            3_000_000.0,
            None,
            "ghost@example.com",
            currency="JPY",
        ),
        Account("001E", "Wayne Foundation", "wayne.com", 100.0, "Other"),  # the same domain
    ]


async def test_salesforce_sync_follows_next_records_url_and_renews_an_expired_token(
    db, fake, settings
):
    await ds.workspace(db)
    async with SalesforceStandIn(accounts=accounts(), batch=2, expire_on_page=2) as sf:
        env = {
            "SALESFORCE_DOMAIN": sf.url,
            "SALESFORCE_CLIENT_ID": sf.client_id,
            "SALESFORCE_CLIENT_SECRET": sf.client_secret,
            "SALESFORCE_CURRENCY_FIELD": "CurrencyIsoCode",
            "CRM_RATES": "EUR=1.1",
        }
        res = await cli(settings, "customers", "sync", "--team", TEAM, "--crm", "salesforce", **env)
        assert res.exit_code == 0, res.output
        assert (
            "salesforce: 4 created, 0 updated, 0 unchanged, 1 could not be matched (3 pages)"
            in res.output
        )
        assert sf.token_requests == 2  # the first token expired on page 2: one new token, then on
        assert (
            "Wayne Foundation (salesforce 001E): its domain wayne.com is also that of salesforce company"
            in res.output
        )
        assert "revenue 3,000,000.0 JPY kept out: no rate for JPY" in res.output
        assert sf.client_secret not in res.output
        soql = sf.requests[0][2]["q"]
        assert (
            soql
            == "SELECT Id, Name, Website, AnnualRevenue, Type, Owner.Email, CurrencyIsoCode FROM Account ORDER BY Id"
        )
        assert sf.requests[1][1] == "/services/data/v62.0/query/01gD0000002HU6KIAW-2"
        rows = await customers(db)
        assert (
            rows["Acme Corp"].domains,
            rows["Acme Corp"].owner_user_id,
            rows["Acme Corp"].yearly_value,
        ) == (["acme.com"], ALICE, 1_000_000)
        assert (
            rows["Vandelay Industries"].domains,
            rows["Vandelay Industries"].tier,
            rows["Vandelay Industries"].yearly_value,
        ) == ([], "Prospect", None)
        assert rows["Stark GmbH"].yearly_value == 2_200_000
        assert (
            rows["Wayne Enterprises"].domains == ["wayne.com"]
            and rows["Wayne Enterprises"].yearly_value is None
        )

        res = await cli(
            settings, "customers", "sync", "--team", TEAM, "--crm", "salesforce", "--dry-run", **env
        )
        assert res.exit_code == 0, res.output
        assert (
            "Dry run: T0001: salesforce: 0 would be created, 0 would be updated, 4 unchanged"
            in res.output
        )

        sf.limit_exceeded = True
        res = await cli(settings, "customers", "sync", "--team", TEAM, "--crm", "salesforce", **env)
        assert res.exit_code == 1
        assert (
            "stopped: Salesforce: the org's API request limit is spent (REQUEST_LIMIT_EXCEEDED"
            in res.output
        )
        assert await count(db, Customer) == 4


async def test_salesforce_access_revoked_mid_sync_stops_cleanly(db, fake, settings):
    await ds.workspace(db)
    async with SalesforceStandIn(accounts=accounts(), batch=2, revoke_on_page=2) as sf:
        env = {
            "SALESFORCE_DOMAIN": sf.url,
            "SALESFORCE_CLIENT_ID": sf.client_id,
            "SALESFORCE_CLIENT_SECRET": sf.client_secret,
        }
        res = await cli(settings, "customers", "sync", "--team", TEAM, **env)
        assert res.exit_code == 1
        assert (
            "salesforce: 2 created, 0 updated, 0 unchanged, 0 could not be matched (1 page); stopped: "
            "Salesforce refused the connected app's client credentials (400 invalid_client"
            in res.output
        )
        assert await count(db, Customer) == 2


async def test_sync_without_a_crm_set_up_says_what_to_set(db, fake, settings):
    await ds.workspace(db)
    res = await cli(settings, "customers", "sync", "--team", TEAM)
    assert res.exit_code == 2
    assert "no CRM is set up for T0001: set HUBSPOT_TOKEN" in res.output
    res = await cli(settings, "customers", "sync", "--team", TEAM, "--crm-owns", "colour")
    assert res.exit_code == 2 and "--crm-owns takes tier, value, owner" in res.output


async def slash(slack, text: str, user: str = ALICE) -> str:
    delivery = await slack.slash(user, GENERAL, f"customer {text}")
    assert delivery.status == 200
    return (delivery.json() or {}).get("text", "")


async def test_a_tier_set_in_slack_is_kept_until_handed_back_and_the_status_shows_the_last_sync(
    db, fake, settings, slack
):
    assert "Added the customer *Acme Corp*" in await slash(slack, "add Acme Corp")
    assert "tier is Key account" in await slash(slack, "tier Acme Corp Key account")
    crm = [
        HubSpotCompany("101", "Acme Corp", "acme.com", "1000", "customer"),
        HubSpotCompany("102", "<!channel> Evil & Co", "evil.example", "5"),  # refused: Slack markup
        HubSpotCompany("103", "Smith & Sons", "smith.example", "7"),
    ]
    async with HubSpotStandIn(companies=crm) as hub:
        res = await cli(settings, "customers", "sync", "--team", TEAM, **hubspot_env(hub))
        assert res.exit_code == 0, res.output
        assert (await customers(db))["Acme Corp"].tier == "Key account"
        status = await slash(slack, "sync")
        assert "*hubspot* (finished" in status
        assert "1 created, 1 updated, 0 unchanged, 1 could not be matched" in status
        assert "<!channel>" not in status and "Smith &amp; Sons (hubspot 103)" in status
        assert "Only workspace admins" in await slash(slack, "sync", user=BOB)

        assert "The CRM sync now sets Acme Corp's tier" in await slash(
            slack, "crm-owns Acme Corp tier"
        )
        assert "Name the fields" in await slash(slack, "crm-owns Acme Corp colour")
        res = await cli(settings, "customers", "sync", "--team", TEAM, **hubspot_env(hub))
        assert res.exit_code == 0, res.output
        assert (await customers(db))["Acme Corp"].tier == "customer"
