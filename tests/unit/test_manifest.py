"""The Slack app manifest declares exactly what the code listens for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

import handlers

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())


class Registrations:
    """Stands in for the Bolt app while ``handlers.register`` runs, noting what each
    listener is registered for (the registration itself, not what a docstring says)."""

    def __init__(self) -> None:
        self.seen: dict[str, set[Any]] = {}

    def __getattr__(self, kind: str) -> Any:
        def register(key: Any = None, *args: Any, **kwargs: Any) -> Any:
            self.seen.setdefault(kind, set()).add(key)
            return lambda fn: fn

        return register


def registrations() -> dict[str, set[Any]]:
    app = Registrations()
    handlers.register(app)  # type: ignore[arg-type]  # the recorder stands in for AsyncApp
    return app.seen


def handled_events() -> set[str]:
    return {e for e in registrations()["event"] if isinstance(e, str)}


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
    assert shortcut["type"] == "message"
    assert shortcut["callback_id"] in registrations()["shortcut"]
    assert COMMAND in registrations()["command"]


def test_every_request_url_is_the_one_endpoint():
    urls = [
        MANIFEST["settings"]["event_subscriptions"]["request_url"],
        MANIFEST["settings"]["interactivity"]["request_url"],
        MANIFEST["features"]["slash_commands"][0]["url"],
        MANIFEST["settings"]["interactivity"]["message_menu_options_url"],
    ]
    assert all(u.endswith("/slack/events") for u in urls)
