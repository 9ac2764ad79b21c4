"""conversations.* and users.conversations: listing, info, membership, DMs, history, threads."""

from __future__ import annotations

import base64
from typing import Any

from aiohttp import web

from ..state import SlackError, ts_key
from .core import Params, WebAPICore, as_bool, as_int


def cursor_for(ts: str) -> str:
    """The `next_cursor` that resumes a listing at message `ts`."""
    return base64.b64encode(f"next_ts:{ts.replace('.', '')}".encode()).decode()


def cursor_ts(cursor: str | None) -> tuple[int, int] | None:
    """The ts key a `cursor` points at (None without a cursor); `invalid_cursor` if garbled."""
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


class ConversationMethods(WebAPICore):
    """The conversations family (history and replies paginate with Slack-like cursors)."""

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
        exclude_archived = as_bool(params.get("exclude_archived", False))
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
        exclude_archived = as_bool(params.get("exclude_archived", False))
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
        if as_bool(params.get("return_im", False)):
            result["channel"] = ch.to_api(
                viewer_id=self.state.bot_user_id, team_id=self.state.team.id
            )
        else:
            result["channel"] = {"id": ch.id}
        return result

    def _window(
        self, params: Params, cap: int = 999
    ) -> tuple[tuple[int, int] | None, tuple[int, int] | None, bool, int]:
        latest = ts_key(str(params["latest"])) if params.get("latest") not in (None, "") else None
        oldest = (
            ts_key(str(params["oldest"])) if params.get("oldest") not in (None, "", "0") else None
        )
        inclusive = as_bool(params.get("inclusive", False))
        limit = max(1, min(as_int(params.get("limit"), min(100, cap)) or min(100, cap), cap))
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
        latest, oldest, inclusive, limit = self._window(params, self.history_max)
        cursor = cursor_ts(params.get("cursor"))
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
            result["response_metadata"] = {"next_cursor": cursor_for(rest[0]["ts"])}
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
        cursor = cursor_ts(params.get("cursor"))
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
            result["response_metadata"] = {"next_cursor": cursor_for(rest[0]["ts"])}
        return result
