"""The running bot: Bolt app, durable inbox and worker, shared by HTTP and Socket Mode.

``receive`` is the one door every Slack delivery comes through after its signature has
been checked: it stores the delivery (so a 2xx means stored), then either hands it to
the background worker (events) or runs it at once so its response can go back in the
same request (slash commands and interactions, which Slack never retries). A command
that takes longer than ``INLINE_BUDGET_SECONDS`` is acknowledged empty, and its reply
(or ``SAVED_FOR_RETRY`` if it failed) is posted to its ``response_url`` once, when ready.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.config import Settings
from bot.domain.services import Services
from bot.domain.workspace import org_access
from bot.domain.workspace.replies import is_slack_url
from bot.server.api.accept import API_KIND, API_REMARK, Acceptor
from bot.server.api.filer import Filer
from bot.server.api.remarks import file_stored
from bot.server.backfills import BackfillRunner
from bot.server.bolt_app import build_bolt_app
from bot.server.deferral import Deferred, deferred_of
from bot.server.hooks_out import HookSender
from bot.server.inbox import Inbox
from bot.server.intake import Envelope
from bot.server.intake_hold import Hold
from bot.server.owed import OwedSender
from bot.server.worker import UNAUTHORIZED, Worker
from storage.db import transaction
from storage.repositories import InboxRepository

log = logging.getLogger(__name__)

# Slack waits 3 s for an answer; leave room for the network.
INLINE_BUDGET_SECONDS = 2.5
# How long a command or interaction run inline is reserved from the worker: longer than any
# listener takes, so a slow one is never run twice at once; a crash is redone after it.
INLINE_LEASE_SECONDS = 120.0

# What a person sees when their command hit a bug of ours: it is stored and retried.
SAVED_FOR_RETRY = {
    "response_type": "ephemeral",
    "text": ":warning: Earshot hit a problem handling that. Nothing is lost: it was saved and "
            "will be retried in a moment, and you'll get the answer here.",
}


@dataclass
class Runtime:
    services: Services
    bolt: AsyncApp
    inbox: Inbox
    worker: Worker
    owed: OwedSender
    api: Acceptor  # intake API remarks acknowledged before filing (Prefer: respond-async)
    filer: Filer  # intake API remarks filed before the answer, in group commits
    backfills: BackfillRunner
    hooks: HookSender  # outbound webhooks
    lease_seconds: float = 30.0
    _inline: set[asyncio.Task[Any]] = field(default_factory=set)

    @classmethod
    def create(cls, settings: Settings, *, services: Services | None = None,
               lease_seconds: float | None = None) -> Runtime:
        services = services or Services.create(settings)
        lease_seconds = lease_seconds or settings.inbox_lease_seconds
        bolt = build_bolt_app(services)
        runtime: Runtime

        async def dispatch(payload: dict[str, Any], live: bool) -> BoltResponse:
            return await runtime.dispatch(payload, live=live)

        runtime = cls(
            services=services,
            bolt=bolt,
            inbox=Inbox(services.sessions, engine=services.engine),
            worker=Worker(services.sessions, dispatch, lease_seconds=lease_seconds,
                          idle_poll_seconds=settings.worker_poll_seconds,
                          reinstall_on_event=not settings.oauth,
                          on_access_granted=lambda org, teams: org_access.grant_access(services, org, teams),
                          hold=Hold(API_KIND, max_lag=settings.api_async_max_lag_seconds)),
            owed=OwedSender(services),
            api=Acceptor(services),
            filer=Filer(services),
            backfills=BackfillRunner(services),
            hooks=HookSender(services),
            lease_seconds=lease_seconds,
        )
        runtime.api.on_stored.append(runtime.worker.wake_stored)
        return runtime

    async def start(self, *, worker: bool | None = None) -> None:
        """Start the inbox writer and (unless ``WORKER=separate``) the background worker.

        ``worker`` overrides the setting: True for `earshot worker`, False for a web
        process whose deliveries another process works through.
        """
        self._share_http_session()
        await self.inbox.start()
        await self.api.start()
        await self.filer.start()
        if worker if worker is not None else self.services.settings.worker == "inline":
            await self.worker.start()  # picks up whatever a previous run left unfinished
            await self.owed.start()  # with the worker: what captures still owe Slack
            await self.backfills.start()  # and channel histories being brought in
            await self.hooks.start()  # and outbound webhooks

    async def stop(self, *, grace: float = 10.0) -> None:
        """Stop gracefully, within ``grace`` seconds (docs/durability.md).

        Called once nothing new arrives (the listener or the socket is closed). The worker
        and the outbox start nothing more; the deliveries, commands and Slack calls already
        running finish, and their outcomes are recorded (deliveries finished, owed effects
        cleared), so nothing done is done again; a backfill stops at its next safe point
        (between pages) or sends its summary. Then the inbox stores what is queued, and the
        HTTP session closes. What the grace cuts short is cancelled, named in a warning, and
        redone after its lease; every wait after a cancel is bounded, so this returns within
        ``grace`` and a few seconds whatever a task does.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace

        def left() -> float:
            return max(0.0, deadline - loop.time())

        await asyncio.gather(self.worker.stop(grace=left()), self.owed.stop(grace=left()),
                             self.hooks.stop(grace=left()), self.backfills.stop(grace=left()),
                             self._finish_inline(left))
        # The API's writers answered their last requests before the listener closed.
        await self.filer.stop()
        await self.api.stop()
        await self.inbox.stop(grace=max(left(), 1.0))
        session, self.bolt.client.session = self.bolt.client.session, None
        if session is not None:
            await session.close()

    async def _finish_inline(self, left: Callable[[], float]) -> None:
        """Let commands and interactions run inline, and their late replies, finish."""
        while self._inline and left() > 0:
            await asyncio.wait(set(self._inline), timeout=left())
        for task in list(self._inline):
            log.warning("runtime: %s cut short by the stop", task.get_name())
            task.cancel()

    def _share_http_session(self) -> None:
        """One keep-alive HTTP session for every Web API call of this process.

        Without it the SDK opens a new session, so a new TCP (and TLS) connection, for
        each call: about four per capture. Bolt's per-request clients copy this client's
        session, and so does the outbox, which sends through this client.
        """
        client = self.bolt.client
        if client.session is None or client.session.closed:
            client.session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=client.timeout))

    async def dispatch(self, payload: dict[str, Any], *, live: bool) -> BoltResponse:
        """Run a stored delivery through Bolt (an API remark through the capture path).
        Signatures and tokens were checked on the way in."""
        if payload.get("type") == API_REMARK:
            await file_stored(self.services, payload)
            return BoltResponse(status=200, body="")
        req = AsyncBoltRequest(body=payload, mode="socket_mode", context={"earshot_live": live})
        resp = await self.bolt.async_dispatch(req)
        if self.services.settings.oauth and req.context.get("token") is None and resp.status < 500:
            # Bolt found no installation, or Slack refused its token (revoked, expired): no
            # listener ran. Said to the worker so the delivery is finished with the reason.
            resp.headers[UNAUTHORIZED] = ["1"]
        return resp

    async def receive(self, env: Envelope) -> BoltResponse:
        """Store ``env`` durably, then run or queue it. Raises if it cannot be stored.

        A menu's request for options changes nothing and is answered at once, unstored.
        """
        if env.kind == "options":
            return await self.dispatch(env.payload, live=True)
        if env.kind == "event":
            if await self.inbox.put(env):
                self.worker.wake()
            return BoltResponse(status=200, body="")
        if not await self.inbox.put(env, leased_for=max(self.lease_seconds, INLINE_LEASE_SECONDS)):
            log.info("runtime: repeated delivery %s ignored", env.key)
            return BoltResponse(status=200, body="")
        task = asyncio.create_task(self._run_inline(env))
        self._inline.add(task)
        task.add_done_callback(self._inline.discard)
        done, _ = await asyncio.wait({task}, timeout=INLINE_BUDGET_SECONDS)
        if task in done and not task.cancelled() and task.exception() is None:
            return task.result()
        # Too slow (or failed): acknowledge now; the work goes on (or is retried) after.
        if task not in done and env.kind == "command":
            # The reply can no longer travel in this response: once the listener finishes,
            # it goes through the command's response_url instead. The callback is attached
            # only here, with no await since the wait, so the late reply is sent once.
            task.add_done_callback(lambda t: self._answer_late(env, t))
        return BoltResponse(status=200, body="")

    def _answer_late(self, env: Envelope, task: asyncio.Task[BoltResponse]) -> None:
        body: Any = SAVED_FOR_RETRY
        if not task.cancelled() and task.exception() is None:
            resp = task.result()
            if not resp.body:
                return  # an empty ack: there is nothing to say
            try:
                body = json.loads(resp.body) if isinstance(resp.body, str) else None
            except ValueError:
                body = {"response_type": "ephemeral", "text": resp.body}
            if not isinstance(body, dict):
                return
        late = asyncio.create_task(self._post_response_url(env, body))
        self._inline.add(late)
        late.add_done_callback(self._inline.discard)

    async def _post_response_url(self, env: Envelope, body: dict[str, Any]) -> None:
        url = env.payload.get("response_url")
        if not isinstance(url, str) or not is_slack_url(url, self.services.settings):
            log.warning("runtime: late reply to %s dropped: no response_url on Slack's hosts", env.key)
            return
        try:
            resp = await AsyncWebhookClient(url, timeout=10).send_dict(body)
        except Exception:
            log.exception("runtime: late reply to %s could not be sent", env.key)
            return
        if resp.status_code >= 300:
            log.warning("runtime: late reply to %s refused: %s %s", env.key, resp.status_code, resp.body)
        else:
            log.info("runtime: %s answered late through response_url", env.key)

    async def _run_inline(self, env: Envelope) -> BoltResponse:
        error: str | None = None
        deferred: Deferred | None = None
        try:
            resp = await self.dispatch(env.payload, live=True)
            if (deferred := deferred_of(resp)) is not None:
                resp = BoltResponse(status=200, body="")  # stored: run again at its rate slot
            elif resp.status >= 500:
                error = f"listener failed (status {resp.status})"
        except Exception as e:
            log.exception("runtime: inline dispatch failed team=%s key=%s", env.team_id, env.key)
            error = f"{type(e).__name__}: {e}"
            resp = BoltResponse(status=200, body="")
        try:
            async with transaction(self.services.sessions) as session:
                repo = InboxRepository(session)
                row = await repo.get(env.team_id, env.key[:160])
                if row is not None and deferred is not None:
                    await repo.defer(row.id, until=deferred.until)
                    self.worker.wake_at(deferred.until)
                elif row is not None and error is None:
                    await repo.finish(row.id)
                elif row is not None:
                    await repo.fail(row.id, error=error or "", retry_in=dt.timedelta(seconds=5))
        except Exception:
            # The delivery stays leased; the worker redoes it when the lease expires.
            log.exception("runtime: could not record the outcome of %s", env.key)
        if error is not None and env.kind == "command":
            return BoltResponse(status=200, body=json.dumps(SAVED_FOR_RETRY),
                                headers={"content-type": ["application/json;charset=utf-8"]})
        return resp
