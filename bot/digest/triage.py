"""The triage modal opened from the digest's Unfiled button: the newest unfiled remarks,
each with a process picker; picking one files the remark at once (as a person's decision).
Each picker's block names its remark by id and fingerprint (``triage:<id>:<fingerprint>``),
so a pick in a modal left open while its remark was withdrawn is refused."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.classify import language
from bot.domain.services import Services
from bot.slack.mrkdwn import Mrkdwn, clip, fit, link, md, mention
from bot.slack.text import truncate
from storage.models import remark_fingerprint
from storage.repositories.digests import DigestRepository, UnfiledRow

CALLBACK_ID = "digest_triage_modal"
ACTION_PREFIX = "triage_file:"
SHOWN = 20  # 2 blocks each, well inside a modal's 100
MAX_OPTIONS = 100


def action_id(remark_id: int) -> str:
    return f"{ACTION_PREFIX}{remark_id}"


def remark_of(action: dict[str, Any]) -> tuple[int, str] | None:
    """(remark id, fingerprint) a triage pick acts on; the fingerprint is empty for a block
    drawn without one."""
    try:
        remark_id = int(str(action.get("action_id", "")).removeprefix(ACTION_PREFIX))
    except ValueError:
        return None
    block = str(action.get("block_id") or "").split(":")
    drawn_for = block[2] if len(block) == 3 and block[0] == "triage" and block[1] == str(remark_id) else ""
    return remark_id, drawn_for


async def triage_view(services: Services, team_id: str, *, note: str | None = None) -> dict[str, Any]:
    async with services.sessions() as session:
        repo = DigestRepository(session)
        rows = await repo.unfiled(team_id, limit=SHOWN)
        total = await repo.unfiled_count(team_id)
        processes = [p for p in await repo.processes(team_id) if not p.archived]
    return build_view(rows, total, [(p.id, p.name) for p in processes], note=note)


def build_view(rows: list[UnfiledRow], total: int, processes: list[tuple[int, str]], *,
               note: str | None = None) -> dict[str, Any]:
    """The modal; ``note`` is Earshot's own mrkdwn, the remarks' words and names are made safe."""
    blocks: list[Any] = []
    if note:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=fit(note, 3000))]))
    if not rows:
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text=":white_check_mark: Nothing to triage: every remark has a process.")))
    else:
        more = f" Showing the newest {len(rows)}." if total > len(rows) else ""
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text=f"*{total} remark{'s' if total != 1 else ''} need{'s' if total == 1 else ''} a process.*"
                 f"{more} Pick one and it is filed at once.")))
    options = [Option(text=truncate(name, 75), value=str(pid)) for pid, name in processes[:MAX_OPTIONS]]
    for r in rows:
        who = md("*{}*", clip(r.customer, 255)) if r.customer else (
            mention(r.author_user_id) if r.author_user_id else "")
        where = md(" · {}", link(r.permalink, "view")) if r.permalink else ""
        text = clip(r.text, 500) or Mrkdwn("(no text)")
        section = SectionBlock(block_id=f"triage:{r.remark_id}:{remark_fingerprint(r.source_key)}",
                               text=MarkdownTextObject(text=fit(f"> {text}", 3000)))
        if options:
            section.accessory = StaticSelectElement(action_id=action_id(r.remark_id),
                                                    placeholder="File under…", options=options)
        blocks.append(section)
        said = "" if language.is_english(r.language) else md(
            ":globe_with_meridians: {} ({}): Earshot reads English only", language.name(r.language),
            r.language or "?")
        meta = " · ".join(x for x in (who, r.sentiment, f"{r.said_at:%-d %b}", said) if x) + where
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=meta)]))
    view = View(type="modal", callback_id=CALLBACK_ID, title=PlainTextObject(text="Triage feedback"),
                close=PlainTextObject(text="Done"), blocks=blocks)
    return view.to_dict()
