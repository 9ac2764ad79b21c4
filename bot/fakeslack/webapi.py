"""Slack's Web API (`/api/{method}`) served by aiohttp over an in-memory `Workspace`.

Point `AsyncWebClient(token=..., base_url="http://127.0.0.1:PORT/api/")` at it. Every call
is recorded (`calls`, `calls_to`, `last`, `wait_for`); failures can be injected per method
(`fail_next`, `fail_always`, `reset_failures`).
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .blockcheck import block_errors, view_errors
from .socket_mode import FakeSocketMode
from .state import SlackError, Workspace, random_id, ts_key

Params = dict[str, Any]
Handler = Callable[[Params, web.Request], Awaitable[dict[str, Any]] | dict[str, Any]]

MAX_TEXT = 40_000
_JSON_KEYS = ("blocks", "attachments", "view", "files", "metadata", "actions")
_EMOJI_RE = re.compile(r"^[a-z0-9_+'\-]+(::skin-tone-[2-6])?$")


@dataclass
class RecordedCall:
    """One request the fake received, and what it answered."""

    method: str
    params: dict[str, Any]
    response: dict[str, Any]
    status: int
    at: float
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the call succeeded (`ok: true`)."""
        return bool(self.response.get("ok"))


@dataclass
class _Failure:
    error: str
    status: int
    retry_after: int | None
    remaining: int | None  # None: forever


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("1", "true", "yes")


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _cursor_for(ts: str) -> str:
    return base64.b64encode(f"next_ts:{ts.replace('.', '')}".encode()).decode()


def _cursor_ts(cursor: str | None) -> tuple[int, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.b64decode(cursor).decode()
    except (ValueError, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None
    if not raw.startswith("next_ts:"):
        raise SlackError("invalid_cursor")
    digits = raw[len("next_ts:") :]
    return int(digits[:-6]), int(digits[-6:])


class FakeWebAPI:
    """The Web API half of the fake. `make_app()` returns the aiohttp application."""

    def __init__(self, state: Workspace, *, bot_token: str = "xoxb-test") -> None:
        self.state = state
        self.bot_token = bot_token
        self.calls: list[RecordedCall] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._upload_keys: dict[str, str] = {}
        # called as listener(method, params, response) after every successful call
        self.listeners: list[Callable[[str, Params, dict[str, Any]], None]] = []
        self.latency: dict[str, float] = {}
        self.socket_mode = FakeSocketMode(state.app_id)
        self._handlers: dict[str, Handler] = {
            "apps.connections.open": self.apps_connections_open,
            "api.test": self.api_test,
            "auth.test": self.auth_test,
            "team.info": self.team_info,
            "users.info": self.users_info,
            "users.lookupByEmail": self.users_lookup_by_email,
            "bots.info": self.bots_info,
            "users.list": self.users_list,
            "users.conversations": self.users_conversations,
            "conversations.info": self.conversations_info,
            "conversations.list": self.conversations_list,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "conversations.open": self.conversations_open,
            "conversations.members": self.conversations_members,
            "conversations.join": self.conversations_join,
            "chat.getPermalink": self.chat_get_permalink,
            "chat.postMessage": self.chat_post_message,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "reactions.add": self.reactions_add,
            "reactions.remove": self.reactions_remove,
            "reactions.get": self.reactions_get,
            "views.open": self.views_open,
            "views.push": self.views_push,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "files.getUploadURLExternal": self.files_get_upload_url_external,
            "files.completeUploadExternal": self.files_complete_upload_external,
        }

    # ------------------------------------------------------------------ app
    def make_app(self) -> web.Application:
        """The aiohttp application: `/api/{method}`, `/upload/v1/{key}`, `/response/{key}`."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/upload/v1/{key}", self._handle_upload)
        self.socket_mode.routes(app)
        app.router.add_post("/response/{key}", self._handle_response_url)
        return app

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
        self._failures.setdefault(method, []).append(_Failure(error, code, retry_after, times))

    def fail_always(
        self, method: str, error: str, *, status: int | None = None, retry_after: int = 1
    ) -> None:
        """Make every call of `method` fail until `reset_failures()`."""
        code = status if status is not None else (429 if error == "ratelimited" else 200)
        self._failures.setdefault(method, []).append(_Failure(error, code, retry_after, None))

    def reset_failures(self, method: str | None = None) -> None:
        """Drop injected failures (of one method, or all)."""
        if method is None:
            self._failures.clear()
        else:
            self._failures.pop(method, None)

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        if failure.remaining is not None:
            failure.remaining -= 1
            if failure.remaining <= 0:
                queue.pop(0)
        return failure

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
            value = params.get(key)
            if isinstance(value, str) and value[:1] in ("[", "{"):
                try:
                    params[key] = json.loads(value)
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
        if token != self.bot_token:
            return "invalid_auth"
        return None

    def apps_connections_open(self, params: Params, request: web.Request) -> dict[str, Any]:
        answer = self.socket_mode.open_connection(
            f"{request.scheme}://{request.host}", self._token(request, params)
        )
        if not answer.pop("ok"):
            raise SlackError(answer["error"])
        return answer

    def _record(
        self,
        method: str,
        params: Params,
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
            )
        )

    def slow_down(self, method: str, seconds: float) -> None:
        """Answer `method` only after `seconds` (0 removes it): a slow Slack, for crash tests."""
        if seconds > 0:
            self.latency[method] = seconds
        else:
            self.latency.pop(method, None)

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method in self.latency:
            await asyncio.sleep(self.latency[method])
        params = await self._params(request)
        status = 200
        headers: dict[str, str] = {}
        auth_error = self._auth_error(request, params)
        failure = None if auth_error else self._take_failure(method)
        if auth_error:
            response: dict[str, Any] = {"ok": False, "error": auth_error}
        elif failure is not None:
            response = {"ok": False, "error": failure.error}
            status = failure.status
            if status == 429 and failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
        elif method not in self._handlers:
            response = {"ok": False, "error": "unknown_method", "req_method": method}
        else:
            try:
                result = self._handlers[method](params, request)
                if asyncio.iscoroutine(result):
                    result = await result
                response = {"ok": True, **result}
            except SlackError as exc:
                response = {"ok": False, "error": exc.error, **exc.extra}
            else:
                for listener in list(self.listeners):
                    listener(method, params, response)
        self._record(method, params, response, status, request)
        return web.json_response(response, status=status, headers=headers)

    async def _handle_upload(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
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

    # ------------------------------------------------------------------ auth / team / users
    def api_test(self, params: Params, request: web.Request) -> dict[str, Any]:
        """api.test"""
        return {"args": {k: v for k, v in params.items() if k != "token"}}

    def auth_test(self, params: Params, request: web.Request) -> dict[str, Any]:
        """auth.test"""
        s = self.state
        return {
            "url": f"https://{s.team.domain}.slack.com/",
            "team": s.team.name,
            "user": s.bot_name,
            "team_id": s.team.id,
            "user_id": s.bot_user_id,
            "bot_id": s.bot_id,
            "app_id": s.app_id,
            "is_enterprise_install": False,
        }

    def team_info(self, params: Params, request: web.Request) -> dict[str, Any]:
        """team.info"""
        team_id = params.get("team") or self.state.team.id
        team = self.state.teams.get(team_id)
        if team is None:
            raise SlackError("team_not_found")
        return {"team": team.to_api()}

    def users_info(self, params: Params, request: web.Request) -> dict[str, Any]:
        """users.info"""
        self._require(params, "user")
        return {"user": self.state.user(params["user"]).to_api()}

    def users_lookup_by_email(self, params: Params, request: web.Request) -> dict[str, Any]:
        """users.lookupByEmail"""
        self._require(params, "email")
        for u in self.state.users.values():
            if u.email and u.email.lower() == str(params["email"]).lower():
                return {"user": u.to_api()}
        raise SlackError("users_not_found")

    def bots_info(self, params: Params, request: web.Request) -> dict[str, Any]:
        """bots.info"""
        bot_id = params.get("bot") or self.state.bot_id
        for u in self.state.users.values():
            if u.is_bot and (u.bot_id or self.state.bot_id) == bot_id:
                return {
                    "bot": {
                        "id": bot_id,
                        "deleted": u.deleted,
                        "name": u.name,
                        "updated": 1764000000,
                        "app_id": self.state.app_id if bot_id == self.state.bot_id else "",
                        "user_id": u.id,
                        "icons": {
                            "image_36": "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png"
                        },
                    }
                }
        raise SlackError("bot_not_found")

    def users_list(self, params: Params, request: web.Request) -> dict[str, Any]:
        """users.list"""
        return {
            "members": [u.to_api() for u in self.state.users.values()],
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": ""},
        }

    # ------------------------------------------------------------------ conversations
    def _types_filter(self, params: Params) -> set[str]:
        raw = params.get("types") or "public_channel"
        return {t.strip() for t in str(raw).split(",") if t.strip()}

    @staticmethod
    def _type_of(ch: Any) -> str:
        if ch.is_im:
            return "im"
        return "private_channel" if ch.is_private else "public_channel"

    def users_conversations(self, params: Params, request: web.Request) -> dict[str, Any]:
        """users.conversations (for the bot, or `user`)."""
        user = params.get("user") or self.state.bot_user_id
        types = self._types_filter(params)
        exclude_archived = _bool(params.get("exclude_archived", False))
        chans = [
            ch.to_api(viewer_id=self.state.bot_user_id, team_id=self.state.team.id)
            for ch in self.state.channels.values()
            if user in ch.members
            and self._type_of(ch) in types
            and not (exclude_archived and ch.is_archived)
        ]
        return {"channels": chans, "response_metadata": {"next_cursor": ""}}

    def conversations_list(self, params: Params, request: web.Request) -> dict[str, Any]:
        """conversations.list"""
        types = self._types_filter(params)
        exclude_archived = _bool(params.get("exclude_archived", False))
        chans = [
            ch.to_api(viewer_id=self.state.bot_user_id, team_id=self.state.team.id)
            for ch in self.state.channels.values()
            if self._type_of(ch) in types
            and not (exclude_archived and ch.is_archived)
            and (not ch.is_private or ch.is_im or self.state.bot_user_id in ch.members)
        ]
        return {"channels": chans, "response_metadata": {"next_cursor": ""}}

    def conversations_info(self, params: Params, request: web.Request) -> dict[str, Any]:
        """conversations.info"""
        self._require(params, "channel")
        ch = self.state.channel(params["channel"])
        if ch.is_private and not ch.is_im and self.state.bot_user_id not in ch.members:
            raise SlackError("channel_not_found")
        return {"channel": ch.to_api(viewer_id=self.state.bot_user_id, team_id=self.state.team.id)}

    def conversations_members(self, params: Params, request: web.Request) -> dict[str, Any]:
        """conversations.members"""
        self._require(params, "channel")
        ch = self.state.channel(params["channel"])
        return {"members": list(ch.members), "response_metadata": {"next_cursor": ""}}

    def conversations_join(self, params: Params, request: web.Request) -> dict[str, Any]:
        """conversations.join"""
        self._require(params, "channel")
        ch = self.state.channel(params["channel"])
        if ch.is_archived:
            raise SlackError("is_archived")
        if ch.is_private or ch.is_im:
            raise SlackError("method_not_supported_for_channel_type")
        result: dict[str, Any] = {}
        if self.state.bot_user_id in ch.members:
            result["warning"] = "already_in_channel"
            result["response_metadata"] = {"warnings": ["already_in_channel"]}
        else:
            ch.members.append(self.state.bot_user_id)
        result["channel"] = ch.to_api(viewer_id=self.state.bot_user_id, team_id=self.state.team.id)
        return result

    def conversations_open(self, params: Params, request: web.Request) -> dict[str, Any]:
        """conversations.open (1:1 DM with `users`)."""
        if params.get("channel"):
            ch = self.state.channel(params["channel"])
            existed = True
        else:
            self._require(params, "users")
            users = [u.strip() for u in str(params["users"]).split(",") if u.strip()]
            if len(users) != 1:
                raise SlackError("not_enough_users" if not users else "too_many_users")
            ch, existed = self.state.open_im(users[0])
        result: dict[str, Any] = {}
        if existed:
            result["no_op"] = True
            result["already_open"] = True
        if _bool(params.get("return_im", False)):
            result["channel"] = ch.to_api(
                viewer_id=self.state.bot_user_id, team_id=self.state.team.id
            )
        else:
            result["channel"] = {"id": ch.id}
        return result

    def _window(
        self, params: Params
    ) -> tuple[tuple[int, int] | None, tuple[int, int] | None, bool, int]:
        latest = ts_key(str(params["latest"])) if params.get("latest") not in (None, "") else None
        oldest = (
            ts_key(str(params["oldest"])) if params.get("oldest") not in (None, "", "0") else None
        )
        inclusive = _bool(params.get("inclusive", False))
        limit = max(1, min(_int(params.get("limit"), 100) or 100, 999))
        return latest, oldest, inclusive, limit

    @staticmethod
    def _in_window(
        key: tuple[int, int],
        latest: tuple[int, int] | None,
        oldest: tuple[int, int] | None,
        inclusive: bool,
    ) -> bool:
        if latest is not None and (key > latest or (key == latest and not inclusive)):
            return False
        if oldest is not None and (key < oldest or (key == oldest and not inclusive)):
            return False
        return True

    def _readable_channel(self, ref: str | None) -> Any:
        if not ref:
            raise SlackError("channel_not_found")
        ch = self.state.channel(ref)
        if self.state.bot_user_id not in ch.members:
            if ch.is_private:
                raise SlackError("channel_not_found")
            raise SlackError("not_in_channel")
        return ch

    def conversations_history(self, params: Params, request: web.Request) -> dict[str, Any]:
        """conversations.history: top-level messages, newest first."""
        ch = self._readable_channel(params.get("channel"))
        latest, oldest, inclusive, limit = self._window(params)
        cursor = _cursor_ts(params.get("cursor"))
        msgs = [
            m
            for m in reversed(self.state.top_level(ch.id))
            if self._in_window(ts_key(m["ts"]), latest, oldest, inclusive)
        ]
        if cursor is not None:
            msgs = [m for m in msgs if ts_key(m["ts"]) <= cursor]
        page, rest = msgs[:limit], msgs[limit:]
        result: dict[str, Any] = {
            "messages": [self._public_message(m) for m in page],
            "has_more": bool(rest),
            "pin_count": 0,
            "channel_actions_ts": None,
            "channel_actions_count": 0,
        }
        if rest:
            result["response_metadata"] = {"next_cursor": _cursor_for(rest[0]["ts"])}
        if latest is not None:
            result["latest"] = params["latest"]
        if oldest is not None:
            result["oldest"] = params["oldest"]
        return result

    def conversations_replies(self, params: Params, request: web.Request) -> dict[str, Any]:
        """conversations.replies: parent first, then replies oldest first."""
        ch = self._readable_channel(params.get("channel"))
        self._require(params, "ts")
        msg = self.state.find_message(ch.id, str(params["ts"]))
        if msg is None:
            raise SlackError("thread_not_found")
        root_ts = msg.get("thread_ts") or msg["ts"]
        root = self.state.find_message(ch.id, root_ts) or msg
        if not root.get("reply_count") and root.get("thread_ts") is None:
            return {"messages": [self._public_message(root)], "has_more": False}
        latest, oldest, inclusive, limit = self._window(params)
        cursor = _cursor_ts(params.get("cursor"))
        replies = [
            m
            for m in self.state.thread(ch.id, root_ts)
            if m["ts"] != root_ts and self._in_window(ts_key(m["ts"]), latest, oldest, inclusive)
        ]
        if cursor is not None:
            replies = [m for m in replies if ts_key(m["ts"]) >= cursor]
        page, rest = replies[: max(limit - 1, 1)], replies[max(limit - 1, 1) :]
        result: dict[str, Any] = {
            "messages": [self._public_message(root)] + [self._public_message(m) for m in page],
            "has_more": bool(rest),
        }
        if rest:
            result["response_metadata"] = {"next_cursor": _cursor_for(rest[0]["ts"])}
        return result

    # ------------------------------------------------------------------ chat
    def chat_get_permalink(self, params: Params, request: web.Request) -> dict[str, Any]:
        """chat.getPermalink"""
        self._require(params, "channel", "message_ts")
        ch = self.state.channel(params["channel"])
        msg = self.state.find_message(ch.id, str(params["message_ts"]))
        if msg is None:
            raise SlackError("message_not_found")
        thread_ts = msg.get("thread_ts")
        return {"channel": ch.id, "permalink": self.state.permalink(ch.id, msg["ts"], thread_ts)}

    def _check_content(self, params: Params) -> None:
        text = params.get("text")
        if not text and not params.get("blocks") and not params.get("attachments"):
            raise SlackError("no_text")
        if text and len(str(text)) > MAX_TEXT:
            raise SlackError("msg_too_long")
        self._blocks_error(params)

    def chat_post_message(self, params: Params, request: web.Request) -> dict[str, Any]:
        """chat.postMessage"""
        ch = self._channel_for_bot(params.get("channel"))
        if ch.is_archived:
            raise SlackError("is_archived")
        self._check_content(params)
        thread_ts = params.get("thread_ts") or None
        if thread_ts and self.state.find_message(ch.id, str(thread_ts)) is None:
            # Slack posts to the channel anyway when thread_ts is unknown; keep that behaviour
            thread_ts = None
        extra: dict[str, Any] = {}
        if params.get("metadata"):
            extra["metadata"] = params["metadata"]
        msg = self.state.post_message(
            ch.id,
            None,
            str(params.get("text") or ""),
            thread_ts=str(thread_ts) if thread_ts else None,
            blocks=params.get("blocks") or None,
            attachments=params.get("attachments") or None,
            bot=True,
            reply_broadcast=_bool(params.get("reply_broadcast", False)),
            extra=extra or None,
        )
        return {"channel": ch.id, "ts": msg["ts"], "message": self._public_message(msg)}

    def chat_post_ephemeral(self, params: Params, request: web.Request) -> dict[str, Any]:
        """chat.postEphemeral (recorded in `state.ephemeral`, not in history)."""
        self._require(params, "user")
        ch = self._channel_for_bot(params.get("channel"))
        if ch.is_archived:
            raise SlackError("is_archived")
        user = str(params["user"])
        self.state.user(user)
        if user not in ch.members:
            raise SlackError("user_not_in_channel")
        self._check_content(params)
        ts = self.state.next_ts()
        self.state.ephemeral.append(
            {
                "channel": ch.id,
                "user": user,
                "text": params.get("text") or "",
                "blocks": params.get("blocks"),
                "attachments": params.get("attachments"),
                "thread_ts": params.get("thread_ts"),
                "message_ts": ts,
            }
        )
        return {"message_ts": ts}

    def chat_update(self, params: Params, request: web.Request) -> dict[str, Any]:
        """chat.update (only the bot's own messages)."""
        self._require(params, "ts")
        ch = self._channel_for_bot(params.get("channel"), need_member=False)
        msg = self.state.find_message(ch.id, str(params["ts"]))
        if msg is None:
            raise SlackError("message_not_found")
        if msg.get("bot_id") != self.state.bot_id:
            raise SlackError("cant_update_message")
        text = params.get("text")
        if text and len(str(text)) > MAX_TEXT:
            raise SlackError("msg_too_long")
        self._blocks_error(params)
        _, updated = self.state.edit_message(
            ch.id,
            msg["ts"],
            str(text) if text is not None else None,
            blocks=params.get("blocks") if "blocks" in params else None,
            attachments=params.get("attachments") if "attachments" in params else None,
            editor=self.state.bot_user_id,
        )
        return {
            "channel": ch.id,
            "ts": updated["ts"],
            "text": updated.get("text", ""),
            "message": self._public_message(updated),
        }

    def chat_delete(self, params: Params, request: web.Request) -> dict[str, Any]:
        """chat.delete (only the bot's own messages)."""
        self._require(params, "ts")
        ch = self._channel_for_bot(params.get("channel"), need_member=False)
        msg = self.state.find_message(ch.id, str(params["ts"]))
        if msg is None:
            raise SlackError("message_not_found")
        if msg.get("bot_id") != self.state.bot_id:
            raise SlackError("cant_delete_message")
        self.state.delete_message(ch.id, msg["ts"])
        return {"channel": ch.id, "ts": str(params["ts"])}

    # ------------------------------------------------------------------ reactions
    def _reaction_target(self, params: Params) -> tuple[Any, str, str]:
        self._require(params, "channel", "timestamp", "name")
        name = str(params["name"])
        ch = self.state.channel(params["channel"])
        if not _EMOJI_RE.match(name):
            raise SlackError("invalid_name")
        return ch, str(params["timestamp"]), name

    def reactions_add(self, params: Params, request: web.Request) -> dict[str, Any]:
        """reactions.add (as the bot)."""
        ch, ts, name = self._reaction_target(params)
        self.state.add_reaction(ch.id, ts, name, self.state.bot_user_id)
        return {}

    def reactions_remove(self, params: Params, request: web.Request) -> dict[str, Any]:
        """reactions.remove (as the bot)."""
        ch, ts, name = self._reaction_target(params)
        self.state.remove_reaction(ch.id, ts, name, self.state.bot_user_id)
        return {}

    def reactions_get(self, params: Params, request: web.Request) -> dict[str, Any]:
        """reactions.get"""
        self._require(params, "channel", "timestamp")
        ch = self.state.channel(params["channel"])
        msg = self.state.get_message(ch.id, str(params["timestamp"]))
        out = self._public_message(msg)
        return {"type": "message", "channel": ch.id, "message": out}

    # ------------------------------------------------------------------ views
    def _new_view(
        self,
        view: dict[str, Any],
        *,
        view_id: str | None = None,
        previous_view_id: str | None = None,
        root_view_id: str | None = None,
    ) -> dict[str, Any]:
        s = self.state
        vid = view_id or random_id("V")
        home = view.get("type") == "home"
        stored = {
            "id": vid,
            "team_id": s.team.id,
            "type": view.get("type"),
            "blocks": copy.deepcopy(view.get("blocks", [])),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "title": None if home else view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": None if home else view.get("close"),
            "submit": None if home else view.get("submit"),
            "previous_view_id": previous_view_id,
            "root_view_id": root_view_id or vid,
            "app_id": s.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": s.team.id,
            "bot_id": s.bot_id,
        }
        s.views[vid] = stored
        return stored

    def _log_view(self, action: str, view: dict[str, Any], user: str | None) -> None:
        self.state.view_log.append(
            {"action": action, "view_id": view["id"], "user": user, "at": time.time()}
        )

    @staticmethod
    def _view_arg(params: Params, *, home: bool = False) -> dict[str, Any]:
        view = params.get("view")
        if view in (None, ""):
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] missing required field: view"]},
            )
        errors = view_errors(view, home=home)
        if errors:
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
            )
        return view

    def views_open(self, params: Params, request: web.Request) -> dict[str, Any]:
        """views.open: consumes the trigger id."""
        trigger = self.state.use_trigger(params.get("trigger_id"))
        view = self._view_arg(params)
        stored = self._new_view(view)
        stored["_stack"] = [stored["id"]]
        self._log_view("open", stored, trigger.get("user"))
        return {"view": self._view_out(stored)}

    def views_push(self, params: Params, request: web.Request) -> dict[str, Any]:
        """views.push: stacks on the modal the trigger came from (or the user's latest modal)."""
        trigger = self.state.use_trigger(params.get("trigger_id"))
        view = self._view_arg(params)
        base = self.state.views.get(trigger.get("view_id") or "") or self.state.last_view(
            user=trigger.get("user"), type="modal"
        )
        if base is None:
            raise SlackError("not_found")
        root = self.state.views[base["root_view_id"]]
        stack = root.setdefault("_stack", [root["id"]])
        if len(stack) >= 3:
            raise SlackError("push_limit_reached")
        stored = self._new_view(view, previous_view_id=base["id"], root_view_id=root["id"])
        stack.append(stored["id"])
        self._log_view("push", stored, trigger.get("user"))
        return {"view": self._view_out(stored)}

    def views_update(self, params: Params, request: web.Request) -> dict[str, Any]:
        """views.update by view_id or external_id; `hash_conflict` on a stale hash."""
        raw = params.get("view")
        view = self._view_arg(params, home=isinstance(raw, dict) and raw.get("type") == "home")
        target = None
        if params.get("view_id"):
            target = self.state.views.get(str(params["view_id"]))
        elif params.get("external_id"):
            target = next(
                (
                    v
                    for v in self.state.views.values()
                    if v.get("external_id") == params["external_id"]
                ),
                None,
            )
        else:
            raise SlackError(
                "invalid_arguments",
                response_metadata={
                    "messages": ["[ERROR] missing required field: view_id or external_id"]
                },
            )
        if target is None:
            raise SlackError("not_found")
        if params.get("hash") and params["hash"] != target["hash"]:
            raise SlackError("hash_conflict")
        stack = target.get("_stack")
        stored = self._new_view(
            view,
            view_id=target["id"],
            previous_view_id=target.get("previous_view_id"),
            root_view_id=target.get("root_view_id"),
        )
        if stack is not None:
            stored["_stack"] = stack
        user = next(
            (e["user"] for e in reversed(self.state.view_log) if e["view_id"] == target["id"]), None
        )
        self._log_view("update", stored, user)
        return {"view": self._view_out(stored)}

    def views_publish(self, params: Params, request: web.Request) -> dict[str, Any]:
        """views.publish: the App Home of `user_id`."""
        self._require(params, "user_id")
        user = str(params["user_id"])
        self.state.user(user)
        view = self._view_arg(params, home=True)
        existing_id = self.state.home_views.get(user)
        if (
            existing_id
            and params.get("hash")
            and params["hash"] != self.state.views[existing_id]["hash"]
        ):
            raise SlackError("hash_conflict")
        stored = self._new_view(view, view_id=existing_id)
        self.state.home_views[user] = stored["id"]
        self._log_view("publish", stored, user)
        return {"view": self._view_out(stored)}

    @staticmethod
    def _view_out(view: dict[str, Any]) -> dict[str, Any]:
        return {k: copy.deepcopy(v) for k, v in view.items() if not k.startswith("_")}

    # ------------------------------------------------------------------ files
    def files_get_upload_url_external(self, params: Params, request: web.Request) -> dict[str, Any]:
        """files.getUploadURLExternal: an upload URL on this server + a file id."""
        self._require(params, "filename", "length")
        file_id = random_id("F")
        key = secrets.token_urlsafe(16)
        self._upload_keys[key] = file_id
        self.state.files[file_id] = {
            "id": file_id,
            "name": params["filename"],
            "title": params["filename"],
            "length": _int(params["length"], 0),
            "alt_txt": params.get("alt_txt"),
            "snippet_type": params.get("snippet_type"),
            "content": None,
            "uploaded": False,
            "size": 0,
            "created": int(time.time()),
            "shares": {},
        }
        return {"upload_url": f"http://{request.host}/upload/v1/{key}", "file_id": file_id}

    def _file_object(self, f: dict[str, Any]) -> dict[str, Any]:
        s = self.state
        name = str(f["name"])
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else "text"
        mimetypes = {
            "png": "image/png",
            "jpg": "image/jpeg",
            "jpeg": "image/jpeg",
            "csv": "text/csv",
            "pdf": "application/pdf",
            "txt": "text/plain",
            "json": "application/json",
        }
        url = f"https://files.slack.com/files-pri/{s.team.id}-{f['id']}/{name}"
        channels = [c for c in f["shares"] if c.startswith("C")]
        groups = [c for c in f["shares"] if c.startswith("G")]
        ims = [c for c in f["shares"] if c.startswith("D")]
        shares: dict[str, Any] = {}
        for cid, entries in f["shares"].items():
            ch = s.channels[cid]
            bucket = "private" if ch.is_private else "public"
            shares.setdefault(bucket, {})[cid] = entries
        return {
            "id": f["id"],
            "created": f["created"],
            "timestamp": f["created"],
            "name": name,
            "title": f.get("title") or name,
            "mimetype": mimetypes.get(ext, "application/octet-stream"),
            "filetype": ext,
            "pretty_type": ext.upper(),
            "user": s.bot_user_id,
            "user_team": s.team.id,
            "editable": False,
            "size": f.get("size", 0),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": bool(channels),
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": url,
            "url_private_download": url.replace("files-pri", "files-pri/download", 1),
            "permalink": f"https://{s.team.domain}.slack.com/files/{s.bot_user_id}/{f['id']}/{name}",
            "permalink_public": f"https://slack-files.com/{s.team.id}-{f['id']}-{secrets.token_hex(5)}",
            "comments_count": 0,
            "is_starred": False,
            "shares": shares,
            "channels": channels,
            "groups": groups,
            "ims": ims,
            "has_more_shares": False,
            "has_rich_preview": False,
            "file_access": "visible",
            "alt_txt": f.get("alt_txt"),
        }

    def files_complete_upload_external(
        self, params: Params, request: web.Request
    ) -> dict[str, Any]:
        """files.completeUploadExternal: shares into channel_id/channels as a file_share message."""
        self._require(params, "files")
        entries = params["files"]
        if not isinstance(entries, list) or not entries:
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] files must be an array"]},
            )
        stored = []
        for entry in entries:
            f = self.state.files.get(str(entry.get("id")))
            if f is None or not f["uploaded"]:
                raise SlackError("file_not_found")
            if entry.get("title"):
                f["title"] = entry["title"]
            stored.append(f)
        targets: list[str] = []
        if params.get("channel_id"):
            targets.append(str(params["channel_id"]))
        if params.get("channels"):
            targets.extend(c.strip() for c in str(params["channels"]).split(",") if c.strip())
        for target in targets:
            ch = self._channel_for_bot(target)
            if ch.is_archived:
                raise SlackError("is_archived")
            thread_ts = params.get("thread_ts") or None
            for f in stored:
                f["shares"].setdefault(ch.id, [])
            msg = self.state.post_message(
                ch.id,
                None,
                str(params.get("initial_comment") or ""),
                thread_ts=str(thread_ts) if thread_ts else None,
                blocks=params.get("blocks")
                if not params.get("initial_comment") and params.get("blocks")
                else None,
                bot=True,
                subtype="file_share",
                files=[],
                extra={"display_as_bot": False},
            )
            for f in stored:
                share = {
                    "reply_users": [],
                    "reply_users_count": 0,
                    "reply_count": 0,
                    "ts": msg["ts"],
                    "channel_name": ch.name,
                    "team_id": self.state.team.id,
                    "share_user_id": self.state.bot_user_id,
                    "source": "UNKNOWN",
                }
                if thread_ts:
                    share["thread_ts"] = str(thread_ts)
                f["shares"][ch.id].append(share)
            msg["files"] = [self._file_object(f) for f in stored]
        return {"files": [self._file_object(f) for f in stored]}
