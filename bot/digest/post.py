"""Posting a digest exactly once per workspace and period.

1. **Claim** the period in ``digest_runs`` (unique on team and period start). Only the
   claimant posts; the others go away. A claim has a lease; a claimant that crashed is
   taken over once its lease runs out.
2. **Post** with ``chat.postMessage``, tagging the message with metadata naming the
   period. Before any retry or takeover we look for that tag in the channel's recent
   history first, so a post that reached Slack but whose answer we never saw (timeout,
   crash) is recorded instead of posted again.
3. **Retry** rate limits (honouring Retry-After), server errors and network errors with
   exponential backoff; after a few tries the claim is released for a later pass.
   Errors only a person can fix (bot not in channel, channel archived or gone, token
   revoked) end the run as *failed* and DM the admin: no crash loop.
4. The chart goes into the digest's thread with files upload v2; a chart failure never
   undoes or repeats the post.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.digest.build import build_digest, schedule_of
from bot.digest.chart import alt_text, render_chart
from bot.digest.periods import Period, due_period
from bot.digest.render import METADATA_EVENT, digest_message
from bot.domain.services import Services
from bot.domain.workspace import hooks_events
from bot.domain.workspace.clients import Clients, client_for
from bot.domain.workspace.pacing import (
    HISTORY,
    Pacer,
    capture_pace,
)
from storage.db import transaction
from storage.models import DigestRun, Workspace
from storage.repositories.digests import FAILED, POSTED, RETRY, DigestRepository
from storage.repositories.workspaces import WorkspaceRepository

log = logging.getLogger(__name__)

LATE_AFTER = dt.timedelta(minutes=15)
TRANSIENT_ERRORS = frozenset({
    "ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable",
    "request_timeout", "team_added_to_org",
})
FIX_HINTS = {
    "not_in_channel": "I'm not a member of {channel}. Invite me there with `/invite @Earshot`, "
                      "or choose another channel with `/feedback digest channel #channel`.",
    "is_archived": "{channel} was archived. Choose another channel with "
                   "`/feedback digest channel #channel`.",
    "channel_not_found": "I can't see {channel} any more (deleted, or private without me). "
                         "Choose another with `/feedback digest channel #channel`.",
    "no_channel": "no digest channel is set. Choose one with `/feedback digest channel #channel`.",
}


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Outcome:
    status: str  # posted | failed | retry | busy | disabled
    period: Period
    message_ts: str | None = None
    late: bool = False
    error: str | None = None
    empty: bool = False


class DigestPoster:
    def __init__(
        self,
        services: Services,
        clients: Clients,
        *,
        worker: str | None = None,
        lease: dt.timedelta = dt.timedelta(minutes=2),
        max_attempts: int = 5,
        backoff_base: float = 1.0,
        backoff_cap: float = 30.0,
        retry_later: dt.timedelta = dt.timedelta(minutes=5),
        now: Callable[[], dt.datetime] | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.services = services
        self.clients = clients
        self.client: AsyncWebClient | None = None  # the team's, in the copy post() makes
        self.worker = worker or worker_name()
        self.lease = lease
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.retry_later = retry_later
        self.now = now or services.clock
        self.sleep = sleep

    async def post(self, team_id: str, period: Period | None = None, *, force: bool = False) -> Outcome:
        """Post ``team_id``'s digest for ``period`` (default: the latest due) at most once."""
        async with self.services.sessions() as session:
            ws = await WorkspaceRepository(session).get(team_id)
        if ws is None:
            raise LookupError(f"unknown workspace {team_id}")
        client = await client_for(self.clients, team_id)
        if client is None:
            log.info("digest: team=%s is not installed; no digest", team_id)
            return Outcome("disabled", period or due_period(schedule_of(
                ws, self.services.settings.default_timezone), self.now()), error="not_installed")
        # One poster serves every workspace, concurrently: the rest of the work runs on a
        # copy holding this workspace's client.
        team_poster = copy.copy(self)
        team_poster.client = client
        return await team_poster._post_team(ws, team_id, period, force=force)

    async def _post_team(self, ws: Workspace, team_id: str, period: Period | None, *,
                         force: bool) -> Outcome:
        schedule = schedule_of(ws, self.services.settings.default_timezone)
        now = self.now()
        period = period or due_period(schedule, now)
        late = bool(period.slot and now - period.slot > LATE_AFTER)
        async with transaction(self.services.sessions) as session:
            run = await DigestRepository(session).claim(
                team_id, period_start=period.start_at, period_end=period.end_at, by=self.worker,
                now=now, lease=self.lease, late=late, force=force,
            )
        if run is None:
            return Outcome("busy", period)
        log.info("digest: team=%s period=%s claimed by %s (attempt %d, late=%s)",
                 team_id, period.key, self.worker, run.attempts, late)
        return await self._post_claimed(ws, run, period, late=late, takeover=run.attempts > 1 and not force)

    async def _post_claimed(self, ws: Workspace, run: DigestRun, period: Period, *, late: bool,
                            takeover: bool) -> Outcome:
        channel = ws.digest_channel_id
        if not channel:
            return await self._fail(ws, run, period, "no_channel", late)
        digest = await build_digest(self.services.sessions, ws, period,
                                    default_tz=self.services.settings.default_timezone,
                                    capture_emoji=self.services.settings.main_capture_emoji)
        digest.late = late
        message = digest_message(digest)
        metadata = {"event_type": METADATA_EVENT,
                    "event_payload": {"team_id": ws.team_id, "period": period.key}}
        error = "unknown"
        check_first = takeover
        for attempt in range(1, self.max_attempts + 1):
            if not await self._renew(run):
                return Outcome("busy", period)
            if check_first:
                ts = await self._already_posted(ws.team_id, channel, period, since=run.created_at)
                if ts:
                    log.info("digest: team=%s period=%s found already posted (ts=%s)",
                             ws.team_id, period.key, ts)
                    return await self._posted(ws, run, period, channel, ts, late, digest, chart=False)
            check_first = True  # the attempt below may reach Slack even if we see an error
            try:
                resp = await self._client.chat_postMessage(
                    channel=channel, metadata=metadata, unfurl_links=False, unfurl_media=False,
                    **message,
                )
            except SlackApiError as e:
                code = str(e.response.get("error") or "unknown")
                status = int(getattr(e.response, "status_code", 200) or 200)
                if code not in TRANSIENT_ERRORS and status < 500 and status != 429:
                    return await self._fail(ws, run, period, code, late)
                error = code
                delay = self._delay(attempt, e.response.headers.get("Retry-After") if status == 429 else None)
            except (TimeoutError, aiohttp.ClientError, OSError) as e:
                error = f"network: {type(e).__name__}"
                delay = self._delay(attempt, None)
            else:
                return await self._posted(ws, run, period, channel, str(resp["ts"]), late, digest,
                                          chart=True)
            log.warning("digest: team=%s period=%s attempt %d failed (%s); retrying in %.1fs",
                        ws.team_id, period.key, attempt, error, delay)
            async with transaction(self.services.sessions) as session:
                await DigestRepository(session).note_error(run.id, by=self.worker, error=error)
            if attempt < self.max_attempts:
                await self.sleep(delay)
        # Still failing: release the claim so a later pass (any process) tries again.
        async with transaction(self.services.sessions) as session:
            await DigestRepository(session).finish(
                run.id, by=self.worker, status=RETRY, lease_until=self.now() + self.retry_later,
                error=error,
            )
        log.error("digest: team=%s period=%s gave up for now after %d attempts (%s)",
                  ws.team_id, period.key, self.max_attempts, error)
        return Outcome("retry", period, late=late, error=error)

    @property
    def _client(self) -> AsyncWebClient:
        assert self.client is not None, "set by post() on its per-team copy"
        return self.client

    def _delay(self, attempt: int, retry_after: Any) -> float:
        if retry_after is not None:
            try:
                return min(float(retry_after), self.backoff_cap)
            except (TypeError, ValueError):
                pass
        return min(self.backoff_base * 2 ** (attempt - 1), self.backoff_cap)

    async def _renew(self, run: DigestRun) -> bool:
        async with transaction(self.services.sessions) as session:
            return await DigestRepository(session).renew(run.id, by=self.worker,
                                                         until=self.now() + self.lease)

    async def _already_posted(self, team_id: str, channel: str, period: Period, *,
                              since: dt.datetime) -> str | None:
        """The ts of our digest for ``period`` if it is in the channel already.

        The read takes its turn at the workspace's ``conversations.history`` budget like a
        capture (bot.domain.workspace.pacing): a digest waits for its slot (up to a minute
        in the limited mode, well within its lease), and a 429 holds every caller back."""
        pacer = Pacer(self.services.sessions, team_id=team_id, pace=capture_pace(self.services.settings))
        try:
            await pacer.turn(HISTORY)
            resp = await pacer.call(self._client, HISTORY, channel=channel, limit=200,
                                    oldest=f"{since.timestamp() - 300:.6f}", include_all_metadata=True)
        except SlackApiError as e:  # a 429 holds every caller back (Pacer.call)
            log.warning("digest: could not check %s for an earlier post: %s", channel, e)
            return None
        except (TimeoutError, aiohttp.ClientError, OSError) as e:
            log.warning("digest: could not check %s for an earlier post: %s", channel, e)
            return None
        for msg in resp.get("messages") or []:
            meta = msg.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if meta.get("event_type") == METADATA_EVENT and payload.get("period") == period.key:
                return str(msg["ts"])
        return None

    async def _posted(self, ws: Workspace, run: DigestRun, period: Period, channel: str, ts: str,
                      late: bool, digest: Any, *, chart: bool) -> Outcome:
        async with transaction(self.services.sessions) as session:
            if await DigestRepository(session).finish(
                run.id, by=self.worker, status=POSTED, channel_id=channel, message_ts=ts,
                posted_at=self.now(), late=late, error=None, lease_until=None,
            ):
                await hooks_events.emit(self.services, session, ws.team_id, hooks_events.DIGEST_POSTED, {
                    "digest": {"period": period.key, "channel_id": channel, "message_ts": ts, "late": late,
                               "empty": bool(digest.empty)}}, order_key=f"digest:{run.id}", once=True)
        log.info("digest: team=%s period=%s posted to %s ts=%s late=%s", ws.team_id, period.key,
                 channel, ts, late)
        if chart and ws.digest_chart and not digest.empty:
            await self._chart(ws, run, channel, ts, digest)
        return Outcome("posted", period, message_ts=ts, late=late, empty=digest.empty)

    async def _chart(self, ws: Workspace, run: DigestRun, channel: str, ts: str, digest: Any) -> None:

        try:
            png = await asyncio.to_thread(render_chart, digest)
            if png is None:
                return
            await self._client.files_upload_v2(
                channel=channel, thread_ts=ts, file=png,
                filename=f"earshot-digest-{digest.period.key}.png",
                title=f"Praise vs complaints, last {len(digest.periods)} periods",
                alt_txt=alt_text(digest),
            )
        except Exception as e:  # the digest is posted; a missing chart must not repeat it
            problem = (str(e.response.get("error") or "") if isinstance(e, SlackApiError) else "")
            problem = (problem or type(e).__name__)[:64]
            log.warning("digest: team=%s chart upload failed: %s", ws.team_id, problem)
            async with transaction(self.services.sessions) as session:
                await DigestRepository(session).note_error(run.id, by=self.worker,
                                                           error=f"chart: {problem}")
                tell = await WorkspaceRepository(session).note_chart_problem(ws.team_id, problem)
            if tell:
                await self._tell_admins_text(ws, CHART_PROBLEM.format(
                    code=problem, hint=CHART_HINTS.get(problem, "")))
            return
        if ws.chart_problem is not None:
            async with transaction(self.services.sessions) as session:
                await WorkspaceRepository(session).note_chart_problem(ws.team_id, None)

    async def _fail(self, ws: Workspace, run: DigestRun, period: Period, code: str,
                    late: bool) -> Outcome:
        async with transaction(self.services.sessions) as session:
            owned = await DigestRepository(session).finish(
                run.id, by=self.worker, status=FAILED, error=code, lease_until=None,
                channel_id=ws.digest_channel_id,
            )
        log.error("digest: team=%s period=%s failed: %s (channel %s)", ws.team_id, period.key,
                  code, ws.digest_channel_id)
        if owned:
            await self._tell_admins(ws, period, code)
        return Outcome("failed", period, late=late, error=code)

    async def _tell_admins(self, ws: Workspace, period: Period, code: str) -> None:
        channel = f"<#{ws.digest_channel_id}>" if ws.digest_channel_id else "the digest channel"
        hint = FIX_HINTS.get(code, "Slack answered `{code}`.").format(channel=channel, code=code)
        text = (f":warning: I couldn't post the weekly feedback digest for {period.label()}: {hint} "
                "I won't retry this week's digest; the next one goes out as scheduled.")
        await self._tell_admins_text(ws, text)

    async def _tell_admins_text(self, ws: Workspace, text: str) -> None:
        for user in admin_recipients(ws, self.services.settings.listed_admins(ws.team_id)):
            try:
                await self._client.chat_postMessage(channel=user, text=text)
            except (TimeoutError, SlackApiError, aiohttp.ClientError, OSError) as e:
                log.warning("digest: could not DM admin %s: %s", user, e)


CHART_PROBLEM = (":warning: The weekly digest was posted, but I couldn't add its chart to the "
                 "thread: Slack answered `{code}`.{hint} Or turn the chart off with "
                 "`/feedback digest chart off`. I'll tell you again only if the problem changes.")
CHART_HINTS = {
    "missing_scope": " The app needs the `files:write` scope: add it (it is in the manifest) and "
                     "reinstall the app.",
    "not_in_channel": " Invite me to the digest channel.",
}


def admin_recipients(ws: Workspace, configured: list[str]) -> list[str]:
    """Who hears about digest problems: the installing admin, else the workspace's ADMIN_USERS."""
    if ws.installer_user_id:
        return [ws.installer_user_id]
    return configured[:5]
