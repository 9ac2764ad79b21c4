"""``/feedback process ...`` (admins change the registry) and ``/feedback processes`` (anyone lists it).

Parsing the command text lives here; the rules (names, keywords, owners, archive) live in
bot/domain/processes/registry.py, which raises ``RegistryError`` with a message we show as is.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.domain.processes import registry
from bot.slack.blocks import SECTION_LIMIT
from bot.slack.mrkdwn import Mrkdwn, clip, fit, join, md, mention
from handlers.commands.router import Call, Reply, reply, subcommand

log = logging.getLogger(__name__)

USAGE = """*Change the process registry* (workspace admins):
• `/feedback process add Billing invoice, refund, VAT` — a new process with keywords (quote a longer name: `"Product quality"`, or end it with a colon: `Data import: csv, upload`)
• `/feedback process rename Support to Customer care` — every remark stays filed under it
• `/feedback process describe Billing Invoices, refunds and plan changes` — `none` clears it
• `/feedback process keywords add Billing chargeback, receipt` / `keywords remove Billing VAT`
• `/feedback process owner Billing @alice` — `none` clears it
• `/feedback process archive Delivery` / `process restore Delivery` — archived processes get no new remarks; old ones stay
• `/feedback processes` — list them all (anyone)"""

_SEPARATORS = {"to", "->", "→", "=>", "as"}
_WORD = re.compile(r"\S+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
MAX_BLOCKS = 50
DESCRIPTION_PREVIEW = 200
KEYWORDS_PREVIEW = 300


class Usage(Exception):
    """The call is malformed: show what is wrong, then the usage."""


# -- parsing -----------------------------------------------------------------------------


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].strip()
    return text


def _quoted(text: str) -> tuple[str, str] | None:
    """``"Product quality" rest`` -> ("Product quality", "rest"); None when not quoted."""
    if not text or text[0] not in "\"'":
        return None
    end = text.find(text[0], 1)
    if end < 0:
        raise Usage(f"The quote before “{text[1:30]}” is never closed.")
    return text[1:end].strip(), text[end + 1 :].strip()


def take_name(text: str, known: list[str]) -> tuple[str, str]:
    """Split ``text`` into an existing process's name and the rest.

    A quoted name wins; otherwise the longest run of leading words that is a known
    name (so ``Product quality slow exports`` finds "Product quality"); otherwise the
    first word (which then gets a "did you mean").
    """
    text = text.translate(_QUOTES).strip()
    quoted = _quoted(text)
    if quoted is not None:
        return quoted
    words = list(_WORD.finditer(text))
    if not words:
        return "", ""
    keys = {registry.name_key(n) for n in known}
    for i in range(len(words), 0, -1):
        candidate = text[: words[i - 1].end()]
        if registry.name_key(candidate) in keys:
            return candidate, text[words[i - 1].end() :].strip()
    return words[0].group(), text[words[0].end() :].strip()


def split_keywords(text: str) -> list[str]:
    """``refund, late invoice`` -> two keywords; without commas each word (or "quoted phrase") is one."""
    text = text.translate(_QUOTES).strip()
    if not text:
        return []
    if "," in text:
        return [_unquote(part) for part in text.split(",")]
    return [m.group(1) or m.group(2) or m.group(3) for m in re.finditer(r'"([^"]*)"|\'([^\']*)\'|(\S+)', text)]


def parse_add(text: str) -> tuple[str, list[str], bool]:
    """``[--force] <name> [keywords...]`` -> (name, keywords, force)."""
    text = text.translate(_QUOTES).strip()
    force = False
    for flag in ("--force", "-f", "—force"):  # phones turn -- into an em dash
        if text.startswith(flag + " ") or text == flag:
            force, text = True, text[len(flag) :].strip()
        elif text.endswith(" " + flag):
            force, text = True, text[: -len(flag)].strip()
    quoted = _quoted(text)
    if quoted is not None:
        name, rest = quoted
        rest = rest.lstrip(":").strip()
    elif ":" in text:
        name, _, rest = text.partition(":")
    else:
        name, _, rest = text.partition(" ")
    if not name.strip():
        raise Usage("Give the new process a name.")
    return name.strip(), split_keywords(rest), force


def parse_rename(text: str, known: list[str]) -> tuple[str, str]:
    old, rest = take_name(text, known)
    tokens = rest.split(None, 1)
    if tokens and tokens[0].lower() in _SEPARATORS:
        rest = tokens[1] if len(tokens) > 1 else ""
    elif registry.name_key(old) not in {registry.name_key(n) for n in known}:
        # An unknown multi-word old name: take everything up to "to" so the hint is useful.
        words = text.split()
        seps = [i for i, w in enumerate(words) if w.lower() in _SEPARATORS]
        if seps and seps[0] > 0:
            old, rest = " ".join(words[: seps[0]]), " ".join(words[seps[0] + 1 :])
    new = _unquote(rest)
    if not old or not new:
        raise Usage("Say which process and its new name.")
    return old, new


# -- rendering -----------------------------------------------------------------------------


def _owner(user_id: str | None) -> Mrkdwn:
    return mention(user_id) if user_id else Mrkdwn("no owner")


def _entry(item: registry.Listed) -> str:
    """One process: its name, description and keywords were typed by an admin (outside text)."""
    p = item.process
    name = md("*{}*", clip(p.name, 150)) + ("  :file_cabinet: _archived_" if p.archived else "")
    n = item.remarks_this_week
    lines = [f"{name} · {_owner(p.owner_user_id)} · {n} remark{'s' if n != 1 else ''} this week"]
    if p.description:
        lines.append(md("_{}_", clip(p.description, DESCRIPTION_PREVIEW)))
    if p.keywords:
        lines.append(md("Keywords: {}", clip(", ".join(p.keywords), KEYWORDS_PREVIEW)))
    return "\n".join(lines)


def listing(items: list[registry.Listed], *, admin_hint: bool = True) -> dict[str, Any]:
    """The registry as Block Kit, within 50 blocks and 3,000 characters a section."""
    active = sum(1 for i in items if not i.process.archived)
    archived = len(items) - active
    head = f"*Processes* — {active} active" + (f", {archived} archived" if archived else "")
    head += " · remarks of the last 7 days"
    entries = [_entry(i) for i in items]
    room = MAX_BLOCKS - 2  # the heading and the footer
    chunks: list[list[str]] = [[e] for e in entries]
    if len(entries) > room:  # many processes: several to a section
        chunks = []
        for e in entries:
            if chunks and sum(len(x) + 2 for x in chunks[-1]) + len(e) <= SECTION_LIMIT:
                chunks[-1].append(e)
            else:
                chunks.append([e])
    shown = chunks[:room]
    hidden = len(entries) - sum(len(c) for c in shown)
    blocks: list[dict[str, Any]] = [SectionBlock(text=MarkdownTextObject(text=head)).to_dict()]
    blocks += [SectionBlock(text=MarkdownTextObject(text=fit("\n\n".join(c), SECTION_LIMIT))).to_dict()
               for c in shown]
    footer = "Change them with `/feedback process …` (admins; `/feedback process help`)."
    if hidden > 0:
        footer = (f"…and {hidden} more not shown here: `earshot processes export` writes the full "
                  "list. " + footer)
    if not items:
        footer = "No processes yet. An admin can add one: `/feedback process add Billing invoice, refund`."
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=footer)]).to_dict())
    text = f"{active} active processes" + (f", {archived} archived" if archived else "")
    return {"text": text, "blocks": blocks, "response_type": "ephemeral"}


def _usage(problem: str | None = None) -> Reply:
    """The usage, after what was wrong (which may echo what the person typed: made safe)."""
    return reply((md(":warning: {}\n\n", problem) if problem else "") + USAGE)


# -- owner mentions -----------------------------------------------------------------------


async def _resolve_owner(call: Call, text: str) -> str | None:
    """The owner's id from a mention (``<@U…>``, or a plain ``@name`` when Slack did not
    escape it), checked to be a real, current, human member."""
    value = text.strip()
    if value.startswith("@") and not value.startswith("<"):
        user_id = await _lookup_name(call, value[1:])
        if user_id is None:
            raise registry.RegistryError(f"I can't find anyone called {value} here.")
    else:
        user_id = registry.parse_owner(value)
    if user_id is None:
        return None
    try:
        user = (await call.client.users_info(user=user_id)).get("user") or {}
    except SlackApiError as e:
        if e.response.get("error") == "user_not_found":
            raise registry.RegistryError(f"<@{user_id}> is not in this workspace.") from None
        log.warning("process owner: users.info failed team=%s: %s", call.team_id, e.response.get("error"))
        return user_id
    if user.get("is_bot") or user.get("deleted"):
        raise registry.RegistryError(f"<@{user_id}> can't own a process (a bot or a deactivated account).")
    return user_id


async def _lookup_name(call: Call, name: str, *, pages: int = 5) -> str | None:
    wanted = name.casefold()
    cursor = None
    for _ in range(pages):
        try:
            res = await call.client.users_list(limit=200, cursor=cursor)
        except SlackApiError as e:
            log.warning("process owner: users.list failed team=%s: %s", call.team_id, e.response.get("error"))
            return None
        for u in res.get("members") or []:
            profile = u.get("profile") or {}
            if wanted in {str(u.get("name", "")).casefold(), str(profile.get("display_name", "")).casefold()}:
                return u.get("id")
        cursor = (res.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
    return None


# -- subcommands ---------------------------------------------------------------------------


@subcommand("processes", usage="/feedback processes",
            summary="list the processes with owners, keywords and this week's remarks", order=40)
async def list_all(call: Call) -> Reply:
    items = await registry.list_processes(call.services.sessions, call.team_id)
    return listing(items)


@subcommand("process", usage="/feedback process add|rename|describe|keywords|owner|archive|restore …",
            summary="change the process registry (admins)", order=41)
async def manage(call: Call) -> Reply:
    action, rest = _split(call.text)
    if action in ("", "help", "?", "-h", "--help"):
        return _usage()
    if action == "list":
        return await list_all(call)
    handler = _ACTIONS.get(action)
    if handler is None:
        return _usage(f"`{action[:40]}` is not something `/feedback process` does.")
    try:  # each change refuses a non-admin itself (bot.domain.acting.NotAdmin: told as it says)
        return await handler(call, rest)
    except Usage as e:
        return _usage(str(e))
    except registry.RegistryError as e:
        return reply(md(":warning: {}", str(e)))  # it may quote what was typed


def _split(text: str) -> tuple[str, str]:
    head, _, rest = text.strip().partition(" ")
    return head.lower(), rest.strip()


async def _add(call: Call, text: str) -> Reply:
    name, keywords, force = parse_add(text)
    p = await registry.add_process(call.services.sessions, call.team_id, name, keywords, force=force,
                                  asker=call.asker)
    kw = md(" with keywords {}", ", ".join(p.keywords)) if p.keywords else ""
    return reply(md(":white_check_mark: Added *{}*{}. Remarks can be filed under it now."
                    "\nDescribe it to help Earshot file remarks: `/feedback process describe {} …`",
                    p.name, kw, p.name))


async def _rename(call: Call, text: str) -> Reply:
    old, new = parse_rename(text, await registry.names(call.services.sessions, call.team_id))
    r = await registry.rename_process(call.services.sessions, call.team_id, old, new, asker=call.asker)
    kept = ""
    if r.remarks:
        kept = f" Its {r.remarks} remarks stay filed under it." if r.remarks > 1 else " Its remark stays filed under it."
    return reply(md(":white_check_mark: Renamed *{}* to *{}*.{}", r.old_name, r.process.name, kept))


async def _describe(call: Call, text: str) -> Reply:
    name, description = take_name(text, await registry.names(call.services.sessions, call.team_id))
    if not name or not description:
        raise Usage("Say which process and its description (or `none` to clear it).")
    if description.strip().casefold() in ("none", "-", "clear"):
        description = ""
    p = await registry.describe_process(call.services.sessions, call.team_id, name, _unquote(description),
                                       asker=call.asker)
    if not p.description:
        return reply(md(":white_check_mark: *{}* has no description now.", p.name))
    return reply(md(":white_check_mark: *{}*: _{}_", p.name, clip(p.description, 500)))


async def _keywords(call: Call, text: str) -> Reply:
    op, rest = _split(text)
    if op not in ("add", "remove", "rm", "delete", "del"):
        raise Usage("Use `keywords add <process> <words>` or `keywords remove <process> <words>`.")
    name, words = take_name(rest, await registry.names(call.services.sessions, call.team_id))
    if not name:
        raise Usage("Say which process.")
    sessions = call.services.sessions
    if op == "add":
        ch = await registry.add_keywords(sessions, call.team_id, name, split_keywords(words), asker=call.asker)
        done = md("Added {}", join(ch.changed)) if ch.changed else "Nothing to add"
        skipped = md(" ({} already there)", join(ch.skipped)) if ch.skipped else ""
    else:
        ch = await registry.remove_keywords(sessions, call.team_id, name, split_keywords(words),
                                           asker=call.asker)
        done = md("Removed {}", join(ch.changed)) if ch.changed else "Nothing removed"
        skipped = md(" ({} not among its keywords)", join(ch.skipped)) if ch.skipped else ""
    now = join(ch.process.keywords) or "none"
    return reply(md(":white_check_mark: {} for *{}*{}.\nKeywords now: {}", Mrkdwn(done), ch.process.name,
                    Mrkdwn(skipped), Mrkdwn(now)))


async def _owner_cmd(call: Call, text: str) -> Reply:
    name, who = take_name(text, await registry.names(call.services.sessions, call.team_id))
    if not name or not who:
        raise Usage("Say which process and who owns it (`@someone`, or `none`).")
    owner = await _resolve_owner(call, who)
    p = await registry.set_owner(call.services.sessions, call.team_id, name, owner, asker=call.asker)
    if owner is None:
        return reply(md(":white_check_mark: *{}* has no owner now.", p.name))
    return reply(md(":white_check_mark: {} owns *{}* now; the digest names them.", mention(owner), p.name))


async def _archive(call: Call, text: str) -> Reply:
    return await _set_archived(call, text, True)


async def _restore(call: Call, text: str) -> Reply:
    return await _set_archived(call, text, False)


async def _set_archived(call: Call, text: str, archived: bool) -> Reply:
    name = _unquote(text.translate(_QUOTES))
    if not name:
        raise Usage("Say which process.")
    p, remarks = await registry.set_archived(call.services.sessions, call.team_id, name, archived,
                                              asker=call.asker)
    count = f"its {remarks} remark{'s' if remarks != 1 else ''}" if remarks else "its remarks"
    if archived:
        return reply(md(":file_cabinet: Archived *{}*: new remarks won't be filed under it; "
                        "{} stay. Undo with `/feedback process restore {}`.", p.name, count, p.name))
    return reply(md(":white_check_mark: Restored *{}*: remarks can be filed under it again.", p.name))


_ACTIONS = {
    "add": _add, "new": _add, "create": _add,
    "rename": _rename,
    "describe": _describe, "description": _describe,
    "keywords": _keywords, "keyword": _keywords, "kw": _keywords,
    "owner": _owner_cmd, "own": _owner_cmd,
    "archive": _archive,
    "restore": _restore, "unarchive": _restore,
}
