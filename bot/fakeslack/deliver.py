"""Send signed deliveries (events, slash commands, interactions) to an app over HTTP, as Slack does."""

from __future__ import annotations

import json
import secrets
from typing import Any

import aiohttp

from . import payloads
from .signing import FORM, JSON, signed_headers
from .state import Workspace


class Delivery(tuple):
    """What the app answered: unpacks as `(status, body)`.

    Also exposes `.status`, `.body`, `.json()`, and what was sent: `.envelope` (events),
    `.payload` (interactions), `.request_body`, `.request_headers`.
    """

    status: int
    body: str
    envelope: dict[str, Any] | None
    payload: dict[str, Any] | None
    request_body: str
    request_headers: dict[str, str]

    def __new__(
        cls,
        status: int,
        body: str,
        *,
        request_body: bytes | str = "",
        request_headers: dict[str, str] | None = None,
    ) -> Delivery:
        self = super().__new__(cls, (status, body))
        self.status = status
        self.body = body
        self.envelope = None
        self.payload = None
        self.request_body = (
            request_body.decode() if isinstance(request_body, bytes) else request_body
        )
        self.request_headers = dict(request_headers or {})
        return self

    def json(self) -> Any:
        """The app's answer parsed as JSON (None if empty or not JSON)."""
        try:
            return json.loads(self.body) if self.body else None
        except json.JSONDecodeError:
            return None


class SlackDeliverer:
    """Delivers Slack requests to `app_url` (e.g. ``http://127.0.0.1:3000/slack/events``)."""

    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        state: Workspace,
        *,
        response_base: str | None = None,
        timeout: float = 10.0,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.state = state
        self.response_base = response_base
        self.timeout = timeout
        self._session = session
        self._own_session = session is None
        self.sent: list[dict[str, Any]] = []
        self.last_envelope: dict[str, Any] | None = None
        self.last_command_body: str | None = None
        self.last_payload: dict[str, Any] | None = None

    async def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
            self._own_session = True
        return self._session

    async def close(self) -> None:
        """Close the HTTP session if this deliverer created it."""
        if self._session is not None and self._own_session and not self._session.closed:
            await self._session.close()

    async def __aenter__(self) -> SlackDeliverer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def response_url(self) -> str:
        """A fresh response_url (served by the fake when `response_base` is set)."""
        key = f"{self.state.team.id}/{secrets.randbelow(10**13):013d}/{secrets.token_hex(12)}"
        if self.response_base:
            return f"{self.response_base.rstrip('/')}/response/{key.replace('/', '-')}"
        return f"https://hooks.slack.com/commands/{key}"

    # ------------------------------------------------------------------ raw
    async def send_raw(self, body: bytes | str, headers: dict[str, str]) -> Delivery:
        """POST `body` with exactly `headers` (no signing); returns (status, body)."""
        session = await self._get_session()
        data = body.encode() if isinstance(body, str) else body
        async with session.post(self.app_url, data=data, headers=headers) as resp:
            text = await resp.text()
        self.sent.append(
            {"body": body, "headers": headers, "status": resp.status, "response": text}
        )
        return Delivery(resp.status, text, request_body=body, request_headers=headers)

    async def send_signed(
        self,
        body: str,
        content_type: str,
        *,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        timestamp: int | None = None,
    ) -> Delivery:
        """Sign `body` with the signing secret and POST it."""
        headers = signed_headers(
            body,
            self.signing_secret,
            timestamp=timestamp,
            content_type=content_type,
            retry_num=retry_num,
            retry_reason=retry_reason,
        )
        return await self.send_raw(body, headers)

    # ------------------------------------------------------------------ events
    def envelope(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        is_ext_shared_channel: bool | None = None,
    ) -> dict[str, Any]:
        """Wrap `event` in this workspace's event_callback envelope."""
        s = self.state
        if is_ext_shared_channel is None:
            channel = event.get("channel") or (event.get("item") or {}).get("channel")
            ch = s.channels.get(channel) if isinstance(channel, str) else None
            is_ext_shared_channel = bool(ch and ch.is_ext_shared)
        return payloads.event_envelope(
            event,
            team_id=s.team.id,
            api_app_id=s.app_id,
            event_id=event_id,
            is_ext_shared_channel=is_ext_shared_channel,
            bot_user_id=s.bot_user_id,
            enterprise_id=s.enterprise_id,
            authorizations=[payloads.authorization(s.team.id, s.bot_user_id, enterprise_id=s.enterprise_id,
                                                   is_enterprise_install=s.org_install)],
        )

    async def send_envelope(
        self,
        envelope: dict[str, Any],
        *,
        retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> Delivery:
        """POST an already built envelope (JSON), signed."""
        body = json.dumps(envelope)
        result = await self.send_signed(body, JSON, retry_num=retry_num, retry_reason=retry_reason)
        result.envelope = envelope
        return result

    async def send_event(
        self,
        event: dict[str, Any],
        *,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        event_id: str | None = None,
        is_ext_shared_channel: bool | None = None,
    ) -> Delivery:
        """Wrap `event` in an envelope and deliver it. Re-send with the same `event_id` and
        `retry_num=1` to simulate Slack's retry of the same event."""
        envelope = self.envelope(
            event, event_id=event_id, is_ext_shared_channel=is_ext_shared_channel
        )
        self.last_envelope = envelope
        return await self.send_envelope(envelope, retry_num=retry_num, retry_reason=retry_reason)

    async def resend_last(
        self, *, retry_num: int = 1, retry_reason: str = "http_timeout"
    ) -> Delivery:
        """Re-deliver the last event envelope (same event_id) as Slack's retry N would."""
        if self.last_envelope is None:
            raise RuntimeError("no event was sent yet")
        return await self.send_envelope(
            self.last_envelope, retry_num=retry_num, retry_reason=retry_reason
        )

    async def send_url_verification(
        self, challenge: str = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    ) -> Delivery:
        """The Request URL handshake; the app must echo the challenge."""
        return await self.send_signed(json.dumps(payloads.url_verification(challenge)), JSON)

    # ------------------------------------------------------------------ commands / interactivity
    async def send_command(
        self,
        command: str,
        text: str,
        *,
        user: str,
        channel: str,
        trigger_id: str | None = None,
        response_url: str | None = None,
    ) -> Delivery:
        """Deliver a slash command from `user` in `channel` (a trigger id is issued if not given)."""
        s = self.state
        u = s.user(user)
        ch = s.channel(channel)
        body = payloads.slash_command_body(
            command if command.startswith("/") else "/" + command,
            text,
            user_id=u.id,
            user_name=u.name,
            channel_id=ch.id,
            channel_name="directmessage" if ch.is_im else ch.name,
            team_id=s.team.id,
            team_domain=s.team.domain,
            api_app_id=s.app_id,
            trigger_id=trigger_id or s.issue_trigger_id(u.id),
            response_url=response_url or self.response_url(),
            enterprise_id=s.enterprise_id,
            is_enterprise_install=s.org_install,
        )
        self.last_command_body = body
        return await self.send_signed(body, FORM)

    async def send_interaction(self, payload: dict[str, Any]) -> Delivery:
        """Deliver an interaction payload (form-encoded `payload=<json>`)."""
        self.last_payload = payload
        result = await self.send_signed(payloads.interactive_body(payload), FORM)
        result.payload = payload
        return result
