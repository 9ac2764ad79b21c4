"""Themes in Slack: the App Home's "Themes in your processes" and the modal listing one
theme's remarks. Block Kit only; bot.domain.filing.themes reads the data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.slack import blocks
from bot.slack.mrkdwn import Mrkdwn, clip, fit, link, md, mention
from storage.repositories.themes import MemberRow

ACTION_OPEN = "theme_open"  # value: the theme id
ACTION_IMPROVE = "theme_improve"  # value: the theme id
MODAL_ROWS = 20


class ThemeLine(Protocol):
    """What a theme line shows (bot.domain.filing.themes.ThemeLine; slack/ sits below domain/)."""

    @property
    def theme_id(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def remarks(self) -> int: ...
    @property
    def customers(self) -> int: ...
    @property
    def new(self) -> bool: ...
    @property
    def quote(self) -> MemberRow | None: ...


def theme_line(t: ThemeLine) -> Mrkdwn:
    """A theme's label (words taken from remarks: outside text) and its counts."""
    new = " · :new: _new_" if t.new else ""
    who = f", {t.customers} customer{'s' if t.customers != 1 else ''}" if t.customers else ""
    return md(":label: *{}*: {} remarks{}{}", clip(t.label, 80), t.remarks, who, Mrkdwn(new))


def home_blocks(by_process: Sequence[tuple[str, Sequence[ThemeLine]]]) -> list[Block]:
    """Per process the owner owns, its biggest themes of the last 4 weeks, with buttons."""
    if not by_process:
        return []
    out: list[Block] = [HeaderBlock(text="Themes in your processes")]
    for name, lines in by_process:
        out.append(SectionBlock(text=MarkdownTextObject(text=md("*{}*", clip(name, 150)))))
        for t in lines:
            quote = ""
            if t.quote is not None:
                quote = "\n" + blocks.quote(t.quote.text, 200)
            out.append(SectionBlock(text=MarkdownTextObject(text=fit(theme_line(t) + quote, 3000))))
            out.append(ActionsBlock(block_id=f"theme:{t.theme_id}", elements=[
                ButtonElement(action_id=ACTION_OPEN, text="See its remarks", value=str(t.theme_id)),
                ButtonElement(action_id=ACTION_IMPROVE, text="Start an improvement",
                              value=str(t.theme_id)),
            ]))
    return out


def members_modal(label: str, process_name: str, members: Sequence[MemberRow],
                  theme_id: int) -> dict[str, Any]:
    items: list[Block] = [SectionBlock(text=MarkdownTextObject(
        text=md(":label: *{}* in *{}*: the newest {} remark{}", clip(label, 200), clip(process_name, 150),
                len(members), "s" if len(members) != 1 else "")))]
    for m in members[:MODAL_ROWS]:
        who = md("*{}*", clip(m.customer, 255)) if m.customer else (
            mention(m.author_user_id) if m.author_user_id else "a customer")
        view = md(" · {}", link(m.permalink, "view")) if m.permalink else ""
        extra = f" · {m.endorsements} captures" if m.endorsements > 1 else ""
        items.append(SectionBlock(text=MarkdownTextObject(
            text=fit(f"{blocks.quote(m.text, 500)}\n— {who} · {m.said_at:%d %b %Y}"
                     f" · {blocks.SENTIMENT_LABELS.get(m.sentiment, m.sentiment)}{extra}{view}",
                     3000))))
    if not members:
        items.append(ContextBlock(elements=[MarkdownTextObject(text="No remarks left in this theme.")]))
    items.append(ActionsBlock(elements=[ButtonElement(
        action_id=ACTION_IMPROVE, text="Start an improvement", value=str(theme_id))]))
    return View(type="modal", title=PlainTextObject(text="Theme"), close=PlainTextObject(text="Close"),
                blocks=items[:100]).to_dict()


def gone_modal() -> dict[str, Any]:
    return View(type="modal", title=PlainTextObject(text="Theme"), close=PlainTextObject(text="Close"),
                blocks=[SectionBlock(text=MarkdownTextObject(
                    text="This theme is gone: its process was deleted."))]).to_dict()
