"""Improvements: create, edit, move through their statuses, check whether they worked, and
tell the people who raised the remarks they answer.

Anyone may propose one; its owner, the process's owner and admins edit it and move its
status (bot.domain.loop.permissions, checked here where each change is made). When one
ships, every capturer and endorser of its remarks gets one DM (batched per person), and so
does each account owner of the customers whose remarks it answers
(bot.domain.loop.account_owners, through the outbox). Each raiser's DM is claimed first, in
a transaction of its own, by a row with a unique key on (improvement, user, status), so
Slack retries, restarts and several processes cannot send it twice; a claimed DM that fails
is recorded, not retried (at most once).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.loop import account_owners, impact, scores
from bot.domain.loop.permissions import (
    Actor,
    ImprovementProblem,
    NotAllowed,
    Rights,
    check_edit,
    check_manage,
    owner_of_proposal,
    rights,
)
from bot.domain.services import Services
from bot.domain.workspace import hooks_events
from bot.domain.workspace.clients import Clients, client_for
from bot.slack import improvements as ui
from bot.slack import loop as loop_ui
from storage.db import transaction
from storage.models import Improvement, Process, Remark
from storage.repositories import ProcessRepository
from storage.repositories.improvements import ImprovementRepository
from storage.repositories.source_volumes import SourceRepository

log = logging.getLogger(__name__)

PROPOSAL_LOOKBACK = dt.timedelta(weeks=8)
TRACKER_SOURCES = ("github", "linear")  # status changes made by tracker webhooks
LIST_SHIPPED_FOR = dt.timedelta(weeks=12)
# The check's windows stop growing 4 weeks after the ship; a little longer covers a sweep missed.
VERDICT_WATCH = dt.timedelta(days=impact.WINDOW_DAYS + 14)
TRANSITIONS = {"planned": {"in_progress", "shipped", "dropped"},
               "in_progress": {"shipped", "dropped"}, "shipped": set(), "dropped": set()}
# An admin's *Reopen*: a shipped or dropped improvement back under way, to change it.
REOPEN = {"shipped": {"in_progress"}, "dropped": {"in_progress"}}


@dataclass(frozen=True)
class Draft:
    process_id: int
    title: str
    description: str
    owner_user_id: str | None
    link: str | None
    remark_ids: list[int]


async def proposals(services: Services, team_id: str, process_id: int) -> list[Remark]:
    async with services.sessions() as session:
        return await ImprovementRepository(session).candidates(
            team_id, process_id, since=services.clock() - PROPOSAL_LOOKBACK, limit=ui.MAX_PROPOSED)


async def create(services: Services, client: AsyncWebClient, team_id: str, draft: Draft, *,
                 by: str) -> Improvement:
    """Propose an improvement; raises ImprovementProblem (its owner chosen by someone who may
    not choose it, remarks of another process)."""
    async with services.sessions() as session:
        process = await _process(session, team_id, draft.process_id)
    owner = await owner_of_proposal(Actor(services, client, team_id, by), process, draft.owner_user_id)
    async with transaction(services.sessions) as session:
        process = await _process(session, team_id, draft.process_id)
        await _check_remarks(session, team_id, process, draft.remark_ids, attached=set())
        made = await ImprovementRepository(session).create(
            team_id, process_id=process.id, title=draft.title, description=draft.description,
            owner_user_id=owner, proposed_by=by, link=draft.link, remark_ids=draft.remark_ids,
            at=services.clock())
        await hooks_events.improvement_created(services, session, made)
        return made


async def edit(services: Services, client: AsyncWebClient, team_id: str, improvement_id: int,
               draft: Draft, *, shown: Sequence[int], by: str) -> Improvement:
    """Save the modal: fields, and remarks (ticked among those shown; others are kept).
    Raises ImprovementProblem when ``by`` may not make these changes (nothing is saved)."""
    actor = Actor(services, client, team_id, by)
    async with services.sessions() as session:
        repo = ImprovementRepository(session)
        imp = await repo.get(team_id, improvement_id)
        if imp is None:
            raise ImprovementProblem("That improvement no longer exists.")
        before = await ProcessRepository(session).get(team_id, imp.process_id)
        after = await _process(session, team_id, draft.process_id)
        current = {r.id for r in await repo.remarks(team_id, improvement_id)}
    keep = (current - set(shown)) | set(draft.remark_ids)
    await check_edit(actor, imp, before, after, owner=draft.owner_user_id,
                     remarks_changed=keep != current)
    async with transaction(services.sessions) as session:
        repo = ImprovementRepository(session)
        # Checked against the row as it is now: a concurrent change since the check wins.
        locked = await repo.get(team_id, improvement_id, for_update=True)
        if locked is None:
            raise ImprovementProblem("That improvement no longer exists.")
        if (locked.status, locked.owner_user_id, locked.process_id) != (imp.status, imp.owner_user_id,
                                                                        imp.process_id):
            raise ImprovementProblem("It was changed meanwhile; open *Edit* again.")
        after = await _process(session, team_id, draft.process_id)
        await _check_remarks(session, team_id, after, sorted(keep - current), attached=current)
        await repo.update(team_id, improvement_id, process_id=draft.process_id, title=draft.title,
                          description=draft.description, owner_user_id=draft.owner_user_id,
                          link=draft.link)
        await repo.set_remarks(team_id, improvement_id, sorted(keep), by=by, at=services.clock())
        out = await repo.get(team_id, improvement_id)
        assert out is not None
        return out


async def _check_remarks(session: AsyncSession, team_id: str, process: Process, added: Sequence[int],
                         *, attached: set[int]) -> None:
    """Remarks newly attached must be this workspace's, filed under the improvement's process
    (the ones the form offered); one that is gone is simply not attached."""
    filing = await ImprovementRepository(session).processes_of(team_id, added) if added else {}
    foreign = [r for r, pid in filing.items() if pid != process.id and r not in attached]
    if foreign:
        n = len(foreign)
        raise ImprovementProblem(f"{n} of the ticked remarks {'is' if n == 1 else 'are'} not filed under "
                                 f"{process.name} (any more): untick or refile {'it' if n == 1 else 'them'} first.")


async def _process(session: AsyncSession, team_id: str, process_id: int) -> Process:
    process = await ProcessRepository(session).get(team_id, process_id)
    if process is None or process.archived:
        raise ImprovementProblem("That process no longer exists; pick another.")
    return process


async def for_edit(services: Services, client: AsyncWebClient, team_id: str, improvement_id: int, *,
                   by: str) -> tuple[Improvement, list[Remark]]:
    """The improvement and its remarks, to open *Edit*: refused (NotAllowed) to anyone who
    could not save it (saving checks again: ``edit``)."""
    imp, attached = await get(services, team_id, improvement_id)
    async with services.sessions() as session:
        process = await ProcessRepository(session).get(team_id, imp.process_id)
    await check_manage(Actor(services, client, team_id, by), imp, process, "edit this improvement")
    return imp, attached


async def get(services: Services, team_id: str, improvement_id: int) -> tuple[Improvement, list[Remark]]:
    async with services.sessions() as session:
        repo = ImprovementRepository(session)
        imp = await repo.get(team_id, improvement_id)
        if imp is None:
            raise ImprovementProblem("That improvement no longer exists.")
        return imp, await repo.remarks(team_id, improvement_id)


async def change_status(services: Services, client: AsyncWebClient, team_id: str,
                        improvement_id: int, status: str, *, by: str) -> tuple[Improvement, bool]:
    """Move an improvement on (or, ``in_progress`` from shipped/dropped, an admin's *Reopen*);
    returns it and whether this call changed it.

    Raises ImprovementProblem when the person may not, or the move makes no sense.
    """
    async with services.sessions() as session:
        imp = await ImprovementRepository(session).get(team_id, improvement_id)
        process = await ProcessRepository(session).get(team_id, imp.process_id) if imp else None
    if imp is None or process is None:
        raise ImprovementProblem("That improvement no longer exists.")
    actor = Actor(services, client, team_id, by)
    reopening = status in REOPEN.get(imp.status, set())
    if reopening and not await actor.admin():
        raise NotAllowed(":lock: Only a workspace admin can reopen a shipped or dropped improvement.")
    await check_manage(actor, imp, process, "change its status")
    if imp.status == status:
        return imp, False
    allowed = REOPEN if reopening else TRANSITIONS
    if status not in allowed.get(imp.status, set()):
        raise ImprovementProblem(f"It is {ui.STATUS_LABELS.get(imp.status, imp.status).lower()} "
                                 "already; that cannot change any more.")
    async with transaction(services.sessions) as session:
        repo = ImprovementRepository(session)
        changed = await repo.set_status(team_id, improvement_id, status, by=by, at=services.clock(),
                                        from_statuses=[s for s, nxt in allowed.items() if status in nxt])
        fresh = await repo.get(team_id, improvement_id)
        if changed and fresh is not None:
            await hooks_events.improvement_status(services, session, fresh, previous=imp.status, by=by)
    assert fresh is not None
    log.info("improvements: team=%s #%d %s -> %s by %s", team_id, improvement_id, imp.status, status, by)
    if changed and status == "shipped":
        await tell_shipped(services, client, team_id, improvement_id, by=by)
    return fresh, changed


async def tell_shipped(services: Services, client: AsyncWebClient, team_id: str, improvement_id: int,
                       *, by: str) -> dict[str, int]:
    """Everyone who hears of a ship: the raisers (returned: user -> remarks told), then the
    account owners of the addressed remarks' customers (bot.domain.loop.account_owners)."""
    told = await tell_raisers(services, client, team_id, improvement_id, by=by)
    await account_owners.tell(services, client, team_id, improvement_id, account_owners.SHIPPED)
    return told


async def tell_raisers(services: Services, client: AsyncWebClient, team_id: str, improvement_id: int,
                       *, by: str, status: str = "shipped") -> dict[str, int]:
    """One DM per capturer/endorser of the addressed remarks; returns user -> remarks told."""
    async with services.sessions() as session:
        repo = ImprovementRepository(session)
        imp = await repo.get(team_id, improvement_id)
        if imp is None or imp.status != status:
            return {}
        process = await ProcessRepository(session).get(team_id, imp.process_id)
        recipients = await repo.recipients(team_id, improvement_id)
    name = process.name if process else "a process"
    people = [(r.user_id, r.remarks) for r in recipients if r.user_id != by]  # who shipped it knows
    return await _tell_each(services, client, imp, status, people,
                            lambda remarks: ui.shipped_notice(imp, name, by=by, remarks=remarks))


async def _tell_each(services: Services, client: AsyncWebClient, imp: Improvement, status: str,
                     people: Sequence[tuple[str, list[Remark]]],
                     render: Callable[[list[Remark]], dict[str, Any]]) -> dict[str, int]:
    """One DM per person about ``status``, each claimed first (its own transaction), unless
    they turned updates off. Returns user -> remarks told."""
    team_id, improvement_id = imp.team_id, imp.id
    sent: dict[str, int] = {}
    for user_id, remarks in people:
        async with transaction(services.sessions) as session:
            repo = ImprovementRepository(session)
            if not await repo.wants_updates(team_id, user_id):
                continue
            if not await repo.claim_notice(team_id, improvement_id, user_id, status,
                                           at=services.clock()):
                continue  # someone (a retry, another process) has it
        try:
            await client.chat_postMessage(channel=user_id, **render(remarks))
        except (TimeoutError, SlackApiError, aiohttp.ClientError, OSError) as e:
            log.warning("improvements: team=%s #%d %s DM to %s failed: %s", team_id, improvement_id,
                        status, user_id, e)
            async with transaction(services.sessions) as session:
                await ImprovementRepository(session).notice_failed(improvement_id, user_id, status,
                                                                   error=str(e))
            continue
        async with transaction(services.sessions) as session:
            await ImprovementRepository(session).notice_sent(improvement_id, user_id, status,
                                                             at=services.clock())
        sent[user_id] = len(remarks)
    return sent


async def tell_verdicts(services: Services, clients: Clients, *,
                        now: dt.datetime | None = None) -> dict[int, list[str]]:
    """The scheduler's sweep: when a shipped improvement's check says *improved*, its owner
    and everyone who captured or endorsed its remarks hear it, once each (claimed under the
    status ``improved``, so restarts and several processes tell nobody twice), and so do the
    account owners of its remarks' customers. Returns improvement id -> people told (not
    counting account owners)."""
    at = now or services.clock()
    told: dict[int, list[str]] = {}
    async with services.sessions() as session:
        repo = ImprovementRepository(session)
        shipped = await repo.recently_shipped(at - VERDICT_WATCH)
        due = []
        for imp, _by in shipped:
            result = await check(session, imp, at)
            if result is None or result.verdict != impact.IMPROVED:
                continue
            process = await ProcessRepository(session).get(imp.team_id, imp.process_id)
            due.append((imp, process.name if process else "a process", result,
                        await repo.recipients(imp.team_id, imp.id)))
    for imp, name, result, recipients in due:
        people = [(r.user_id, r.remarks) for r in recipients]
        owner = imp.owner_user_id or imp.proposed_by
        if owner not in {u for u, _ in people}:
            people.insert(0, (owner, []))
        def render(remarks: list[Remark], imp: Improvement = imp, name: str = name,
                   result: impact.Impact = result) -> dict[str, Any]:
            return loop_ui.improved_notice(imp, name, result, remarks=remarks)

        client = await client_for(clients, imp.team_id)
        if client is None:  # uninstalled meanwhile: nobody to tell
            continue
        sent = await _tell_each(services, client, imp, impact.IMPROVED, people, render)
        await account_owners.tell(services, client, imp.team_id, imp.id, account_owners.VERIFIED,
                                  result=result)
        if sent:
            log.info("improvements: team=%s #%d improved; told %d", imp.team_id, imp.id, len(sent))
            told[imp.id] = list(sent)
    return told


async def tell_pending(services: Services, clients: Clients, *,
                       since: dt.timedelta = dt.timedelta(days=2)) -> int:
    """The scheduler's sweep: finish telling raisers about recent ships (a crash between the
    status change and the DMs, say). Claims make it a no-op for everyone already told."""
    async with services.sessions() as session:
        shipped = await ImprovementRepository(session).recently_shipped(services.clock() - since)
    told = 0
    for imp, by in shipped:
        if by in TRACKER_SOURCES:  # shipped by a webhook: told as from its owner
            by = imp.owner_user_id or imp.proposed_by
        client = await client_for(clients, imp.team_id)
        if client is not None:
            told += len(await tell_shipped(services, client, imp.team_id, imp.id, by=by))
    return told


async def check(session: AsyncSession, imp: Improvement, now: dt.datetime) -> impact.Impact | None:
    """The before/after comparison of a shipped improvement (None if not shipped)."""
    if imp.status != "shipped" or imp.shipped_at is None:
        return None
    w = impact.windows(imp.shipped_at, now)
    repo = ImprovementRepository(session)
    before = await repo.window_counts(imp.team_id, imp.process_id, w.before_start, w.ship)
    after = await repo.window_counts(imp.team_id, imp.process_id, w.ship, w.after_end)
    return impact.Impact(
        scores=await _score_changes(session, imp, w),
        windows=w,
        complaints=impact.compare(impact.Side(before.complaints, before.total),
                                  impact.Side(after.complaints, after.total), days=w.days),
        praise=impact.compare(impact.Side(before.praise, before.total),
                              impact.Side(after.praise, after.total), days=w.days),
    )


async def _score_changes(session: AsyncSession, imp: Improvement, w: impact.Windows) -> tuple[scores.Change, ...]:
    """CSAT (stars folded in) and NPS before and after, for the kinds the process has."""
    repo = SourceRepository(session)
    sides = [await repo.score_counts(imp.team_id, start, end, process_id=imp.process_id)
             for start, end in ((w.before_start, w.ship), (w.ship, w.after_end))]

    def merged(side: dict[tuple[int, str], dict[int, int]], kinds: tuple[str, ...]) -> dict[int, int]:
        out: dict[int, int] = {}
        for (_, kind), counts in side.items():
            if kind in kinds:
                for value, n in counts.items():
                    out[value] = out.get(value, 0) + n
        return out

    changes = []
    for kinds, compare in ((("csat", "stars"), scores.compare_csat), (("nps",), scores.compare_nps)):
        before, after = merged(sides[0], kinds), merged(sides[1], kinds)
        if before or after:
            changes.append(compare(before, after, days=w.days))
    return tuple(changes)


async def listed(services: Services, team_id: str, *, user_id: str | None = None,
                 only: int | None = None, viewer: Actor | None = None) -> list[ui.Listed]:
    """Open and recently shipped improvements with their verdicts (``only``: just that one);
    with ``viewer``, each with the buttons that person may use."""
    now = services.clock()
    async with services.sessions() as session:
        repo = ImprovementRepository(session)
        if only is not None:
            imp = await repo.get(team_id, only)
            process = await ProcessRepository(session).get(team_id, imp.process_id) if imp else None
            rows: list[tuple[Improvement, str, str | None]] = (
                [(imp, process.name if process else "?", process.owner_user_id if process else None)]
                if imp else [])
        else:
            rows = await repo.listed(team_id, shipped_since=now - LIST_SHIPPED_FOR, user_id=user_id)
        counted = []
        for imp, name, owner in rows:
            result = await check(session, imp, now)
            counted.append((imp, name, owner, len(await repo.remarks(team_id, imp.id)),
                            result.summary() if result else None))
    out = []
    for imp, name, owner, n, verdict in counted:
        shown = await rights(viewer, imp, owner) if viewer is not None else Rights()
        out.append(ui.Listed(imp, name, n, verdict, shown.manage, shown.reopen))
    return out


async def set_updates(services: Services, team_id: str, user_id: str, *, on: bool) -> None:
    async with transaction(services.sessions) as session:
        await ImprovementRepository(session).set_updates(team_id, user_id, on=on)
