"""One HTTP call to a CRM with the retries every CRM deserves: a network error or a 5xx is
tried again a few times; a rate limit waits as long as the CRM says (capped). Tokens go in
headers only, never in a log line or an error message."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.domain.customers.crm.records import CrmError

log = logging.getLogger(__name__)

ATTEMPTS = 5
TIMEOUT = aiohttp.ClientTimeout(total=30)
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any  # parsed JSON, or the text when it is not JSON
    headers: Mapping[str, str]


async def call(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    what: str,
    wait_for: Callable[[Answer], float | None],
    max_wait: float,
    sleep: Sleep = asyncio.sleep,
    **kwargs: Any,
) -> Answer:
    """The CRM's answer to a request; ``wait_for(answer)`` says how long a rate-limited answer
    asks us to wait (None: not rate-limited). Raises CrmError after the last attempt."""
    problem = ""
    for attempt in range(ATTEMPTS):
        try:
            async with session.request(method, url, timeout=TIMEOUT, **kwargs) as resp:
                text = await resp.text()
                try:
                    body: Any = json.loads(text) if text else None
                except ValueError:
                    body = text
                answer = Answer(resp.status, body, dict(resp.headers))
        except (aiohttp.ClientError, TimeoutError, OSError) as e:
            problem = f"{what}: cannot reach the CRM ({type(e).__name__})"
            await sleep(min(2.0**attempt, max_wait))
            continue
        wait = wait_for(answer)
        if wait is not None:
            problem = f"{what}: still rate-limited after {ATTEMPTS} tries"
            log.info("crm: %s rate-limited; waiting %.1fs", what, min(wait, max_wait))
            await sleep(min(wait, max_wait))
            continue
        if answer.status >= 500:
            problem = f"{what}: the CRM answered {answer.status}"
            await sleep(min(2.0**attempt, max_wait))
            continue
        return answer
    raise CrmError(problem)


def header_float(headers: Mapping[str, str], name: str) -> float | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            try:
                return float(value)
            except ValueError:
                return None
    return None
