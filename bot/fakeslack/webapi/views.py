"""views.open/push/update/publish: modals (with their stack of up to 3) and App Home tabs."""

from __future__ import annotations

import copy
import secrets
import time
from typing import Any

from aiohttp import web

from ..blockcheck import view_errors
from ..state import SlackError, random_id
from .core import Params, WebAPICore


class ViewMethods(WebAPICore):
    """The views family; views are stored in `state.views`, every change logged in `state.view_log`."""

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
