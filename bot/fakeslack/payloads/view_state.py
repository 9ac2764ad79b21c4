"""What Slack reports in a view's `state.values` for input elements set to given values."""

from __future__ import annotations

import copy
from typing import Any


def _find_option(element: dict[str, Any], value: Any) -> dict[str, Any]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options", []))
    for opt in options:
        if opt.get("value") == value:
            return copy.deepcopy(opt)
    return {"text": {"type": "plain_text", "text": str(value), "emoji": True}, "value": str(value)}


def element_value(element: dict[str, Any], value: Any) -> dict[str, Any]:
    """The `state.values[block][action]` entry Slack reports for `element` set to `value`."""
    etype = element.get("type", "plain_text_input")
    out: dict[str, Any] = {"type": etype}
    if isinstance(value, dict) and "type" in value:
        return copy.deepcopy(value)
    if etype in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
        out["value"] = None if value is None else str(value)
    elif etype in ("static_select", "radio_buttons", "external_select"):
        out["selected_option"] = None if value is None else _find_option(element, value)
    elif etype in ("multi_static_select", "checkboxes", "multi_external_select"):
        out["selected_options"] = [_find_option(element, v) for v in (value or [])]
    elif etype == "users_select":
        out["selected_user"] = value
    elif etype == "multi_users_select":
        out["selected_users"] = list(value or [])
    elif etype == "conversations_select":
        out["selected_conversation"] = value
    elif etype == "multi_conversations_select":
        out["selected_conversations"] = list(value or [])
    elif etype == "channels_select":
        out["selected_channel"] = value
    elif etype == "datepicker":
        out["selected_date"] = value
    elif etype == "timepicker":
        out["selected_time"] = value
    elif etype == "rich_text_input":
        out["rich_text_value"] = {
            "type": "rich_text",
            "elements": [
                {
                    "type": "rich_text_section",
                    "elements": [{"type": "text", "text": str(value or "")}],
                }
            ],
        }
    else:
        out["value"] = value
    return out


def _initial(element: dict[str, Any]) -> Any:
    """An untouched element's value as Slack submits it (its initial_* field), or None."""
    for key in ("initial_option", "initial_options"):
        if key in element:
            opt = element[key]
            return [o.get("value") for o in opt] if isinstance(opt, list) else (opt or {}).get("value")
    for key in ("initial_value", "initial_user", "initial_users", "initial_conversation",
                "initial_conversations", "initial_channel", "initial_date", "initial_time"):
        if key in element:
            return element[key]
    return None


def view_state_values(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Build `view.state.values` from simple values.

    `values` maps block_id -> value, or block_id -> {action_id: value}. Values are converted to
    the element's state shape (text -> `value`, select -> `selected_option` looked up among the
    element's options, users_select -> `selected_user`, ...). Input blocks not mentioned are
    reported with their initial value (a preselected option, a prefilled text), else empty,
    as Slack does.
    """
    result: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") not in ("input", "actions", "section"):
            continue
        block_id = block.get("block_id")
        if block_id is None:
            continue
        elements: list[dict[str, Any]] = []
        if block["type"] == "input" and "element" in block:
            elements = [block["element"]]
        elif block["type"] == "actions":
            elements = [e for e in block.get("elements", []) if e.get("type") != "button"]
        elif block["type"] == "section" and isinstance(block.get("accessory"), dict):
            if block["accessory"].get("type") != "button":
                elements = [block["accessory"]]
        given = values.get(block_id)
        for element in elements:
            action_id = element.get("action_id")
            if action_id is None:
                continue
            if isinstance(given, dict) and action_id in given and "type" not in given:
                value = given[action_id]
            elif given is not None and not (isinstance(given, dict) and "type" not in given):
                value = given
            elif block["type"] == "input":
                # Slack reports an element the person left alone with its initial value: a
                # preselected option comes back as the selected one.
                value = _initial(element)
            else:
                continue
            result.setdefault(block_id, {})[action_id] = element_value(element, value)
    for block_id, given in values.items():
        if block_id not in result and isinstance(given, dict):
            result[block_id] = copy.deepcopy(given)
    return result
