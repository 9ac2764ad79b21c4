"""People correcting what was filed. A person's decision always wins over the classifier,
records who made it and when, and becomes a lesson for that workspace's model.

Anyone in the workspace may correct a remark. A control (a confirmation's menus and buttons,
the App Home and digest triage menus) names its remark by id *and* fingerprint
(``Remark.fingerprint``), passed here as ``drawn_for``: a control drawn for a remark that is
gone is refused (``StaleControl``) and changes nothing, whatever now has that id. Callers
that read the remark themselves (the filing modal) pass None."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.customers.registry import Directory
from bot.domain.customers.rules import entry_of
from bot.domain.filing import themes
from bot.domain.services import Services
from bot.domain.workspace import hooks_events
from storage.db import transaction
from storage.models import SENTIMENTS, Remark
from storage.repositories import ProcessRepository, RemarkRepository, WorkspaceRepository
from storage.repositories.customers import CustomerRepository


@dataclass(frozen=True)
class Corrected:
    remark: Remark
    process_name: str | None


class UnknownProcess(ValueError):
    """The chosen process does not exist (or is archived) in this workspace."""


class StaleControl(ValueError):
    """The control was drawn for another remark than the one its id now names (or for none)."""


STALE = (":hourglass: This confirmation is out of date: that remark was withdrawn, so nothing was "
         "changed.")


def _drawn_for(remark: Remark | None, drawn_for: str | None) -> Remark | None:
    """The remark if the control was drawn for it; None if it is gone; StaleControl if the
    id now names another remark."""
    if remark is not None and drawn_for is not None and remark.fingerprint != drawn_for:
        raise StaleControl(STALE)
    return remark


async def correct_process(
    services: Services, *, team_id: str, remark_id: int, process_id: int | None, by: str,
    drawn_for: str | None = None,
) -> Corrected | None:
    """File the remark under ``process_id`` (None: back to unfiled). None if the remark is gone."""
    async with transaction(services.sessions) as session:
        await themes.hold(session, team_id)  # before the remark changes (themes.move)
        remarks = RemarkRepository(session)
        remark = _drawn_for(await remarks.get(team_id, remark_id), drawn_for)
        if remark is None:
            return None
        name = None
        if process_id is not None:
            process = await ProcessRepository(session).get(team_id, process_id)
            if process is None or process.archived:
                raise UnknownProcess(str(process_id))
            name = process.name
        old_process = remark.process_id
        remark = await remarks.update_fields(
            remark, process_id=process_id, process_confidence=1.0 if process_id else None,
            process_decided_by=by, process_decided_at=services.clock(),
        )
        if old_process != process_id or remark.theme_id is None:
            # Refiled: its old theme belonged to the old process. (update_fields leaves
            # theme_id alone, so the remark still names the theme it leaves.)
            await themes.move(session, remark, old_text=remark.text)
        await WorkspaceRepository(session).bump_model_version(team_id)
        await hooks_events.remark_changed(services, session, remark, hooks_events.REMARK_UPDATED)
    return Corrected(remark, name)


async def correct_sentiment(
    services: Services, *, team_id: str, remark_id: int, sentiment: str, by: str,
    drawn_for: str | None = None,
) -> Corrected | None:
    if sentiment not in SENTIMENTS:
        raise ValueError(f"unknown sentiment {sentiment!r}")
    async with transaction(services.sessions) as session:
        remarks = RemarkRepository(session)
        remark = _drawn_for(await remarks.get(team_id, remark_id), drawn_for)
        if remark is None:
            return None
        remark = await remarks.update_fields(
            remark, sentiment=sentiment, sentiment_decided_by=by, sentiment_decided_at=services.clock()
        )
        await WorkspaceRepository(session).bump_model_version(team_id)
        name = await ProcessRepository(session).name_of(team_id, remark.process_id)
        await hooks_events.remark_changed(services, session, remark, hooks_events.REMARK_UPDATED)
    return Corrected(remark, name)


async def correct_customer(
    services: Services, *, team_id: str, remark_id: int, customer: str | None, by: str,
    drawn_for: str | None = None,
) -> Corrected | None:
    customer = " ".join((customer or "").split())[:255] or None
    async with transaction(services.sessions) as session:
        remarks = RemarkRepository(session)
        remark = _drawn_for(await remarks.get(team_id, remark_id), drawn_for)
        if remark is None:
            return None
        if customer:  # an alias of a registered customer becomes its name
            registered = await CustomerRepository(session).list(team_id)
            customer = Directory.of(entry_of(c) for c in registered).canonical(customer)
        remark = await remarks.update_fields(remark, customer=customer, customer_decided_by=by)
        name = await ProcessRepository(session).name_of(team_id, remark.process_id)
        await hooks_events.remark_changed(services, session, remark, hooks_events.REMARK_UPDATED)
    return Corrected(remark, name)


async def undo_capture(
    services: Services, *, team_id: str, remark_id: int, user_id: str, drawn_for: str | None = None,
) -> tuple[int, bool, Remark | None]:
    """Withdraw every capture ``user_id`` made of the remark.

    Returns (captures removed, remark deleted, the remark as it was before).
    """
    async with transaction(services.sessions) as session:
        await themes.hold(session, team_id)  # before the remark may go (themes.forget)
        remarks = RemarkRepository(session)
        before = _drawn_for(await remarks.get(team_id, remark_id), drawn_for)
        if before is None:
            return 0, False, None
        text, theme_id = before.text, before.theme_id
        removed, deleted = await remarks.withdraw_capture(team_id, remark_id=remark_id, user_id=user_id)
        if deleted and theme_id is not None:
            await themes.forget(session, team_id, theme_id=theme_id, text=text)
        if deleted:
            await hooks_events.remark_deleted(services, session, team_id, remark_id)
    return removed, deleted, before
