"""Automatic filing: one classifier per workspace, rebuilt when its lessons change.

Each workspace's model is built from its processes and the remarks its people filed or
corrected. ``workspaces.model_version`` is bumped in the same transaction as every
correction or registry change, so every bot process notices within one classification
and rebuilds; models never mix workspaces.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import classify
from bot.classify import DEFAULT_THRESHOLD, Classification, LabelledExample, ProcessSpec, language

if TYPE_CHECKING:
    from bot.classify import WorkspaceModel
from storage.models import Remark
from storage.repositories import ProcessRepository, RemarkRepository, WorkspaceRepository

log = logging.getLogger(__name__)


@dataclass
class _Cached:
    version: int
    model: WorkspaceModel
    names: dict[str, str]  # process key -> name


class Filing:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, threshold: float | None = None,
        max_models: int = 200,
    ) -> None:
        self._sessions = sessions
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self._models: OrderedDict[str, _Cached] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}
        self._max = max_models

    async def classify(self, team_id: str, text: str, *, version: int | None = None) -> Classification:
        """Classify ``text`` with the workspace's model. ``version``: the model version the
        caller just read (in its own transaction), which spares the check's round trip."""
        return (await self._cached(team_id, version=version)).model.classify(text)

    async def model_for(self, team_id: str) -> WorkspaceModel:
        return (await self._cached(team_id)).model

    async def process_name(self, team_id: str, key: str | None) -> str | None:
        """The name of process ``key`` as the workspace's current model knows it."""
        if key is None:
            return None
        cached = self._models.get(team_id) or await self._cached(team_id)
        return cached.names.get(key)

    def known_name(self, team_id: str, key: str | None, *, version: int) -> tuple[bool, str | None]:
        """The process name from the model in memory, without I/O: (known, name). Not known
        when no model at ``version`` is loaded (the caller asks the database instead)."""
        cached = self._models.get(team_id)
        if key is None:
            return True, None
        if cached is None or cached.version != version:
            return False, None
        return key in cached.names, cached.names.get(key)

    async def _cached(self, team_id: str, *, version: int | None = None) -> _Cached:
        cached = self._models.get(team_id)
        if version is None:
            async with self._sessions() as session:
                version = await WorkspaceRepository(session).model_version(team_id)
        if cached is not None and cached.version == version:
            self._models.move_to_end(team_id)
            return cached
        lock = self._locks.setdefault(team_id, asyncio.Lock())
        async with lock:
            cached = self._models.get(team_id)
            if cached is not None and cached.version == version:
                return cached
            cached = await self._build(team_id)
            self._models[team_id] = cached
            self._models.move_to_end(team_id)
            while len(self._models) > self._max:
                self._models.popitem(last=False)
            return cached

    async def _build(self, team_id: str) -> _Cached:
        async with self._sessions() as session:
            version = await WorkspaceRepository(session).model_version(team_id)
            processes = await ProcessRepository(session).list(team_id)
            lessons = await RemarkRepository(session).labelled(team_id)
        specs = [
            ProcessSpec(key=str(p.id), name=p.name, description=p.description or "",
                        keywords=tuple(p.keywords or ()))
            for p in processes
        ]
        examples = lessons_of(lessons)
        # Fitting is CPU work; keep the event loop answering Slack meanwhile.
        model = await asyncio.to_thread(
            classify.WorkspaceModel.build, specs, examples, threshold=self.threshold
        )
        log.debug("filing: built model team=%s version=%d processes=%d lessons=%d",
                  team_id, version, len(specs), len(examples))
        return _Cached(version=version, model=model, names={s.key: s.name for s in specs})


def lessons_of(remarks: list[Remark]) -> list[LabelledExample]:
    """What people filed or corrected, as the classifier's examples. A remark in another
    language teaches the English model nothing but noise, so it is left out."""
    return [
        LabelledExample(
            text=r.text,
            process_key=str(r.process_id) if r.process_decided_by and r.process_id else None,
            sentiment=r.sentiment if r.sentiment_decided_by else None,
        )
        for r in remarks
        if r.text and language.is_english(r.language)
    ]
