"""Building ``mrkdwn`` from Earshot's own markup and text that came from outside Earshot.

Slack reads ``<…>`` in a ``mrkdwn`` field (and in a message's top-level ``text``) as markup:
``<!channel>`` pings a channel, ``<@U1>`` a person, ``<https://evil.example|Acme portal>``
is a link whose label hides where it goes. Text Earshot did not write (a customer's words, a
teammate's note, a process or customer name, an improvement's title, a theme label, another
app's post) must never be read that way, so it reaches a ``mrkdwn`` field only through
``bot.slack.text.shown`` (Slack's own markup read as plain words, then ``&``, ``<`` and ``>``
escaped, as Slack's "Formatting text for app surfaces" asks).

This module is how a builder places such text, so it cannot forget:

- ``Mrkdwn``: a ``str`` that is safe as it stands (Earshot's markup, or outside text made safe).
- ``md(template, *args)``: Earshot's own template with every argument made safe (``shown``),
  unless the argument is already ``Mrkdwn`` (a link, a mention, a quote built here).
- ``clip``/``quote``: outside text cut to a length *before* it is escaped (a cut never splits
  ``&amp;``), then escaped.
- ``link``/``mention``/``channel``: Earshot's own markup, built only from a checked URL or id; a
  URL that is not plain ``https`` (or holds ``<``, ``>``, ``|``, spaces) is never wrapped.

``plain_text`` fields (modal inputs, option texts, headers, titles) need none of this.
"""

from __future__ import annotations

import re
from typing import Any

from bot.slack.text import escape, shown, truncate, words

_USER_ID = re.compile(r"[UW][A-Z0-9]+")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]+")
# An https URL Slack can carry inside <url|label>: no spaces, no control characters, none of
# the three characters that end or split the markup.
_SAFE_URL = re.compile(r"https://[^\s<>|\"\x00-\x1f\x7f]+")
_WEB_URL = re.compile(r"https?://[^\s<>|\"\x00-\x1f\x7f]+")


class Mrkdwn(str):
    """Text that is safe in a ``mrkdwn`` field as it stands: Earshot's own markup, or outside
    text already made safe here. ``md`` places it without escaping it again."""

    __slots__ = ()


def safe(value: object) -> Mrkdwn:
    """``value`` for a mrkdwn field: ``Mrkdwn`` as it is, anything else read and escaped."""
    if isinstance(value, Mrkdwn):
        return value
    return Mrkdwn(shown(None if value is None else str(value)))


def _arg(value: object) -> object:
    # Numbers keep their format specs ({:,} {:.1f}); every piece of text is made safe.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return safe(value)


def md(template: str, /, *args: object, **kwargs: object) -> Mrkdwn:
    """``template.format(...)`` where ``template`` is Earshot's own mrkdwn (never outside text)
    and each argument is made safe: ``md("Added *{}*.", name)``."""
    return Mrkdwn(template.format(*(_arg(a) for a in args), **{k: _arg(v) for k, v in kwargs.items()}))


def join(parts: Any, sep: str = ", ") -> Mrkdwn:
    """Pieces joined by Earshot's ``sep``, each made safe (``Mrkdwn`` pieces kept)."""
    return Mrkdwn(sep.join(safe(p) for p in parts))


def cut(plain: str, limit: int) -> str:
    """Plain text (not yet escaped) cut to ``limit`` characters, marking the cut."""
    return plain if len(plain) <= limit else plain[: max(0, limit - 1)].rstrip() + "…"


def clip(text: str | None, limit: int, *, one_line: bool = True) -> Mrkdwn:
    """Outside text read as words, cut to ``limit`` characters as a reader sees them, then
    escaped (the cut comes first, so it never halves an entity)."""
    plain = words(text or "")
    if one_line:
        plain = " ".join(plain.split())
    return Mrkdwn(escape(cut(plain.strip(), limit)))


def quote(text: str | None, limit: int, *, empty: str = "(no text)") -> Mrkdwn:
    """A Slack blockquote of outside text, cut to ``limit`` characters, one ``> `` per line."""
    plain = cut(words(text or "").strip() or empty, limit)
    return Mrkdwn("\n".join("> " + escape(line) for line in plain.splitlines() or [""]))


def bold(text: str | None) -> Mrkdwn:
    return md("*{}*", text)


def is_safe_url(url: object) -> bool:
    """An https URL that can sit inside ``<url|label>`` without ending or splitting it."""
    return isinstance(url, str) and bool(_SAFE_URL.fullmatch(url))


def link(url: str | None, label: object) -> Mrkdwn:
    """``<url|label>`` with ``label`` made safe, for a URL that passes ``is_safe_url``; an
    ``http`` address is shown as text beside the label (Slack links it by itself); anything
    else shows the label alone, never a link."""
    text = safe(label)
    if is_safe_url(url):
        assert url is not None
        return Mrkdwn(f"<{url.replace('&', '&amp;')}|{text}>")
    if isinstance(url, str) and _WEB_URL.fullmatch(url):
        return Mrkdwn(f"{text} ({escape(url)})")
    return text


def mention(user_id: str | None, *, fallback: str = "someone") -> Mrkdwn:
    """``<@U…>`` for a user id Earshot chose to name; anything that is not an id reads as text."""
    if user_id and _USER_ID.fullmatch(user_id):
        return Mrkdwn(f"<@{user_id}>")
    return safe(user_id or fallback)


def channel(channel_id: str | None, *, fallback: str = "a channel") -> Mrkdwn:
    """``<#C…>`` for a channel id; anything that is not an id reads as text."""
    if channel_id and _CHANNEL_ID.fullmatch(channel_id):
        return Mrkdwn(f"<#{channel_id}>")
    return safe(channel_id or fallback)


def fit(text: str, limit: int) -> Mrkdwn:
    """Safe mrkdwn cut to ``limit`` characters (a section's 3,000) without splitting markup
    or an entity."""
    return Mrkdwn(truncate(text, limit))
