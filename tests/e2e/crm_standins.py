"""Stand-ins for HubSpot and Salesforce: aiohttp servers on local ports that answer as each
documents, with the knobs a test needs (page size, a rate limit, a token revoked mid-sync).

HubSpot, each shape from its documentation:
* companies list: https://developers.hubspot.com/docs/api/crm/companies (GET
  /crm/v3/objects/companies: ``results``, ``paging.next.after``/``link``, absent on the last page);
* owners: https://developers.hubspot.com/docs/api/crm/owners (GET /crm/v3/owners/{ownerId});
* 429 and its headers: https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details
  (``X-HubSpot-RateLimit-Interval-Milliseconds``/``-Max``/``-Remaining``, body ``errorType
  RATE_LIMIT``, ``policyName TEN_SECONDLY_ROLLING``);
* 401: https://developers.hubspot.com/docs/api/error-handling (``category INVALID_AUTHENTICATION``).

Salesforce:
* token: https://help.salesforce.com/s/articleView?id=sf.connected_app_client_credentials_setup.htm
  and https://developer.salesforce.com/docs/platform/api-rest/guide/intro_oauth_and_connected_apps.html
  (POST /services/oauth2/token grant_type=client_credentials → access_token, instance_url;
  400 ``{"error": "invalid_client", "error_description"}``);
* query and paging: https://developer.salesforce.com/docs/platform/api-rest/guide/dome-query.html
  and .../resources-query.html (``totalSize``, ``done``, ``nextRecordsUrl``, ``records`` with
  ``attributes``; relationship fields as nested objects, ``Owner: {"Email"}``);
* errors: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
  (``[{"message", "errorCode"}]``: 401 INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


class _Server:
    def __init__(self) -> None:
        self.app = web.Application()
        self.runner: web.AppRunner | None = None
        self.url = ""
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # (method, path, query)

    async def __aenter__(self) -> Any:
        self.runner = web.AppRunner(self.app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: Any) -> None:
        assert self.runner is not None
        await self.runner.cleanup()


@dataclass
class HubSpotCompany:
    id: str
    name: str
    domain: str = ""
    annualrevenue: str = ""  # HubSpot returns every property as a string ("" or null when empty)
    lifecyclestage: str = "customer"
    owner_id: str = ""
    currency: str = ""  # a custom property "currency" (HUBSPOT_CURRENCY_PROPERTY=currency)


@dataclass
class HubSpotStandIn(_Server):
    token: str = "pat-na1-11111111-2222-3333-4444-555555555555"
    companies: list[HubSpotCompany] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)  # owner id -> email
    page_size: int = 100
    rate_limit_requests: set[int] = field(
        default_factory=set
    )  # answer the Nth companies request 429
    revoke_on_page: int | None = None  # the token stops working when this page is asked for

    def __post_init__(self) -> None:
        _Server.__init__(self)
        self.company_requests = 0
        self.pages_served = 0
        self.app.router.add_get("/crm/v3/objects/companies", self.list_companies)
        self.app.router.add_get("/crm/v3/owners/{owner_id}", self.owner)

    def _unauthorised(self, request: web.Request) -> web.Response | None:
        if request.headers.get("Authorization") == f"Bearer {self.token}":
            return None
        return web.json_response(
            {
                "status": "error",
                "message": "Authentication credentials not found. This API supports OAuth 2.0 authentication "
                "and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                "correlationId": str(uuid.uuid4()),
                "category": "INVALID_AUTHENTICATION",
            },
            status=401,
        )

    async def list_companies(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path, dict(request.query)))
        self.company_requests += 1
        if self.company_requests in self.rate_limit_requests:
            return web.json_response(
                {
                    "status": "error",
                    "message": "You have reached your ten_secondly_rolling limit.",
                    "errorType": "RATE_LIMIT",
                    "correlationId": str(uuid.uuid4()),
                    "policyName": "TEN_SECONDLY_ROLLING",
                    "groupName": "publicapi:private-app:1234:56789",
                },
                status=429,
                headers={
                    "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
                    "X-HubSpot-RateLimit-Max": "100",
                    "X-HubSpot-RateLimit-Remaining": "0",
                },
            )
        start = int(request.query.get("after") or 0)
        if self.revoke_on_page is not None and start // self.page_size + 1 >= self.revoke_on_page:
            self.token = "revoked"
        if (denied := self._unauthorised(request)) is not None:
            return denied
        limit = min(int(request.query.get("limit") or 10), 100, self.page_size)
        wanted = [p for p in (request.query.get("properties") or "").split(",") if p]
        chunk = self.companies[start : start + limit]
        results = []
        for c in chunk:
            props = {
                "hubspot_owner_id": c.owner_id or None,
                "name": c.name,
                "domain": c.domain or None,
                "annualrevenue": c.annualrevenue or None,
                "lifecyclestage": c.lifecyclestage or None,
                "currency": c.currency or None,
            }
            shown = {k: props.get(k) for k in wanted}
            shown.update(
                {
                    "createdate": "2025-01-02T10:00:00.000Z",
                    "hs_object_id": c.id,
                    "hs_lastmodifieddate": "2025-06-01T10:00:00.000Z",
                }
            )
            results.append(
                {
                    "id": c.id,
                    "properties": shown,
                    "createdAt": "2025-01-02T10:00:00.000Z",
                    "updatedAt": "2025-06-01T10:00:00.000Z",
                    "archived": False,
                }
            )
        body: dict[str, Any] = {"results": results}
        if start + limit < len(self.companies):
            after = str(start + limit)
            body["paging"] = {
                "next": {
                    "after": after,
                    "link": f"{self.url}/crm/v3/objects/companies?after={after}",
                }
            }
        self.pages_served += 1
        return web.json_response(body)

    async def owner(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path, dict(request.query)))
        if (denied := self._unauthorised(request)) is not None:
            return denied
        owner_id = request.match_info["owner_id"]
        email = self.owners.get(owner_id)
        if email is None:
            return web.json_response(
                {
                    "status": "error",
                    "message": "Resource not found",
                    "correlationId": str(uuid.uuid4()),
                    "category": "OBJECT_NOT_FOUND",
                },
                status=404,
            )
        return web.json_response(
            {
                "id": owner_id,
                "email": email,
                "type": "PERSON",
                "firstName": "Ann",
                "lastName": "Owner",
                "userId": 9000 + int(owner_id) % 1000,
                "userIdIncludingInactive": 9000 + int(owner_id) % 1000,
                "createdAt": "2024-01-01T00:00:00Z",
                "updatedAt": "2024-01-01T00:00:00Z",
                "archived": False,
            }
        )


@dataclass
class Account:
    id: str
    name: str
    website: str | None = None
    annual_revenue: float | None = None
    type: str | None = "Customer - Direct"
    owner_email: str | None = None
    currency: str = "USD"


@dataclass
class SalesforceStandIn(_Server):
    client_id: str = "3MVG9_stand_in_consumer_key"
    client_secret: str = "stand-in-consumer-secret"
    accounts: list[Account] = field(default_factory=list)
    batch: int = 2000
    expire_on_page: int | None = None  # the current token expires (INVALID_SESSION_ID) at this page
    revoke_on_page: int | None = (
        None  # the app's access is revoked at this page: no new token either
    )
    limit_exceeded: bool = False

    def __post_init__(self) -> None:
        _Server.__init__(self)
        self.tokens: set[str] = set()
        self.fields: list[str] = []
        self.token_requests = 0
        self.pages_served = 0
        self.revoked = False
        self.app.router.add_post("/services/oauth2/token", self.token)
        self.app.router.add_get("/services/data/{version}/query", self.query)
        self.app.router.add_get("/services/data/{version}/query/{locator}", self.query_more)

    async def token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        form = await request.post()
        if (
            form.get("grant_type") != "client_credentials"
            or form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
            or self.revoked
        ):
            return web.json_response(
                {"error": "invalid_client", "error_description": "invalid client credentials"},
                status=400,
            )
        token = f"00D5g000004XXXX!{uuid.uuid4().hex}"
        self.tokens.add(token)
        return web.json_response(
            {
                "access_token": token,
                "signature": "c2lnbmF0dXJl",
                "scope": "api",
                "instance_url": self.url,
                "id": f"{self.url}/id/00D5g000004XXXX/0055g00000AAAA",
                "token_type": "Bearer",
                "issued_at": "1764000000000",
            }
        )

    def _refused(self, request: web.Request, page: int) -> web.Response | None:
        if self.revoke_on_page is not None and page >= self.revoke_on_page:
            self.revoked, self.tokens = True, set()
        if self.expire_on_page is not None and page == self.expire_on_page:
            self.tokens, self.expire_on_page = set(), None
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self.tokens:
            return web.json_response(
                [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}],
                status=401,
            )
        if self.limit_exceeded:
            return web.json_response(
                [
                    {
                        "message": "TotalRequests Limit exceeded.",
                        "errorCode": "REQUEST_LIMIT_EXCEEDED",
                    }
                ],
                status=403,
            )
        return None

    def _page(self, version: str, locator: str, start: int) -> dict[str, Any]:
        chunk = self.accounts[start : start + self.batch]
        records = []
        for a in chunk:
            record: dict[str, Any] = {
                "attributes": {
                    "type": "Account",
                    "url": f"/services/data/{version}/sobjects/Account/{a.id}",
                },
                "Id": a.id,
                "Name": a.name,
                "Website": a.website,
                "AnnualRevenue": a.annual_revenue,
                "Type": a.type,
                "Owner": {
                    "attributes": {
                        "type": "User",
                        "url": f"/services/data/{version}/sobjects/User/005X",
                    },
                    "Email": a.owner_email,
                },
            }
            if "CurrencyIsoCode" in self.fields:
                record["CurrencyIsoCode"] = a.currency
            records.append(record)
        body: dict[str, Any] = {
            "totalSize": len(self.accounts),
            "done": start + self.batch >= len(self.accounts),
            "records": records,
        }
        if not body["done"]:
            body["nextRecordsUrl"] = (
                f"/services/data/{version}/query/{locator}-{start + self.batch}"
            )
        self.pages_served += 1
        return body

    async def query(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path, dict(request.query)))
        if (refused := self._refused(request, 1)) is not None:
            return refused
        soql = request.query.get("q", "")
        head, _, tail = soql.partition(" FROM ")
        if not head.startswith("SELECT ") or not tail.startswith("Account"):
            return web.json_response(
                [{"message": "unexpected token", "errorCode": "MALFORMED_QUERY"}], status=400
            )
        self.fields = [f.strip() for f in head.removeprefix("SELECT ").split(",")]
        return web.json_response(self._page(request.match_info["version"], "01gD0000002HU6KIAW", 0))

    async def query_more(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path, dict(request.query)))
        locator, _, start = request.match_info["locator"].rpartition("-")
        if (refused := self._refused(request, int(start) // self.batch + 1)) is not None:
            return refused
        return web.json_response(self._page(request.match_info["version"], locator, int(start)))
