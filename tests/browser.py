"""A real browser for tests: Debian's headless Chromium, driven over the Chrome DevTools
Protocol (https://chromedevtools.github.io/devtools-protocol/) with aiohttp's WebSocket client,
so no browser-automation package is needed. .ci/run installs Chromium (`apt-get install
chromium`); where it is missing the browser tests are skipped, saying so."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import shutil
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("no Chromium here: `apt-get install -y chromium` (.ci/run does) to run the browser tests")
    return path


class Page:
    """One tab: navigate, evaluate JavaScript, screenshot."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        n = next(self.ids)
        await self.ws.send_json({"id": n, "method": method, "params": params})
        while True:
            msg = await asyncio.wait_for(self.ws.receive_json(), timeout=30)
            if msg.get("id") == n:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result") or {}

    async def js(self, expression: str) -> Any:
        res = await self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in res:
            raise RuntimeError(f"{expression}: {res['exceptionDetails']}")
        return res["result"].get("value")

    async def loaded(self, path: str, *, timeout: float = 20) -> str:
        """Wait until the page at ``path`` (a URL path) has loaded; its URL."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(RuntimeError):  # a navigation in progress
                state = await self.js("[location.pathname, document.readyState, location.href]")
                if state and state[0] == path and state[1] == "complete":
                    return str(state[2])
            await asyncio.sleep(0.05)
        raise AssertionError(f"{path} did not load within {timeout}s (at {await self.js('location.href')})")

    async def goto(self, url: str, path: str) -> str:
        await self.send("Page.navigate", url=url)
        return await self.loaded(path)

    async def screenshot(self, to: Path) -> None:
        """The whole page as a PNG."""
        height = await self.js("Math.ceil(document.documentElement.scrollHeight)")
        await self.send("Emulation.setDeviceMetricsOverride", width=1000, height=int(height),
                        deviceScaleFactor=1, mobile=False)
        shot = await self.send("Page.captureScreenshot", format="png")
        to.write_bytes(base64.b64decode(shot["data"]))
        await self.send("Emulation.clearDeviceMetricsOverride")


@contextlib.asynccontextmanager
async def browser(profile: Path) -> AsyncIterator[Page]:
    """Headless Chromium with a fresh profile, and its first tab."""
    proc = subprocess.Popen(
        [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
         "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
         f"--user-data-dir={profile}", "--window-size=1000,800", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError("Chromium did not start")
            await asyncio.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as r:
                tabs = [t for t in json.loads(await r.text()) if t.get("type") == "page"]
            async with http.ws_connect(tabs[0]["webSocketDebuggerUrl"], max_msg_size=64 * 1024 * 1024) as ws:
                page = Page(ws)
                await page.send("Page.enable")
                yield page
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
