"""Pure parsing of what Slack POSTs: which kind of delivery it is and its natural key.

The natural key is what makes a retry harmless: Events API retries repeat the
``event_id``; interactions and slash commands carry a one-time ``trigger_id``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs

Kind = Literal["event", "command", "interactive", "options", "url_verification", "ssl_check",
               "ignored", "api"]  # "api": an intake API remark filed behind the ack (Prefer: respond-async)


class BadPayload(ValueError):
    """The body is not what Slack sends; the message says why (for a 400)."""


@dataclass(frozen=True)
class Envelope:
    kind: Kind
    team_id: str
    key: str
    payload: dict[str, Any]
    # The JSON text Slack sent, when the payload is exactly that (events): stored as is,
    # so the acknowledgement path does not encode the payload again.
    raw: str | None = None

    @property
    def durable(self) -> bool:
        return self.kind in ("event", "command", "interactive")


def parse_body(body: bytes, content_type: str) -> dict[str, Any]:
    """Decode an HTTP body the way Slack encodes it (JSON, or a form with ``payload``)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadPayload("body is not UTF-8") from e
    ctype = content_type.split(";")[0].strip().lower()
    if ctype == "application/json" or (not ctype and text.lstrip().startswith("{")):
        data = _loads(text, "body")
        if not isinstance(data, dict):
            raise BadPayload("JSON body must be an object")
        return data
    if ctype in ("application/x-www-form-urlencoded", ""):
        try:
            form = {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}
        except ValueError as e:
            raise BadPayload(f"body is not a valid form ({e})") from e
        if not form:
            raise BadPayload("empty form body")
        if "payload" in form:
            data = _loads(form["payload"], "payload field")
            if not isinstance(data, dict):
                raise BadPayload("payload field must be a JSON object")
            return data
        return form
    raise BadPayload(f"unsupported content type {ctype!r}")


def _loads(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise BadPayload(f"{what} is not valid JSON ({e.msg})") from e
    except RecursionError as e:
        raise BadPayload(f"{what} is nested too deeply") from e
    except ValueError as e:  # e.g. an integer past Python's digit limit
        raise BadPayload(f"{what} is not acceptable JSON ({str(e)[:80]})") from e


MAX_TEAM_ID = 32  # the deliveries.team_id column


def envelope(payload: dict[str, Any]) -> Envelope:
    """Tell what a decoded delivery is, and key it.

    Raises ``BadPayload`` for anything that could not be stored as it stands (a team id
    or key that is not storable text), so one odd request cannot fail a group commit.
    """
    try:
        env = _envelope(payload)
    except BadPayload:
        raise
    except Exception as e:  # wrong types anywhere: refuse it with a reason, never a 5xx
        raise BadPayload(f"not shaped like a Slack delivery ({type(e).__name__})") from e
    if env.durable:
        _storable(env.team_id, "team id", MAX_TEAM_ID)
        _storable(env.key, "delivery key", None)
    return env


def _storable(value: str, what: str, limit: int | None) -> None:
    if limit is not None and len(value) > limit:
        raise BadPayload(f"{what} is too long")
    if "\x00" in value:
        raise BadPayload(f"{what} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise BadPayload(f"{what} is not valid Unicode text") from e


def _envelope(payload: dict[str, Any]) -> Envelope:
    if payload.get("ssl_check"):
        return Envelope("ssl_check", "", "", payload)
    kind = payload.get("type")
    if kind == "url_verification":
        return Envelope("url_verification", "", "", payload)
    if kind == "event_callback":
        event_id = payload.get("event_id")
        event = payload.get("event")
        if not isinstance(event_id, str) or not isinstance(event, dict):
            raise BadPayload("event_callback without event_id or event")
        return Envelope("event", _team(payload), f"ev:{event_id}", payload)
    if "command" in payload and "trigger_id" in payload:
        if not isinstance(payload["command"], str) or not isinstance(payload["trigger_id"], str):
            raise BadPayload("slash command without a command or trigger_id")
        return Envelope("command", _team(payload), f"cmd:{payload['trigger_id']}", payload)
    if kind == "block_suggestion":
        # A menu asking for its options: read-only and answered at once, so not stored.
        return Envelope("options", _team(payload), "", payload)
    if isinstance(kind, str) and kind in INTERACTIVE_TYPES:
        return Envelope("interactive", _team(payload), f"ix:{_interaction_key(payload)}", payload)
    return Envelope("ignored", _team(payload), "", payload)


INTERACTIVE_TYPES = frozenset(
    {"block_actions", "message_action", "shortcut", "view_submission", "view_closed"}
)


def _team(payload: dict[str, Any]) -> str:
    team = payload.get("team_id") or payload.get("team")
    if isinstance(team, dict):
        team = team.get("id")
    if not team:
        user = payload.get("user")
        if isinstance(user, dict):
            team = user.get("team_id")
    return str(team or "-")


def _interaction_key(payload: dict[str, Any]) -> str:
    trigger = payload.get("trigger_id")
    actions = payload.get("actions") or []
    if not isinstance(actions, list):
        raise BadPayload("actions must be a list")
    if trigger is not None and not isinstance(trigger, str):
        raise BadPayload("trigger_id must be a string")
    if trigger:
        # Several actions can share a trigger in theory; the action_ts tells them apart.
        ts = actions[0].get("action_ts", "") if actions and isinstance(actions[0], dict) else ""
        if not isinstance(ts, str):
            raise BadPayload("action_ts must be a string")
        return f"{payload.get('type')}:{trigger}:{ts}"
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:40]
    return f"{payload.get('type')}:{digest}"
