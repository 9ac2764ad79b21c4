"""Block Kit builders: domain objects in, blocks out; no I/O.

Built with ``slack_sdk.models.blocks`` and kept inside Slack's limits (50 blocks a
message, 3,000 characters a section text, 100 options a select, 75 characters an option).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    ExternalDataSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.classify import language
from bot.slack.mrkdwn import Mrkdwn, channel, clip, fit, link, md, mention
from bot.slack.mrkdwn import quote as quote_text
from bot.slack.text import truncate
from storage.models import Process, Remark

SECTION_LIMIT = 3000
OPTION_TEXT_LIMIT = 75
MAX_OPTIONS = 100
QUOTE_LIMIT = 600

SENTIMENT_LABELS = {"praise": "Praise", "complaint": "Complaint", "neutral": "Neutral", "suggestion": "Idea"}
SENTIMENT_EMOJI = {"praise": ":large_green_circle:", "complaint": ":red_circle:", "neutral": ":white_circle:",
                   "suggestion": ":bulb:"}
UNFILED = "unfiled"
UNFILED_LABEL = "Unfiled (needs triage)"

# action_ids of the correction controls; handlers/actions.py listens for these. Each names
# its remark by id and fingerprint (Remark.fingerprint), so a stale control is refused: the
# menus in their block_id ("remark:<id>:<fingerprint>"), the buttons in their value.
ACTION_PROCESS = "remark_process"
ACTION_SENTIMENT = "remark_sentiment"
ACTION_CUSTOMER = "remark_customer"  # value: "<remark id>:<fingerprint>"
ACTION_UNDO = "remark_undo"  # value: "<remark id>:<fingerprint>"
ACTION_SAME = "remark_same"  # value: "<new remark id>:<earlier remark id>:<new's fingerprint>"


def remark_block_id(remark: Remark) -> str:
    return f"remark:{remark_ref(remark)}"


def remark_ref(remark: Remark) -> str:
    """How a control names a remark: ``<id>:<fingerprint>``."""
    return f"{remark.id}:{remark.fingerprint}"


def parse_remark_ref(raw: Any) -> tuple[int, str] | None:
    """(id, fingerprint) from ``<id>:<fingerprint>``; a control drawn before fingerprints
    (``<id>``) gives an empty one, which matches no remark. None: not a remark reference."""
    if not isinstance(raw, str):
        return None
    rid, _, fingerprint = raw.partition(":")
    return (int(rid), fingerprint) if rid.isdigit() and ":" not in fingerprint else None


def parse_same(raw: Any) -> tuple[int, int, str] | None:
    """*Same as this one*'s value: (new remark id, earlier remark id, new's fingerprint)."""
    parts = raw.split(":") if isinstance(raw, str) else []
    if len(parts) not in (2, 3) or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    return int(parts[0]), int(parts[1]), parts[2] if len(parts) == 3 else ""


def remark_of_action(action: dict[str, Any]) -> tuple[int, str] | None:
    """The remark a correction control acts on: its block's id (menus) or its value (buttons)."""
    block_id = action.get("block_id")
    if isinstance(block_id, str) and block_id.startswith("remark:"):
        return parse_remark_ref(block_id.removeprefix("remark:"))
    return parse_remark_ref(action.get("value"))


def quote(text: str | None, limit: int = QUOTE_LIMIT) -> Mrkdwn:
    """A Slack blockquote of outside ``text`` (a remark), cut to ``limit`` characters and
    made safe (bot.slack.mrkdwn.quote)."""
    return quote_text(text, limit)


def _option(text: str, value: str) -> Option:
    return Option(text=truncate(text, OPTION_TEXT_LIMIT), value=value)


def process_options(processes: Sequence[Process]) -> list[Option]:
    opts = [_option(p.name, str(p.id)) for p in processes[: MAX_OPTIONS - 1]]
    return [*opts, _option(UNFILED_LABEL, UNFILED)]


def process_suggestions(processes: Sequence[Process], query: str) -> list[dict[str, Any]]:
    """The options an external process select shows for what the person typed."""
    q = query.strip().casefold()
    matching = [p for p in processes if q in p.name.casefold()] if q else list(processes)
    opts = [_option(p.name, str(p.id)) for p in matching[: MAX_OPTIONS - 1]]
    if not q or q in UNFILED_LABEL.casefold():
        opts.append(_option(UNFILED_LABEL, UNFILED))
    return [o.to_dict() for o in opts]


def sentiment_options() -> list[Option]:
    return [_option(label, key) for key, label in SENTIMENT_LABELS.items()]


def filing_summary(remark: Remark, process_name: str | None) -> Mrkdwn:
    """One line: process (and how it was decided), sentiment, customer, endorsements; the
    names and the link are outside text, made safe here."""
    process: str
    if process_name:
        how = "set by a person" if remark.process_decided_by else (
            f"auto, {round((remark.process_confidence or 0) * 100)}% sure"
        )
        process = md("*{}* ({})", process_name, how)
    elif not language.is_english(remark.language):
        process = unread_note(remark.language)
    else:
        process = "*Unfiled* (needs triage)"
    sentiment = f"*{SENTIMENT_LABELS.get(remark.sentiment, remark.sentiment)}*"
    if remark.sentiment == "suggestion" and not remark.sentiment_decided_by and remark.sentiment_score:
        # An idea's score is the detector's confidence.
        sentiment += f" (auto, {round(remark.sentiment_score * 100)}% sure)"
    parts = [f"Process: {process}", f"Sentiment: {SENTIMENT_EMOJI.get(remark.sentiment, '')} {sentiment}"]
    if remark.customer:
        parts.append(md("Customer: *{}*", clip(remark.customer, 255)))
    if remark.teammates > 1:
        parts.append(f"{remark.teammates} teammates captured this")
    if remark.permalink:
        parts.append(link(remark.permalink, "View message"))
    return Mrkdwn(" · ".join(parts))


def unread_note(code: str | None) -> Mrkdwn:
    """Why a remark in another language is unfiled (the code is escaped all the same)."""
    return md("*Filed for a person*: Earshot reads English only; this looks {} ({})",
              language.name(code), code or "?")


CONFIRMATION_HEADLINE = Mrkdwn(":inbox_tray: *Filed as customer feedback*")


def capture_confirmation(
    remark: Remark,
    process_name: str | None,
    *,
    headline: Mrkdwn = CONFIRMATION_HEADLINE,
    duplicate: Remark | None = None,
) -> dict[str, Any]:
    """The private confirmation a capturer sees, with one-click corrections; with
    ``duplicate``, the earlier remark it repeats and a *Same as this one* button.

    ``headline`` is Earshot's own mrkdwn (build one with ``md`` when it names something)."""
    author = md(" — {}", mention(remark.author_user_id)) if remark.author_user_id else ""
    main = fit(f"{headline}\n{quote(remark.text)}{author}", SECTION_LIMIT)
    blocks: list[Any] = [
        SectionBlock(text=MarkdownTextObject(text=main)),
        ContextBlock(elements=[MarkdownTextObject(text=fit(filing_summary(remark, process_name), SECTION_LIMIT))]),
        correction_controls(remark, process_name),
    ]
    if duplicate is not None:
        who = md(" ({})", clip(duplicate.customer, 255)) if duplicate.customer else ""
        view = md(" · {}", link(duplicate.permalink, "view")) if duplicate.permalink else ""
        blocks.append(SectionBlock(
            text=MarkdownTextObject(text=fit(
                f":twisted_rightwards_arrows: *Looks like the same remark as this one* from "
                f"{duplicate.said_at:%d %b}{who}{view}:\n{quote(duplicate.text, 300)}", SECTION_LIMIT)),
            accessory=ButtonElement(action_id=ACTION_SAME, text="Same as this one",
                                    value=f"{remark.id}:{duplicate.id}:{remark.fingerprint}")))
    fallback = md("Filed as customer feedback: {}, {}", process_name or "Unfiled", remark.sentiment)
    return {"text": fallback, "blocks": [b.to_dict() for b in blocks]}


def correction_controls(remark: Remark, process_name: str | None) -> ActionsBlock:
    """Process (an external select: it loads the current processes when opened, so one
    added after the confirmation was posted can be chosen), sentiment, customer, undo."""
    p_initial = (_option(process_name, str(remark.process_id)) if remark.process_id and process_name
                 else _option(UNFILED_LABEL, UNFILED))
    s_opts = sentiment_options()
    s_initial = next((o for o in s_opts if o.value == remark.sentiment), None)
    return ActionsBlock(
        block_id=remark_block_id(remark),
        elements=[
            ExternalDataSelectElement(
                action_id=ACTION_PROCESS, placeholder="Change process", initial_option=p_initial,
                min_query_length=0,
            ),
            StaticSelectElement(
                action_id=ACTION_SENTIMENT, placeholder="Change sentiment", options=s_opts,
                initial_option=s_initial,
            ),
            ButtonElement(action_id=ACTION_CUSTOMER, text="Set customer", value=remark_ref(remark)),
            ButtonElement(
                action_id=ACTION_UNDO, text="Undo", value=remark_ref(remark), style="danger",
                confirm=ConfirmObject(
                    title="Undo this capture?",
                    text="Your capture is withdrawn; the remark is removed if nobody else captured it.",
                    confirm="Undo", deny="Keep it",
                ),
            ),
        ],
    )


def notice(text: str) -> dict[str, Any]:
    """A plain private message, as blocks so it renders the same everywhere.

    ``text`` is Earshot's own mrkdwn: a message that names anything from outside (a name, a
    title, what the person typed) is built with ``bot.slack.mrkdwn.md``."""
    return {
        "text": truncate(text, 3000),
        "blocks": [SectionBlock(text=MarkdownTextObject(text=truncate(text, SECTION_LIMIT))).to_dict()],
    }


def customer_modal(current: str | None, private_metadata: str, callback_id: str) -> dict[str, Any]:
    """The small modal behind a confirmation's "Set customer" button."""

    view = View(
        type="modal",
        callback_id=callback_id,
        title="Customer",
        submit="Save",
        close="Cancel",
        private_metadata=private_metadata,
        blocks=[
            InputBlock(
                block_id="customer",
                label="Which customer (company) said this?",
                optional=True,
                hint="Leave empty to clear it.",
                element=PlainTextInputElement(
                    action_id="value", initial_value=current or None, max_length=255,
                    placeholder="e.g. Acme Corp",
                ),
            )
        ],
    )
    return view.to_dict()


def recent_remarks(remarks: Sequence[Remark], processes: dict[int, str], *, shared_by: str | None,
                   quote_chars: int) -> dict[str, Any]:
    """``/feedback recent``: a person's last captured remarks, one section each (``shared_by``:
    the person showing them in the channel, else they are theirs alone)."""
    who = md("{}'s", mention(shared_by)) if shared_by else "Your"
    out = [SectionBlock(text=MarkdownTextObject(text=f"*{who} last {len(remarks)} captured remarks*"))]
    for r in remarks:
        process = processes.get(r.process_id) if r.process_id else None
        label = md("*{}*", process) if process else "*Unfiled*"
        sentiment = f"{SENTIMENT_EMOJI.get(r.sentiment, '')} {SENTIMENT_LABELS.get(r.sentiment, r.sentiment)}"
        where = (link(r.permalink, "View message") if r.permalink
                 else "typed in a DM" if (r.channel_id or "").startswith("D")
                 else md("typed in {}", channel(r.channel_id)) if r.channel_id else "typed")
        customer = md(" · {}", clip(r.customer, 255)) if r.customer else ""
        at = r.said_at if r.said_at.tzinfo else r.said_at.replace(tzinfo=dt.UTC)
        said = f"<!date^{int(at.timestamp())}^{{date_short}}|{at:%Y-%m-%d}>"
        text = f"{label} · {sentiment}{customer} · {said} · {where}\n{quote(r.text, quote_chars)}"
        out.append(SectionBlock(text=MarkdownTextObject(text=fit(text, SECTION_LIMIT))))
    return {"text": f"Your last {len(remarks)} captured remarks", "blocks": [b.to_dict() for b in out]}
