"""CRM sync settings (docs/customers.md, "CRM sync"): read from the environment (and
``.env``) per workspace, apart from bot/config.py, which is full.

Every name may end in ``__<TEAM_ID>`` (``HUBSPOT_TOKEN__T0123ABCD``) to hold for that
workspace only; a name without the suffix holds for every workspace, except in OAuth mode
(many workspaces, likely many companies), where only suffixed names count. Secrets are
``SecretStr``: they never reach a log or a repr.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pydantic import SecretStr

CRMS = ("hubspot", "salesforce")
HUBSPOT_API = "https://api.hubapi.com"
SALESFORCE_API_VERSION = "62.0"
DEFAULT_SYNC_MINUTES = 360.0
# A property or field name: goes into a URL or a SOQL query, so nothing but a name.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,79}(\.[A-Za-z_][A-Za-z0-9_]{0,79})?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class CrmConfigError(ValueError):
    """A CRM setting is wrong; the message names it."""


@dataclass(frozen=True)
class HubSpotConfig:
    token: SecretStr
    api_url: str = HUBSPOT_API
    tier_property: str = "lifecyclestage"
    currency_property: str | None = None


@dataclass(frozen=True)
class SalesforceConfig:
    domain: str  # https://MyDomainName.my.salesforce.com
    client_id: str
    client_secret: SecretStr
    api_version: str = SALESFORCE_API_VERSION
    tier_field: str = "Type"
    currency_field: str | None = None


@dataclass(frozen=True)
class CrmConfig:
    hubspot: HubSpotConfig | None = None
    salesforce: SalesforceConfig | None = None
    currency: str = "USD"
    rates: Mapping[str, Decimal] = field(default_factory=dict)  # 1 unit of the key = rate of ours
    max_wait_seconds: float = 60.0  # the longest a rate limit may make a sync wait at once

    def configured(self) -> list[str]:
        return [c for c in CRMS if getattr(self, c) is not None]


def _environment() -> dict[str, str]:
    env: dict[str, str] = {}
    if Path(".env").is_file():
        from dotenv import dotenv_values  # pydantic-settings' own .env reader

        env.update({k.upper(): v for k, v in dotenv_values(".env").items() if v is not None})
    env.update({k.upper(): v for k, v in os.environ.items()})
    return env


def _name(value: str, what: str) -> str:
    if not _NAME.match(value):
        raise CrmConfigError(f"{what}={value!r} is not a property or field name")
    return value


def parse_rates(raw: str) -> dict[str, Decimal]:
    """``EUR=1.08, GBP=1.27``: what one unit of each currency is worth in CRM_CURRENCY."""
    rates: dict[str, Decimal] = {}
    for part in (p.strip() for p in raw.replace(";", ",").split(",")):
        if not part:
            continue
        code, _, value = part.partition("=")
        code = code.strip().upper()
        try:
            rate = Decimal(value.strip())
        except InvalidOperation:
            rate = Decimal(-1)
        if not _CURRENCY.match(code) or not rate.is_finite() or rate <= 0:
            raise CrmConfigError(f"CRM_RATES: {part!r} is not CODE=RATE (like EUR=1.08)")
        rates[code] = rate
    return rates


def crm_config(team_id: str, *, shared: bool, env: Mapping[str, str] | None = None) -> CrmConfig:
    """The CRM settings of workspace ``team_id``; ``shared``: unsuffixed names count too."""
    env = _environment() if env is None else env
    suffix = f"__{team_id.upper()}"

    def get(name: str, default: str = "") -> str:
        value = env.get(name + suffix)
        if value is None and shared:
            value = env.get(name)
        return (value if value is not None else default).strip()

    hubspot = None
    if get("HUBSPOT_TOKEN"):
        hubspot = HubSpotConfig(
            token=SecretStr(get("HUBSPOT_TOKEN")),
            api_url=get("HUBSPOT_API_URL", HUBSPOT_API).rstrip("/"),
            tier_property=_name(
                get("HUBSPOT_TIER_PROPERTY", "lifecyclestage"), "HUBSPOT_TIER_PROPERTY"
            ),
            currency_property=_name(c, "HUBSPOT_CURRENCY_PROPERTY")
            if (c := get("HUBSPOT_CURRENCY_PROPERTY"))
            else None,
        )
    salesforce = None
    if get("SALESFORCE_CLIENT_ID") or get("SALESFORCE_DOMAIN"):
        missing = [
            n
            for n in ("SALESFORCE_DOMAIN", "SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET")
            if not get(n)
        ]
        if missing:
            raise CrmConfigError(f"Salesforce sync needs {', '.join(missing)} as well")
        domain = get("SALESFORCE_DOMAIN").rstrip("/")
        if not domain.startswith(("https://", "http://")):
            domain = "https://" + domain
        version = get("SALESFORCE_API_VERSION", SALESFORCE_API_VERSION).lstrip("vV")
        if not re.match(r"^\d{2,3}\.\d$", version):
            raise CrmConfigError(f"SALESFORCE_API_VERSION={version!r} is not a version like 62.0")
        salesforce = SalesforceConfig(
            domain=domain,
            client_id=get("SALESFORCE_CLIENT_ID"),
            client_secret=SecretStr(get("SALESFORCE_CLIENT_SECRET")),
            api_version=version,
            tier_field=_name(get("SALESFORCE_TIER_FIELD", "Type"), "SALESFORCE_TIER_FIELD"),
            currency_field=_name(c, "SALESFORCE_CURRENCY_FIELD")
            if (c := get("SALESFORCE_CURRENCY_FIELD"))
            else None,
        )
    currency = get("CRM_CURRENCY", "USD").upper()
    if not _CURRENCY.match(currency):
        raise CrmConfigError(f"CRM_CURRENCY={currency!r} is not a three-letter currency code")
    try:
        max_wait = float(get("CRM_MAX_WAIT_SECONDS", "60"))
    except ValueError:
        raise CrmConfigError("CRM_MAX_WAIT_SECONDS is not a number") from None
    return CrmConfig(
        hubspot=hubspot,
        salesforce=salesforce,
        currency=currency,
        rates=parse_rates(get("CRM_RATES")),
        max_wait_seconds=max(0.0, max_wait),
    )


def single_workspace(env: Mapping[str, str] | None = None) -> bool:
    """Whether unsuffixed names count: not in OAuth mode (SLACK_CLIENT_ID set, many workspaces)."""
    env = _environment() if env is None else env
    return not (env.get("SLACK_CLIENT_ID") or "").strip()


def sync_minutes(env: Mapping[str, str] | None = None) -> float:
    """CRM_SYNC_MINUTES: how often the clock syncs every configured workspace (0: never)."""
    env = _environment() if env is None else env
    raw = (env.get("CRM_SYNC_MINUTES") or "").strip()
    try:
        minutes = float(raw) if raw else DEFAULT_SYNC_MINUTES
    except ValueError:
        raise CrmConfigError("CRM_SYNC_MINUTES is not a number") from None
    if minutes < 0 or minutes > 7 * 24 * 60:
        raise CrmConfigError("CRM_SYNC_MINUTES must be between 0 (off) and 10080 (a week)")
    return minutes
