"""Near-duplicates: a new remark that says what a recent one of the workspace said.

Found as a remark is filed (``find``, in its write transaction): the candidates are the
recent remarks of the theme it joined, compared by theme vector against
``themes.DUPLICATE_BAR``. The capturer's confirmation then offers *Same as this one*;
nothing is merged without that click. ``merge`` moves the new remark's captures onto the
earlier remark (a teammate who captured both counts once), deletes the new remark with
its roll-up counts, and records the merge so the same Slack message captured again, or
the button clicked again, lands on the earlier remark.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.filing import themes
from bot.domain.services import Services
from storage.db import transaction
from storage.models import Remark
from storage.repositories import ProcessRepository, RemarkRepository
from storage.repositories.merges import MergeRepository

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

LOOKBACK = dt.timedelta(days=30)


async def find(session: AsyncSession, remark: Remark, vec: np.ndarray | None,
               now: dt.datetime) -> Remark | None:
    """The recent remark ``remark`` nearly repeats, if any."""
    if vec is None or remark.theme_id is None:
        return None
    candidates = await MergeRepository(session).candidates(
        remark.team_id, theme_id=remark.theme_id, since=now - LOOKBACK, exclude=remark.id)
    i, sim = themes.theme_math().most_similar(vec, [c.text for c in candidates])
    if i is None or sim < themes.theme_math().DUPLICATE_BAR:
        return None
    return candidates[i]


@dataclass(frozen=True)
class Merged:
    status: Literal["merged", "already", "earlier_gone", "gone"]
    remark: Remark | None = None  # the earlier remark, as it is now
    process_name: str | None = None


async def merge(services: Services, *, team_id: str, remark_id: int, into_id: int,
                by: str) -> Merged:
    async with transaction(services.sessions) as session:
        repo = RemarkRepository(session)
        merges = MergeRepository(session)
        new = await repo.get(team_id, remark_id)
        if new is None:
            done = await merges.of_remark(team_id, remark_id)
            if done is not None:
                earlier = await repo.get(team_id, done.into_remark_id)
                return Merged("already", earlier, await _name(session, team_id, earlier))
            return Merged("gone")
        earlier = await repo.get(team_id, into_id)
        if earlier is None:
            return Merged("earlier_gone")
        for c in await repo.captures(team_id, new.id):
            await repo.endorse(earlier, user_id=c.user_id, route=c.route, note=c.note,
                               channel_id=c.channel_id, at=c.created_at)
        await themes.leave(session, new)
        await repo.delete(team_id, new.id)
        await merges.record(team_id, source_key=new.source_key, merged_remark_id=new.id,
                            into_remark_id=earlier.id, by=by)
        name = await _name(session, team_id, earlier)
    log.info("duplicates: team=%s remark=%s merged into %s", team_id, remark_id, into_id)
    return Merged("merged", earlier, name)


async def _name(session: AsyncSession, team_id: str, remark: Remark | None) -> str | None:
    if remark is None:
        return None
    return await ProcessRepository(session).name_of(team_id, remark.process_id)
