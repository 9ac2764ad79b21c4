"""The rest of the loop in Block Kit: the "it worked" DM, the preview of the replies in the
customers' threads and what came of them, the weekly praise note, and the *Thank the team*
modal and post. No I/O.

Within Slack's limits: modal titles of 24 characters, 3,000 characters per section and per
plain-text input, 50 blocks, 3,000 characters of private_metadata.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    ConversationSelectElement,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.slack.mrkdwn import Mrkdwn, channel, clip, fit, join, link, md, mention
from bot.slack.text import truncate, words
from storage.models import Improvement, Remark

SECTION_LIMIT = 3000
REPLY_LIMIT = 3000
MAX_LISTED = 20

ACTION_REPLY = "improvement_reply"  # value: the improvement id
REPLY_CALLBACK = "improvement_reply_modal"
BLOCK_REPLY_TEXT, ACTION_REPLY_TEXT = "reply_text", "text"

ACTION_PRAISE_OFF = "praise_notes_off"
ACTION_THANK = "praise_thank:"  # + the process id (unique per block); value: "<process id>:<period>"
THANK_CALLBACK = "praise_thank_modal"
BLOCK_THANK_CHANNEL, ACTION_THANK_CHANNEL = "thank_channel", "channel"
BLOCK_THANK_USER, ACTION_THANK_USER = "thank_user", "user"
BLOCK_THANK_TEXT, ACTION_THANK_TEXT = "thank_text", "text"

# Why a thread could not be replied in, in words.
REASONS = {
    "no_message": "typed with /feedback: there is no Slack message to reply to",
    "thread_not_found": "the message was deleted",
    "message_not_found": "the message was deleted",
    "channel_not_found": "the channel is gone (or private and Earshot is not in it)",
    "not_in_channel": "Earshot is no longer in the channel",
    "is_archived": "the channel is archived",
}


def reason(code: str) -> Mrkdwn:
    return Mrkdwn(REASONS[code]) if code in REASONS else md("Slack said `{}`", code)


def _plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=True)


def _quote(r: Remark, limit: int = 200) -> Mrkdwn:
    return Mrkdwn("> " + (clip(r.text, limit) or "(no text)"))


def _where(r: Remark) -> Mrkdwn:
    if r.permalink:
        return link(r.permalink, "view")
    return channel(r.channel_id) if r.channel_id else Mrkdwn("typed")


def _customer(r: Remark) -> Mrkdwn:
    return md("*{}*", clip(r.customer, 255)) if r.customer else Mrkdwn("a customer")


# "It worked" ----------------------------------------------------------------------------


def improved_notice(imp: Improvement, process_name: str, result: Any, *,
                    remarks: Sequence[Remark]) -> dict[str, Any]:
    """To the owner and the raisers: the check says *improved*, with before → after figures."""
    c = result.complaints
    weeks = c.days / 7
    head: str = md(":white_check_mark: *{}* worked: complaints about *{}* fell from "
                   "{:.1f} % to {:.1f} % of all remarks captured, {:.1f} weeks after it shipped ({}).",
                   imp.title, process_name, 100 * c.before.share, 100 * c.after.share, weeks, c.figures())
    if remarks:
        n = len(remarks)
        head += f"\nIt answered {'a remark' if n == 1 else f'{n} remarks'} you captured:\n"
        head += "\n".join(f"{_quote(r)} · {_where(r)}" for r in remarks[:5])
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=fit(head, SECTION_LIMIT))),
        ContextBlock(elements=[MarkdownTextObject(
            text="Complaint share before and after the ship, with a 95 % interval. "
                 "`/feedback updates off` stops these messages.")]),
    ]
    text = md("{} worked: {} complaints {:.1f} % → {:.1f} % of all remarks", clip(imp.title, 150),
              process_name, 100 * c.before.share, 100 * c.after.share)
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


# Replies in the customers' threads -----------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One addressed remark, and why it will be skipped (None: it will be replied to)."""

    remark: Remark
    problem: str | None
    connect: bool  # in a Slack Connect channel: the customer reads the reply


def default_reply(imp: Improvement) -> str:
    """The reply's first draft, for a plain_text input (the owner edits it; ``thread_reply``
    makes whatever they submit safe)."""
    text = f"This was fixed: {words(imp.title)}."
    if imp.description:
        text += " " + " ".join(words(imp.description).split())
    return truncate(text, REPLY_LIMIT)


def thread_reply(text: str) -> dict[str, Any]:
    """What is posted in a customer's thread: the owner's words, a teammate's text like any
    other, so it can neither ping the channel nor disguise a link."""
    return {"text": clip(text, REPLY_LIMIT, one_line=False)}


def reply_modal(imp: Improvement, process_name: str, targets: Sequence[Target], text: str) -> dict[str, Any]:
    """The preview: the editable reply and the threads it goes to. Nothing is posted until
    the owner presses *Post replies*."""
    reachable = [t for t in targets if t.problem is None]
    connect = [t for t in reachable if t.connect]
    items: list[Block] = [SectionBlock(text=MarkdownTextObject(text=fit(md(
        "*{}* · {}\nEarshot will reply once in the thread of each of these {} message{}, as itself. "
        "Edit the reply first if you like; nothing is posted until you press *Post replies*.",
        imp.title, process_name, len(reachable), "s" if len(reachable) != 1 else ""), SECTION_LIMIT)))]
    if connect:
        items.append(SectionBlock(text=MarkdownTextObject(text=(
            f":globe_with_meridians: *{len(connect)} of them are in Slack Connect channels*: the "
            "customer will read this reply. That is the customer hearing back."))))
    items.append(InputBlock(
        block_id=BLOCK_REPLY_TEXT, label=_plain("The reply"),
        element=PlainTextInputElement(action_id=ACTION_REPLY_TEXT, multiline=True,
                                      max_length=REPLY_LIMIT, initial_value=text)))
    lines = []
    for t in list(targets)[:MAX_LISTED]:
        mark = ":globe_with_meridians: " if t.connect else ""
        note = f"\n_skipped: {reason(t.problem)}_" if t.problem else ""
        lines.append(f"{mark}{_quote(t.remark, 150)} · {_where(t.remark)}{note}")
    if len(targets) > MAX_LISTED:
        lines.append(f"…and {len(targets) - MAX_LISTED} more.")
    for chunk in _chunks(lines):
        items.append(SectionBlock(text=MarkdownTextObject(text=chunk)))
    view = View(type="modal", callback_id=REPLY_CALLBACK, title=_plain("Reply in threads"),
                submit=_plain("Post replies"), close=_plain("Cancel"),
                private_metadata=json.dumps({"improvement": imp.id}), blocks=items[:50])
    return view.to_dict()


def _chunks(lines: Sequence[str]) -> list[str]:
    out: list[str] = []
    cur = ""
    for line in lines:
        if cur and len(cur) + 1 + len(line) > SECTION_LIMIT:
            out.append(cur)
            cur = ""
        cur = f"{cur}\n{line}" if cur else fit(line, SECTION_LIMIT)
    if cur:
        out.append(cur)
    return out


def reply_improvement_id(view: Any) -> int | None:
    try:
        value = json.loads((view or {}).get("private_metadata") or "{}").get("improvement")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None


def reply_text(values: Any) -> str:
    el = ((values or {}).get(BLOCK_REPLY_TEXT) or {}).get(ACTION_REPLY_TEXT) or {}
    return str(el.get("value") or "").strip()


def reply_outcome(imp: Improvement, *, posted: Sequence[Remark], queued: Sequence[Remark],
                  already: Sequence[Remark], skipped: Sequence[tuple[Remark, str]]) -> dict[str, Any]:
    """What came of *Post replies*, privately to the owner."""
    parts: list[str] = [md(":speech_balloon: *{}*: replied in {} thread{}.", imp.title, len(posted),
                           "s" if len(posted) != 1 else "")]
    if queued:
        parts.append(f"{len(queued)} more will go out as soon as Slack takes them.")
    if already:
        parts.append(f"{len(already)} had been replied to already (once per message).")
    if skipped:
        parts.append(f"*Skipped {len(skipped)}:*")
        parts.extend(f"{_quote(r, 120)} · {_where(r)}\n_{reason(code)}_" for r, code in skipped[:MAX_LISTED])
    text = "\n".join(parts)
    return {"text": fit(text, SECTION_LIMIT).replace("*", ""),
            "blocks": [b.to_dict() for b in (SectionBlock(text=MarkdownTextObject(text=c))
                                             for c in _chunks(parts))][:50]}


def reply_button(improvement_id: int) -> ButtonElement:
    return ButtonElement(action_id=ACTION_REPLY, text="Reply in threads…", value=str(improvement_id))


# Praise --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PraisedProcess:
    process_id: int
    name: str
    remarks: list[Remark]


def praise_note(week: str, processes: Sequence[PraisedProcess]) -> dict[str, Any]:
    """The weekly note to a process owner: the praise their processes got, with quotes."""
    n = sum(len(p.remarks) for p in processes)
    names = join((md("*{}*", p.name) for p in processes), ", ")
    out: list[Block] = [SectionBlock(text=MarkdownTextObject(text=fit(md(
        ":star2: Last week ({}) customers praised {}, which you own: {} remark{}. Worth keeping as it is.",
        week, names, n, "s" if n != 1 else ""), SECTION_LIMIT)))]
    for p in processes[:10]:
        quotes = "\n".join(f"{_quote(r)}\n— {_customer(r)} · {_where(r)}" for r in p.remarks[:5])
        more = f"\n…and {len(p.remarks) - 5} more." if len(p.remarks) > 5 else ""
        section = SectionBlock(text=MarkdownTextObject(text=fit(md("*{}*\n", p.name) + quotes + more,
                                                                SECTION_LIMIT)))
        section.accessory = thank_button(p.process_id, week)
        out.append(section)
    out.append(ContextBlock(elements=[MarkdownTextObject(
        text="One of these a week when there is praise. Turn them off with `/feedback praise off`.")]))
    out.append(ActionsBlock(elements=[ButtonElement(action_id=ACTION_PRAISE_OFF,
                                                    text="Turn off these notes", value="off")]))
    return {"text": fit(md("Last week customers praised {}", join((p.name for p in processes), ", ")),
                        SECTION_LIMIT), "blocks": [b.to_dict() for b in out]}


def thank_button(process_id: int, period: str) -> ButtonElement:
    return ButtonElement(action_id=f"{ACTION_THANK}{process_id}", text="Thank the team",
                         value=f"{process_id}:{period}")


def thank_modal(process_id: int, period: str, process_name: str, quotes: Sequence[Remark]) -> dict[str, Any]:
    items: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=fit(md(
            "Thank the team behind *{}*: Earshot posts your note and these quotes once, "
            "to the channel or the person you pick.", process_name), SECTION_LIMIT))),
        InputBlock(block_id=BLOCK_THANK_CHANNEL, label=_plain("Post in a channel"), optional=True,
                   element=ConversationSelectElement(action_id=ACTION_THANK_CHANNEL,
                                                     placeholder="A channel")),
        InputBlock(block_id=BLOCK_THANK_USER, label=_plain("…or send to a person"), optional=True,
                   element=UserSelectElement(action_id=ACTION_THANK_USER, placeholder="A person")),
        InputBlock(block_id=BLOCK_THANK_TEXT, label=_plain("Your note"),
                   element=PlainTextInputElement(
                       action_id=ACTION_THANK_TEXT, multiline=True, max_length=1000,
                       initial_value=f"Thank you, team behind {words(process_name)}! "
                                     "Here is what customers said.")),
        SectionBlock(text=MarkdownTextObject(text=fit(
            "*Preview of the quotes*\n" + (quotes_text(quotes) or "_No praise quotes right now._"),
            SECTION_LIMIT))),
    ]
    view = View(type="modal", callback_id=THANK_CALLBACK, title=_plain("Thank the team"),
                submit=_plain("Send thanks"), close=_plain("Cancel"),
                private_metadata=json.dumps({"process": process_id, "period": period}), blocks=items)
    return view.to_dict()


def quotes_text(quotes: Sequence[Remark]) -> Mrkdwn:
    return Mrkdwn("\n".join(f"{_quote(r)}\n— {_customer(r)}" for r in quotes[:5]))


@dataclass(frozen=True)
class ThankForm:
    process_id: int | None
    period: str
    channel: str | None
    user: str | None
    note: str


def read_thank(view: Any) -> ThankForm:
    view = view if isinstance(view, dict) else {}
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    meta = meta if isinstance(meta, dict) else {}
    values = (view.get("state") or {}).get("values") or {}

    def el(block: str, action: str) -> dict[str, Any]:
        got = (values.get(block) or {}).get(action)
        return got if isinstance(got, dict) else {}

    pid = meta.get("process")
    return ThankForm(process_id=pid if isinstance(pid, int) else None, period=str(meta.get("period") or ""),
                     channel=el(BLOCK_THANK_CHANNEL, ACTION_THANK_CHANNEL).get("selected_conversation"),
                     user=el(BLOCK_THANK_USER, ACTION_THANK_USER).get("selected_user"),
                     note=str(el(BLOCK_THANK_TEXT, ACTION_THANK_TEXT).get("value") or "").strip())


def thank_post(process_name: str, note: str, quotes: Sequence[Remark], *, by: str) -> dict[str, Any]:
    """The thanks, posted once: the owner's note and the customers' quotes, all outside text."""
    body = md(":tada: {}\n{}", clip(note, 1000, one_line=False), quotes_text(quotes))
    blocks = [SectionBlock(text=MarkdownTextObject(text=fit(body, SECTION_LIMIT))),
              ContextBlock(elements=[MarkdownTextObject(
                  text=md("Praise for *{}* captured in Earshot · sent by {}", clip(process_name, 150),
                          mention(by)))])]
    return {"text": md("{} ({})", clip(note, 200), clip(process_name, 80)),
            "blocks": [b.to_dict() for b in blocks]}
