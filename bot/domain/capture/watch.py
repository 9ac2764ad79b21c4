"""Watched channels: which channels' new messages are all customer feedback.

Parsing what an admin typed after ``/feedback watch`` (``<#C123|name>``, ``<#C123>``,
``#name``, a bare id, or ``here``), checking with Slack that the channel can be watched (a
real channel, not archived, the bot a member), and storing the choice per workspace.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.acting import Asker, require_admin
from bot.domain.capture.backfill import window_share
from bot.domain.capture.hearing import Policy, week_of
from bot.domain.processes.starter import ensure_workspace
from bot.domain.services import Services
from bot.slack.mrkdwn import channel, safe
from bot.slack.text import ts_to_datetime
from storage.db import transaction
from storage.models import Backfill, WatchExample
from storage.repositories import WorkspaceRepository
from storage.repositories.sources import BackfillRepository, WatchStatsRepository

log = logging.getLogger(__name__)

_ESCAPED = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
_BARE_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")
_NAME = re.compile(r"^#?([a-z0-9][a-z0-9._\-]{0,79})$")
HERE = ("here", "this")
_LIST_PAGES = 20  # conversations.list pages to search for a bare #name (1,000 channels each)


@dataclass(frozen=True)
class ChannelRef:
    """What the admin typed for one channel: an id (escaped or bare) and/or a name."""

    id: str | None
    name: str | None
    raw: str

    @property
    def label(self) -> str:
        """The channel as the admin typed it, for a message before Slack has confirmed it (an
        id they typed is theirs, not yet a channel Earshot may link to)."""
        if self.raw.lower() in HERE and self.id:
            return channel(self.id)  # the channel the command came from
        return safe(self.raw if self.id else f"#{self.name or self.raw}")


class NotWatchable(Exception):
    """A channel that cannot be watched; the message says why and what to do."""


def parse_channel_refs(text: str, *, here: str | None = None) -> tuple[list[ChannelRef], list[str]]:
    """The channels named in ``text`` and the words that are not channels."""
    refs: list[ChannelRef] = []
    for m in _ESCAPED.finditer(text):
        refs.append(ChannelRef(id=m.group(1), name=(m.group(2) or None), raw=m.group(0)))
    rest = _ESCAPED.sub(" ", text)
    unknown: list[str] = []
    for word in rest.replace(",", " ").split():
        if word.lower() in HERE and here:
            refs.append(ChannelRef(id=here, name=None, raw=word))
        elif _BARE_ID.match(word):
            refs.append(ChannelRef(id=word, name=None, raw=word))
        elif (named := _NAME.match(word.lower())) and word.startswith("#"):
            refs.append(ChannelRef(id=None, name=named.group(1), raw=word))
        else:
            unknown.append(word)
    seen: set[str] = set()
    unique = []
    for r in refs:
        key = r.id or f"#{r.name}"
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique, unknown


async def _by_name(client: AsyncWebClient, name: str) -> dict[str, Any] | None:
    cursor: str | None = None
    for _ in range(_LIST_PAGES):
        res = await client.conversations_list(
            types="public_channel,private_channel", exclude_archived=True, limit=1000,
            cursor=cursor or None,
        )
        for ch in res.get("channels") or []:
            if ch.get("name") == name or ch.get("name_normalized") == name:
                return ch
        cursor = ((res.get("response_metadata") or {}).get("next_cursor")) or None
        if not cursor:
            return None
    return None


async def channel_id_of(client: AsyncWebClient, ref: ChannelRef) -> str:
    """Just the id ``ref`` names (no membership check: for unwatching); raises NotWatchable."""
    if ref.id is not None:
        return ref.id
    try:
        found = await _by_name(client, ref.name or "")
    except SlackApiError as e:
        raise NotWatchable(f"Slack did not tell me about #{ref.name} ({e.response.get('error')}).") from None
    if found is None:
        raise NotWatchable(f"I can't find #{ref.name}. Pick the channel from the autocomplete.")
    return str(found["id"])


async def resolve_channel(client: AsyncWebClient, ref: ChannelRef) -> dict[str, Any]:
    """The channel ``ref`` names, as conversations.info describes it; raises NotWatchable."""
    try:
        if ref.id is None:
            found = await _by_name(client, ref.name or "")
            if found is None:
                raise NotWatchable(
                    f"I can't find #{ref.name}. Pick the channel from the autocomplete "
                    "(type `#` and choose it); for a private channel, invite me first: "
                    "`/invite @Earshot`."
                )
            channel_id = str(found["id"])
        else:
            channel_id = ref.id
        info = (await client.conversations_info(channel=channel_id)).get("channel") or {}
    except SlackApiError as e:
        error = e.response.get("error")
        if error == "missing_scope":
            # Not the channel's fault: the installation lacks a read scope (Slack names it).
            needed = e.response.get("needed")
            raise NotWatchable(
                f"My installation lacks the permission to read {ref.label}"
                + (f" (Slack asks for `{needed}`)" if isinstance(needed, str) and needed else "")
                + ": reinstall me to grant it, then try again."
            ) from None
        if error in ("channel_not_found", "not_in_channel"):
            raise NotWatchable(
                f"I can't see {ref.label}. If it is a private channel, invite me first: "
                "`/invite @Earshot` in that channel."
            ) from None
        log.warning("watch: resolving %s failed: %s", ref.raw, error)
        raise NotWatchable(f"Slack did not tell me about {ref.label} ({error}). Try again.") from None
    label = f"<#{info.get('id', ref.id)}>"
    if info.get("is_im") or info.get("is_mpim"):
        raise NotWatchable("Only channels can be watched, not direct messages.")
    if info.get("is_archived"):
        raise NotWatchable(f"{label} is archived.")
    if not info.get("is_member"):
        raise NotWatchable(f"Invite me first: `/invite @Earshot` in {label}, then try again.")
    return info


async def watch(services: Services, team_id: str, channel_id: str, *, by: str,
                asker: Asker | None = None) -> bool:
    """Start watching; False if it was watched already. Admins only (``asker``)."""
    await require_admin(asker, team_id)
    async with transaction(services.sessions) as session:
        await ensure_workspace(session, team_id)
        added = await WorkspaceRepository(session).watch(team_id, channel_id=channel_id, added_by=by)
    log.info("watch: team=%s channel=%s watched by=%s new=%s", team_id, channel_id, by, added)
    return added


async def unwatch(services: Services, team_id: str, channel_id: str, *,
                  asker: Asker | None = None) -> bool:
    """Stop watching; False if it was not watched. Admins only (``asker``)."""
    await require_admin(asker, team_id)
    async with transaction(services.sessions) as session:
        removed = await WorkspaceRepository(session).unwatch(team_id, channel_id=channel_id)
    log.info("watch: team=%s channel=%s unwatched=%s", team_id, channel_id, removed)
    return removed


async def watched(services: Services, team_id: str) -> list[str]:
    async with services.sessions() as session:
        return await WorkspaceRepository(session).watched(team_id)


async def is_watched(services: Services, team_id: str, channel_id: str) -> bool:
    async with services.sessions() as session:
        return await WorkspaceRepository(session).is_watched(team_id, channel_id)


# Other apps' posts, history and status (issue 21) -----------------------------------------

MAX_SINCE_DAYS = 90
# A whole number of days or weeks: "since 1.5d" is refused, not read as one day.
_SINCE = re.compile(r"\bsince\s+(\d{1,4})(?![.,]\d)\s*(d|days?|w|weeks?)?\b", re.I)
# A unit it does not take: "since 3 months" is refused, not read as three days.
_OTHER_UNIT = re.compile(r"\bsince\s+\d+(?:[.,]\d+)?\s*(?:mo|mos|mons?|months?|m|min|mins|minutes?|h|hrs?|"
                         r"hours?|y|yrs?|years?|q|quarters?)\b", re.I)
_BOTS = re.compile(r"\bbots\b(.*)$", re.I | re.S)
_QUOTED = re.compile(r"[\"“”„«»']([^\"“”„«»']{1,80})[\"“”„«»']")


@dataclass(frozen=True)
class Options:
    """What follows the channel in ``/feedback watch``: ``bots`` [off | "App" ...], ``since Nd``."""

    bots: str | None = None  # "all", "named", "off"; None: unchanged
    names: tuple[str, ...] = ()
    since_days: int | None = None


def parse_options(text: str) -> tuple[str, Options]:
    """The text without its options, and the options; raises NotWatchable for a bad one."""
    since = None
    m = _SINCE.search(text)
    if _OTHER_UNIT.search(text):
        raise NotWatchable("Say how far back in days or weeks: `/feedback watch #channel since 30d` "
                           f"or `since 4w` (up to {MAX_SINCE_DAYS}d).")
    if m:
        n, unit = int(m.group(1)), (m.group(2) or "d").lower()
        since = n * 7 if unit.startswith("w") else n
        if not 1 <= since <= MAX_SINCE_DAYS:
            raise NotWatchable(f"I can bring in from 1 day up to {MAX_SINCE_DAYS} days of history: "
                               "try `since 30d`.")
        text = text[:m.start()] + " " + text[m.end():]
    elif re.search(r"\bsince\b", text, re.I):
        raise NotWatchable("Say how far back, in days: `/feedback watch #channel since 30d` "
                           f"(up to {MAX_SINCE_DAYS}d).")
    bots: str | None = None
    names: tuple[str, ...] = ()
    b = _BOTS.search(text)
    if b:
        rest = b.group(1).strip()
        text = text[:b.start()]
        quoted = tuple(q.strip() for q in _QUOTED.findall(rest) if q.strip())
        bare = tuple(w.strip(",") for w in _QUOTED.sub(" ", rest).split()
                     if w.strip(",") and not w.startswith(("<#", "#")))
        if rest.lower() in ("off", "none", "no"):
            bots = "off"
        elif quoted or bare:
            bots, names = "named", tuple(dict.fromkeys((*quoted, *bare)))[:20]
        else:
            bots = "all"
    return text, Options(bots=bots, names=tuple(n[:80] for n in names), since_days=since)


async def policy(services: Services, team_id: str, channel_id: str) -> Policy | None:
    """What a watched channel takes (None: it is not watched)."""
    async with services.sessions() as session:
        row = await WorkspaceRepository(session).watched_channel(team_id, channel_id)
    return Policy(bots=row.bots or "off", names=list(row.bot_names or [])) if row else None


async def set_bots(services: Services, team_id: str, channel_id: str, options: Options, *,
                   asker: Asker | None = None) -> bool:
    await require_admin(asker, team_id)
    async with transaction(services.sessions) as session:
        changed = await WorkspaceRepository(session).set_bots(
            team_id, channel_id=channel_id, bots=options.bots or "off", names=list(options.names))
    log.info("watch: team=%s channel=%s bots=%s names=%d", team_id, channel_id, options.bots,
             len(options.names))
    return changed


@dataclass(frozen=True)
class HistoryStatus:
    """The channel's latest backfill, apart from the live week: its state, its own counts
    and examples (from the job: they never enter the week's counts)."""

    state: str  # pending | running | done | failed
    days: int  # the window asked for
    oldest: dt.datetime
    fetched: int
    captured: int
    skipped: int
    known: int
    other: int
    share: float  # of the window read
    reached: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    resumes: int
    resumed_at: dt.datetime | None
    error: str | None
    captured_examples: list[str]
    skipped_examples: list[tuple[str, str]]  # (text, reason)


@dataclass(frozen=True)
class Status:
    """A watched channel's week heard live: counts (this week, last week) and the latest
    examples; and its history's backfill, if one was asked for."""

    policy: Policy | None
    week: dt.date
    captured: int
    skipped: int
    last_captured: int
    last_skipped: int
    captured_examples: list[str]
    skipped_examples: list[tuple[str, str]]  # (text, reason)
    history: HistoryStatus | None = None


def _examples(examples: list[WatchExample], texts: dict[int, str]) -> tuple[list[str], list[tuple[str, str]]]:
    captured = [texts[e.remark_id] for e in examples
                if e.kind == "captured" and e.remark_id and texts.get(e.remark_id)]
    skipped = [(e.text or "", e.reason or "noise") for e in examples if e.kind == "skipped" and e.text]
    return captured, skipped


def _history(job: Backfill, examples: list[WatchExample], texts: dict[int, str]) -> HistoryStatus:
    captured, skipped = _examples(examples, texts)
    asked_at = ts_to_datetime(job.latest_ts)
    share = 1.0 if job.status == "done" else window_share(job, job.reached_at)
    return HistoryStatus(
        state=job.status, days=max(1, round((asked_at - job.oldest).total_seconds() / 86_400)),
        oldest=job.oldest, fetched=job.fetched, captured=job.captured, skipped=job.skipped,
        known=job.known, other=job.other, share=share, reached=job.reached_at,
        started_at=job.started_at, finished_at=job.finished_at, resumes=job.resumes or 0,
        resumed_at=job.resumed_at, error=job.error, captured_examples=captured, skipped_examples=skipped)


async def status(services: Services, team_id: str, channel_id: str, *,
                 asker: Asker | None = None) -> Status:
    """The week's filed and skipped counts heard live, with examples (customer text), and
    the channel's backfill with its own: admins only."""
    await require_admin(asker, team_id)
    week = week_of(services.clock())
    last = week - dt.timedelta(days=7)
    async with services.sessions() as session:
        stats = WatchStatsRepository(session)
        counts = await stats.counts(team_id, channel_id, [week, last])
        examples = await stats.examples(team_id, channel_id, week)
        job = await BackfillRepository(session).get(team_id, channel_id)
        history = await stats.backfill_examples(team_id, job.id) if job else []
        ids = [e.remark_id for e in examples + history if e.kind == "captured" and e.remark_id]
        texts = await stats.remark_texts(team_id, ids)
    now, this = counts.get(week), counts.get(last)
    captured, skipped = _examples(examples, texts)
    return Status(
        policy=await policy(services, team_id, channel_id), week=week,
        captured=now.captured if now else 0, skipped=now.skipped if now else 0,
        last_captured=this.captured if this else 0, last_skipped=this.skipped if this else 0,
        captured_examples=captured, skipped_examples=skipped,
        history=_history(job, history, texts) if job else None)
