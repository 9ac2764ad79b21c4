"""The App Home tab: how to capture, remarks that need a process, your recent captures.

Block Kit only; the data comes in from handlers/home.py. A home view holds at most 100
blocks; we stay far below (a triage list of 10 and 5 recent captures).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.slack import blocks
from bot.slack.mrkdwn import Mrkdwn, clip, fit, link, md, mention
from storage.models import Process, Remark


def how_to(emoji: str) -> str:
    return (
    "*Capture a customer remark wherever it is said:*\n"
    f"• React with :{emoji}: to any message in a channel I'm in\n"
    "• Forward a message to me here, or mention me in its thread\n"
    "• Use the message shortcut *File as customer feedback*\n"
    "• Type `/feedback [Process] (Customer) what they said` — `/feedback help` lists everything"
    )


def home_view(
    *, unfiled: Sequence[Remark], unfiled_total: int, recent: Sequence[tuple[Remark, str | None]],
    processes: Sequence[Process], improvements: Sequence[Block] = (), capture_emoji: str = "memo",
    note: str | None = None,
) -> dict[str, Any]:
    items: list[Any] = [HeaderBlock(text="Earshot")]
    if note:  # Earshot's own words (why a click here was refused)
        items.append(SectionBlock(text=MarkdownTextObject(text=note)))
    items += [
        SectionBlock(text=MarkdownTextObject(text=how_to(capture_emoji))),
        DividerBlock(),
        HeaderBlock(text="Needs a process"),
    ]
    if not unfiled:
        items.append(SectionBlock(text=MarkdownTextObject(text=":sparkles: Nothing to triage: every remark is filed.")))
    else:
        if unfiled_total > len(unfiled):
            items.append(ContextBlock(elements=[MarkdownTextObject(
                text=f"Showing the {len(unfiled)} newest of {unfiled_total} unfiled remarks.")]))
        options = blocks.process_options(processes)[:-1]  # filing *into* a process, not unfiled
        for remark in unfiled:
            items.append(SectionBlock(text=MarkdownTextObject(text=_line(remark))))
            if options:
                items.append(ActionsBlock(block_id=blocks.remark_block_id(remark), elements=[
                    StaticSelectElement(action_id=blocks.ACTION_PROCESS, placeholder="File under…",
                                        options=options)]))
    items += [DividerBlock(), HeaderBlock(text="Your recent captures")]
    if not recent:
        items.append(SectionBlock(text=MarkdownTextObject(text="You haven't captured anything yet.")))
    for remark, name in recent:
        items.append(SectionBlock(text=MarkdownTextObject(text=_line(remark))))
        items.append(ContextBlock(elements=[MarkdownTextObject(text=blocks.filing_summary(remark, name))]))
    items.extend(improvements)
    return View(type="home", blocks=items[:100]).to_dict()


def _line(remark: Remark) -> Mrkdwn:
    """A remark's quote, author, customer and link, every outside piece made safe."""
    who = md(" — {}", mention(remark.author_user_id)) if remark.author_user_id else ""
    customer = md(" ({})", clip(remark.customer, 255)) if remark.customer else ""
    view = md(" {}", link(remark.permalink, "view")) if remark.permalink else ""
    return fit(blocks.quote(remark.text, 400) + who + customer + view, 3000)
