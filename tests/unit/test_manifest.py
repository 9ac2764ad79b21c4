"""The Slack app manifest (bot/manifest.yml, shipped in the package) declares exactly what the
code listens for and calls, within Slack's documented limits, and `earshot manifest` fills in
its five URLs.

Limits: Slack's manifest schema, https://github.com/slackapi/manifest-schema
(schemas/manifest.schema.1.0.0.json), the machine-readable form of the App manifest reference,
https://docs.slack.dev/reference/app-manifest. Scopes each method needs: the "Required scopes"
of https://docs.slack.dev/reference/methods/<method>; each event's: "Required scopes" of
https://docs.slack.dev/reference/events/<event>; the scope list: https://docs.slack.dev/reference/scopes.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from slack_sdk.web.async_client import AsyncWebClient

import handlers
from bot.cli.main import main
from bot.cli.manifest import PLACEHOLDER, bundled, render
from bot.scopes import SCOPE_REASONS
from bot.slack.home import how_to
from handlers.commands.help import intro

ROOT = Path(__file__).resolve().parents[2]
TEXT = bundled()
MANIFEST = yaml.safe_load(TEXT)

# Bot scopes Slack documents (a subset of https://docs.slack.dev/reference/scopes: the ones an
# app like this could ask for), to catch a typo that Slack would refuse.
DOCUMENTED_SCOPES = {
    "app_mentions:read", "bookmarks:read", "calls:read", "channels:history", "channels:join",
    "channels:manage", "channels:read", "chat:write", "chat:write.customize", "chat:write.public",
    "commands", "emoji:read", "files:read", "files:write", "groups:history", "groups:read",
    "groups:write", "im:history", "im:read", "im:write", "links:read", "links:write",
    "metadata.message:read", "mpim:history", "mpim:read", "mpim:write", "pins:read", "pins:write",
    "reactions:read", "reactions:write", "reminders:read", "team:read", "usergroups:read",
    "users.profile:read", "users:read", "users:read.email", "users:write",
}
# Web API method -> the scopes it needs (any one of a tuple's scopes, by conversation type).
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "auth.test": (), "auth.teams.list": (), "chat.getPermalink": (), "oauth.v2.access": (),
    "views.open": (), "views.push": (), "views.update": (), "views.publish": (),
    "chat.postMessage": ("chat:write",), "chat.postEphemeral": ("chat:write",),
    "chat.update": ("chat:write",),
    "conversations.history": ("channels:history", "groups:history", "im:history", "mpim:history"),
    "conversations.replies": ("channels:history", "groups:history", "im:history", "mpim:history"),
    "conversations.info": ("channels:read", "groups:read", "im:read", "mpim:read"),
    "conversations.list": ("channels:read", "groups:read", "im:read", "mpim:read"),
    "conversations.open": ("im:write", "mpim:write"),
    "reactions.add": ("reactions:write",), "reactions.remove": ("reactions:write",),
    "users.info": ("users:read",), "users.list": ("users:read",),
    "users.lookupByEmail": ("users:read.email",),  # api.slack.com/methods/users.lookupByEmail
    "team.info": ("team:read",),
    "files.getUploadURLExternal": ("files:write",), "files.completeUploadExternal": ("files:write",),
}
# Event -> the scope that subscribes to it (None: no scope needed).
EVENT_SCOPES: dict[str, str | None] = {
    "app_home_opened": None, "app_uninstalled": None, "tokens_revoked": None,
    "team_access_granted": None, "team_access_revoked": None,
    "app_mention": "app_mentions:read", "reaction_added": "reactions:read",
    "reaction_removed": "reactions:read", "message.channels": "channels:history",
    "message.groups": "groups:history", "message.im": "im:history", "message.mpim": "mpim:history",
}
# Slash commands and shortcuts come with the `commands` scope.
FEATURE_SCOPES = {"commands"}


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


def test_texts_name_the_shortcut_as_the_manifest_does():
    [shortcut] = MANIFEST["features"]["shortcuts"]
    assert f"*{shortcut['name']}*" in how_to("memo")
    assert f"*{shortcut['name']}*" in intro("memo")


def urls(node: Any, path: str = "") -> dict[str, str]:
    """Every URL in the manifest, by where it is."""
    if isinstance(node, dict):
        return {k: v for key, value in node.items() for k, v in urls(value, f"{path}.{key}").items()}
    if isinstance(node, list):
        return {k: v for i, value in enumerate(node) for k, v in urls(value, f"{path}[{i}]").items()}
    return {path: node} if isinstance(node, str) and node.startswith("http") else {}


def test_the_manifest_has_five_urls_and_its_comment_says_so():
    found = urls(MANIFEST)
    assert sorted(found) == [
        ".features.slash_commands[0].url",
        ".oauth_config.redirect_urls[0]",
        ".settings.event_subscriptions.request_url",
        ".settings.interactivity.message_menu_options_url",
        ".settings.interactivity.request_url",
    ]
    assert found.pop(".oauth_config.redirect_urls[0]") == f"{PLACEHOLDER}/slack/oauth_redirect"
    assert set(found.values()) == {f"{PLACEHOLDER}/slack/events"}
    assert "It has five URLs" in TEXT
    words = re.findall(r"\b(three|four|five|six) (?:request )?URLs\b", TEXT + (ROOT / "docs/deploy.md").read_text())
    assert set(words) == {"five"}, words


# Slack's limits (manifest.schema.1.0.0.json; the reference page says the same in prose).
LIMITS = {
    "display_information.name": (1, 35),
    "display_information.description": (1, 140),
    # The reference's prose says at least 174; the schema says 175: keep to the stricter.
    "display_information.long_description": (175, 4000),
    "features.bot_user.display_name": (1, 80),
}


@pytest.mark.parametrize("where", sorted(LIMITS))
def test_display_texts_are_within_slacks_limits(where: str) -> None:
    node: Any = MANIFEST
    for key in where.split("."):
        node = node[key]
    low, high = LIMITS[where]
    assert low <= len(node) <= high, (where, len(node))


def test_everything_else_is_within_slacks_limits():
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", MANIFEST["display_information"]["background_color"])
    shortcuts = MANIFEST["features"]["shortcuts"]
    assert 1 <= len(shortcuts) <= 10
    for s in shortcuts:
        assert 1 <= len(s["name"]) <= 24, s["name"]
        assert 1 <= len(s["callback_id"]) <= 255 and 1 <= len(s["description"]) <= 150
        assert s["type"] in ("message", "global")
    commands = MANIFEST["features"]["slash_commands"]
    assert 1 <= len(commands) <= 50
    for c in commands:
        # 2-32 characters starting with "/" (schema); lowercase, no spaces (Slack's app config).
        assert re.fullmatch(r"/[a-z0-9_\-]{1,31}", c["command"]), c["command"]
        assert 1 <= len(c["description"]) <= 2000 and 1 <= len(c["usage_hint"]) <= 1000
    bot = MANIFEST["oauth_config"]["scopes"]["bot"]
    assert len(bot) <= 255 and all(len(s) <= 50 for s in bot) and len(set(bot)) == len(bot)
    events = MANIFEST["settings"]["event_subscriptions"]["bot_events"]
    assert len(events) <= 100 and len(set(events)) == len(events) and all(len(e) <= 50 for e in events)
    allowed_settings = {"allowed_ip_address_ranges", "event_subscriptions", "incoming_webhooks",
                        "interactivity", "org_deploy_enabled", "socket_mode_enabled", "is_hosted",
                        "token_rotation_enabled", "siws_links", "hermes_app_type", "function_runtime",
                        "is_mcp_enabled"}
    assert set(MANIFEST["settings"]) <= allowed_settings
    assert set(MANIFEST) <= {"_metadata", "display_information", "features", "oauth_config", "settings"}


def api_methods(sdk_method: str) -> set[str]:
    """The Web API methods an AsyncWebClient method calls (read from the SDK's own source)."""
    src = inspect.getsource(getattr(AsyncWebClient, sdk_method))
    found = set(re.findall(r"api_call\(\s*\"([a-zA-Z.]+)\"", src))
    found |= {m for name in re.findall(r"self\.([a-z]+_[a-zA-Z_]+)\(", src)
              if name != sdk_method and hasattr(AsyncWebClient, name) for m in api_methods(name)}
    return found


def methods_called() -> set[str]:
    """The Web API methods the bot's code calls (SDK methods and the outbox's method names)."""
    found: set[str] = set()
    for path in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("handlers").rglob("*.py")]:
        if {"fakeslack", "demo"} & set(path.parts):
            continue  # the stand-in and the demo are not the bot
        src = path.read_text()
        for name in re.findall(r"\.((?:auth|chat|conversations|files|reactions|team|users|views|oauth)"
                               r"_[a-zA-Z0-9_]+)\(", src):
            found |= api_methods(name)
        found |= set(re.findall(r"\"((?:chat|reactions|conversations)\.[a-zA-Z]+)\"", src))
    return found


def test_every_method_the_code_calls_is_covered_by_a_scope():
    called = methods_called()
    assert {"chat.postEphemeral", "reactions.add", "files.completeUploadExternal", "auth.teams.list"} <= called
    granted = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    for method in called:
        assert method in METHOD_SCOPES, f"{method}: add its required scopes to METHOD_SCOPES"
        needs = METHOD_SCOPES[method]
        assert not needs or set(needs) & granted, (method, needs)


def test_every_scope_is_real_needed_and_explained():
    granted = MANIFEST["oauth_config"]["scopes"]["bot"]
    assert set(granted) <= DOCUMENTED_SCOPES
    assert sorted(granted) == sorted(SCOPE_REASONS)  # the install page's table
    used = {s for m in methods_called() for s in METHOD_SCOPES[m]} | FEATURE_SCOPES
    used |= {EVENT_SCOPES[e] for e in MANIFEST["settings"]["event_subscriptions"]["bot_events"]} - {None}
    unused = set(granted) - used
    assert not unused, f"asked for but never used: {unused}"
    for scope, why in SCOPE_REASONS.items():
        assert why.endswith(".") and 20 <= len(why) <= 300, scope


def test_earshot_manifest_fills_in_the_five_urls():
    text = render(url="https://feedback.acme.example/earshot/")
    data = yaml.safe_load(text)
    found = urls(data)
    assert len(found) == 5 and PLACEHOLDER not in text
    assert all(u.startswith("https://feedback.acme.example/earshot/slack/") for u in found.values())
    assert data["settings"]["socket_mode_enabled"] is False


def test_earshot_manifest_for_socket_mode_has_no_url():
    text = render(socket=True)
    data = yaml.safe_load(text)
    assert urls(data) == {} and "http" not in "".join(ln.split("#")[0] for ln in text.splitlines())
    assert data["settings"]["socket_mode_enabled"] is True
    assert data["settings"]["interactivity"] == {"is_enabled": True}
    assert data["oauth_config"]["scopes"]["bot"] == MANIFEST["oauth_config"]["scopes"]["bot"]


def test_the_manifest_command():
    runner = CliRunner()
    ok = runner.invoke(main, ["manifest", "--url", "https://earshot.acme.example"])
    assert ok.exit_code == 0 and "https://earshot.acme.example/slack/oauth_redirect" in ok.stdout
    assert yaml.safe_load(ok.stdout) == yaml.safe_load(render(url="https://earshot.acme.example"))
    plain = runner.invoke(main, ["manifest"])
    assert plain.exit_code == 0 and plain.stdout == TEXT and "replace https://earshot.example.com" in plain.stderr
    for bad, why in (("http://earshot.acme.example", "https://"), ("https://x.example/?a=1", "?query"),
                     ("earshot.acme.example", "https://")):
        res = runner.invoke(main, ["manifest", "--url", bad])
        assert res.exit_code == 2 and why in res.stderr, res.output
    both = runner.invoke(main, ["manifest", "--url", "https://x.example", "--socket"])
    assert both.exit_code == 2
