"""`earshot manifest`: the Slack app manifest that ships with the package, with your URLs.

The manifest is package data (bot/manifest.yml), so an installed Earshot has it wherever pip
put it; `earshot doctor` reads its scopes from the same file. Its comments stay in the output:
Slack's manifest editor accepts YAML comments, and they say what each part is for.
"""

from __future__ import annotations

import re
from importlib import resources
from urllib.parse import urlsplit

import click
import yaml

from bot.cli.common import fail

PLACEHOLDER = "https://earshot.example.com"
# The lines that carry one of the manifest's five URLs (the redirect URL is a list item).
_URL_KEYS = re.compile(r"^\s*(url|request_url|message_menu_options_url):\s")
_REDIRECTS = re.compile(r"^\s*redirect_urls:\s*$")


def bundled() -> str:
    """The manifest as shipped, placeholders and comments included."""
    return resources.files("bot").joinpath("manifest.yml").read_text(encoding="utf-8")


def bot_scopes(text: str) -> set[str] | None:
    """The bot scopes a manifest asks for (None when it cannot be read as one)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    scopes = (((data or {}).get("oauth_config") or {}).get("scopes") or {}).get("bot")
    return {str(s) for s in scopes} if isinstance(scopes, list) else None


def base_url(url: str) -> str:
    """``url`` as the base of the five URLs, or ValueError saying what is wrong with it."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("must be an https:// URL (Slack sends requests only to HTTPS), "
                         "e.g. https://earshot.your-company.com")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("must be the base URL alone, without ?query, #fragment or user:password@")
    if any(c.isspace() or c in "\"'<>" for c in url.strip()):
        raise ValueError("must not contain spaces or quotes")
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


def render(*, url: str | None = None, socket: bool = False) -> str:
    """The manifest with ``url`` in place of the placeholder, or for Socket Mode without URLs."""
    text = bundled()
    if socket:
        return _for_socket_mode(text)
    if url:
        text = text.replace(PLACEHOLDER, base_url(url))
    return text


def _for_socket_mode(text: str) -> str:
    """Socket Mode: Slack reaches the bot over the socket, so the manifest names no URL (and
    a removed line's own comment goes with it)."""
    out: list[str] = []
    comments: list[str] = []  # comment lines waiting to see whether their line stays
    in_redirects = False
    for line in text.splitlines(keepends=True):
        if in_redirects and line.lstrip().startswith("- "):
            continue
        in_redirects = False
        if line.lstrip().startswith("#"):
            comments.append(line)
            continue
        if _REDIRECTS.match(line) or _URL_KEYS.match(line):
            in_redirects = bool(_REDIRECTS.match(line))  # OAuth installs need `earshot serve`
            comments.clear()
            continue
        out += comments
        comments.clear()
        out.append(line.replace("socket_mode_enabled: false", "socket_mode_enabled: true"))
    return "".join(out + comments)


@click.command("manifest")
@click.option("--url", metavar="https://HOST",
              help="Your public base URL: fills in the five URLs (events, interactivity, the "
                   "command, menu options, OAuth redirect).")
@click.option("--socket", is_flag=True, default=False,
              help="For Socket Mode (`earshot socket`): no URLs, socket_mode_enabled: true.")
def manifest_command(url: str | None, socket: bool) -> None:
    """Print the Slack app manifest to paste at api.slack.com/apps (Create New App, From an
    app manifest)."""
    if url and socket:
        fail("--url and --socket exclude each other: Socket Mode needs no URL.", status=2)
    try:
        text = render(url=url, socket=socket)
    except ValueError as e:
        fail(f"--url {e}.", status=2)
    if not url and not socket:
        click.echo(f"earshot: no --url given: replace {PLACEHOLDER} with your public URL before "
                   "pasting (or pass --url https://your-host).", err=True)
    click.echo(text, nl=False)
