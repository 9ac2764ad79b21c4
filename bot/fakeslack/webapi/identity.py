"""Who's who: api.test, auth.test, team.info, users.info/lookupByEmail/list, bots.info."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from ..state import SlackError
from .core import Params, WebAPICore


class IdentityMethods(WebAPICore):
    """The auth, team, users and bots families."""

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
        return {"user": self.state.user_as_seen(params["user"])}

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
