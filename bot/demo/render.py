"""Block Kit as terminal text: what a person would have seen in Slack, readable in a shell.

Renders exactly the blocks the bot sent (recorded by the Slack stand-in), so what the demo
prints is what a workspace would have shown: sections and their quotes, context lines,
selects and buttons, headers and dividers. Slack's mrkdwn is turned into plain text:
``<@U…>`` becomes the person's name, ``<#C…>`` the channel, links keep their label, and
the common emoji become their Unicode characters (or disappear on a non-UTF-8 terminal).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from typing import Any

EMOJI = {
    "inbox_tray": "📥", "large_green_circle": "🟢", "red_circle": "🔴", "white_circle": "⚪",
    "wrench": "🔧", "trophy": "🏆", "chart_with_upwards_trend": "📈", "small_red_triangle": "▲",
    "small_red_triangle_down": "▼", "mute": "🔇", "zzz": "💤", "white_check_mark": "✅",
    "warning": "⚠️", "pencil2": "✏️", "eyes": "👀", "memo": "📝", "speech_balloon": "💬",
    "hourglass": "⌛", "leftwards_arrow_with_hook": "↩️", "wastebasket": "🗑️", "tada": "🎉",
    "thinking_face": "🤔", "robot_face": "🤖", "bar_chart": "📊", "calendar": "📅",
    "bust_in_silhouette": "👤", "busts_in_silhouette": "👥", "bell": "🔔", "mag": "🔍",
    "star": "⭐", "arrow_up": "⬆", "arrow_down": "⬇", "x": "❌", "heavy_check_mark": "✔",
    "rocket": "🚀", "star2": "🌟", "spiral_note_pad": "🗒️", "hammer_and_wrench": "🛠️",
    "test_tube": "🧪", "hourglass_flowing_sand": "⏳", "heavy_minus_sign": "➖", "no_bell": "🔕",
    "globe_with_meridians": "🌐", "lock": "🔒", "office": "🏢", "label": "🏷️", "new": "🆕",
    "bulb": "💡", "sparkles": "✨",
}

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
_DATE = re.compile(r"<!date\^[^|>]*\|([^>]*)>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_SUBTEAM = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_EMOJI = re.compile(r":([a-z0-9_+\-']+):")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_CODE = re.compile(r"`([^`\n]+)`")
_ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")


class Names:
    """Turns user and channel ids into names (from the stand-in's workspace)."""

    def __init__(self, users: dict[str, str] | None = None, channels: dict[str, str] | None = None) -> None:
        self.users = users or {}
        self.channels = channels or {}

    def user(self, user_id: str) -> str:
        return self.users.get(user_id, user_id)

    def channel(self, channel_id: str) -> str:
        return self.channels.get(channel_id, channel_id)


class Style:
    """Bold text and dim context with ANSI codes, or plain (``color=False``)."""

    def __init__(self, *, color: bool = False, unicode: bool = True) -> None:
        self.color = color
        self.unicode = unicode

    def bold(self, text: str) -> str:
        return f"\x1b[1m{text}\x1b[22m" if self.color else text

    def dim(self, text: str) -> str:
        return f"\x1b[2m{text}\x1b[22m" if self.color else text

    def emoji(self, name: str) -> str | None:
        char = EMOJI.get(name)
        if char is None:
            return None
        return char if self.unicode else ""


def mrkdwn(text: str, names: Names, style: Style | None = None) -> str:
    """Slack mrkdwn -> readable terminal text."""
    style = style or Style()
    text = _USER.sub(lambda m: "@" + (m.group(2) or names.user(m.group(1))), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or names.channel(m.group(1))), text)
    text = _DATE.sub(lambda m: m.group(1), text)
    text = _SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = _SUBTEAM.sub(lambda m: m.group(1) or "@group", text)
    # A permalink is noise in a terminal; its label ("view", "View message") says enough.
    text = _LINK.sub(lambda m: f"{m.group(2)} ↗" if m.group(2) else m.group(1), text)

    def emoji(m: re.Match[str]) -> str:
        char = style.emoji(m.group(1))
        return m.group(0) if char is None else char

    text = _EMOJI.sub(emoji, text)
    text = _BOLD.sub(lambda m: style.bold(m.group(1)), text)
    text = _CODE.sub(lambda m: m.group(1), text)
    text = _ITALIC.sub(lambda m: m.group(1), text)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")):
        text = text.replace(entity, char)
    text = re.sub(r"  +", " ", text).replace(" \n", "\n")
    return text.strip()


def _text_of(obj: Any, names: Names, style: Style) -> str:
    if not isinstance(obj, dict):
        return ""
    raw = str(obj.get("text", ""))
    return mrkdwn(raw, names, style) if obj.get("type") == "mrkdwn" else _plain_emoji(raw, style)


def _plain_emoji(text: str, style: Style) -> str:
    def emoji(m: re.Match[str]) -> str:
        char = style.emoji(m.group(1))
        return m.group(0) if char is None else char

    return _EMOJI.sub(emoji, text)


def _element(el: dict[str, Any], names: Names, style: Style) -> str:
    kind = el.get("type")
    if kind == "button":
        return f"[ {_text_of(el.get('text'), names, style)} ]"
    if kind in ("static_select", "external_select", "users_select", "conversations_select",
                "channels_select", "radio_buttons"):
        chosen = el.get("initial_option") or {}
        label = _text_of(chosen.get("text"), names, style) if chosen else _text_of(el.get("placeholder"), names, style)
        return f"[ {label or 'choose'} ▾ ]"
    if kind == "overflow":
        return "[ ⋯ ]"
    if kind in ("plain_text", "mrkdwn"):
        return _text_of(el, names, style)
    if kind == "image":
        return f"(image: {el.get('alt_text', '')})"
    return f"[{kind}]"


def _wrap(text: str, width: int, indent: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines() or [""]:
        quote = line.startswith("> ") or line == ">"
        body = line[2:] if quote else line
        lead = indent + ("│ " if quote else "")
        if not body:
            out.append(lead.rstrip())
            continue
        # ANSI codes do not take room on screen; wrapping counts them anyway, harmlessly.
        out.extend(textwrap.wrap(body, width=max(20, width - len(lead)), initial_indent=lead,
                                 subsequent_indent=lead, break_on_hyphens=False) or [lead])
    return out


def render_blocks(blocks: Iterable[dict[str, Any]], names: Names, *, style: Style | None = None,
                  width: int = 96, indent: str = "  ") -> list[str]:
    """Lines of terminal text for a list of Block Kit blocks."""
    style = style or Style()
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = _text_of(block.get("text"), names, style)
            lines += [indent + style.bold(title), indent + "═" * min(len(title), width - len(indent))]
        elif kind == "section":
            text = _text_of(block.get("text"), names, style)
            if text:
                lines += _wrap(text, width, indent)
            for field in block.get("fields") or []:
                lines += _wrap(_text_of(field, names, style), width, indent + "  ")
            accessory = block.get("accessory")
            if isinstance(accessory, dict):
                lines.append(indent + "  " + _element(accessory, names, style))
        elif kind == "context":
            parts = [_element(e, names, style) for e in block.get("elements") or []]
            lines += [style.dim(ln) for ln in _wrap(" ".join(p for p in parts if p), width, indent)]
        elif kind == "divider":
            lines.append(indent + style.dim("─" * (width - len(indent))))
        elif kind == "actions":
            parts = [_element(e, names, style) for e in block.get("elements") or []]
            lines.append(indent + "  ".join(parts))
        elif kind == "image":
            lines.append(indent + f"(image: {block.get('alt_text', '')})")
        elif kind == "rich_text":
            lines += _wrap(_rich_text(block), width, indent)
        elif kind == "input":
            label = _text_of(block.get("label"), names, style)
            lines.append(indent + f"{label}: {_element(block.get('element') or {}, names, style)}")
    return lines


def _rich_text(block: dict[str, Any]) -> str:
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text":
                out.append(str(node.get("text", "")))
            for child in node.get("elements") or []:
                walk(child)

    walk(block)
    return "".join(out)


def boxed(title: str, lines: list[str], *, style: Style | None = None, width: int = 96) -> list[str]:
    """A titled frame around rendered lines: ``┌─ title ─…``, the lines, ``└─…``."""
    style = style or Style()
    if len(title) > width - 6:
        title = title[: width - 7] + "…"
    head = f"┌─ {title} "
    return [style.bold(head) + "─" * max(0, width - len(head)), *lines, "└" + "─" * (width - 1)]


def message_lines(message: dict[str, Any], names: Names, *, style: Style | None = None,
                  width: int = 96) -> list[str]:
    """A message payload (``text`` + ``blocks``): its blocks, or its text when it has none."""
    blocks = message.get("blocks")
    if isinstance(blocks, list) and blocks:
        return render_blocks(blocks, names, style=style, width=width)
    return _wrap(mrkdwn(str(message.get("text", "")), names, style), width, "  ")
