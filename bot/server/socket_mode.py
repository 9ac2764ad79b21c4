"""Socket Mode: the same handlers over a WebSocket, for development without a public URL.

Each envelope is stored in the durable inbox before it is acknowledged, exactly like
an HTTP delivery, and then goes through ``Runtime.receive``.
"""

from __future__ import annotations

import logging
import time

from slack_bolt.adapter.socket_mode.async_internals import send_async_response
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.server.intake import BadPayload, envelope
from bot.server.runtime import Runtime

log = logging.getLogger(__name__)


def build_socket_client(runtime: Runtime, app_token: str) -> SocketModeClient:
    client = SocketModeClient(app_token=app_token, web_client=runtime.bolt.client)

    async def on_request(sm: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:

        started = time.time()
        try:
            env = envelope(req.payload)
        except BadPayload as e:
            log.warning("socket: malformed envelope: %s", e)
            await sm.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        if not env.durable and env.kind != "options":
            await sm.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        try:
            resp = await runtime.receive(env)
        except Exception:
            # Not acknowledged: Slack redelivers the envelope.
            log.exception("socket: could not store delivery %s", env.key)
            return
        await send_async_response(sm, req, resp, started)

    client.socket_mode_request_listeners.append(on_request)
    return client
