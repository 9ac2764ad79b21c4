"""Salesforce: Accounts by SOQL through the REST query resource, authenticated by a connected
app's OAuth 2.0 client-credentials flow.

Shapes (developer.salesforce.com/docs/platform/api-rest/guide/dome-query.html,
.../resources-query.html, .../errorcodes.htm; help.salesforce.com "OAuth 2.0 Client
Credentials Flow for Server-to-Server Integration"):

* ``POST {My Domain}/services/oauth2/token`` with ``grant_type=client_credentials``,
  ``client_id``, ``client_secret`` answers ``{"access_token", "instance_url", "token_type":
  "Bearer", ...}``, or 400 ``{"error": "invalid_client", "error_description"}``.
* ``GET {instance_url}/services/data/vXX.X/query?q=SOQL`` answers ``{"totalSize", "done",
  "records": [...], "nextRecordsUrl"}``; while ``done`` is false, ``GET`` the
  ``nextRecordsUrl`` (a path on the instance) for the next batch.
* Errors are a list ``[{"message", "errorCode"}]``: 401 ``INVALID_SESSION_ID`` (the token
  expired or was revoked: we ask for a new one once), 403 ``REQUEST_LIMIT_EXCEEDED`` (the
  org's API requests for the day are spent: stop, try tomorrow).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal, InvalidOperation
from typing import Any

import aiohttp

from bot.domain.customers.crm import http
from bot.domain.customers.crm.records import Company, CrmError, domain_of
from bot.settings.crm import SalesforceConfig


def _never(answer: http.Answer) -> float | None:
    return None  # Salesforce has no short rate limit to wait out; REQUEST_LIMIT_EXCEEDED is daily


def error_of(answer: http.Answer) -> tuple[str, str]:
    """(errorCode, message) of a Salesforce error answer."""
    body = answer.body
    if isinstance(body, list) and body and isinstance(body[0], dict):
        return str(body[0].get("errorCode") or ""), str(body[0].get("message") or "")[:200]
    if isinstance(body, dict):
        return str(body.get("error") or ""), str(body.get("error_description") or "")[:200]
    return "", ""


class Salesforce:
    crm = "salesforce"

    def __init__(
        self,
        cfg: SalesforceConfig,
        session: aiohttp.ClientSession,
        *,
        max_wait: float,
        sleep: http.Sleep | None = None,
    ) -> None:
        self.cfg = cfg
        self.session = session
        self.max_wait = max_wait
        self.extra: dict[str, Any] = {"sleep": sleep} if sleep else {}
        self._token: tuple[str, str] | None = None  # (access token, instance url)

    async def _authenticate(self) -> tuple[str, str]:
        answer = await http.call(
            self.session,
            "POST",
            f"{self.cfg.domain}/services/oauth2/token",
            what="the token request",
            wait_for=_never,
            max_wait=self.max_wait,
            data={
                "grant_type": "client_credentials",
                "client_id": self.cfg.client_id,
                "client_secret": self.cfg.client_secret.get_secret_value(),
            },
            **self.extra,
        )
        body = answer.body if isinstance(answer.body, dict) else {}
        if answer.status != 200 or not body.get("access_token") or not body.get("instance_url"):
            code, message = error_of(answer)
            raise CrmError(
                f"Salesforce refused the connected app's client credentials ({answer.status} "
                f"{code}: {message}). Check SALESFORCE_CLIENT_ID/SECRET and that the app allows "
                "the client credentials flow with a run-as user."
            )
        return str(body["access_token"]), str(body["instance_url"]).rstrip("/")

    async def _get(
        self, path_or_url: str, what: str, params: dict[str, str] | None = None
    ) -> http.Answer:
        renewed = False
        while True:
            if self._token is None:
                self._token = await self._authenticate()
            token, instance = self._token
            answer = await http.call(
                self.session,
                "GET",
                instance + path_or_url,
                what=what,
                params=params or {},
                headers={"Authorization": f"Bearer {token}"},
                wait_for=_never,
                max_wait=self.max_wait,
                **self.extra,
            )
            if answer.status == 200 and isinstance(answer.body, dict):
                return answer
            code, message = error_of(answer)
            if answer.status == 401 and not renewed:
                self._token, renewed = None, True  # expired or revoked: one new token, then give up
                continue
            if answer.status == 401:
                raise CrmError(
                    f"Salesforce refused a new token on {what} (401 {code}): the connected "
                    "app's access was revoked. Nothing after this page was read."
                )
            if code == "REQUEST_LIMIT_EXCEEDED":
                raise CrmError(
                    f"Salesforce: the org's API request limit is spent (REQUEST_LIMIT_EXCEEDED "
                    f"on {what}); the next scheduled sync tries again."
                )
            raise CrmError(
                f"Salesforce answered {answer.status} {code} on {what}: {message or 'no message'}"
            )

    def soql(self) -> str:
        fields = ["Id", "Name", "Website", "AnnualRevenue", self.cfg.tier_field, "Owner.Email"]
        if self.cfg.currency_field:
            fields.append(self.cfg.currency_field)
        return f"SELECT {', '.join(dict.fromkeys(fields))} FROM Account ORDER BY Id"

    async def pages(self) -> AsyncIterator[list[Company]]:
        answer = await self._get(
            f"/services/data/v{self.cfg.api_version}/query",
            "page 1 of accounts",
            {"q": self.soql()},
        )
        page = 1
        while True:
            yield [
                self._company(r)
                for r in answer.body.get("records") or []
                if isinstance(r, dict) and r.get("Id")
            ]
            next_url = answer.body.get("nextRecordsUrl")
            if answer.body.get("done", True) or not next_url:
                return
            page += 1
            answer = await self._get(str(next_url), f"page {page} of accounts")

    def _field(self, r: dict[str, Any], name: str) -> Any:
        value: Any = r
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def _company(self, r: dict[str, Any]) -> Company:
        try:
            revenue = None if r.get("AnnualRevenue") is None else Decimal(str(r["AnnualRevenue"]))
        except InvalidOperation:
            revenue = None
        currency = self._field(r, self.cfg.currency_field) if self.cfg.currency_field else None
        tier = self._field(r, self.cfg.tier_field)
        email = self._field(r, "Owner.Email")
        return Company(
            crm=self.crm,
            crm_id=str(r["Id"]),
            name=str(r.get("Name") or "").strip(),
            domain=domain_of(r.get("Website")),
            revenue=revenue,
            currency=str(currency).upper() if currency else None,
            tier=str(tier).strip() if tier else None,
            owner_email=str(email).strip() if email else None,
        )
