"""Slack's Socket Mode, stood in: `apps.connections.open` hands out a WebSocket URL on this
server; envelopes are pushed to the connected app, which must acknowledge each by
`envelope_id` (optionally with a response payload)."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any

from aiohttp import WSMsgType, web


class FakeSocketMode:
    """The WebSocket side of Socket Mode; `send()` pushes one envelope and awaits its ack."""

    def __init__(self, app_id: str, *, app_token: str = "xapp-1-test") -> None:
        self.app_id = app_id
        self.app_token = app_token
        self.connections: list[web.WebSocketResponse] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self._waiters: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._connected = asyncio.Event()

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/socket-mode/link", self._handle)

    def open_connection(self, base_url: str, token: str | None) -> dict[str, Any]:
        """What `apps.connections.open` answers (Slack wants the app-level token here)."""
        if token != self.app_token:
            return {"ok": False, "error": "invalid_auth"}
        ws = base_url.replace("http://", "ws://", 1)
        return {"ok": True, "url": f"{ws}/socket-mode/link?ticket={secrets.token_hex(8)}"}

    async def wait_connected(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def send(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0,
                   timeout: float = 10.0) -> dict[str, Any]:
        """Push an envelope (`events_api`, `slash_commands`, `interactive`); return the app's ack."""
        await self.wait_connected(timeout)
        envelope_id = secrets.token_hex(16)
        envelope = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            envelope.update(retry_attempt=retry_attempt, retry_reason="timeout" if retry_attempt else "")
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiters[envelope_id] = fut
        await self.connections[-1].send_str(json.dumps(envelope))
        return await asyncio.wait_for(fut, timeout)

    async def close(self) -> None:
        for ws in list(self.connections):
            await ws.close()

    async def _handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.connections.append(ws)
        await ws.send_str(json.dumps({
            "type": "hello", "num_connections": len(self.connections),
            "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.app_id},
        }))
        self._connected.set()
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                ack = json.loads(msg.data)
                envelope_id = ack.get("envelope_id")
                if envelope_id:
                    self.acks[envelope_id] = ack
                    fut = self._waiters.pop(envelope_id, None)
                    if fut is not None and not fut.done():
                        fut.set_result(ack)
        finally:
            self.connections.remove(ws)
            if not self.connections:
                self._connected.clear()
        return ws
