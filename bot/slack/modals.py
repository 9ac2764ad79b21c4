"""The filing modal: Block Kit builders and submission parsing; no I/O.

One modal files a remark by hand, opened either by the message shortcut "File as customer
feedback" (the remark is that message) or by ``/feedback`` with no text (the remark is
typed into the modal). Where the remark came from travels in ``private_metadata`` as JSON
(at most 3,000 characters, so a long message's text is left out and read again on submit),
sealed (bot.slack.sealed) for the workspace and the person it was opened for: a submission
whose origin Earshot did not write is refused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.slack.blocks import OPTION_TEXT_LIMIT, SECTION_LIMIT, SENTIMENT_LABELS, UNFILED, quote
from bot.slack.grammar import close_matches
from bot.slack.mrkdwn import channel, fit, md, mention
from bot.slack.sealed import SIG, SIG_CHARS, is_sealed, seal
from bot.slack.text import MAX_TEXT, truncate
from storage.models import SENTIMENTS, Process

CALLBACK_ID = "file_feedback"  # the message shortcut and the modal's view callback
METADATA_LIMIT = 3000
INPUT_LIMIT = 3000  # Slack's max_length for a plain_text_input
CUSTOMER_LIMIT = 255
PREVIEW_LIMIT = 1500
OTHER = "other"
MAX_SELECT_OPTIONS = 100

BLOCK_REMARK, ACTION_REMARK = "remark", "remark_text"
BLOCK_PROCESS, ACTION_PROCESS = "process", "process_choice"
BLOCK_OTHER, ACTION_OTHER = "process_other", "process_other_name"
BLOCK_SENTIMENT, ACTION_SENTIMENT = "sentiment", "sentiment_choice"
BLOCK_CUSTOMER, ACTION_CUSTOMER = "customer", "customer_name"
BLOCK_NOTE, ACTION_NOTE = "note", "note_text"
BLOCK_SCORE, ACTION_SCORE = "score", "score_choice"
# The Sentiment choice that leaves the tone to Earshot: the score given in the form if it
# tells one, else the words. Preselected unless a person already decided the remark's tone:
# Slack sends a preselected option as chosen, so preselecting Earshot's guess made every
# filing a person's decision and a score given in the form never set the tone.
AUTO = "auto"
AUTO_LABEL = "Automatic (from the words or score)"
# A score the customer gave (issue 21), as "kind:value": CSAT 1-5, NPS 0-10, stars 1-5.
SCORE_CHOICES = ([(f"CSAT {v}", f"csat:{v}") for v in range(1, 6)]
                 + [(f"NPS {v}", f"nps:{v}") for v in range(0, 11)]
                 + [(f"{v} star{'s' if v > 1 else ''}", f"stars:{v}") for v in range(1, 6)])

ROUTE_SHORTCUT = "shortcut"
ROUTE_COMMAND = "command"


@dataclass
class Origin:
    """Where the remark comes from: a Slack message (shortcut) or text typed into the modal."""

    route: str
    channel_id: str | None = None  # the message's channel, or where /feedback was typed
    ts: str | None = None  # None: typed into the modal
    thread_ts: str | None = None
    author_user_id: str | None = None
    author_team_id: str | None = None
    permalink: str | None = None
    text: str | None = None  # None when too long for the metadata: read it again on submit
    reply_channel: str | None = None  # where the capturer was (confirmation goes there)
    app: str | None = None  # "1": another app's post (read again from Slack on submit)

    @property
    def typed(self) -> bool:
        return self.ts is None

    def to_metadata(self, *, key: bytes | None = None, scope: str = "") -> str:
        """As JSON; with ``key``, sealed for ``scope`` (``"<team>:<user>"``)."""
        data = {k: v for k, v in asdict(self).items() if v is not None}
        room = METADATA_LIMIT - (len(SIG) + SIG_CHARS + 6 if key is not None else 0)
        if len(json.dumps(data, separators=(",", ":"), ensure_ascii=False)) > room:
            data.pop("text", None)
        if key is not None:
            data = seal(data, key=key, scope=scope)
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_metadata(cls, raw: Any, *, key: bytes | None = None, scope: str = "") -> Origin | None:
        """The origin stored in a view, or None if it is missing or not ours (with ``key``:
        not sealed by Earshot for ``scope``)."""
        if not isinstance(raw, str) or not raw:
            return None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            return None
        if not isinstance(data, dict) or data.get("route") not in (ROUTE_SHORTCUT, ROUTE_COMMAND):
            return None
        if key is not None and not is_sealed(data, key=key, scope=scope):
            return None
        fields: dict[str, Any] = {k: (str(v) if v is not None else None) for k, v in data.items()
                  if k in cls.__dataclass_fields__}
        return cls(**fields)


@dataclass
class Prefill:
    """What the modal shows before the capturer changes anything."""

    process_id: int | None = None
    sentiment: str | None = None  # a person's decision; None: automatic (AUTO preselected)
    guessed_sentiment: str | None = None  # Earshot's reading of the words, shown as a hint
    customer: str | None = None
    note: str | None = None
    endorsements: int = 0  # > 0: already filed by teammates
    guessed: bool = True  # the process/sentiment are the classifier's guesses


def _plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=True)


def _option(text: str, value: str) -> Option:
    return Option(text=_plain(truncate(text, OPTION_TEXT_LIMIT)), value=value)


def process_choices(processes: Sequence[Process]) -> list[Option]:
    """Active processes (as many as fit), then "Unfiled" and "Other…" (type a name)."""
    opts = [_option(p.name, str(p.id)) for p in processes[: MAX_SELECT_OPTIONS - 2]]
    return [*opts, _option("Unfiled (needs triage)", UNFILED), _option("Other… (name it below)", OTHER)]


def sentiment_choices() -> list[Option]:
    return [_option(AUTO_LABEL, AUTO), *(_option(label, key) for key, label in SENTIMENT_LABELS.items())]


def _sentiment_hint(prefill: Prefill) -> str | None:
    if prefill.sentiment is not None:
        return None
    guess = SENTIMENT_LABELS.get(prefill.guessed_sentiment or "")
    now = f" (now: {guess})" if guess else ""
    return f"Automatic: a score given below sets the tone where it tells one, else Earshot reads the words{now}."


def filing_modal(processes: Sequence[Process], origin: Origin, prefill: Prefill,
                 *, preview: str | None = None,
                 sealed_for: tuple[bytes, str] | None = None) -> dict[str, Any]:
    """The modal as a ``views.open`` view dict; ``sealed_for``: (key, scope) to seal its origin."""
    blocks: list[Any] = []
    if origin.typed:
        blocks.append(InputBlock(
            block_id=BLOCK_REMARK, label=_plain("What did the customer say?"),
            element=PlainTextInputElement(
                action_id=ACTION_REMARK, multiline=True, max_length=INPUT_LIMIT,
                placeholder=_plain("e.g. The invoice arrived twice this month"),
                initial_value=truncate(preview, INPUT_LIMIT) if preview else None,
            ),
        ))
    else:
        # The message's words are a customer's: quote() makes them safe; the ids are Slack's.
        where = md(" in {}", channel(origin.channel_id)) if origin.channel_id else ""
        head = md("*From* {}{}", mention(origin.author_user_id), where)
        blocks.append(SectionBlock(
            block_id="preview",
            text=MarkdownTextObject(text=fit(f"{head}\n{quote(preview or '', PREVIEW_LIMIT)}", SECTION_LIMIT)),
        ))
    if prefill.endorsements:
        who = "1 teammate has" if prefill.endorsements == 1 else f"{prefill.endorsements} teammates have"
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f":busts_in_silhouette: {who} filed this already; filing it counts as your endorsement "
                 "and your choices below replace the current ones.")]))
    p_opts = process_choices(processes)
    current = str(prefill.process_id) if prefill.process_id else UNFILED
    p_initial = next((o for o in p_opts if o.value == current), None)
    hint = "Earshot's guess is preselected." if prefill.guessed and p_initial is not None else None
    blocks.append(InputBlock(
        block_id=BLOCK_PROCESS, label=_plain("Process"),
        hint=_plain(hint) if hint else None,
        element=StaticSelectElement(
            action_id=ACTION_PROCESS, placeholder=_plain("Choose a process"), options=p_opts,
            initial_option=p_initial,
        ),
    ))
    blocks.append(InputBlock(
        block_id=BLOCK_OTHER, label=_plain("Other process"), optional=True,
        hint=_plain("Only if you chose “Other…”: the name of an existing process."),
        element=PlainTextInputElement(action_id=ACTION_OTHER, max_length=80,
                                      placeholder=_plain("e.g. Returns")),
    ))
    s_opts = sentiment_choices()
    s_initial = next((o for o in s_opts if o.value == (prefill.sentiment or AUTO)), None)
    s_hint = _sentiment_hint(prefill)
    blocks.append(InputBlock(
        block_id=BLOCK_SENTIMENT, label=_plain("Sentiment"), hint=_plain(s_hint) if s_hint else None,
        element=RadioButtonsElement(action_id=ACTION_SENTIMENT, options=s_opts, initial_option=s_initial),
    ))
    blocks.append(InputBlock(
        block_id=BLOCK_CUSTOMER, label=_plain("Customer"), optional=True,
        element=PlainTextInputElement(
            action_id=ACTION_CUSTOMER, max_length=CUSTOMER_LIMIT,
            placeholder=_plain("e.g. Acme Corp"),
            initial_value=truncate(prefill.customer, CUSTOMER_LIMIT) if prefill.customer else None,
        ),
    ))
    blocks.append(InputBlock(
        block_id=BLOCK_NOTE, label=_plain("Note"), optional=True,
        hint=_plain("Context for the team; not part of the remark."),
        element=PlainTextInputElement(
            action_id=ACTION_NOTE, multiline=True, max_length=INPUT_LIMIT,
            initial_value=truncate(prefill.note, INPUT_LIMIT) if prefill.note else None,
        ),
    ))
    blocks.append(InputBlock(
        block_id=BLOCK_SCORE, label=_plain("Score"), optional=True,
        hint=_plain("A rating the customer gave (CSAT, NPS or stars), if any."),
        element=StaticSelectElement(action_id=ACTION_SCORE, placeholder=_plain("No score"),
                                    options=[_option(label, value) for label, value in SCORE_CHOICES]),
    ))
    view = View(
        type="modal", callback_id=CALLBACK_ID, title=_plain("File customer feedback"),
        submit=_plain("File"), close=_plain("Cancel"),
        private_metadata=origin.to_metadata(key=sealed_for[0], scope=sealed_for[1]) if sealed_for
        else origin.to_metadata(),
        blocks=blocks,
    )
    return view.to_dict()


def notice_view(title: str, text: str) -> dict[str, Any]:
    """A modal that only says something (no inputs, so no submit button)."""
    return View(
        type="modal", title=_plain(truncate(title, 24)), close=_plain("Close"),
        blocks=[SectionBlock(text=MarkdownTextObject(text=fit(text, SECTION_LIMIT)))],
    ).to_dict()


# ---------------------------------------------------------------------- submission


@dataclass
class Submission:
    """What the capturer entered, read leniently (missing fields are None)."""

    text: str | None = None
    process: str | None = None  # a process id, UNFILED, OTHER, or None
    other_name: str | None = None
    sentiment: str | None = None
    customer: str | None = None
    note: str | None = None
    score: str | None = None  # "kind:value"


@dataclass
class Decision:
    """A valid submission resolved against the workspace's processes."""

    process_id: int | None  # None: unfiled
    sentiment: str | None  # None: automatic (the score's tone, else the words')
    customer: str | None
    note: str | None
    text: str | None
    errors: dict[str, str] = field(default_factory=dict)
    score: tuple[str, int] | None = None


def _value(values: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    entry = (values.get(block) or {}).get(action)
    return entry if isinstance(entry, dict) else {}


def _text(values: dict[str, Any], block: str, action: str) -> str | None:
    v = _value(values, block, action).get("value")
    return v if isinstance(v, str) else None


def _choice(values: dict[str, Any], block: str, action: str) -> str | None:
    opt = _value(values, block, action).get("selected_option")
    if isinstance(opt, dict) and isinstance(opt.get("value"), str):
        return opt["value"]
    return None


def read_submission(values: Any) -> Submission:
    """``view.state.values`` -> Submission; never raises on missing or odd fields."""
    if not isinstance(values, dict):
        values = {}
    return Submission(
        text=_text(values, BLOCK_REMARK, ACTION_REMARK),
        process=_choice(values, BLOCK_PROCESS, ACTION_PROCESS),
        other_name=_text(values, BLOCK_OTHER, ACTION_OTHER),
        sentiment=_choice(values, BLOCK_SENTIMENT, ACTION_SENTIMENT),
        customer=_text(values, BLOCK_CUSTOMER, ACTION_CUSTOMER),
        note=_text(values, BLOCK_NOTE, ACTION_NOTE),
        score=_choice(values, BLOCK_SCORE, ACTION_SCORE),
    )


def _tidy(s: str | None) -> str | None:
    return " ".join((s or "").split()) or None


def decide(sub: Submission, processes: Sequence[Process], *, typed: bool) -> Decision:
    """Validate a submission against the active processes; errors are keyed by block_id."""
    errors: dict[str, str] = {}
    text: str | None = None
    if typed:
        text = (sub.text or "").strip()
        if not text:
            errors[BLOCK_REMARK] = "Type what the customer said."
        elif len(text) > MAX_TEXT:
            errors[BLOCK_REMARK] = f"That is {len(text):,} characters; a remark can be up to {MAX_TEXT:,}."
    by_id = {str(p.id): p for p in processes}
    by_name = {" ".join(p.name.split()).casefold(): p for p in processes}
    process_id: int | None = None
    other = _tidy(sub.other_name)
    if sub.process is None:
        errors[BLOCK_PROCESS] = "Choose a process, or “Unfiled”."
    elif sub.process == OTHER:
        if not other:
            errors[BLOCK_OTHER] = "You chose “Other…”: type the name of a process here."
        elif other.casefold() in by_name:
            process_id = by_name[other.casefold()].id
        else:
            near = close_matches(other, [p.name for p in processes])
            hint = f" Did you mean {', '.join(near)}?" if near else ""
            errors[BLOCK_OTHER] = truncate(
                f"No active process is called “{other}”.{hint} An admin can add it with /feedback processes.",
                150,
            )
    elif sub.process == UNFILED:
        process_id = None
    elif sub.process in by_id:
        process_id = by_id[sub.process].id
    else:
        errors[BLOCK_PROCESS] = "That process was archived or removed meanwhile; choose another."
    if sub.process not in (None, OTHER) and other and BLOCK_PROCESS not in errors:
        # A name typed but "Other…" not chosen: say which one wins rather than guess.
        errors[BLOCK_OTHER] = "Choose “Other…” above to use this name, or clear it."
    sentiment = sub.sentiment if sub.sentiment in SENTIMENTS else None
    if sentiment is None and sub.sentiment != AUTO:
        errors[BLOCK_SENTIMENT] = "Choose automatic, praise, complaint, neutral or idea."
    customer = _tidy(sub.customer)
    if customer and len(customer) > CUSTOMER_LIMIT:
        errors[BLOCK_CUSTOMER] = f"A customer name is at most {CUSTOMER_LIMIT} characters."
    note = (sub.note or "").strip() or None
    if note and len(note) > INPUT_LIMIT:
        errors[BLOCK_NOTE] = f"A note is at most {INPUT_LIMIT:,} characters."
    score: tuple[str, int] | None = None
    if sub.score is not None:
        if sub.score in {value for _, value in SCORE_CHOICES}:
            kind, _, value = sub.score.partition(":")
            score = (kind, int(value))
        else:
            errors[BLOCK_SCORE] = "Choose a score from the list, or none."
    return Decision(process_id=process_id, sentiment=sentiment, customer=customer,
                    note=note, text=text, errors=errors, score=score)
