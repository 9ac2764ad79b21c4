"""Hostile text from outside Earshot, and the check that a Slack payload shows it safely.

Shared by tests/e2e/test_outside_text.py (every recorded Web API call) and
tests/unit/test_outside_text_builders.py (each Block Kit builder). Escaping follows Slack's
"Formatting text for app surfaces", *Escaping text*
(https://api.slack.com/reference/surfaces/formatting#escaping).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

MARK = "Zebracorn"
# As a person types it (a modal's plain_text_input delivers it so, and an import may hold it).
HOSTILE = (f"{MARK} <!channel> <!here> <!everyone> <@U0VICTIM> <#C0SECRET> "
           "<https://evil.example|Acme portal> & a lone <")
# As Slack delivers a message or a slash command: markup kept, a typed & and < escaped.
SENT = (f"{MARK} <!channel> <!here> <!everyone> <@U0VICTIM> <#C0SECRET> "
        "<https://evil.example|Acme portal> &amp; a lone &lt;")
# Short enough for a name (a process name is at most 80 characters).
NAME = f"{MARK} <!channel> <@U0VICTIM> <https://evil.example|portal> & <"
SENT_NAME = f"{MARK} <!channel> <@U0VICTIM> <https://evil.example|portal> &amp; &lt;"

FORBIDDEN = ("<!channel", "<!here", "<!everyone", "<@U0VICTIM", "<#C0SECRET", "<https://evil.example")
# Earshot's own markup: a person or channel by id, a date, an https link with a label.
OURS = re.compile(r"<(?:@[UW][A-Z0-9]+|#[CGD][A-Z0-9]+|!date\^[^<>|]+\|[^<>|]*|https://[^\s<>|]+\|[^<>|]*)>")
BARE_AMP = re.compile(r"&(?!amp;|lt;|gt;)")
# Keys whose string value Slack reads as mrkdwn (or as a message's notification text).
TEXT_KEYS = {"text", "fallback", "pretext", "initial_comment", "footer", "author_name", "title"}
# Keys never shown as mrkdwn: ids, inputs' values, metadata, input errors (plain text).
NOT_SHOWN = {"private_metadata", "initial_value", "value", "url", "image_url", "metadata", "errors",
             "action_id", "block_id", "callback_id", "files"}


def shown_texts(obj: Any) -> Iterator[str]:
    """Every string Slack would read as mrkdwn in a Web API call's parameters, an answer to
    Slack, a message or a view: top-level ``text``, every ``mrkdwn`` text object (sections,
    fields, contexts, confirms), attachments' texts. ``plain_text`` objects are skipped."""
    if isinstance(obj, dict):
        if obj.get("type") == "plain_text":
            return
        for key, value in obj.items():
            if key in NOT_SHOWN:
                continue
            if isinstance(value, str) and key in ("blocks", "attachments", "view"):
                value = json.loads(value)  # a form-encoded call carries JSON as a string
            if isinstance(value, str):
                if key in TEXT_KEYS:
                    yield value
            else:
                yield from shown_texts(value)
    elif isinstance(obj, list):
        for item in obj:
            yield from shown_texts(item)


def problems(text: str) -> list[str]:
    """What is unsafe in one mrkdwn string: hostile markup, or a ``<`` that is not Earshot's
    own markup, or an ``&`` that is not an entity."""
    found = [f"{bad!r} in {text!r}" for bad in FORBIDDEN if bad in text]
    rest = OURS.sub("", text)
    if "<" in rest:
        found.append(f"an unescaped < in {text!r}")
    if BARE_AMP.search(rest):
        found.append(f"an unescaped & in {text!r}")
    return found


def unsafe(payload: Any) -> list[str]:
    """Every problem in every mrkdwn string of ``payload``."""
    return [p for text in shown_texts(payload) for p in problems(text)]


def shows_mark(payload: Any) -> bool:
    """Whether the hostile text was shown at all (its marker word is there)."""
    return any(MARK in text for text in shown_texts(payload))
