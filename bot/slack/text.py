"""Pure functions that pull a remark out of any Slack payload shape.

Shapes handled (see tests/unit/test_slack_text.py for real examples): a plain message,
a thread reply, a forwarded/shared message whose text lives in ``attachments`` (and its
``message_blocks``), rich-text ``blocks`` with no ``text``, edits (``message_changed``
puts the new message in ``event.message``) and bot messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.slack.app_post import AppPost

MAX_TEXT = 40_000  # Slack's own limit for a message


@dataclass(frozen=True)
class Original:
    """The message a remark is about: where it lives and what it said."""

    channel_id: str
    ts: str
    text: str
    user_id: str | None
    team_id: str | None
    thread_ts: str | None = None
    permalink: str | None = None
    # Another app's post: what its rule read from it (bot.slack.apps); None for a person's.
    app: AppPost | None = None


def as_dict(value: object) -> dict[str, Any]:
    """``value`` if Slack sent an object there, else an empty one (payloads vary)."""
    return value if isinstance(value, dict) else {}


def is_bot_message(msg: dict[str, Any]) -> bool:
    return bool(msg.get("bot_id") or msg.get("subtype") == "bot_message" or msg.get("bot_profile"))


# Subtypes that are still a person speaking. Everything else (joins and leaves, topic
# changes, bot posts, edits, deletions, subtypes Slack adds later) is not a remark.
HUMAN_SUBTYPES = frozenset({"file_share", "me_message"})


def is_human_post(msg: dict[str, Any]) -> bool:
    """A new message a person wrote (not a bot, not a system notice)."""
    subtype = msg.get("subtype")
    if subtype and subtype not in HUMAN_SUBTYPES:
        return False
    return bool(msg.get("user")) and not is_bot_message(msg)


def message_text(msg: dict[str, Any]) -> str:
    """The human text of a message: ``text``, else its rich-text blocks."""
    text = msg.get("text")
    if isinstance(text, str) and text.strip():
        return text[:MAX_TEXT]
    return blocks_text(msg.get("blocks"))[:MAX_TEXT]


def blocks_text(blocks: Any) -> str:
    """Flatten rich_text / section blocks back into Slack's mrkdwn-ish text form."""
    if not isinstance(blocks, list):
        return ""
    out: list[str] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "rich_text":
            out.append("".join(_rich(el) for el in block.get("elements") or []))
        elif block.get("type") in ("section", "header", "context"):
            txt = block.get("text")
            if isinstance(txt, dict) and isinstance(txt.get("text"), str):
                out.append(txt["text"])
            for el in block.get("elements") or []:
                if isinstance(el, dict) and isinstance(el.get("text"), str):
                    out.append(el["text"])
    return "\n".join(s for s in out if s).strip()


def _rich(el: Any) -> str:
    if not isinstance(el, dict):
        return ""
    kind = el.get("type")
    if kind in ("rich_text_section", "rich_text_preformatted", "rich_text_quote"):
        return "".join(_rich(e) for e in el.get("elements") or [])
    if kind == "rich_text_list":
        return "\n".join("• " + _rich(e) for e in el.get("elements") or []) + "\n"
    if kind == "text":
        return str(el.get("text", ""))
    if kind == "link":
        url, label = el.get("url", ""), el.get("text")
        return f"<{url}|{label}>" if label else f"<{url}>"
    if kind == "user":
        return f"<@{el.get('user_id', '')}>"
    if kind == "channel":
        return f"<#{el.get('channel_id', '')}>"
    if kind == "usergroup":
        return f"<!subteam^{el.get('usergroup_id', '')}>"
    if kind == "broadcast":
        return f"<!{el.get('range', 'here')}>"
    if kind == "emoji":
        return f":{el.get('name', '')}:"
    return ""


def shared_original(msg: dict[str, Any], *, include_unfurls: bool = True) -> Original | None:
    """The original message inside a forward/share, or None if ``msg`` is not a forward.

    A forward ("Forward message…") carries the original only in an attachment marked
    ``is_share`` (usually also ``is_msg_unfurl``); its text is in the attachment's ``text``,
    or only in ``message_blocks`` (rich text), and its author in ``author_id``. A pasted
    message link unfurls into the same shape without ``is_share``: with
    ``include_unfurls=False`` such unfurls are not taken for forwards.
    """
    attachments = msg.get("attachments")
    if not isinstance(attachments, list):
        return None
    for att in attachments:
        if not isinstance(att, dict):
            continue
        if not (att.get("is_share") or (include_unfurls and att.get("is_msg_unfurl"))):
            continue
        channel, ts = att.get("channel_id"), att.get("ts")
        if not channel or not ts:
            continue
        raw_text = att.get("text")
        text: str = raw_text if isinstance(raw_text, str) else ""
        if not text.strip():
            for mb in att.get("message_blocks") or []:
                if isinstance(mb, dict):
                    text = blocks_text((mb.get("message") or {}).get("blocks"))
                    if text:
                        break
        fallback = att.get("fallback")
        if not text.strip() and isinstance(fallback, str):
            # "[March 3, 2025 10:02 AM] Carla Reyes: the text": keep only the text.
            text = _FALLBACK_HEAD.sub("", fallback, count=1)
        from_url = att.get("from_url") or att.get("original_url")
        return Original(
            channel_id=str(channel),
            ts=str(ts),
            text=str(text)[:MAX_TEXT],
            user_id=att.get("author_id") or None,
            team_id=att.get("author_team") or att.get("channel_team") or None,
            thread_ts=_thread_of(from_url, str(ts)),
            permalink=from_url if isinstance(from_url, str) and from_url else None,
        )
    return None


_FALLBACK_HEAD = re.compile(r"^\[[^\]]*\]\s*[^:\n]*:\s?")
_THREAD_TS = re.compile(r"[?&]thread_ts=(\d+\.\d+)")


def _thread_of(url: Any, ts: str) -> str | None:
    """The thread a permalink points into (``?thread_ts=``), if not the message itself."""
    if not isinstance(url, str):
        return None
    m = _THREAD_TS.search(url)
    return m.group(1) if m and m.group(1) != ts else None


def is_thread_reply(msg: dict[str, Any]) -> bool:
    thread_ts = msg.get("thread_ts")
    return bool(thread_ts) and thread_ts != msg.get("ts")


def mentions(text: str | None, user_id: str | None) -> bool:
    """Whether ``text`` mentions ``user_id`` (``<@U123>`` or ``<@U123|name>``)."""
    if not text or not user_id:
        return False
    return f"<@{user_id}>" in text or f"<@{user_id}|" in text


def without_mention(text: str | None, user_id: str | None) -> str:
    """``text`` with every mention of ``user_id`` removed and whitespace tidied."""
    if not text:
        return ""
    if user_id:
        text = re.sub(rf"<@{re.escape(user_id)}(?:\|[^>]*)?>", " ", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_SUBTEAM = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>")


def readable(text: str, users: dict[str, str] | None = None) -> str:
    """Slack markup rendered for a reader who is not in Slack (terminal, CSV).

    Inside Slack, the stored text is shown as is: Slack renders its own markup.
    """
    users = users or {}
    # A mention reads as the name the caller knows, else the one Slack put in it, else the id.
    text = _MENTION.sub(lambda m: "@" + (users.get(m.group(1)) or m.group(2) or m.group(1)).lstrip("@"), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = _SUBTEAM.sub(lambda m: "@" + (m.group(1) or "group").lstrip("@"), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape(text: str) -> str:
    """Slack's escaping of its three control characters (``&``, ``<``, ``>``; Slack's
    "Formatting text for app surfaces", *Escaping text*): the text shows as typed and can
    neither ping anyone nor make a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shown(text: str | None, users: dict[str, str] | None = None) -> str:
    """Text that did not come from Earshot (a customer's words, a teammate's note, a name,
    another app's post), made safe for a ``mrkdwn`` or message ``text`` field: Slack's markup
    is read as plain words first (``<@U1>`` becomes ``@U1`` or the name in ``users``,
    ``<!channel>`` becomes ``@channel``, a labelled link shows its label *and* its address),
    then escaped. Text for ``plain_text`` fields needs only ``readable``."""
    if not text:
        return ""
    return escape(words(text, users))


def words(text: str, users: dict[str, str] | None = None) -> str:
    """``shown`` before escaping: what a reader should see, Slack's markup read as plain words
    (a labelled link as its label and its address). Cut this, not the escaped text, so a cut
    never halves an entity; then ``escape`` it for mrkdwn (bot.slack.mrkdwn does both)."""
    text = _LINK.sub(lambda m: _link_words(m.group(1), m.group(2)), text)
    return readable(text, users)


def _link_words(url: str, label: str | None) -> str:
    url = url.removeprefix("mailto:") if url.startswith("mailto:") else url
    if not label or label.strip() == url or label.strip() == url.split("://", 1)[-1]:
        return url
    return f"{label} ({url})"


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters without splitting Slack markup (``<…>``) or an
    entity (``&amp;``, ``&lt;``, ``&gt;``), marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    open_at = cut.rfind("<")
    if open_at > cut.rfind(">"):
        cut = cut[:open_at]
    amp = cut.rfind("&", max(0, len(cut) - 4))
    if amp >= 0 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "…"


def ts_to_datetime(ts: str):  # noqa: ANN201 - returns datetime
    import datetime as dt

    try:
        return dt.datetime.fromtimestamp(float(ts), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return dt.datetime.now(dt.UTC)
