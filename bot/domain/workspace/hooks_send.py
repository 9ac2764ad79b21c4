"""Sending outbound webhooks: claim what is due, post it signed, record the outcome.

* At least once: a delivery is deleted only after a 2xx (or when given up, a day after its
  event, with an error log). A process that dies mid-send leaves it leased; the lease runs
  out and another pass sends it again, with the same ``webhook-id`` for the receiver to
  de-duplicate. The lease is renewed while a slow receiver is waited on, so two processes
  never send the same attempt at once.
* In order: a remark's (or an improvement's) next event is claimed only once the one
  before it is gone, for each subscription.
* A failure is any answer but 2xx: a 3xx (redirects are not followed), a 4xx or 5xx, no
  answer within ``WEBHOOKS_TIMEOUT_SECONDS``, a refused address. Retries wait
  ``WEBHOOKS_RETRY_SECONDS`` doubling to at most an hour.
* After ``WEBHOOKS_PAUSE_AFTER_FAILURES`` failed attempts in a row a subscription is paused
  (its deliveries wait, capped by ``hooks_events.emit``) and its creator gets one DM, through
  the outbox. A ping (``hooks out test``) still goes to a paused subscription, and whoever
  asked for it hears how it went (bot.domain.workspace.hooks_ping).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp
from aiohttp.abc import AbstractResolver

from bot.domain.services import Services
from bot.domain.workspace import hooks_ping, outbox
from bot.domain.workspace.hooks_guard import GuardedResolver, Refused, Rules, check_url
from bot.domain.workspace.hooks_sign import body, headers, signing_secrets
from bot.slack.mrkdwn import md
from storage.db import transaction
from storage.leases import kept
from storage.models import WebhookDelivery, WebhookSubscription
from storage.repositories.effects import Owed
from storage.repositories.webhooks import WebhookRepository

log = logging.getLogger(__name__)

MAX_BACKOFF = dt.timedelta(hours=1)


def rules_of(services: Services) -> Rules:
    s = services.settings
    return Rules(allow_http=s.webhooks_allow_http, allow_private=s.webhooks_allow_private)


def http_session(rules: Rules, dns: AbstractResolver | None = None) -> aiohttp.ClientSession:
    """A client whose every connection goes to an address the guard checked just before."""
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(rules, dns), use_dns_cache=False)
    return aiohttp.ClientSession(connector=connector, trust_env=False)


def keys(sub: WebhookSubscription, now: dt.datetime) -> list[str]:
    # getattr: a stand-in subscription (tests, tools) may have no rotation fields.
    return signing_secrets(
        sub.secret,
        getattr(sub, "previous_secret", None),
        getattr(sub, "previous_until", None),
        now,
    )


async def post(
    http: aiohttp.ClientSession,
    sub: WebhookSubscription,
    *,
    msg_id: str,
    event_type: str,
    at: dt.datetime,
    data: dict[str, object],
    now: dt.datetime,
    rules: Rules,
    timeout: float,
) -> str | None:
    """Post one signed event; None if the receiver took it (2xx), else why not."""
    payload = body(event_type, at, data)
    try:
        url = check_url(sub.url, rules)  # an IP literal never reaches the resolver
        async with http.post(
            url,
            data=payload,
            headers=headers(keys(sub, now), msg_id, now, payload),
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as resp:
            if 200 <= resp.status < 300:
                return None
            if 300 <= resp.status < 400:
                return f"HTTP {resp.status} (redirects are not followed)"
            return f"HTTP {resp.status}"
    except Refused as e:
        return f"refused: {e}"
    except TimeoutError:
        return f"no answer within {timeout:g}s"
    except (aiohttp.ClientError, OSError) as e:
        return f"{type(e).__name__}: {e}"[:200]


def payload_of(d: WebhookDelivery) -> dict[str, object]:
    data = json.loads(d.data)
    if d.text is not None and isinstance(data.get("remark"), dict):
        data["remark"]["text"] = d.text
    return data


def backoff(services: Services, attempts: int) -> dt.timedelta:
    first = services.settings.webhooks_retry_seconds
    return min(MAX_BACKOFF, dt.timedelta(seconds=first * 2 ** min(max(0, attempts - 1), 20)))


def paused_notice(sub: WebhookSubscription) -> dict[str, str]:
    text = md(
        ":pause_button: Earshot paused the webhook to `{}` (#{}): its last {} deliveries failed "
        "(last: {}). Events wait for it. Fix the receiver, then `/feedback hooks out resume {}`.",
        sub.url,
        sub.id,
        sub.failures,
        sub.last_error or "unknown",
        sub.id,
    )
    return {"text": str(text)}


@dataclass
class Sender:
    """One process's sender; ``run_once`` is a pass (the server's loop calls it)."""

    services: Services
    limit: int = 20

    def __post_init__(self) -> None:
        self.owner = "hooks-" + secrets.token_hex(8)
        self.rules = rules_of(self.services)
        self._http: aiohttp.ClientSession | None = None

    @property
    def lease(self) -> dt.timedelta:
        return dt.timedelta(seconds=max(30.0, 3 * self.services.settings.webhooks_timeout_seconds))

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def run_once(self) -> int:
        """Claim and send what is due; returns how many were claimed."""
        return len(await self.send())

    async def send_now(self, delivery_id: int) -> hooks_ping.Outcome | None:
        """Send that one delivery now (a ping from the terminal); None if it is not claimable
        (another process is sending it, or it is gone)."""
        for d, error, took in await self.send(only=delivery_id):
            return hooks_ping.Outcome(error, d.attempts, took)
        return None

    async def send(
        self, *, only: int | None = None
    ) -> list[tuple[WebhookDelivery, str | None, float]]:
        """Claim and send what is due (or only that delivery): each with its error (None:
        taken) and how long the receiver took, in ms."""
        async with transaction(self.services.sessions) as session:
            claimed = await WebhookRepository(session).claim_due(
                now=self.services.clock(),
                lease=self.lease,
                owner=self.owner,
                limit=self.limit,
                only=only,
            )
        if not claimed:
            return []
        if self._http is None:
            self._http = http_session(self.rules)
        http = self._http
        timeout = self.services.settings.webhooks_timeout_seconds
        ids = [d.id for d, _ in claimed]

        async def renew() -> None:
            async with transaction(self.services.sessions) as session:
                await WebhookRepository(session).renew(
                    ids, owner=self.owner, until=self.services.clock() + self.lease
                )

        async def timed(d: WebhookDelivery, s: WebhookSubscription) -> tuple[str | None, float]:
            started = loop.time()
            error = await post(
                http,
                s,
                msg_id=d.msg_id,
                event_type=d.event_type,
                at=d.created_at,
                data=payload_of(d),
                now=self.services.clock(),
                rules=self.rules,
                timeout=timeout,
            )
            return error, (loop.time() - started) * 1000

        loop = asyncio.get_running_loop()
        async with kept(renew, every=self.lease.total_seconds() / 3):
            outcomes = await asyncio.gather(*(timed(d, s) for d, s in claimed))
        errors = [e for e, _ in outcomes]
        await self._record(claimed, errors, [t for _, t in outcomes])
        return [(d, e, t) for (d, _), (e, t) in zip(claimed, outcomes, strict=True)]

    async def _record(
        self,
        claimed: Sequence[tuple[WebhookDelivery, WebhookSubscription]],
        errors: Sequence[str | None],
        took: Sequence[float],
    ) -> None:
        now = self.services.clock()
        pause_after = self.services.settings.webhooks_pause_after_failures
        owed: list[Owed] = []
        rows = sorted(zip(claimed, errors, took, strict=True), key=lambda r: r[0][0].id)
        async with transaction(self.services.sessions) as session:
            repo = WebhookRepository(session)
            # Every transaction that touches both locks deliveries (by id) before their
            # subscription: resume and the event writers do too, so none waits in a circle.
            for (d, sub), error, ms in rows:
                gave_up = error is not None and now >= d.give_up_at
                note = hooks_ping.told(d, sub, error, ms, gave_up=gave_up)
                if note is not None:
                    owed.append(note)
                if error is None:
                    await repo.finish(d.id, owner=self.owner)
                    log.info(
                        "webhooks: team=%s sub=%s %s %s delivered (attempt %d)",
                        d.team_id,
                        sub.id,
                        d.event_type,
                        d.msg_id,
                        d.attempts,
                    )
                    continue
                log.warning(
                    "webhooks: team=%s sub=%s %s %s attempt %d failed: %s",
                    d.team_id,
                    sub.id,
                    d.event_type,
                    d.msg_id,
                    d.attempts,
                    error,
                )
                if now >= d.give_up_at:
                    log.error(
                        "webhooks: team=%s sub=%s giving up on %s %s after %d attempts: %s",
                        d.team_id,
                        sub.id,
                        d.event_type,
                        d.msg_id,
                        d.attempts,
                        error,
                    )
                    await repo.finish(d.id, owner=self.owner)
                else:
                    await repo.retry_later(
                        d.id,
                        owner=self.owner,
                        at=now + backoff(self.services, d.attempts),
                        error=error,
                    )
            # Then each subscription's outcomes, in the order the attempts were made.
            for (d, sub), error, _ in sorted(rows, key=lambda r: r[0][1].id):
                if error is None:
                    await repo.succeeded(sub.id, at=now)
                    continue
                if await repo.failed(sub.id, error=error, pause_after=pause_after, at=now):
                    paused = await repo.get(d.team_id, sub.id)
                    assert paused is not None and paused.paused_at is not None
                    log.error(
                        "webhooks: team=%s sub=%s paused after %d failures",
                        d.team_id,
                        sub.id,
                        paused.failures,
                    )
                    if paused.created_by.startswith(("U", "W")):
                        owed.append(
                            Owed(
                                d.team_id,
                                f"hookpause:{sub.id}:{paused.paused_at.timestamp():.0f}",
                                "chat.postMessage",
                                {"channel": paused.created_by, **paused_notice(paused)},
                            )
                        )
            if owed:
                await outbox.owe(self.services, session, owed)
        for o in owed:  # at once; if this process dies first, the outbox's timer sends it
            client = await self.services.clients.for_team(o.team_id)
            if client is not None:
                await outbox.send(self.services, client, [o])
