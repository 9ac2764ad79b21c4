"""reactions.add/remove/get, acting as the bot."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from ..state import SlackError
from .core import Params, WebAPICore

_EMOJI_RE = re.compile(r"^[a-z0-9_+'\-]+(::skin-tone-[2-6])?$")


class ReactionMethods(WebAPICore):
    """The reactions family."""

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
