"""The Slack app manifest declares exactly what the code listens for."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())


def handled_events() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "handlers").rglob("*.py"):
        found |= set(re.findall(r'@app\.event\("([a-z_]+)"', path.read_text()))
    return found


def test_every_handled_event_is_subscribed():
    subscribed = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    for event in handled_events():
        if event == "message":
            assert {"message.channels", "message.groups", "message.im"} <= subscribed
        else:
            assert event in subscribed, event


def test_every_subscription_is_handled():
    handled = handled_events()
    for event in MANIFEST["settings"]["event_subscriptions"]["bot_events"]:
        assert event.split(".")[0] in handled, event


def test_command_and_shortcut_match_the_code():
    from handlers.commands.router import COMMAND

    [command] = MANIFEST["features"]["slash_commands"]
    assert command["command"] == COMMAND and command["should_escape"] is True
    [shortcut] = MANIFEST["features"]["shortcuts"]
    assert shortcut["type"] == "message" and shortcut["callback_id"] == "file_feedback"
    assert shortcut["callback_id"] in (ROOT / "handlers" / "shortcuts.py").read_text()


def test_every_request_url_is_the_one_endpoint():
    urls = [
        MANIFEST["settings"]["event_subscriptions"]["request_url"],
        MANIFEST["settings"]["interactivity"]["request_url"],
        MANIFEST["features"]["slash_commands"][0]["url"],
    ]
    assert all(u.endswith("/slack/events") for u in urls)
