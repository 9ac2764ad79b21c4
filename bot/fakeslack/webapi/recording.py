"""What the fake Web API heard and how it misbehaves: recorded calls, injected failures, latency.

`CallLog` is the part of `FakeWebAPI` tests talk to: `calls`, `calls_to`, `last`,
`wait_for`; `fail_next`, `fail_always`, `reset_failures`; `slow_down`.
"""

from __future__ import annotations

import asyncio
import copy
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class RecordedCall:
    """One request the fake received, and what it answered."""

    method: str
    params: dict[str, Any]
    response: dict[str, Any]
    status: int
    at: float
    headers: dict[str, str] = field(default_factory=dict)
    team_id: str | None = None  # the workspace of the token used (None: refused, or no token)
    # The client's "host:port": calls sharing one keep-alive connection share it.
    peer: str = ""

    @property
    def ok(self) -> bool:
        """True when the call succeeded (`ok: true`)."""
        return bool(self.response.get("ok"))


@dataclass
class InjectedFailure:
    """A failure `fail_next`/`fail_always` queued for one method."""

    error: str
    status: int
    retry_after: int | None
    remaining: int | None  # None: forever


@dataclass
class RateLimit:
    """Slack's per-method, per-workspace limit (docs.slack.dev/apis/web-api/rate-limits): over
    `per_minute` calls in any 60 seconds, Slack answers HTTP 429 with `Retry-After` (seconds)
    and `{"ok": false, "error": "ratelimited"}`. `clock` is seconds (time.monotonic unless a
    bench simulates time); `window` shortens Slack's minute for tests that cannot wait one."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    seen: dict[str, deque[float]] = field(default_factory=dict)
    window: float = 60.0

    def retry_after(self, team_id: str) -> int | None:
        """None: the call goes through (and is counted); else the seconds to wait."""
        now = self.clock()
        window = self.seen.setdefault(team_id, deque())
        while window and window[0] <= now - self.window:
            window.popleft()
        if len(window) >= self.per_minute:
            return max(1, math.ceil(window[0] + self.window - now))
        window.append(now)
        return None


class CallLog:
    """Recording, failure injection and latency; mixed into the Web API core."""

    calls: list[RecordedCall]
    _failures: dict[str, list[InjectedFailure]]
    latency: dict[str, float]
    rate_limits: dict[str, RateLimit]

    def rate_limit(self, method: str, per_minute: int | None, *,
                   clock: Callable[[], float] = time.monotonic, window: float = 60.0) -> None:
        """Enforce Slack's rate limit on `method` (e.g. Tier 3: 50 a minute); None lifts it.
        `window`: the "minute" in seconds (a test's shortened one)."""
        if per_minute is None:
            self.rate_limits.pop(method, None)
        else:
            self.rate_limits[method] = RateLimit(per_minute, clock, window=window)

    # ------------------------------------------------------------------ recording
    def calls_to(self, method: str) -> list[RecordedCall]:
        """All recorded calls of `method`, oldest first."""
        return [c for c in self.calls if c.method == method]

    def last(self, method: str) -> RecordedCall | None:
        """The latest recorded call of `method` (or None)."""
        calls = self.calls_to(method)
        return calls[-1] if calls else None

    def clear_calls(self) -> None:
        """Forget recorded calls."""
        self.calls.clear()

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented API
        *,
        where: Callable[[RecordedCall], bool] | None = None,
    ) -> list[RecordedCall]:
        """Wait until at least `count` calls of `method` (matching `where`) were recorded.

        Returns the matching calls; raises `TimeoutError` listing what was called.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            matching = [c for c in self.calls_to(method) if where is None or where(c)]
            if len(matching) >= count:
                return matching
            if asyncio.get_running_loop().time() >= deadline:
                seen = ", ".join(c.method for c in self.calls[-20:]) or "nothing"
                raise TimeoutError(
                    f"expected {count} call(s) to {method}, got {len(matching)} within {timeout}s; "
                    f"recent calls: {seen}"
                )
            await asyncio.sleep(0.005)

    # ------------------------------------------------------------------ failures
    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail.

        `error="ratelimited"` answers HTTP 429 with `Retry-After: <retry_after>` and body
        `{"ok": false, "error": "ratelimited"}`; any other error answers 200 with
        `{"ok": false, "error": error}`. `status` overrides the HTTP status (e.g. 500).
        """
        code = status if status is not None else (429 if error == "ratelimited" else 200)
        self._failures.setdefault(method, []).append(
            InjectedFailure(error, code, retry_after, times)
        )

    def fail_always(
        self, method: str, error: str, *, status: int | None = None, retry_after: int = 1
    ) -> None:
        """Make every call of `method` fail until `reset_failures()`."""
        code = status if status is not None else (429 if error == "ratelimited" else 200)
        self._failures.setdefault(method, []).append(
            InjectedFailure(error, code, retry_after, None)
        )

    def reset_failures(self, method: str | None = None) -> None:
        """Drop injected failures (of one method, or all)."""
        if method is None:
            self._failures.clear()
        else:
            self._failures.pop(method, None)

    def _take_failure(self, method: str) -> InjectedFailure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        if failure.remaining is not None:
            failure.remaining -= 1
            if failure.remaining <= 0:
                queue.pop(0)
        return failure

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        response: dict[str, Any],
        status: int,
        request: web.Request,
    ) -> None:
        loggable = {k: v for k, v in params.items() if k != "token"}
        self.calls.append(
            RecordedCall(
                method=method,
                params=copy.deepcopy(loggable),
                response=copy.deepcopy(response),
                status=status,
                at=time.time(),
                headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
                peer=_peer(request),
            )
        )

    def slow_down(self, method: str, seconds: float) -> None:
        """Answer `method` only after `seconds` (0 removes it): a slow Slack, for crash tests."""
        if seconds > 0:
            self.latency[method] = seconds
        else:
            self.latency.pop(method, None)


def _peer(request: web.Request) -> str:
    peername = request.transport.get_extra_info("peername") if request.transport else None
    return f"{peername[0]}:{peername[1]}" if peername else ""
