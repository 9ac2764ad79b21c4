"""The DM to an account owner when an improvement answering their customers' remarks ships,
and when *Did it work?* says it worked. No I/O; bot.domain.loop.account_owners decides who
gets it.

Customer names, the title, the process name and the description came from outside Earshot:
each is placed with bot.slack.mrkdwn. Within Slack's limits: 3,000 characters a section.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.slack.improvements import tracker_name
from bot.slack.limits import CUSTOMER_NAME, FALLBACK_TEXT, SECTION_TEXT
from bot.slack.mrkdwn import Mrkdwn, clip, fit, join, link, md
from storage.models import Improvement
from storage.repositories.account_owners import AccountOwner

MAX_LINKS = 5
NAMES = 10  # customers named in the headline; the rest are counted
OPT_OUT = (
    "You get one of these when an improvement answering your customers ships or proves "
    "to work. `/feedback customer alerts off` stops them, and the daily note about your customers."
)


def _customers(names: Sequence[str]) -> Mrkdwn:
    shown = join((md("*{}*", clip(n, 150)) for n in names[:NAMES]), ", ")
    return md("{} and {} more", shown, len(names) - NAMES) if len(names) > NAMES else shown


def _links(imp: Improvement, owner: AccountOwner) -> str:
    lines: list[str] = [
        md("• *{}* · {}", clip(r.customer, CUSTOMER_NAME), link(r.permalink, "the remark"))
        for r in owner.remarks[:MAX_LINKS]
        if r.permalink
    ]
    if len(owner.remarks) > MAX_LINKS:
        lines.append(f"…and {len(owner.remarks) - MAX_LINKS} more.")
    body = "\n".join(lines)
    if imp.description:
        body += "\n*What changed:* " + clip(imp.description, 800)
    if imp.link:
        tracker = tracker_name(imp.link)
        body += "\n" + link(imp.link, "Link" if tracker == "link" else f"{tracker} issue")
    return body


def _message(head: Mrkdwn, fallback: Mrkdwn, body: str) -> dict[str, Any]:
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=fit(head + "\n" + body, SECTION_TEXT))),
        ContextBlock(elements=[MarkdownTextObject(text=OPT_OUT)]),
    ]
    return {"text": fit(fallback, FALLBACK_TEXT), "blocks": [b.to_dict() for b in blocks]}


def shipped_note(imp: Improvement, process_name: str, owner: AccountOwner) -> dict[str, Any]:
    """To an account owner: an improvement answering their customers' remarks has shipped."""
    names = _customers(owner.customers)
    head = md(
        ":rocket: *{}* shipped on *{}*. It answers remarks from {}, whose account you own:",
        clip(imp.title, 150),
        clip(process_name, 150),
        names,
    )
    # Worded apart from the raisers' "has shipped" DM: this one is about the owner's accounts.
    fallback = md("Shipped for your accounts ({}): {}", names, clip(imp.title, 150))
    return _message(head, fallback, _links(imp, owner))


def verified_note(
    imp: Improvement, process_name: str, result: Any, owner: AccountOwner
) -> dict[str, Any]:
    """To an account owner: the check says the improvement worked, with its figures."""
    c = result.complaints
    names = _customers(owner.customers)
    head = md(
        ":white_check_mark: *{}* worked: complaints about *{}* fell from {:.1f} % to {:.1f} % of "
        "all remarks captured ({}). It answered remarks from {}, whose account you own:",
        clip(imp.title, 150),
        clip(process_name, 150),
        100 * c.before.share,
        100 * c.after.share,
        c.figures(),
        names,
    )
    fallback = md("It worked, for your accounts ({}): {}", names, clip(imp.title, 150))
    return _message(head, fallback, _links(imp, owner))
