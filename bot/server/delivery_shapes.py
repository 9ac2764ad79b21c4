"""What the worker reads in a stored delivery before dispatching it: its JSON, whether it
stops work (an uninstall, revoked tokens) or changes an organisation's access, and the key
that runs deliveries about one Slack message in order. Pure functions of the payload."""

from __future__ import annotations

import json
import logging
from typing import Any

from storage.models import Delivery

log = logging.getLogger(__name__)


def payload_of(row: Delivery) -> dict[str, Any]:
    try:
        payload = json.loads(row.body) if row.body else {}
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def stops_work(payload: dict[str, Any]) -> str | None:
    """``app_uninstalled``, or ``tokens_revoked`` naming bot tokens: why work stops (None:
    it does not). Revoked user tokens alone leave the bot working (it uses only its own)."""
    event = payload.get("event") if payload.get("type") == "event_callback" else None
    if not isinstance(event, dict):
        return None
    if event.get("type") == "app_uninstalled":
        return "app_uninstalled"
    if event.get("type") == "tokens_revoked":
        tokens = event.get("tokens")
        if isinstance(tokens, dict) and tokens.get("bot"):
            return "tokens_revoked"
    return None


def _enterprise(payload: dict[str, Any]) -> str | None:
    auths = payload.get("authorizations")
    auth = _obj(auths[0]) if isinstance(auths, list) and auths else {}
    for value in (payload.get("enterprise_id"), auth.get("enterprise_id"), payload.get("context_enterprise_id")):
        if isinstance(value, str) and value.startswith("E"):
            return value
    return None


def org_wide(payload: dict[str, Any]) -> str | None:
    """The organisation when the delivery's authorization is an org-wide install (its
    ``app_uninstalled`` or ``tokens_revoked`` concerns the organisation's install and every
    workspace it reaches), else None."""
    auths = payload.get("authorizations")
    auth = _obj(auths[0]) if isinstance(auths, list) and auths else {}
    team = payload.get("team_id")
    if auth.get("is_enterprise_install") is True or (isinstance(team, str) and team.startswith("E")):
        return _enterprise(payload)
    return None


def access_change(payload: dict[str, Any]) -> tuple[str, str, list[str]] | None:
    """``team_access_granted`` / ``team_access_revoked``: (type, enterprise id, team ids)."""
    event = payload.get("event") if payload.get("type") == "event_callback" else None
    if not isinstance(event, dict) or event.get("type") not in ("team_access_granted", "team_access_revoked"):
        return None
    teams = event.get("team_ids")
    team_ids = [t for t in teams if isinstance(t, str) and t.startswith("T")] if isinstance(teams, list) else []
    enterprise_id = _enterprise(payload)
    if enterprise_id is None or not team_ids:
        log.warning("inbox: %s without an organisation or workspaces; ignored", event.get("type"))
        return None
    return str(event["type"]), enterprise_id, team_ids[:1000]


def decode(body: str) -> tuple[dict[str, Any] | None, str]:
    """The stored payload, or None and why it cannot be one."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError, TypeError) as e:
        return None, f"stored body is not JSON ({type(e).__name__})"
    if not isinstance(payload, dict):
        return None, "stored body is not a JSON object"
    return payload, ""


def safe_order_key(row: Delivery, payload: dict[str, Any]) -> str:
    try:
        return _order_key(row, payload)
    except Exception:  # never let an odd shape stop the batch: run it on its own
        log.warning("inbox: could not order team=%s key=%s", row.team_id, row.delivery_key)
        return f"id:{row.id}"


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(*values: Any) -> str:
    for value in values:
        if isinstance(value, str) and value:
            return value
    return ""


def _order_key(row: Delivery, payload: dict[str, Any]) -> str:
    """Deliveries about one Slack message share a key and run in arrival order.

    Only string fields are trusted; anything else orders the delivery on its own.
    """
    event = _obj(payload.get("event"))
    item = _obj(event.get("item"))
    channel = _str(item.get("channel"), event.get("channel"))
    ts = _str(
        item.get("ts"),
        _obj(event.get("message")).get("ts"),
        event.get("deleted_ts"),
        event.get("thread_ts"),
        event.get("ts"),
    )
    if channel and ts:
        return f"{row.team_id}:{channel}:{ts}"
    return f"id:{row.id}"
