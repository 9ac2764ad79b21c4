"""Parsing what Slack POSTs and keying it for idempotency."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from bot.server.intake import BadPayload, envelope, parse_body


def test_event_callback_is_keyed_by_event_id():
    env = envelope({"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event": {"type": "x"}})
    assert (env.kind, env.team_id, env.key) == ("event", "T1", "ev:Ev1")


def test_slash_command_form_is_keyed_by_trigger_id():
    body = urlencode({"command": "/feedback", "text": "hi", "team_id": "T1", "trigger_id": "13345224609.738474920.8088930838d88f008e0"})
    env = envelope(parse_body(body.encode(), "application/x-www-form-urlencoded"))
    assert env.kind == "command" and env.key.startswith("cmd:13345224609")


def test_interactive_payload_field_is_decoded():
    payload = {"type": "block_actions", "team": {"id": "T9"}, "trigger_id": "1.2.3", "actions": [{"action_ts": "5.5"}]}
    body = urlencode({"payload": json.dumps(payload)})
    env = envelope(parse_body(body.encode(), "application/x-www-form-urlencoded"))
    assert (env.kind, env.team_id, env.key) == ("interactive", "T9", "ix:block_actions:1.2.3:5.5")


def test_view_closed_without_trigger_gets_a_stable_key():
    payload = {"type": "view_closed", "team": {"id": "T9"}, "view": {"id": "V1"}}
    assert envelope(payload).key == envelope(dict(payload)).key


@pytest.mark.parametrize(
    ("body", "ctype", "why"),
    [
        (b"{oops", "application/json", "not valid JSON"),
        (b"[]", "application/json", "must be an object"),
        (b"\xff\xfe", "application/json", "UTF-8"),
        (b"payload=%7B", "application/x-www-form-urlencoded", "payload field"),
        (b"", "application/x-www-form-urlencoded", "empty form"),
        (b"<a/>", "text/xml", "unsupported content type"),
    ],
)
def test_malformed_bodies_say_why(body, ctype, why):
    with pytest.raises(BadPayload, match=why):
        parse_body(body, ctype)


def test_event_callback_without_event_id_is_malformed():
    with pytest.raises(BadPayload):
        envelope({"type": "event_callback", "event": {}})


def test_unknown_shapes_are_ignored_not_errors():
    assert envelope({"type": "app_rate_limited", "team_id": "T1"}).kind == "ignored"
    assert envelope({"ssl_check": "1"}).kind == "ssl_check"
