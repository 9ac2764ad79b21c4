"""Pure builders of slash command bodies and interaction payloads.

`slash_command_body` returns the form-encoded body; `message_action`, `global_shortcut`,
`block_actions`, `view_submission`, `view_closed` build the payload dict and
`interactive_body` form-encodes it as `payload=<json>`.
"""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import urlencode

from .events import VERIFICATION_TOKEN, action_ts


# ---------------------------------------------------------------------- slash commands
def slash_command_body(
    command: str,
    text: str,
    *,
    user_id: str,
    channel_id: str,
    team_id: str,
    trigger_id: str,
    response_url: str,
    user_name: str = "user",
    channel_name: str = "general",
    team_domain: str = "acme-support",
    api_app_id: str = "A0APP00001",
    enterprise_id: str | None = None,
    enterprise_name: str | None = None,
    token: str = VERIFICATION_TOKEN,
    is_enterprise_install: bool = False,
) -> str:
    """The application/x-www-form-urlencoded body of a slash command, fields in Slack's order."""
    fields: list[tuple[str, str]] = [
        ("token", token),
        ("team_id", team_id),
        ("team_domain", team_domain),
    ]
    if enterprise_id:
        fields += [("enterprise_id", enterprise_id), ("enterprise_name", enterprise_name or "")]
    fields += [
        ("channel_id", channel_id),
        ("channel_name", channel_name),
        ("user_id", user_id),
        ("user_name", user_name),
        ("command", command),
        ("text", text),
        ("api_app_id", api_app_id),
        ("is_enterprise_install", "true" if is_enterprise_install else "false"),
        ("response_url", response_url),
        ("trigger_id", trigger_id),
    ]
    return urlencode(fields)


# ---------------------------------------------------------------------- interactivity
def user_ref(user_id: str, name: str, team_id: str) -> dict[str, Any]:
    """The `user` object of interaction payloads."""
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def team_ref(team_id: str, domain: str) -> dict[str, Any]:
    """The `team` object of interaction payloads."""
    return {"id": team_id, "domain": domain}


def message_action(
    callback_id: str,
    message: dict[str, Any],
    channel: dict[str, Any],
    user: dict[str, Any],
    trigger_id: str,
    response_url: str,
    *,
    team: dict[str, Any],
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """A message shortcut (`type: message_action`). `channel` is {"id", "name"}."""
    return {
        "type": "message_action",
        "token": token,
        "action_ts": action_ts(),
        "team": team,
        "user": user,
        "channel": channel,
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "response_url": response_url,
        "message_ts": message["ts"],
        "message": copy.deepcopy(message),
    }


def global_shortcut(
    callback_id: str,
    user: dict[str, Any],
    trigger_id: str,
    *,
    team: dict[str, Any],
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """A global shortcut (`type: shortcut`)."""
    return {
        "type": "shortcut",
        "token": token,
        "action_ts": action_ts(),
        "team": team,
        "user": user,
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
    }


def button_action(
    action_id: str,
    *,
    block_id: str,
    value: str | None = None,
    text: str = "Button",
    style: str | None = None,
) -> dict[str, Any]:
    """An `actions[]` entry for a clicked button."""
    act: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "type": "button",
        "action_ts": action_ts(),
    }
    if value is not None:
        act["value"] = value
    if style:
        act["style"] = style
    return act


def block_actions(
    actions: list[dict[str, Any]],
    *,
    user: dict[str, Any],
    team: dict[str, Any],
    container: dict[str, Any],
    trigger_id: str,
    api_app_id: str,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    channel: dict[str, Any] | None = None,
    response_url: str | None = None,
    state_values: dict[str, Any] | None = None,
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """block_actions from a message (message+channel+response_url) or a view (view)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": user,
        "api_app_id": api_app_id,
        "token": token,
        "container": container,
        "trigger_id": trigger_id,
        "team": team,
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if channel is not None:
        payload["channel"] = channel
    if message is not None:
        payload["message"] = copy.deepcopy(message)
        payload["state"] = {"values": state_values or {}}
    if view is not None:
        v = copy.deepcopy(view)
        v["state"] = {"values": state_values or v.get("state", {}).get("values", {})}
        payload["view"] = v
    if response_url is not None:
        payload["response_url"] = response_url
    payload["actions"] = actions
    return payload


def block_suggestion(
    action_id: str,
    *,
    block_id: str,
    value: str,
    user: dict[str, Any],
    team: dict[str, Any],
    container: dict[str, Any],
    api_app_id: str,
    channel: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """What Slack sends when someone opens (or types into) an external select: the app
    answers with the options to show, in the HTTP response."""
    payload: dict[str, Any] = {
        "type": "block_suggestion",
        "user": user,
        "container": container,
        "api_app_id": api_app_id,
        "token": token,
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "team": team,
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if channel is not None:
        payload["channel"] = channel
    if view is not None:
        payload["view"] = copy.deepcopy(view)
    return payload


def view_submission(
    view: dict[str, Any],
    values: dict[str, Any],
    *,
    user: dict[str, Any],
    team: dict[str, Any],
    api_app_id: str,
    trigger_id: str,
    response_urls: list[dict[str, Any]] | None = None,
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """view_submission; `values` is the `view.state.values` dict (see `view_state_values`)."""
    v = copy.deepcopy(view)
    v["state"] = {"values": copy.deepcopy(values)}
    return {
        "type": "view_submission",
        "team": team,
        "user": user,
        "api_app_id": api_app_id,
        "token": token,
        "trigger_id": trigger_id,
        "view": v,
        "response_urls": response_urls or [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def view_closed(
    view: dict[str, Any],
    *,
    user: dict[str, Any],
    team: dict[str, Any],
    api_app_id: str,
    is_cleared: bool = False,
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """view_closed (only sent when the view had notify_on_close)."""
    return {
        "type": "view_closed",
        "team": team,
        "user": user,
        "api_app_id": api_app_id,
        "token": token,
        "view": copy.deepcopy(view),
        "is_cleared": is_cleared,
        "is_enterprise_install": False,
        "enterprise": None,
    }


def interactive_body(payload: dict[str, Any]) -> str:
    """Form-encode an interaction payload as Slack does: `payload=<json>`."""
    return urlencode({"payload": json.dumps(payload, separators=(",", ":"))})
