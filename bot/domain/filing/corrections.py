"""People correcting what was filed. A person's decision always wins over the classifier,
records who made it and when, and becomes a lesson for that workspace's model."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.customers.registry import Directory
from bot.domain.customers.rules import entry_of
from bot.domain.filing import themes
from bot.domain.services import Services
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


async def correct_process(
    services: Services, *, team_id: str, remark_id: int, process_id: int | None, by: str
) -> Corrected | None:
    """File the remark under ``process_id`` (None: back to unfiled). None if the remark is gone."""
    async with transaction(services.sessions) as session:
        remarks = RemarkRepository(session)
        remark = await remarks.get(team_id, remark_id)
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
    return Corrected(remark, name)


async def correct_sentiment(
    services: Services, *, team_id: str, remark_id: int, sentiment: str, by: str
) -> Corrected | None:
    if sentiment not in SENTIMENTS:
        raise ValueError(f"unknown sentiment {sentiment!r}")
    async with transaction(services.sessions) as session:
        remarks = RemarkRepository(session)
        remark = await remarks.get(team_id, remark_id)
        if remark is None:
            return None
        remark = await remarks.update_fields(
            remark, sentiment=sentiment, sentiment_decided_by=by, sentiment_decided_at=services.clock()
        )
        await WorkspaceRepository(session).bump_model_version(team_id)
        name = await ProcessRepository(session).name_of(team_id, remark.process_id)
    return Corrected(remark, name)


async def correct_customer(
    services: Services, *, team_id: str, remark_id: int, customer: str | None, by: str
) -> Corrected | None:
    customer = " ".join((customer or "").split())[:255] or None
    async with transaction(services.sessions) as session:
        remarks = RemarkRepository(session)
        remark = await remarks.get(team_id, remark_id)
        if remark is None:
            return None
        if customer:  # an alias of a registered customer becomes its name
            registered = await CustomerRepository(session).list(team_id)
            customer = Directory.of(entry_of(c) for c in registered).canonical(customer)
        remark = await remarks.update_fields(remark, customer=customer, customer_decided_by=by)
        name = await ProcessRepository(session).name_of(team_id, remark.process_id)
    return Corrected(remark, name)


async def undo_capture(
    services: Services, *, team_id: str, remark_id: int, user_id: str
) -> tuple[int, bool, Remark | None]:
    """Withdraw every capture ``user_id`` made of the remark.

    Returns (captures removed, remark deleted, the remark as it was before).
    """
    async with transaction(services.sessions) as session:
        remarks = RemarkRepository(session)
        before = await remarks.get(team_id, remark_id)
        if before is None:
            return 0, False, None
        text, theme_id = before.text, before.theme_id
        removed, deleted = await remarks.withdraw_capture(team_id, remark_id=remark_id, user_id=user_id)
        if deleted and theme_id is not None:
            await themes.forget(session, team_id, theme_id=theme_id, text=text)
    return removed, deleted, before
