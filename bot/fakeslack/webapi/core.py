"""The core of the fake Web API: the aiohttp app, parameter parsing, auth and dispatch.

`WebAPICore` answers `/api/{method}` from a table of handlers (filled in by `FakeWebAPI`
from the per-family mixins), plus the file upload URL (`/upload/v1/{key}`), response_url
posts (`/response/{key}`) and Socket Mode's `apps.connections.open`. The helpers at the
bottom are shared by the families: required arguments, channel checks, Block Kit checks.
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import inspect
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ..blockcheck import block_errors
from ..socket_mode import FakeSocketMode
from ..state import SlackError, Workspace
from .recording import CallLog, InjectedFailure, RecordedCall

Params = dict[str, Any]
Handler = Callable[[Params, web.Request], Awaitable[dict[str, Any]] | dict[str, Any]]

_JSON_KEYS = ("blocks", "attachments", "view", "files", "metadata", "actions")


def as_bool(value: Any) -> bool:
    """A form-encoded flag ("true", "1", "yes") or a JSON bool as a bool."""
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("1", "true", "yes")


def as_int(value: Any, default: int) -> int:
    """An integer argument, or `default` when missing or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default



# What a bot token installed from Earshot's manifest is granted (an app may ask for more).
DEFAULT_BOT_SCOPES = (
    "app_mentions:read", "channels:history", "channels:read", "chat:write", "commands",
    "files:write", "groups:history", "groups:read", "im:history", "im:write", "mpim:history",
    "reactions:read", "reactions:write", "team:read", "users:read", "users:read.email",
)

@dataclass
class Grant:
    """A token Slack issued: which workspace (or, org-wide, which organisation) it speaks for."""

    team_id: str | None
    enterprise_id: str | None = None
    expires_at: float | None = None  # token rotation: refused with `token_expired` after
    revoked: bool = False


# The workspace the current request's token belongs to (set per request by `_handle_api`).
_current: contextvars.ContextVar[Workspace | None] = contextvars.ContextVar("fakeslack_team", default=None)


class WebAPICore(CallLog):
    """Serves `/api/{method}` from `self._handlers`. `make_app()` returns the aiohttp application.

    Every token is bound to one workspace (`tokens`); a call is answered from that
    workspace's state only (`state` is the token's workspace during a request), so a token
    of team A asking about team B's channel gets Slack's `channel_not_found`.
    """

    def __init__(self, state: Workspace, *, bot_token: str = "xoxb-test") -> None:
        self._home = state
        self.workspaces: dict[str, Workspace] = {state.team.id: state}
        self.tokens: dict[str, Grant] = {bot_token: Grant(state.team.id, state.enterprise_id)}
        self.bot_token = bot_token
        self.calls: list[RecordedCall] = []
        self._failures: dict[str, list[InjectedFailure]] = {}
        self._upload_keys: dict[str, str] = {}
        self._upload_teams: dict[str, Workspace] = {}
        # called as listener(method, params, response) after every successful call
        self.listeners: list[Callable[[str, Params, dict[str, Any]], None]] = []
        self.latency: dict[str, float] = {}
        self.rate_limits = {}
        # conversations.history's page size cap (999; 15 for an app distributed commercially
        # outside the Marketplace, docs.slack.dev/reference/methods/conversations.history).
        self.history_max = 999
        self.socket_mode = FakeSocketMode(state.app_id)
        self._handlers: dict[str, Handler] = {}
        # The scopes granted to the bot token, reported in every authed response's
        # `x-oauth-scopes` header, as Slack does (tests remove one to see a missing scope).
        self.scopes: list[str] = list(DEFAULT_BOT_SCOPES)
        # Methods that authenticate with the app's client id and secret, not a token.
        self.no_token_methods: set[str] = set()
        # Org-wide installs: the workspaces each organisation's token may act on (granted at
        # install, changed by an org admin: FakeSlack.grant_team_access/revoke_team_access).
        self.org_access: dict[str, set[str]] = {}

    @property
    def state(self) -> Workspace:
        return _current.get() or self._home

    @state.setter
    def state(self, value: Workspace) -> None:
        self._home = value

    def add_workspace(self, ws: Workspace) -> Workspace:
        """Another workspace the app can be installed in (its tokens come from oauth.v2.access)."""
        self.workspaces[ws.team.id] = ws
        return ws

    def workspace_for(self, grant: Grant, params: Params) -> Workspace | None:
        if grant.team_id is not None:
            return self.workspaces.get(grant.team_id)
        # An org-wide token: the workspace named by `team_id`, else the org's first one, of
        # the workspaces it was given access to.
        reach = self.org_access.get(grant.enterprise_id or "", set())
        org = [w for w in self.workspaces.values() if w.enterprise_id == grant.enterprise_id
               and w.team.id in reach]
        wanted = params.get("team_id")
        return next((w for w in org if w.team.id == wanted), org[0] if org else None)

    def oauth_routes(self, app: web.Application) -> None:
        """Filled in by the OAuth family."""

    # ------------------------------------------------------------------ app
    def make_app(self) -> web.Application:
        """The aiohttp application: `/api/{method}`, `/upload/v1/{key}`, `/response/{key}`."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/upload/v1/{key}", self._handle_upload)
        self.socket_mode.routes(app)
        app.router.add_post("/response/{key}", self._handle_response_url)
        self.oauth_routes(app)
        return app

    # ------------------------------------------------------------------ request plumbing
    @staticmethod
    async def _params(request: web.Request) -> Params:
        params: Params = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                try:
                    body = await request.json()
                except json.JSONDecodeError:
                    body = {}
                if isinstance(body, dict):
                    params.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        params[key] = value.file.read()
                    else:
                        params[key] = value
        for key in _JSON_KEYS:
            given = params.get(key)
            if isinstance(given, str) and given[:1] in ("[", "{"):
                try:
                    params[key] = json.loads(given)
                except json.JSONDecodeError:
                    pass
        return params

    @staticmethod
    def _token(request: web.Request, params: Params) -> str | None:
        header = request.headers.get("Authorization", "")
        return header[7:].strip() if header.startswith("Bearer ") else params.get("token")

    def _auth_error(self, request: web.Request, params: Params) -> str | None:
        token = self._token(request, params)
        if not token:
            return "not_authed"
        if request.match_info.get("method") == "apps.connections.open":
            return None  # takes the app-level token; checked by the Socket Mode stand-in
        grant = self.tokens.get(token)
        if grant is None:
            return "invalid_auth"
        if grant.revoked:
            return "token_revoked"
        if grant.expires_at is not None and time.time() >= grant.expires_at:
            return "token_expired"
        ws = self.workspace_for(grant, params)
        wanted = params.get("team_id")
        if grant.team_id is None and wanted and (ws is None or ws.team.id != wanted):
            return "team_access_not_granted"
        if ws is None:
            return "account_inactive"
        _current.set(ws)
        return None

    def apps_connections_open(self, params: Params, request: web.Request) -> dict[str, Any]:
        answer = self.socket_mode.open_connection(
            f"{request.scheme}://{request.host}", self._token(request, params)
        )
        if not answer.pop("ok"):
            raise SlackError(answer["error"])
        return answer

    @staticmethod
    async def _wait_unless_hung_up(request: web.Request, seconds: float) -> bool:
        """Sleep `seconds`; False as soon as the caller's connection is gone (a killed bot),
        so a slowed answer does not hold the stand-in's shutdown for the rest of it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            if request.transport is None or request.transport.is_closing():
                return False
            await asyncio.sleep(min(left, 0.1))
        return True

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        _current.set(None)  # a keep-alive connection serves many requests in one task
        if method in self.latency and not await self._wait_unless_hung_up(request, self.latency[method]):
            return web.Response(status=499)  # the caller went away: Slack never got the request
        params = await self._params(request)
        status = 200
        headers: dict[str, str] = {}
        auth_error = None if method in self.no_token_methods else self._auth_error(request, params)
        failure = None if auth_error else self._take_failure(method)
        limit = self.rate_limits.get(method)
        wait = (limit.retry_after(self.state.team.id)
                if limit is not None and not auth_error and failure is None else None)
        if auth_error:
            response: dict[str, Any] = {"ok": False, "error": auth_error}
        elif wait is not None:
            response, status = {"ok": False, "error": "ratelimited"}, 429
            headers["Retry-After"] = str(wait)
        elif failure is not None:
            response = {"ok": False, "error": failure.error}
            status = failure.status
            if status == 429 and failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
        elif method not in self._handlers:
            response = {"ok": False, "error": "unknown_method", "req_method": method}
        else:
            try:
                answer = self._handlers[method](params, request)
                result: dict[str, Any] = await answer if inspect.isawaitable(answer) else answer
                response = {"ok": True, **result}
            except SlackError as exc:
                response = {"ok": False, "error": exc.error, **exc.extra}
            else:
                for listener in list(self.listeners):
                    listener(method, params, response)
        if not auth_error and method != "apps.connections.open":
            headers["x-oauth-scopes"] = ",".join(self.scopes)
        self._record(method, params, response, status, request)
        current = _current.get()
        self.calls[-1].team_id = current.team.id if current is not None and not auth_error else None
        return web.json_response(response, status=status, headers=headers)

    async def _handle_upload(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        _current.set(self._upload_teams.get(key))
        file_id = self._upload_keys.get(key)
        if request.content_type == "multipart/form-data":
            form = await request.post()
            data = b""
            for value in form.values():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    break
                data = str(value).encode()
        else:
            data = await request.read()
        params = {"file_id": file_id, "bytes": len(data)}
        if file_id is None:
            self._record(
                "upload", params, {"ok": False, "error": "invalid_upload_url"}, 404, request
            )
            return web.Response(status=404, text="invalid upload url")
        f = self.state.files[file_id]
        f["content"] = data
        f["uploaded"] = True
        f["size"] = len(data)
        self._record("upload", params, {"ok": True}, 200, request)
        return web.Response(text=f"OK - {len(data)}")

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        _current.set(None)
        key = request.match_info["key"]
        try:
            body = await request.json()
        except (json.JSONDecodeError, ValueError):
            body = dict(await request.post())
        entry = {"key": key, **(body if isinstance(body, dict) else {"body": body})}
        self.state.responses.append(entry)
        self._record("response_url", entry, {"ok": True}, 200, request)
        return web.json_response({"ok": True})

    # ------------------------------------------------------------------ helpers
    def _require(self, params: Params, *names: str) -> None:
        missing = [n for n in names if params.get(n) in (None, "")]
        if missing:
            raise SlackError(
                "invalid_arguments",
                response_metadata={
                    "messages": [f"[ERROR] missing required field: {n}" for n in missing]
                },
            )

    def _channel_for_bot(self, ref: str | None, *, need_member: bool = True) -> Any:
        if not ref:
            raise SlackError("channel_not_found")
        if ref.startswith(("U", "W")) and ref in self.state.users:
            ch, _ = self.state.open_im(ref)
            return ch
        ch = self.state.channel(ref)
        if need_member and self.state.bot_user_id not in ch.members:
            raise SlackError("not_in_channel")
        return ch

    @staticmethod
    def _blocks_error(params: Params) -> None:
        if "blocks" in params and params["blocks"] not in (None, ""):
            errors = block_errors(params["blocks"])
            if errors:
                raise SlackError(
                    "invalid_blocks",
                    errors=errors,
                    response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
                )

    def _public_message(self, msg: dict[str, Any]) -> dict[str, Any]:
        return copy.deepcopy(msg)
