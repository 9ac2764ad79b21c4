"""Many typed remarks in one transaction (`earshot import`): the rows ``capture()`` writes,
without its per-remark round trips.

``capture()`` reads, classifies and writes one remark in two transactions. An import of ten
thousand rows would spend most of its time on those round trips and commits, so a batch
here is: one read of the workspace and of the batch's known keys; the classifying (CPU,
outside any transaction); then one transaction that places each new remark in its theme
and inserts it with its capture and roll-up through the same repository calls, and adds an
import capture to each known one (a repeat adds nothing). The rows are ``capture()``'s own
(``record.typed_rows``); tests/e2e/test_import_and_tokens_cli.py compares the two.
A known remark whose text or score changed is then updated as an edit is (``apply_text``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bot.domain.capture.edits import apply_text, changed_score, changed_text
from bot.domain.capture.record import typed_rows
from bot.domain.capture.requests import Request, Typed
from bot.domain.filing import themes
from bot.domain.privacy.redact import redact
from bot.domain.processes.starter import ensure_workspace
from bot.domain.services import Services
from bot.domain.workspace import hooks_events
from storage.db import transaction
from storage.models import Remark
from storage.repositories import RemarkRepository, WorkspaceRepository


@dataclass(frozen=True)
class Written:
    remark: Remark
    created: bool


async def capture_many(services: Services, team_id: str, reqs: list[Request], *,
                       learn: bool = True) -> list[Written]:
    """Capture typed requests (no confirmation owed: API-like, ``reply.confirm`` False) in
    one transaction; one ``Written`` per request, in order.

    A new remark filed to a named process (or with a decided tone) is a lesson, as a
    person's filing is: the batch bumps the workspace's model version once. ``learn=False``
    leaves that to the caller (an import bumps once at its end, not once a batch)."""
    assert all(isinstance(r.source, Typed) and not r.reply.confirm for r in reqs)
    keys = [_typed(r).key for r in reqs]
    async with transaction(services.sessions) as session:
        ws = await WorkspaceRepository(session).get(team_id)
        if ws is None or not ws.processes_seeded:
            ws = await ensure_workspace(session, team_id)
        version, customers_version = ws.model_version, ws.customers_version
        known = await RemarkRepository(session).by_sources(team_id, keys)
    # Outside any transaction (SQLite has one connection): the registry and the model may
    # each be read once, then classifying is CPU only.
    directory = await services.customers.load(services.sessions, team_id, customers_version)
    reqs = [_redacted(services, r) for r in reqs]
    prepared: dict[str, tuple[dict[str, Any], dict[str, Any], Any]] = {}
    for req in reqs:
        key, text = _typed(req).key, _typed(req).text
        if key in known or key in prepared:
            continue
        result = await services.filing.classify(team_id, text, version=version)
        values, capture = await typed_rows(services, req, directory, result)
        pid = values["process_id"]
        if pid:
            await themes.warm()
        prepared[key] = (values, capture, themes.vector(text) if pid else None)
    out: list[Written] = []
    changed: list[Request] = []
    async with transaction(services.sessions) as session:
        repo = RemarkRepository(session)
        placer = themes.Placer(session, team_id)
        new: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        for key, (values, capture, vec) in prepared.items():
            pid = values["process_id"]
            if pid and vec is not None:  # in filing order, as capture() would place them
                placed = await placer.place(pid, vec, at=values["classified_at"])
                values = {**values, "theme_id": placed.theme_id}
            new.append((key, values, capture))
        await placer.flush()
        # A theme handed out early may have merged into another since (themes.Placer).
        new = [
            (k, {**v, "theme_id": placer.final(v["theme_id"])} if v.get("theme_id") else v, c)
            for k, v, c in new
        ]
        made = await repo.create_many_with_captures(team_id, new)
        if learn and any(is_lesson(r) for r in reqs if _typed(r).key in made):
            await WorkspaceRepository(session).bump_model_version(team_id)
        if len(made) < len(new):  # another writer took a key meanwhile: endorse theirs
            known.update(await repo.by_sources(team_id, [k for k, _, _ in new if k not in made]))
        first = set(made)
        endorsed: list[tuple[Remark, dict[str, Any]]] = []
        for req in reqs:
            key = _typed(req).key
            if key in first:
                first.discard(key)
                out.append(Written(made[key], created=True))
                continue
            remark = known.get(key) or made[key]
            # As capture() endorses: this capturer and route again (a repeat adds nothing).
            endorsed.append(
                (
                    remark,
                    {
                        "user_id": req.capturer,
                        "route": str(req.route),
                        "note": req.note,
                        "channel_id": req.reply.channel_id,
                        "at": services.clock(),
                    },
                )
            )
            out.append(Written(remark, created=False))
            score = req.origin.score if req.origin else None
            if changed_text(remark, _typed(req).text) or changed_score(remark, score):
                changed.append(req)
        await repo.endorse_many(endorsed)
        if made:
            # Last in the transaction, once for the batch: who is subscribed is read now (not
            # with the workspace above), so a webhook added meanwhile gets these events.
            subs = await hooks_events.subscriptions_at_commit(session, team_id)
            for remark in made.values():
                await hooks_events.remark_changed(
                    services, session, remark, hooks_events.REMARK_CREATED, subs
                )
    for req in changed:
        updated = await apply_text(
            services,
            team_id=team_id,
            key=_typed(req).key,
            text=_typed(req).text,
            score=req.origin.score if req.origin else None,
        )
        if updated is not None:
            out = [Written(updated, w.created) if w.remark.id == updated.id else w for w in out]
    return out


def is_lesson(req: Request) -> bool:
    """Whether a new remark from ``req`` teaches its workspace's model: a process named by
    the sender (the API's or an import's ``process``) or a decided tone."""
    return req.decided.process_chosen or req.decided.sentiment is not None


def _redacted(services: Services, req: Request) -> Request:
    """The request with its text and note as ``capture()`` stores them (REDACT)."""
    kinds = services.settings.redact_kinds
    if not kinds:
        return req
    typed = _typed(req)
    return replace(
        req,
        source=replace(typed, text=redact(typed.text, kinds)),
        note=redact(req.note, kinds) if req.note else req.note,
    )


def _typed(req: Request) -> Typed:
    assert isinstance(req.source, Typed)
    return req.source
