"""What the read API's end-to-end tests share: tokens with scopes, signed-in GETs and
POSTs, and reading every page of a list (docs/api.md)."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.domain.workspace import api_tokens
from storage.models import utcnow
from tests.e2e.queries import ALICE, TEAM

OTHER = "T0OTHER01"


async def token(
    db, name: str = "reader", *, scopes: str = "read", team: str = TEAM, rate: int = 600
) -> str:
    made = await api_tokens.create(
        db, team, name, by=ALICE, at=utcnow(), rate_per_minute=rate, scopes=scopes
    )
    return made.token


async def get(bot, path: str, tok: str | None, **query: Any) -> tuple[int, dict[str, str], Any]:
    headers = {"Authorization": f"Bearer {tok}"} if tok is not None else {}
    async with (
        aiohttp.ClientSession() as http,
        http.get(
            f"{bot.base_url}{path}", headers=headers, params={k: str(v) for k, v in query.items()}
        ) as r,
    ):
        return r.status, dict(r.headers), await r.json(content_type=None)


async def post(bot, body: dict[str, Any], tok: str, **headers: str) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{bot.base_url}/api/v1/remarks",
            json=body,
            headers={"Authorization": f"Bearer {tok}", **headers},
        ) as r,
    ):
        return r.status, await r.json(content_type=None)


async def every(
    bot, tok: str, path: str = "/api/v1/remarks", *, between=None, **query: Any
) -> list[dict]:
    """Every item, page after page; ``between`` runs after each page (remarks arriving)."""
    out: list[dict] = []
    cursor = None
    for page in range(100):
        status, _, body = await get(
            bot, path, tok, **query, **({"cursor": cursor} if cursor else {})
        )
        assert status == 200, body
        out += body["items"]
        cursor = body["next_cursor"]
        assert body["has_more"] == (cursor is not None)
        if cursor is None:
            return out
        if between is not None:
            await between(page)
    raise AssertionError("paging did not end")


def fields(answer: dict[str, Any]) -> set[str]:
    return {e["field"] for e in answer.get("errors", [])}
