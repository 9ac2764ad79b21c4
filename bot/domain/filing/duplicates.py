"""Near-duplicates: a new remark that says what a recent one of the workspace said.

Found as a remark is filed (``find``, in its write transaction): the candidates are the
recent remarks of the theme it joined, compared by theme vector against
``themes.DUPLICATE_BAR``. The capturer's confirmation then offers *Same as this one*, and
the offer is recorded (``merge_offers``); nothing is merged without that click, and a click
merges only a pair that was offered, in the workspace it was offered in, by someone who may:
the capturer of the new remark, the owner of either remark's process, or an admin. ``merge`` moves the new remark's captures onto the
earlier remark (a teammate who captured both counts once), deletes the new remark with
its roll-up counts, and records the merge so the same Slack message captured again, or
the button clicked again, lands on the earlier remark.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.filing import themes
from bot.domain.services import Services
from bot.domain.workspace import hooks_events
from bot.domain.workspace.permissions import is_admin
from storage.db import transaction
from storage.models import Remark, remark_fingerprint
from storage.repositories import ProcessRepository, RemarkRepository
from storage.repositories.merges import MergeRepository

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

LOOKBACK = dt.timedelta(days=30)


async def find(session: AsyncSession, remark: Remark, vec: np.ndarray | None,
               now: dt.datetime, *, offer_to: str) -> Remark | None:
    """The recent remark ``remark`` nearly repeats, if any; the merge is then offered to
    ``offer_to`` (recorded in the same transaction as the remark)."""
    if vec is None or remark.theme_id is None:
        return None
    merges = MergeRepository(session)
    candidates = await merges.candidates(
        remark.team_id, theme_id=remark.theme_id, since=now - LOOKBACK, exclude=remark.id)
    i, sim = themes.theme_math().most_similar(vec, [c.text for c in candidates])
    if i is None or sim < themes.theme_math().DUPLICATE_BAR:
        return None
    await merges.offer(remark.team_id, remark_id=remark.id, into_remark_id=candidates[i].id,
                       to=offer_to, at=now)
    return candidates[i]


@dataclass(frozen=True)
class Merged:
    status: Literal["merged", "already", "earlier_gone", "gone", "not_offered", "not_allowed"]
    remark: Remark | None = None  # the earlier remark, as it is now
    process_name: str | None = None


async def merge(services: Services, client: AsyncWebClient, *, team_id: str, remark_id: int,
                into_id: int, drawn_for: str, by: str) -> Merged:
    """*Same as this one*, clicked by ``by`` on a button drawn for remark ``remark_id`` (whose
    fingerprint is ``drawn_for``). Anything but "merged" changed nothing."""
    async with services.sessions() as session:
        repo = RemarkRepository(session)
        new = await repo.get(team_id, remark_id)
        earlier = await repo.get(team_id, into_id)
        offered = await MergeRepository(session).offered(team_id, remark_id=remark_id, into_remark_id=into_id)
        owners = await _process_owners(session, team_id, [new, earlier])
        capturers = {c.user_id for c in await repo.captures(team_id, remark_id)} if new else set()
    # Only a pair that would merge is checked here; the others change nothing (below).
    if new is not None and new.fingerprint == drawn_for and earlier is not None:
        if offered is None:
            return Merged("not_offered")
        if by not in capturers | owners and not await is_admin(services, client, team_id, by):
            return Merged("not_allowed")
    async with transaction(services.sessions) as session:
        await themes.hold(session, team_id)  # before the first write (themes.leave)
        repo = RemarkRepository(session)
        merges = MergeRepository(session)
        new = await repo.get(team_id, remark_id)
        if new is None or new.fingerprint != drawn_for:
            done = await merges.of_remark(team_id, remark_id)
            if done is not None and remark_fingerprint(done.source_key) == drawn_for \
                    and done.into_remark_id == into_id:
                earlier = await repo.get(team_id, done.into_remark_id)
                return Merged("already", earlier, await _name(session, team_id, earlier))
            return Merged("gone")
        earlier = await repo.get(team_id, into_id)
        if earlier is None:
            return Merged("earlier_gone")
        if await merges.offered(team_id, remark_id=remark_id, into_remark_id=into_id) is None:
            return Merged("not_offered")
        for c in await repo.captures(team_id, new.id):
            await repo.endorse(earlier, user_id=c.user_id, route=c.route, note=c.note,
                               channel_id=c.channel_id, at=c.created_at)
        await themes.leave(session, new)
        await repo.delete(team_id, new.id)
        await merges.record(team_id, source_key=new.source_key, merged_remark_id=new.id,
                            into_remark_id=earlier.id, by=by)
        await hooks_events.remark_deleted(services, session, team_id, new.id, merged_into=earlier.id)
        merged = await repo.get(team_id, earlier.id)
        if merged is not None:  # its captures (endorsements) grew
            await hooks_events.remark_changed(services, session, merged, hooks_events.REMARK_UPDATED)
        name = await _name(session, team_id, earlier)
    log.info("duplicates: team=%s remark=%s merged into %s", team_id, remark_id, into_id)
    return Merged("merged", earlier, name)


async def _process_owners(session: AsyncSession, team_id: str, remarks: list[Remark | None]) -> set[str]:
    processes = ProcessRepository(session)
    out = set()
    for r in remarks:
        process = await processes.get(team_id, r.process_id) if r is not None and r.process_id else None
        if process is not None and process.owner_user_id:
            out.add(process.owner_user_id)
    return out


async def _name(session: AsyncSession, team_id: str, remark: Remark | None) -> str | None:
    if remark is None:
        return None
    return await ProcessRepository(session).name_of(team_id, remark.process_id)
