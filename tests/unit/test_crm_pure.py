"""CRM sync's pure parts: settings per workspace, a website to a domain, HubSpot's rate-limit
wait, Salesforce's error shape, and matching a company to a customer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain.customers.crm.http import Answer
from bot.domain.customers.crm.hubspot import rate_limited
from bot.domain.customers.crm.match import Index, Known, match
from bot.domain.customers.crm.records import Company, domain_of
from bot.domain.customers.crm.salesforce import error_of
from bot.settings.crm import CrmConfigError, crm_config, parse_rates, single_workspace, sync_minutes


def test_unsuffixed_settings_hold_only_outside_oauth_mode_and_a_suffix_wins():
    env = {
        "HUBSPOT_TOKEN": "pat-shared",
        "HUBSPOT_TOKEN__T0002": "pat-two",
        "CRM_RATES": "eur=1.1; GBP=1.27",
    }
    one = crm_config("T0001", shared=True, env=env)
    assert one.hubspot is not None and one.hubspot.token.get_secret_value() == "pat-shared"
    assert "pat-shared" not in repr(one)  # a SecretStr
    assert crm_config("T0001", shared=False, env=env).hubspot is None
    two = crm_config("T0002", shared=False, env=env)
    assert two.hubspot is not None and two.hubspot.token.get_secret_value() == "pat-two"
    assert one.rates == {"EUR": Decimal("1.1"), "GBP": Decimal("1.27")}
    assert single_workspace({"SLACK_BOT_TOKEN": "xoxb-1"}) and not single_workspace(
        {"SLACK_CLIENT_ID": "123.456"}
    )


def test_bad_settings_name_the_variable():
    with pytest.raises(CrmConfigError, match="SALESFORCE_CLIENT_SECRET"):
        crm_config(
            "T1",
            shared=True,
            env={"SALESFORCE_DOMAIN": "acme.my.salesforce.com", "SALESFORCE_CLIENT_ID": "x"},
        )
    with pytest.raises(CrmConfigError, match="SALESFORCE_TIER_FIELD"):
        crm_config(
            "T1",
            shared=True,
            env={
                "SALESFORCE_DOMAIN": "a",
                "SALESFORCE_CLIENT_ID": "x",
                "SALESFORCE_CLIENT_SECRET": "y",
                "SALESFORCE_TIER_FIELD": "Type FROM User",
            },
        )
    with pytest.raises(CrmConfigError, match="CRM_RATES"):
        parse_rates("EUR=-1")
    with pytest.raises(CrmConfigError, match="CRM_SYNC_MINUTES"):
        sync_minutes({"CRM_SYNC_MINUTES": "soon"})
    assert sync_minutes({}) == 360 and sync_minutes({"CRM_SYNC_MINUTES": "0"}) == 0
    sf = crm_config(
        "T1",
        shared=True,
        env={
            "SALESFORCE_DOMAIN": "acme.my.salesforce.com",
            "SALESFORCE_CLIENT_ID": "x",
            "SALESFORCE_CLIENT_SECRET": "y",
            "SALESFORCE_API_VERSION": "v61.0",
        },
    )
    assert sf.salesforce is not None
    assert (sf.salesforce.domain, sf.salesforce.api_version) == (
        "https://acme.my.salesforce.com",
        "61.0",
    )


@pytest.mark.parametrize(
    "raw, domain",
    [
        ("https://www.Acme.com/about", "acme.com"),
        ("acme.com", "acme.com"),
        ("www.acme.co.uk", "acme.co.uk"),
        ("", None),
        (None, None),
        ("localhost", None),
        ("http://[::1", None),
    ],
)
def test_a_website_becomes_a_domain(raw, domain):
    assert domain_of(raw) == domain


def test_hubspot_429_waits_retry_after_else_the_ten_second_window():
    # developers.hubspot.com/docs/guides/apps/api-usage/usage-details
    assert rate_limited(Answer(200, {}, {})) is None
    assert (
        rate_limited(Answer(429, {}, {"X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}))
        == 10.0
    )
    assert (
        rate_limited(
            Answer(
                429, {}, {"Retry-After": "3", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}
            )
        )
        == 3.0
    )
    assert rate_limited(Answer(429, {}, {})) == 10.0


def test_salesforce_errors_are_read_from_either_shape():
    # developer.salesforce.com .../errorcodes.htm; the token endpoint's OAuth error
    assert error_of(
        Answer(
            401, [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}], {}
        )
    ) == ("INVALID_SESSION_ID", "Session expired or invalid")
    assert error_of(Answer(400, {"error": "invalid_client", "error_description": "bad"}, {})) == (
        "invalid_client",
        "bad",
    )
    assert error_of(Answer(502, "<html>", {})) == ("", "")


def _row(name: str, *, aliases=(), domains=(), crm=None, crm_id=None) -> Known:
    return Known(len(name), name, tuple(aliases), tuple(domains), crm, crm_id)


def test_matching_prefers_crm_id_then_domain_then_name_and_never_merges_two_companies():
    linked = _row("Acme", crm="hubspot", crm_id="1", domains=["acme.com"])
    by_alias = _row("Globex", aliases=["globex.com"])
    named = _row("Initech")
    index = Index.of([linked, by_alias, named])
    claimed: dict[str, Company] = {}
    assert (
        match(index, Company("hubspot", "1", "Acme Renamed", "acme.com"), claimed).how == "CRM id"
    )
    assert (
        match(index, Company("hubspot", "2", "Globex Inc", "globex.com"), claimed).row is by_alias
    )
    assert match(index, Company("hubspot", "3", "INITECH", None), claimed).row is named
    assert (
        match(index, Company("hubspot", "4", "Hooli", "hooli.com"), claimed).row is None
    )  # created
    other = match(index, Company("hubspot", "5", "Acme Labs", "acme.com"), claimed)
    assert other.row is None and "belongs to “Acme” is already hubspot record 1" in (
        other.why or ""
    )
    taken = match(index, Company("hubspot", "6", "acme", None), claimed)
    assert taken.why and "its name is taken" in taken.why
    claimed["hooli.com"] = Company("hubspot", "4", "Hooli", "hooli.com")
    twin = match(index, Company("hubspot", "7", "Hooli XYZ", "hooli.com"), claimed)
    assert twin.why and "also that of hubspot company “Hooli” (4)" in twin.why
