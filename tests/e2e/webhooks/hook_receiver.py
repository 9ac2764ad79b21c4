"""A webhook receiver of our own, answering and verifying as the Standard Webhooks spec says
(https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md,
"Verifying webhook authenticity"): the signed content is ``<webhook-id>.<webhook-timestamp>.<body>``,
the key is the base64 part of the ``whsec_`` secret, the signature HMAC-SHA256 in base64 after
``v1,``, several space-separated signatures are allowed, and a timestamp outside a tolerance
(five minutes) is refused. Written here from the spec, not with the library Earshot signs with,
so a test can catch a mistake in how Earshot uses it."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOLERANCE = 300


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    h = {k.lower(): v for k, v in headers.items()}
    msg_id, stamp, sigs = (
        h.get("webhook-id"),
        h.get("webhook-timestamp"),
        h.get("webhook-signature"),
    )
    if (
        not (msg_id and stamp and sigs)
        or not stamp.isdigit()
        or abs(time.time() - int(stamp)) > TOLERANCE
    ):
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(
        hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    )
    return any(hmac.compare_digest(f"v1,{expected.decode()}", s) for s in sigs.split(" "))


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def msg_id(self) -> str:
        return self.headers.get("webhook-id", "")


@dataclass
class Receiver:
    """``/ok``; ``/fail`` (500); ``/flaky`` (500 for the first ``flaky_failures`` requests);
    ``/slow`` (no answer before the sender's timeout); ``/slowok`` (200 after ``slow_ok``
    seconds); ``/redirect`` (302 to /ok); ``/held`` (500 until ``open`` is set)."""

    flaky_failures: int = 2
    slow_ok: float = 0.3
    received: list[Received] = field(default_factory=list)
    secrets: dict[str, str] = field(default_factory=dict)  # path -> secret, to verify
    open: asyncio.Event = field(default_factory=asyncio.Event)
    base: str = ""
    _runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        got = Received(request.path, {k.lower(): v for k, v in request.headers.items()}, body)
        self.received.append(got)
        secret = self.secrets.get(request.path)
        if secret is not None and not verify(secret, got.headers, body):
            return web.Response(status=401, text="bad signature")
        path = request.path
        if path == "/fail":
            return web.Response(status=500)
        if path == "/flaky":
            return web.Response(
                status=500 if len(self.at("/flaky")) <= self.flaky_failures else 204
            )
        if path == "/slow":
            await asyncio.sleep(30)
        if path == "/slowok":
            await asyncio.sleep(self.slow_ok)
        if path == "/redirect":
            raise web.HTTPFound("/ok")
        if path == "/held" and not self.open.is_set():
            return web.Response(status=503)
        return web.Response(status=200, text="ok")

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_route("POST", "/{tail:.*}", self.handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()
