"""Improvements in Block Kit: the create/edit modal, the card with its status buttons, the
list, the "Start an improvement" button and the DM to the people who raised it. No I/O.

Kept within Slack's limits: 150 characters for a title (a modal's plain_text input), at
most 10 options per checkboxes element (so proposals come in groups of 10), 75 characters
per option text, 3,000 per section, 3,000 of private_metadata.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.slack.loop import reply_button
from bot.slack.mrkdwn import Mrkdwn, clip, fit, link, md, mention
from bot.slack.text import truncate
from storage.models import Improvement, Process, Remark

TITLE_LIMIT = 150
DESCRIPTION_LIMIT = 3000
LINK_LIMIT = 512
CHECKBOX_OPTIONS = 10  # Block Kit: at most 10 options per checkboxes element
MAX_PROPOSED = 20  # two groups of ten
OPTION_TEXT = 75
SECTION_LIMIT = 3000

CALLBACK_ID = "improvement_modal"
ACTION_START = "improvement_start:"  # + the process id (unique per block); value: the process id
ACTION_EDIT = "improvement_edit"  # value: the improvement id
ACTION_STATUS_PREFIX = "improvement_status:"  # + the new status; value: the improvement id
BLOCK_PROCESS, ACTION_PROCESS = "imp_process", "imp_process_choice"
BLOCK_TITLE, ACTION_TITLE = "imp_title", "imp_title_text"
BLOCK_DESCRIPTION, ACTION_DESCRIPTION = "imp_description", "imp_description_text"
BLOCK_OWNER, ACTION_OWNER = "imp_owner", "imp_owner_user"
BLOCK_LINK, ACTION_LINK = "imp_link", "imp_link_url"
BLOCK_REMARKS, ACTION_REMARKS = "imp_remarks_", "imp_remarks_choice"  # + group number

STATUS_LABELS = {"planned": "Planned", "in_progress": "In progress", "shipped": "Shipped",
                 "dropped": "Dropped"}
STATUS_EMOJI = {"planned": ":spiral_note_pad:", "in_progress": ":hammer_and_wrench:",
                "shipped": ":rocket:", "dropped": ":wastebasket:"}
# The buttons each status offers, in order: (new status, label, style).
NEXT: dict[str, list[tuple[str, str, str | None]]] = {
    "planned": [("in_progress", "Start work", "primary"), ("shipped", "Mark shipped", None),
                ("dropped", "Drop", "danger")],
    "in_progress": [("shipped", "Mark shipped", "primary"), ("dropped", "Drop", "danger")],
    "shipped": [],
    "dropped": [],
}
_TRACKERS = (("github.com", "GitHub"), ("linear.app", "Linear"), ("atlassian.net", "Jira"))
_SPACES = re.compile(r"\s+")


class InvalidImprovement(ValueError):
    """A field the person must fix; ``block_id`` says where (for inline modal errors)."""

    def __init__(self, block_id: str, message: str) -> None:
        super().__init__(message)
        self.block_id = block_id


def clean_title(raw: str | None) -> str:
    title = _SPACES.sub(" ", raw or "").strip()
    if not title:
        raise InvalidImprovement(BLOCK_TITLE, "Give the improvement a short title.")
    if len(title) > TITLE_LIMIT:
        raise InvalidImprovement(BLOCK_TITLE, f"The title is {len(title)} characters; at most "
                                              f"{TITLE_LIMIT}. Put the detail under What changes.")
    return title


def clean_link(raw: str | None) -> str | None:
    """An http(s) URL (a GitHub, Linear or Jira issue, or any page), or None if empty.

    Slack's own ``<url|label>`` form is unwrapped; what is left must be one address with none
    of the characters that would end or split Slack's link markup (``<``, ``>``, ``|``)."""
    link = (raw or "").strip()
    if link.startswith("<") and link.endswith(">"):
        link = link[1:-1].split("|")[0]
    link = link.strip().rstrip("/")
    if not link:
        return None
    parsed = urlparse(link)
    if (parsed.scheme not in ("http", "https") or not parsed.netloc or "." not in parsed.netloc
            or any(ch.isspace() or ch in '<>|"' or ord(ch) < 32 for ch in link)):
        raise InvalidImprovement(BLOCK_LINK, "The link must be a web address starting with https:// "
                                             "(e.g. a GitHub, Linear or Jira issue).")
    if len(link) > LINK_LIMIT:
        raise InvalidImprovement(BLOCK_LINK, f"The link is longer than {LINK_LIMIT} characters.")
    return link


def tracker_name(link: str) -> str:
    host = urlparse(link).netloc.lower()
    for suffix, name in _TRACKERS:
        if host == suffix or host.endswith("." + suffix):
            return name
    return "link"


# The modal -----------------------------------------------------------------------------


@dataclass
class ModalState:
    """What the modal carries in private_metadata: which improvement, which remarks shown."""

    improvement_id: int | None = None
    shown: list[int] = field(default_factory=list)

    def to_metadata(self) -> str:
        return json.dumps({"i": self.improvement_id, "s": self.shown[:MAX_PROPOSED]}, separators=(",", ":"))

    @classmethod
    def from_metadata(cls, raw: Any) -> ModalState | None:
        try:
            data = json.loads(raw) if isinstance(raw, str) else None
        except json.JSONDecodeError:
            return None
        if not isinstance(data, dict):
            return None
        imp = data.get("i")
        shown = data.get("s") or []
        if (imp is not None and not isinstance(imp, int)) or not isinstance(shown, list):
            return None
        return cls(improvement_id=imp, shown=[int(x) for x in shown if isinstance(x, int)])


def _plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=True)


def remark_option(r: Remark) -> Option:
    text = truncate(" ".join(r.text.split()) or "(no text)", OPTION_TEXT)
    who = r.customer or "a customer"
    extra = f" · {r.endorsements} captures" if r.endorsements > 1 else ""
    desc = truncate(f"{who} · {r.said_at:%d %b %Y}{extra}", OPTION_TEXT)
    return Option(value=str(r.id), text=_plain(text), description=_plain(desc))


def improvement_modal(processes: Sequence[Process], *, process_id: int | None,
                      proposals: Sequence[Remark], selected: set[int],
                      improvement: Improvement | None = None,
                      owner_user_id: str | None = None,
                      typed: Submitted | None = None) -> dict[str, Any]:
    """Create (``improvement`` None) or edit an improvement, with the remarks to tick.

    ``typed``: what the person had typed already (kept when the process changes)."""
    if typed is not None:
        title0: str | None = typed.title
        description0: str | None = typed.description or None
        owner0 = typed.owner_user_id
        link0 = typed.link
    else:
        title0 = improvement.title if improvement else None
        description0 = (improvement.description or None) if improvement else None
        owner0 = improvement.owner_user_id if improvement else owner_user_id
        link0 = improvement.link if improvement else None
    opts = [Option(value=str(p.id), text=_plain(truncate(p.name, OPTION_TEXT))) for p in processes[:100]]
    initial = next((o for o in opts if o.value == str(process_id)), None)
    items: list[Block] = [
        # dispatch_action: choosing another process refreshes the complaints proposed below.
        InputBlock(block_id=BLOCK_PROCESS, label=_plain("Process"), dispatch_action=True,
                   element=StaticSelectElement(action_id=ACTION_PROCESS, options=opts,
                                               initial_option=initial, placeholder="Choose a process")),
        InputBlock(block_id=BLOCK_TITLE, label=_plain("Title"),
                   hint=_plain(f"What you will do, in a line (at most {TITLE_LIMIT} characters)."),
                   element=PlainTextInputElement(action_id=ACTION_TITLE, max_length=TITLE_LIMIT,
                                                 initial_value=title0,
                                                 placeholder="e.g. One invoice per order, never two")),
        InputBlock(block_id=BLOCK_DESCRIPTION, label=_plain("What changes"), optional=True,
                   element=PlainTextInputElement(
                       action_id=ACTION_DESCRIPTION, multiline=True, max_length=DESCRIPTION_LIMIT,
                       initial_value=description0)),
        InputBlock(block_id=BLOCK_OWNER, label=_plain("Owner"), optional=True,
                   element=UserSelectElement(
                       action_id=ACTION_OWNER, placeholder="Who drives it",
                       initial_user=owner0)),
        InputBlock(block_id=BLOCK_LINK, label=_plain("Tracker link"), optional=True,
                   hint=_plain("A GitHub, Linear or Jira issue, or any https:// page."),
                   element=PlainTextInputElement(action_id=ACTION_LINK, max_length=LINK_LIMIT,
                                                 initial_value=link0)),
    ]
    shown = list(proposals)[:MAX_PROPOSED]
    if shown:
        items.append(SectionBlock(text=MarkdownTextObject(
            text="*The complaints it addresses*: tick the ones this answers (most captured first). "
                 "The people who raised them hear about it when it ships.")))
        for g in range(0, len(shown), CHECKBOX_OPTIONS):
            group = shown[g: g + CHECKBOX_OPTIONS]
            options = [remark_option(r) for r in group]
            ticked = [o for o, r in zip(options, group, strict=True) if r.id in selected]
            items.append(InputBlock(
                block_id=f"{BLOCK_REMARKS}{g // CHECKBOX_OPTIONS}", optional=True,
                label=_plain("Complaints" if g == 0 else "More complaints"),
                element=CheckboxesElement(action_id=ACTION_REMARKS, options=options,
                                          initial_options=ticked or None)))
    else:
        items.append(ContextBlock(elements=[MarkdownTextObject(
            text="No recent complaints on this process to attach; you can add them later by editing.")]))
    if improvement is not None and improvement.status in ("shipped", "dropped"):
        items.insert(0, ContextBlock(elements=[MarkdownTextObject(
            text=f"It is {improvement.status}: its owner, process and remarks stay as they are (a "
                 "workspace admin can reopen it); the title, what changes and the link can be edited.")]))
    state = ModalState(improvement_id=improvement.id if improvement else None,
                       shown=[r.id for r in shown])
    view = View(type="modal", callback_id=CALLBACK_ID,
                title=_plain("Edit improvement" if improvement else "Start an improvement"),
                submit=_plain("Save" if improvement else "Start"), close=_plain("Cancel"),
                private_metadata=state.to_metadata(), blocks=items)
    return view.to_dict()


@dataclass(frozen=True)
class Submitted:
    process_id: int | None
    title: str | None
    description: str
    owner_user_id: str | None
    link: str | None
    ticked: list[int]


def read_submission(values: Any) -> Submitted:
    values = values if isinstance(values, dict) else {}

    def el(block: str, action: str) -> dict[str, Any]:
        v = (values.get(block) or {}).get(action)
        return v if isinstance(v, dict) else {}

    process = (el(BLOCK_PROCESS, ACTION_PROCESS).get("selected_option") or {}).get("value")
    ticked: list[int] = []
    for block, actions in values.items():
        if str(block).startswith(BLOCK_REMARKS):
            for o in (actions.get(ACTION_REMARKS) or {}).get("selected_options") or []:
                if str(o.get("value", "")).isdigit():
                    ticked.append(int(o["value"]))
    return Submitted(
        process_id=int(process) if isinstance(process, str) and process.isdigit() else None,
        title=el(BLOCK_TITLE, ACTION_TITLE).get("value"),
        description=(el(BLOCK_DESCRIPTION, ACTION_DESCRIPTION).get("value") or "").strip(),
        owner_user_id=el(BLOCK_OWNER, ACTION_OWNER).get("selected_user") or None,
        link=el(BLOCK_LINK, ACTION_LINK).get("value"),
        ticked=ticked,
    )


# Cards and lists -----------------------------------------------------------------------


def start_button(process_id: int, label: str = "Start an improvement") -> ButtonElement:
    return ButtonElement(action_id=f"{ACTION_START}{process_id}", text=truncate(label, 75),
                         value=str(process_id))


def card_text(imp: Improvement, process_name: str, *, remarks: int, verdict: str | None) -> Mrkdwn:
    """An improvement in a line or three: its title, description and tracker link are a
    teammate's text, made safe here."""
    owner = mention(imp.owner_user_id) if imp.owner_user_id else Mrkdwn("_no owner_")
    when = ""
    if imp.status == "shipped" and imp.shipped_at:
        when = f" {imp.shipped_at:%d %b %Y}"
    tracker = md(" · {}", link(imp.link, tracker_name(imp.link))) if imp.link else ""
    head: str = md("{} *{}* · {} · {}{} · owner {}{}\naddresses {} remark{}",
                   Mrkdwn(STATUS_EMOJI.get(imp.status, "")), imp.title, process_name,
                   STATUS_LABELS.get(imp.status, imp.status), when, owner, tracker,
                   remarks, "s" if remarks != 1 else "")
    if imp.description:
        head += "\n" + clip(imp.description, 400)
    if verdict:
        head += "\n*Did it work?* " + verdict
    return fit(head, SECTION_LIMIT)


def card_blocks(imp: Improvement, process_name: str, *, remarks: int, verdict: str | None,
                manage: bool = False, reopen: bool = False) -> list[Block]:
    """The card; its buttons are those the viewer may use (``manage``: the improvement's
    owner, the process owner or an admin; ``reopen``: an admin, once it is shipped or dropped).
    The domain checks the same rules again on every click."""
    out: list[Block] = [SectionBlock(text=MarkdownTextObject(
        text=card_text(imp, process_name, remarks=remarks, verdict=verdict)))]
    buttons = []
    if manage:
        buttons += [ButtonElement(action_id=f"{ACTION_STATUS_PREFIX}{status}", text=label,
                                  value=str(imp.id), style=style)
                    for status, label, style in NEXT.get(imp.status, [])]
        if imp.status != "dropped":
            buttons.append(ButtonElement(action_id=ACTION_EDIT, text="Edit", value=str(imp.id)))
        if imp.status == "shipped" and remarks:
            buttons.append(reply_button(imp.id))  # opens a preview first
    if reopen:
        buttons.append(ButtonElement(action_id=f"{ACTION_STATUS_PREFIX}in_progress", text="Reopen",
                                     value=str(imp.id)))
    if buttons:
        out.append(ActionsBlock(block_id=f"improvement:{imp.id}", elements=buttons))
    elif imp.status not in ("shipped", "dropped"):
        out.append(ContextBlock(elements=[MarkdownTextObject(
            text="Its owner, the process owner or an admin can edit it and move it on.")]))
    return out


@dataclass(frozen=True)
class Listed:
    improvement: Improvement
    process_name: str
    remarks: int
    verdict: str | None
    manage: bool = False  # the viewer may edit it and move its status
    reopen: bool = False  # the viewer (an admin) may reopen it


def list_message(items: Sequence[Listed], *, note: str | None = None) -> dict[str, Any]:
    """``/feedback improvements``: open ones and recently shipped, status and verdict.
    ``note`` is Earshot's own mrkdwn (``md`` when it names something)."""
    out: list[Block] = []
    if note:
        out.append(SectionBlock(text=MarkdownTextObject(text=fit(note, SECTION_LIMIT))))
    if not items:
        out.append(SectionBlock(text=MarkdownTextObject(
            text="No improvements in progress. Start one with `/feedback improve [Process] title`, "
                 "or the *Start an improvement* button in the digest.")))
    for item in items[:20]:
        out.extend(card_blocks(item.improvement, item.process_name, remarks=item.remarks,
                               verdict=item.verdict, manage=item.manage, reopen=item.reopen))
    text = f"{len(items)} improvement{'s' if len(items) != 1 else ''}"
    return {"text": note or text, "blocks": [b.to_dict() for b in out][:50]}


def card_message(item: Listed, note: str | None = None) -> dict[str, Any]:
    return list_message([item], note=note)


def home_blocks(items: Sequence[Listed]) -> list[Block]:
    """App Home: the improvements the person owns (or whose process they own), with verdicts."""
    from slack_sdk.models.blocks import HeaderBlock

    out: list[Block] = [DividerBlock(), HeaderBlock(text="Your improvements")]
    if not items:
        out.append(SectionBlock(text=MarkdownTextObject(
            text="None yet. `/feedback improve [Process] title` starts one.")))
    for item in items[:10]:
        out.extend(card_blocks(item.improvement, item.process_name, remarks=item.remarks,
                               verdict=item.verdict, manage=item.manage, reopen=item.reopen))
    return out


# Telling the people who raised it ------------------------------------------------------


def shipped_notice(imp: Improvement, process_name: str, *, by: str,
                   remarks: Sequence[Remark]) -> dict[str, Any]:
    """One DM to a capturer/endorser: what changed, by whom, the link, their remarks."""
    n = len(remarks)
    head = md(":rocket: *{}* has shipped on *{}*, by {}. It answers {} you captured:", imp.title,
              process_name, mention(by), "a remark" if n == 1 else f"{n} remarks")
    lines = []
    for r in remarks[:5]:
        who = md(" — *{}*", clip(r.customer, 255)) if r.customer else ""
        view = md(" · {}", link(r.permalink, "view")) if r.permalink else ""
        lines.append(f"> {clip(r.text, 200) or '(no text)'}\n{who}{view}".rstrip())
    if n > 5:
        lines.append(f"…and {n - 5} more.")
    body = head + "\n" + "\n".join(lines)
    if imp.description:
        body += "\n*What changed:* " + clip(imp.description, 800)
    if imp.link:
        tracker = tracker_name(imp.link)
        body += "\n" + link(imp.link, "Link" if tracker == "link" else f"{tracker} issue")
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=fit(body, SECTION_LIMIT))),
        ContextBlock(elements=[MarkdownTextObject(
            text="You get one of these when something you captured is acted on. "
                 "`/feedback updates off` stops them.")]),
    ]
    fallback = md("{} has shipped on {}: it answers {} remark{} you captured.", imp.title, process_name, n,
                  "s" if n != 1 else "")
    return {"text": fallback, "blocks": [b.to_dict() for b in blocks]}
