"""Themes in the bot: a remark joins (or seeds) a theme of its process as it is filed,
leaves it when it is refiled, edited or merged, and the digest / App Home read each
theme's name, counts and a quote. The maths is bot.classify.themes; here is where it
meets the database (storage.repositories.themes), inside the caller's transaction."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bot.domain.filing import theme_names
from storage.models import Remark
from storage.repositories.themes import MemberRow, ThemeRepository

if TYPE_CHECKING:
    import numpy as np

TOP = 3  # themes listed per digest item


def theme_math() -> ModuleType:
    # numpy and the word vectors load with the first theme, not at start: an idle
    # `earshot serve` stays light and healthy sooner.
    from bot.classify import themes

    return themes


_warm = False


async def warm() -> None:
    """Load the theme module and its word vectors off the event loop, once. The first
    load takes seconds on a cold machine; done inline it stalls every Slack call in
    flight (and their timeouts) for that long."""
    global _warm
    if not _warm:
        await asyncio.to_thread(lambda: theme_math().vector("warm the word vectors"))
        _warm = True


def vector(text: str | None) -> np.ndarray | None:
    """A remark's theme vector (None: too short, or no text); pure CPU, call it outside
    a transaction when you can."""
    return theme_math().vector(text) if text else None


def _decode(raw: bytes) -> np.ndarray | None:
    if len(raw) != theme_math().DIM * 4:  # written by another vector layout: not comparable
        return None
    import numpy as np

    return np.frombuffer(raw, dtype=np.float32).copy()


@dataclass(frozen=True)
class Placed:
    theme_id: int
    new: bool  # seeded by this remark: no earlier member to be a duplicate of


async def hold(session: AsyncSession, team_id: str) -> None:
    """Take the workspace's themes until the transaction ends (storage.repositories.themes
    ``lock``). ``place`` and ``Placer`` take them before their first read; a transaction
    that changes or deletes a remark and then moves it out of (or into) a theme takes them
    before that change, or a placement merging that remark's theme would wait for the
    change while the change waited for the themes (a deadlock)."""
    await ThemeRepository(session).lock(team_id)


async def _live(repo: ThemeRepository, team_id: str, process_id: int) -> list:
    """The process's themes as the maths sees them: id, centroid, member count."""
    tm = theme_math()
    known = [(tid, _decode(raw), n) for tid, raw, n in await repo.centroids(team_id, process_id)]
    return [tm.Theme(tid, total, max(n, 1)) for tid, total, n in known if total is not None]


async def _file(
    repo: ThemeRepository,
    team_id: str,
    process_id: int,
    live: list,
    vec: np.ndarray,
    at: dt.datetime | None,
) -> tuple[Placed, dict[int, np.ndarray], dict[int, int]]:
    """``vec`` into ``live`` (changed in place, as the maths does): a new theme row when it
    seeds one, then the merges (bot.classify.themes.settle) written at once: members moved,
    the absorbed themes deleted. Returns where it went, the centroids changed but not yet
    written and the absorbed theme ids with the theme each went into."""
    tm = theme_math()
    i = tm.assign(live, vec)
    if i is None:
        seed = vec.astype("float32")
        key = await repo.create(team_id, process_id=process_id, centroid=seed.tobytes(), at=at)
        live.append(tm.Theme(key, seed, 1))
        new = True
    else:
        t = live[i]
        live[i] = tm.Theme(t.key, (t.total + vec).astype("float32"), t.count + 1)
        key, new = t.key, False
    into: dict[int, int] = {}
    for kept, gone in tm.settle(live, key):
        await repo.merge(team_id, into=kept, gone=gone)
        into[gone] = kept
    while key in into:
        key = into[key]
    touched = {key} if not new else set()
    touched |= {k for k in into.values() if k not in into}
    changed = {t.key: t.total.astype("float32") for t in live if t.key in touched}
    return Placed(key, new=new and not into), changed, into


async def place(
    session: AsyncSession,
    team_id: str,
    process_id: int,
    vec: np.ndarray,
    at: dt.datetime | None = None,
) -> Placed:
    """Add a vector to the theme of the process it is closest to, or seed a new one, then
    merge that theme with any now as close (bot.classify.themes.merges). The caller records
    the membership, so a new remark carries its theme id in its INSERT rather than in an
    UPDATE after it."""
    repo = ThemeRepository(session)
    await repo.lock(team_id)
    placed, changed, _ = await _file(
        repo, team_id, process_id, await _live(repo, team_id, process_id), vec, at
    )
    for theme_id, total in changed.items():
        await repo.set_centroid(team_id, theme_id, total.tobytes())
    return placed


class Placer:
    """``place`` for many remarks in one transaction (imports): each process's themes are
    read once and kept as ``place`` would leave them after each remark (the same float32
    sums and counts, so the same assignments and merges); ``flush`` writes the changed
    centroids back. Remarks are inserted after placing, so a theme id handed out earlier
    may have been merged since: ``final`` gives the theme that holds it now."""

    def __init__(self, session: AsyncSession, team_id: str) -> None:
        self._repo = ThemeRepository(session)
        self._team_id = team_id
        self._live: dict[int, list] = {}  # process id -> [theme_math().Theme]
        self._changed: dict[int, np.ndarray] = {}
        self._into: dict[int, int] = {}

    async def place(
        self, process_id: int, vec: np.ndarray, at: dt.datetime | None = None
    ) -> Placed:
        live = self._live.get(process_id)
        if live is None:
            if not self._live:
                await self._repo.lock(self._team_id)
            live = self._live[process_id] = await _live(self._repo, self._team_id, process_id)
        placed, changed, into = await _file(self._repo, self._team_id, process_id, live, vec, at)
        for gone in into:
            self._changed.pop(gone, None)
        self._into.update(into)
        self._changed.update(changed)
        return placed

    def final(self, theme_id: int) -> int:
        while theme_id in self._into:
            theme_id = self._into[theme_id]
        return theme_id

    async def flush(self) -> None:
        for theme_id, total in self._changed.items():
            await self._repo.set_centroid(self._team_id, theme_id, total.tobytes())
        self._changed.clear()


async def _subtract(
    session: AsyncSession, team_id: str, theme_id: int, vec: np.ndarray | None
) -> None:
    """A member's vector out of its theme's centroid (nothing to do without a vector)."""
    if vec is None:
        return
    repo = ThemeRepository(session)
    theme = await repo.get(team_id, theme_id)
    total = _decode(theme.centroid) if theme is not None else None
    if total is not None:
        await repo.set_centroid(team_id, theme_id, (total - vec).astype("float32").tobytes())


async def unplace(session: AsyncSession, team_id: str, placed: Placed, vec: np.ndarray) -> None:
    """Undo ``place`` (the remark it was for was not written after all)."""
    if placed.new:
        await ThemeRepository(session).delete(team_id, placed.theme_id)
    else:
        await _subtract(session, team_id, placed.theme_id, vec)


async def join(
    session: AsyncSession, remark: Remark, vec: np.ndarray | None, at: dt.datetime | None = None
) -> int | None:
    """Put an existing remark in the nearest theme of its process, or a new one; its theme id."""
    if remark.process_id is None or vec is None:
        return None
    placed = await place(session, remark.team_id, remark.process_id, vec, at)
    await ThemeRepository(session).set_member(remark, placed.theme_id)
    return placed.theme_id


async def leave(session: AsyncSession, remark: Remark) -> None:
    """Take the remark out of its theme (its vector out of the centroid, when its text
    is still known: an expired text's share stays, which only blurs the centroid)."""
    if remark.theme_id is None:
        return
    await _subtract(session, remark.team_id, remark.theme_id, vector(remark.text))
    await ThemeRepository(session).set_member(remark, None)


async def forget(session: AsyncSession, team_id: str, *, theme_id: int, text: str) -> None:
    """A member was deleted: its vector out of the theme's centroid."""
    await _subtract(session, team_id, theme_id, vector(text))


async def move(session: AsyncSession, remark: Remark, *, old_text: str | None) -> int | None:
    """The remark was refiled (or its text changed from ``old_text``): out of its old
    theme, into the nearest of its process as it is now. The caller ``hold``s the themes
    first: ``join`` takes them, and this transaction has changed the remark already."""
    if remark.theme_id is not None:
        now_text = remark.text
        set_committed_value(remark, "text", old_text)  # leave with the words it joined with
        try:
            await leave(session, remark)
        finally:
            set_committed_value(remark, "text", now_text)
    return await join(session, remark, vector(remark.text))


@dataclass(frozen=True)
class ThemeLine:
    theme_id: int
    process_id: int
    label: str
    remarks: int
    customers: int
    new: bool  # first seen in the period shown
    quote: MemberRow | None


async def top_themes(
    session: AsyncSession,
    team_id: str,
    wanted: Sequence[tuple[int, str]],
    start: dt.datetime,
    end: dt.datetime,
    *,
    new_since: dt.datetime,
    per: int = TOP,
    quoted: Collection[int] = (),
) -> dict[tuple[int, str], list[ThemeLine]]:
    """Per (process, sentiment): its biggest themes among remarks said in ``[start, end)``
    (two remarks at least: a theme of one is not a pattern), named from their members, each
    with its most captured member as a quote unless that remark is in ``quoted`` (quoted
    elsewhere on the same item: the digest shows a remark once)."""
    repo = ThemeRepository(session)
    pids = sorted({pid for pid, _ in wanted})
    counts = await repo.counts(team_id, pids, start, end)
    chosen: dict[tuple[int, str], list] = defaultdict(list)
    want = set(wanted)
    for c in sorted(counts, key=lambda c: (-c.remarks, -c.endorsements, c.theme_id)):
        key = (c.process_id, c.sentiment)
        if key in want and c.remarks >= 2 and len(chosen[key]) < per:
            chosen[key].append(c)
    if not chosen:
        return {}
    members = await repo.members(team_id, pids)
    names = await theme_names.names(session, team_id, members)
    quotes: dict[tuple[int, str], MemberRow] = {}
    for m in members:
        q = quotes.get((m.theme_id, m.sentiment))
        if (
            start <= m.said_at < end
            and m.remark_id not in quoted
            and (q is None or m.endorsements > q.endorsements)
        ):
            quotes[(m.theme_id, m.sentiment)] = m
    return {
        key: [
            ThemeLine(
                c.theme_id,
                c.process_id,
                names.get(c.theme_id, theme_names.NO_WORDS),
                c.remarks,
                c.customers,
                c.created_at >= new_since,
                quotes.get((c.theme_id, c.sentiment)),
            )
            for c in rows
        ]
        for key, rows in chosen.items()
    }


async def owned(
    session: AsyncSession,
    team_id: str,
    processes: Sequence[tuple[int, str]],
    since: dt.datetime,
    end: dt.datetime,
) -> list[tuple[str, list[ThemeLine]]]:
    """The biggest themes (any sentiment) of these (process id, name) pairs since ``since``."""
    wanted = [(pid, s) for pid, _ in processes for s in ("complaint", "praise", "neutral")]
    found = await top_themes(
        session, team_id, wanted, since, end, new_since=end - dt.timedelta(days=7)
    )
    out = []
    for pid, name in processes:
        lines = sorted(
            (t for s in ("complaint", "praise", "neutral") for t in found.get((pid, s), [])),
            key=lambda t: (-t.remarks, t.theme_id),
        )[:TOP]
        if lines:
            out.append((name, lines))
    return out


async def remarks_of(
    session: AsyncSession, team_id: str, theme_id: int, limit: int = 40
) -> tuple[int, list[Remark]] | None:
    """A theme's process and its remarks, most captured first (the improvement modal)."""
    repo = ThemeRepository(session)
    theme = await repo.get(team_id, theme_id)
    if theme is None:
        return None
    return theme.process_id, await repo.remarks(team_id, theme_id, limit=limit)


async def theme_members(
    session: AsyncSession, team_id: str, theme_id: int, *, limit: int = 20
) -> tuple[str, int | None, list[MemberRow]] | None:
    """A theme's name, process and newest members (App Home's modal); None if unknown."""
    repo = ThemeRepository(session)
    theme = await repo.get(team_id, theme_id)
    if theme is None:
        return None
    process_members = await repo.members(team_id, [theme.process_id])
    name = (await theme_names.names(session, team_id, process_members)).get(
        theme_id, theme_names.NO_WORDS
    )
    mine = [m for m in process_members if m.theme_id == theme_id][:limit]
    return name, theme.process_id, mine


async def labels_of(session: AsyncSession, team_id: str, process_ids: Sequence[int]) -> dict[int, str]:
    """Theme id -> its name, for every theme of these processes (the read API), named as
    the digest names them: from their members' current words, never a customer's name."""
    members = await ThemeRepository(session).members(team_id, process_ids)
    return await theme_names.names(session, team_id, members)
