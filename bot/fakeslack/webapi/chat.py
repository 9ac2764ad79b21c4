"""chat.*: post (in channel, thread or as an ephemeral), update, delete, permalinks."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..state import SlackError
from .core import Params, WebAPICore, as_bool

MAX_TEXT = 40_000


class ChatMethods(WebAPICore):
    """The chat family; the bot may only update or delete its own messages."""

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
            reply_broadcast=as_bool(params.get("reply_broadcast", False)),
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

    def _own_message(self, params: Params, refusal: str) -> tuple[Any, dict[str, Any]]:
        """The channel and the bot's own message at `ts`; Slack refuses others' with `refusal`."""
        self._require(params, "ts")
        ch = self._channel_for_bot(params.get("channel"), need_member=False)
        msg = self.state.find_message(ch.id, str(params["ts"]))
        if msg is None:
            raise SlackError("message_not_found")
        if msg.get("bot_id") != self.state.bot_id:
            raise SlackError(refusal)
        return ch, msg

    def chat_update(self, params: Params, request: web.Request) -> dict[str, Any]:
        """chat.update (only the bot's own messages)."""
        ch, msg = self._own_message(params, "cant_update_message")
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
        ch, msg = self._own_message(params, "cant_delete_message")
        self.state.delete_message(ch.id, msg["ts"])
        return {"channel": ch.id, "ts": str(params["ts"])}
