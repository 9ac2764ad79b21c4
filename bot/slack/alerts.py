"""The batched DMs in Block Kit: a process owner's complaint alert and an account owner's
note about their customers' remarks. No I/O; bot.domain.alerts decides who gets what.

Every quote, customer and process name in them came from outside Earshot and is placed with
bot.slack.mrkdwn. Within Slack's limits: 3,000 characters a section, at most 5 buttons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.slack.improvements import start_button
from bot.slack.limits import SECTION_TEXT
from bot.slack.mrkdwn import Mrkdwn, clip, fit, join, link, md, mention
from storage.repositories.customer_alerts import CustomerAlertItem
from storage.repositories.owner_alerts import AlertItem

ACTION_ALERTS_OFF = "owner_alerts_off"
MAX_ITEMS = 10
QUOTE_CHARS = 200
_ICON = {"complaint": ":red_circle:", "praise": ":large_green_circle:", "suggestion": ":bulb:"}


def _names(names: Sequence[str]) -> Mrkdwn:
    return join((md("*{}*", clip(n, 150)) for n in names), ", ")


def _view(permalink: str | None) -> Mrkdwn:
    return md(" · {}", link(permalink, "view")) if permalink else Mrkdwn("")


def _fallback(head: str) -> str:
    # The notification text: the headline without its bold marks (what it names stays escaped).
    return fit(head.replace("*", ""), SECTION_TEXT)


def alert_message(items: Sequence[AlertItem]) -> dict[str, Any]:
    """To a process owner: the new complaints on processes they own, with quotes."""
    by_process: dict[str, list[AlertItem]] = defaultdict(list)
    for item in items:
        by_process[item.process_name].append(item)
    n = len(items)
    head = md(":red_circle: {} new complaint{} about {}, which you own:", n, "s" if n != 1 else "",
              _names(list(by_process)))
    lines: list[str] = []
    for item in items[:MAX_ITEMS]:
        who = md("*{}*", clip(item.customer, 255)) if item.customer else (
            mention(item.author_user_id) if item.author_user_id else Mrkdwn("a customer"))
        text = clip(item.text, QUOTE_CHARS) or Mrkdwn("(no text)")
        lines.append(md("> {}\n— {} · {}{}", text, who, clip(item.process_name, 150), _view(item.permalink)))
    if n > MAX_ITEMS:
        lines.append(f"…and {n - MAX_ITEMS} more. See them in the weekly digest.")
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=fit(head + "\n" + "\n".join(lines), SECTION_TEXT))),
        ContextBlock(elements=[MarkdownTextObject(
            text="You get at most one of these an hour. Turn them off with `/feedback alerts off`.")]),
        ActionsBlock(elements=[
            # One per process (at most 5): the improvement form, prefilled with its complaints.
            # The label is plain_text: the name needs no escaping there.
            *[start_button(pid, f"Improve {name}") for pid, name in
              list(dict.fromkeys((i.process_id, i.process_name) for i in items))[:5]],
            ButtonElement(action_id=ACTION_ALERTS_OFF, text="Turn off these DMs", value="off")]),
    ]
    return {"text": _fallback(head), "blocks": [b.to_dict() for b in blocks]}


def customer_alert_message(items: Sequence[CustomerAlertItem]) -> dict[str, Any]:
    """To an account owner: their customers' new remarks."""
    by_customer: dict[str, list[CustomerAlertItem]] = defaultdict(list)
    for item in items:
        by_customer[item.customer].append(item)
    n = len(items)
    head = md(":office: {} new remark{} from {}, whose account you own:", n, "s" if n != 1 else "",
              _names(list(by_customer)))
    lines: list[str] = []
    for item in items[:MAX_ITEMS]:
        text = clip(item.text, QUOTE_CHARS) or Mrkdwn("(no text)")
        lines.append(md("{} {}\n— *{}*{}", Mrkdwn(_ICON.get(item.sentiment, ":white_circle:")), text,
                        clip(item.customer, 255), _view(item.permalink)))
    if n > MAX_ITEMS:
        lines.append(f"…and {n - MAX_ITEMS} more. See them in the weekly digest.")
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=fit(head + "\n" + "\n".join(lines), SECTION_TEXT))),
        ContextBlock(elements=[MarkdownTextObject(
            text="At most one of these a day. Turn them off with `/feedback customer alerts off`.")]),
    ]
    return {"text": _fallback(head), "blocks": [b.to_dict() for b in blocks]}
