"""Remarks from outside Slack (the intake API, `earshot import`), on the capture path.

``file_incoming`` turns a validated ``Incoming`` into a capture request (typed text with an
``Origin``, no one to confirm to in Slack) and runs ``capture()``, so filing, themes,
duplicates, roll-ups and digest counts are the same as for a Slack route.

The same source and external id is the same remark: its key is a hash of both, unique per
workspace in the database, so a retry (or two copies sent at once) finds it. A known
remark sent again with other words is updated as an edit is.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Literal

from bot.domain.capture.edits import apply_text, changed_score, changed_text
from bot.domain.capture.incoming import Incoming
from bot.domain.capture.origin import Origin
from bot.domain.capture.record import NO_SLACK, capture
from bot.domain.capture.requests import Captured, Decided, ReplyTo, Request, Route, Typed
from bot.domain.services import Services
from storage.models import Process, Remark
from storage.repositories import ProcessRepository

FiledAs = Literal["given", "person", "automatic", "unfiled"]


@dataclass(frozen=True)
class Filed:
    id: int
    process: str | None
    sentiment: str
    filed_as: FiledAs
    confidence: float | None
    created: bool  # a new remark (201), or one known already (200)


@dataclass(frozen=True)
class Unknown:
    """A named thing the workspace does not have (422 naming ``field``)."""

    field: str
    message: str


def key_of(source: str, external_id: str | None, *, row: str | None = None) -> str:
    """The remark's natural key: its source and external id (hashed: any length fits);
    without an external id, ``row`` (an import's row, hashed) or else a fresh one."""
    if external_id is not None:
        basis = f"{source}\x00{external_id}"
    elif row is not None:
        basis = f"{source}\x00row\x00{row}"
    else:
        return f"api:{uuid.uuid4().hex}"
    return "ext:" + hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:48]


def request_of(team_id: str, item: Incoming, *, capturer: str, source: str, route: Route, key: str,
               process: Process | None = None) -> Request:
    """The capture request for ``item``: typed text with its origin, nobody to confirm to."""
    decided = (Decided(process_chosen=True, process_id=process.id, process_name=process.name)
               if process is not None else Decided())
    origin = Origin(source=source, contact=item.contact, customer=item.customer, link=item.url,
                    score=item.score, said_at=item.said_at, external_id=item.external_id)
    return Request(team_id=team_id, capturer=capturer, route=route,
                   source=Typed(key=key, text=item.text), reply=ReplyTo(channel_id=None, confirm=False),
                   note=item.note, decided=decided, origin=origin)


def unknown_process(name: str) -> Unknown:
    return Unknown("process", f"no active process is named {name[:80]!r} (see /feedback process list)")


async def named_process(services: Services, team_id: str, item: Incoming) -> Process | Unknown | None:
    """The active process ``item`` names (None: it names none, Earshot files it)."""
    if not item.process:
        return None
    async with services.sessions() as session:
        process = await ProcessRepository(session).by_name(team_id, item.process)
    return unknown_process(item.process) if process is None or process.archived else process


async def file_incoming(services: Services, team_id: str, item: Incoming, *, capturer: str,
                        source: str, route: Route, key: str) -> Filed | Unknown:
    """Capture ``item`` for ``team_id`` as ``capturer`` (``api:<token name>`` or ``import``),
    recording ``source`` as the remark's source."""
    process = await named_process(services, team_id, item)
    if isinstance(process, Unknown):
        return process
    req = request_of(team_id, item, capturer=capturer, source=source, route=route, key=key,
                     process=process)
    outcome = await capture(services, NO_SLACK, req)
    assert isinstance(outcome, Captured), "validated text is never empty"
    remark, name = outcome.remark, outcome.process_name
    if not outcome.remark_created and (changed_text(remark, item.text) or changed_score(remark, item.score)):
        updated = await apply_text(services, team_id=team_id, key=key, text=item.text, score=item.score)
        if updated is not None:
            remark = updated
            async with services.sessions() as session:
                name = await ProcessRepository(session).name_of(team_id, remark.process_id)
    return Filed(id=remark.id, process=name, sentiment=remark.sentiment, filed_as=filed_as(remark),
                 confidence=round(remark.process_confidence, 3) if remark.process_confidence is not None else None,
                 created=outcome.remark_created)


def filed_as(remark: Remark) -> FiledAs:
    by = remark.process_decided_by
    if by is not None:
        return "given" if by.startswith("api:") or by == "import" else "person"
    return "automatic" if remark.process_id else "unfiled"
