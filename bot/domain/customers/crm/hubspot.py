"""HubSpot: companies through the CRM v3 objects API, owners' emails through the owners API,
with a private app's access token (Bearer).

Shapes (developers.hubspot.com/docs/api/crm/companies, .../crm/owners,
.../docs/guides/apps/api-usage/usage-details):

* ``GET /crm/v3/objects/companies?limit=100&properties=...&after=...`` answers
  ``{"results": [{"id", "properties": {...}}], "paging": {"next": {"after"}}}``; no ``paging``
  on the last page.
* ``GET /crm/v3/owners/{ownerId}`` answers ``{"id", "email", "firstName", ...}``; 404 when the
  owner is gone.
* Over the ten-second limit: 429 with ``{"errorType": "RATE_LIMIT", "policyName":
  "TEN_SECONDLY_ROLLING"}`` and the ``X-HubSpot-RateLimit-Interval-Milliseconds``/``-Max``/
  ``-Remaining`` headers; we wait ``Retry-After`` when sent, else the interval, and retry.
* A revoked or wrong token: 401 ``{"category": "INVALID_AUTHENTICATION"}``; a missing scope:
  403 ``{"category": "MISSING_SCOPES"}``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal, InvalidOperation
from typing import Any

import aiohttp

from bot.domain.customers.crm import http
from bot.domain.customers.crm.records import Company, CrmError, domain_of
from bot.settings.crm import HubSpotConfig

PAGE = 100


def rate_limited(answer: http.Answer) -> float | None:
    if answer.status != 429:
        return None
    retry_after = http.header_float(answer.headers, "Retry-After")
    if retry_after is not None:
        return retry_after
    interval = http.header_float(answer.headers, "X-HubSpot-RateLimit-Interval-Milliseconds")
    return interval / 1000 if interval is not None else 10.0


def refused(answer: http.Answer, what: str) -> CrmError:
    body = answer.body if isinstance(answer.body, dict) else {}
    message = str(body.get("message") or "")[:200]
    if answer.status == 401:
        return CrmError(
            f"HubSpot refused the token on {what} (401 {body.get('category') or ''}): it was "
            "revoked, rotated or mistyped. Set HUBSPOT_TOKEN to the private app's current "
            "access token."
        )
    if answer.status == 403:
        return CrmError(
            f"HubSpot refused {what} (403 {body.get('category') or ''}: {message}). Give the "
            "private app the scopes crm.objects.companies.read and crm.objects.owners.read."
        )
    return CrmError(f"HubSpot answered {answer.status} on {what}: {message or 'no message'}")


def _revenue(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class HubSpot:
    crm = "hubspot"

    def __init__(
        self,
        cfg: HubSpotConfig,
        session: aiohttp.ClientSession,
        *,
        max_wait: float,
        sleep: http.Sleep | None = None,
    ) -> None:
        self.cfg = cfg
        self.session = session
        self.max_wait = max_wait
        self.sleep = sleep
        self._owners: dict[
            str, tuple[str | None, str | None]
        ] = {}  # per sync: id -> (email, why not)

    async def _get(self, path: str, what: str, params: dict[str, str] | None = None) -> http.Answer:
        extra = {"sleep": self.sleep} if self.sleep else {}
        return await http.call(
            self.session,
            "GET",
            self.cfg.api_url + path,
            what=what,
            params=params or {},
            headers={"Authorization": f"Bearer {self.cfg.token.get_secret_value()}"},
            wait_for=rate_limited,
            max_wait=self.max_wait,
            **extra,
        )

    async def pages(self) -> AsyncIterator[list[Company]]:
        props = ["name", "domain", "annualrevenue", "hubspot_owner_id", self.cfg.tier_property]
        if self.cfg.currency_property:
            props.append(self.cfg.currency_property)
        after: str | None = None
        page = 0
        while True:
            page += 1
            params = {
                "limit": str(PAGE),
                "properties": ",".join(dict.fromkeys(props)),
                "archived": "false",
            }
            if after:
                params["after"] = after
            answer = await self._get(
                "/crm/v3/objects/companies", f"page {page} of companies", params
            )
            if answer.status != 200 or not isinstance(answer.body, dict):
                raise refused(answer, f"page {page} of companies")
            companies = [
                await self._company(r)
                for r in answer.body.get("results") or []
                if isinstance(r, dict) and r.get("id") is not None
            ]
            yield companies
            after = ((answer.body.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return

    async def _company(self, r: dict[str, Any]) -> Company:
        p = r.get("properties") or {}
        owner_id = str(p.get("hubspot_owner_id") or "").strip()
        email, note = await self._owner(owner_id) if owner_id else (None, None)
        currency = p.get(self.cfg.currency_property) if self.cfg.currency_property else None
        return Company(
            crm=self.crm,
            crm_id=str(r["id"]),
            name=str(p.get("name") or "").strip(),
            domain=domain_of(p.get("domain")),
            revenue=_revenue(p.get("annualrevenue")),
            currency=(str(currency).strip().upper() or None) if currency else None,
            tier=(str(p.get(self.cfg.tier_property) or "").strip() or None),
            owner_email=email,
            owner_note=note,
        )

    async def _owner(self, owner_id: str) -> tuple[str | None, str | None]:
        if owner_id not in self._owners:
            if not owner_id.isdigit():
                self._owners[owner_id] = (None, f"HubSpot owner id {owner_id[:20]!r} is not an id")
            else:
                answer = await self._get(f"/crm/v3/owners/{owner_id}", f"owner {owner_id}")
                if answer.status == 404:
                    self._owners[owner_id] = (
                        None,
                        f"HubSpot has no owner {owner_id} (deactivated?)",
                    )
                elif answer.status != 200 or not isinstance(answer.body, dict):
                    raise refused(answer, f"owner {owner_id}")
                else:
                    email = str(answer.body.get("email") or "").strip() or None
                    self._owners[owner_id] = (
                        email,
                        None if email else f"HubSpot owner {owner_id} has no email",
                    )
        return self._owners[owner_id]
