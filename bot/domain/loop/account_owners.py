"""Account owners hear when an improvement answering their customers' remarks ships, and
again when *Did it work?* says it worked: one DM per owner and event, naming all of their
customers among the addressed remarks.

Each DM is claimed (``loop_claims``, kind ``account``, key ``<improvement>:<event>:<owner>``;
the team is the claim's own column) and owed to the outbox in the same transaction, then
sent. So a second click, Slack's retry, the scheduler's sweeps and several processes send
it at most once, and a process that dies after the claim leaves it owed for the outbox's
sweep. An owner who turned customer alerts off (``/feedback customer alerts off``) is not
told and nothing is claimed. Who changed the status was checked where it changed.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.services import Services
from bot.domain.workspace import outbox
from bot.slack import account_notes as ui
from storage.db import transaction
from storage.repositories import ProcessRepository
from storage.repositories.account_owners import AccountOwner, AccountOwnerRepository
from storage.repositories.effects import Owed
from storage.repositories.improvements import ImprovementRepository
from storage.repositories.loop import LoopClaimRepository

log = logging.getLogger(__name__)

KIND = "account"
SHIPPED = "shipped"
VERIFIED = "verified"


def claim_key(improvement_id: int, event: str, owner: str) -> str:
    return f"{improvement_id}:{event}:{owner}"


async def tell(
    services: Services,
    client: AsyncWebClient,
    team_id: str,
    improvement_id: int,
    event: str,
    *,
    result: Any = None,
) -> list[str]:
    """DM each account owner of the addressed remarks' customers about ``event`` (``SHIPPED``,
    or ``VERIFIED`` with the check's ``result``), once. Returns the owners it sent to."""
    async with services.sessions() as session:
        imp = await ImprovementRepository(session).get(team_id, improvement_id)
        if imp is None or imp.status != "shipped":
            return []
        process = await ProcessRepository(session).get(team_id, imp.process_id)
        owners = await AccountOwnerRepository(session).of_improvement(team_id, improvement_id)
    name = process.name if process else "a process"

    def render(owner: AccountOwner) -> dict[str, Any]:
        if event == VERIFIED:
            return ui.verified_note(imp, name, result, owner)
        return ui.shipped_note(imp, name, owner)

    owed: list[Owed] = []
    for owner in owners:
        key = claim_key(improvement_id, event, owner.user_id)
        async with transaction(services.sessions) as session:
            if not await AccountOwnerRepository(session).wants_notes(team_id, owner.user_id):
                continue
            if not await LoopClaimRepository(session).claim(
                team_id, KIND, key, by=None, at=services.clock()
            ):
                continue  # a retry, a sweep or another process has it
            effect = Owed(
                team_id,
                f"{KIND}:{key}",
                "chat.postMessage",
                {"channel": owner.user_id, **render(owner)},
            )
            await outbox.owe(services, session, [effect])
        owed.append(effect)
    if not owed:
        return []
    report: dict[str, str | None] = {}
    await outbox.send(services, client, owed, report=report)
    sent = [o.args["channel"] for o in owed if report.get(o.key) is None]
    async with transaction(services.sessions) as session:
        claims = LoopClaimRepository(session)
        for o in owed:
            error = report.get(o.key)
            await claims.mark(
                team_id,
                KIND,
                o.key.removeprefix(f"{KIND}:"),
                sent_at=services.clock() if error is None else None,
                error=error,
            )
    log.info(
        "account owners: team=%s #%d %s: told %d of %d",
        team_id,
        improvement_id,
        event,
        len(sent),
        len(owed),
    )
    return sent
