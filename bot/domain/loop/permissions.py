"""Who may do what to an improvement: the one home of these rules. The domain calls them
where each change is made (bot.domain.loop.improvements, thread_replies); the cards only
draw the buttons a person may use (``Rights``).

- *Manage* (edit it, move its status, reply in its remarks' threads): the improvement's
  owner, the owner of its process, or an admin of the workspace.
- *Propose* (create one): anyone; but only the process owner or an admin chooses its owner.
  Someone else's proposal is owned by the process owner (nobody, if the process has none).
- *Move it to another process*: the owner (or an admin) of both processes.
- *Change its owner*: a manager before the change who is still one after it (so nobody takes
  an improvement over, and its owner alone cannot hand it on).
- A shipped or dropped improvement's remarks, owner and process are frozen; an admin can
  reopen it (back to *in progress*) to change them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.services import Services
from bot.domain.workspace.permissions import is_admin
from storage.models import Improvement, Process

CLOSED = ("shipped", "dropped")


class ImprovementProblem(Exception):
    """Something to tell the person privately (unknown improvement, not allowed, ...)."""


class NotAllowed(ImprovementProblem):
    """The person may not make this change; the message says who may."""


def _who(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "nobody yet"


@dataclass
class Actor:
    """A person acting in one workspace; whether they are its admin is asked (users.info,
    cached) only when a rule needs it."""

    services: Services
    client: AsyncWebClient
    team_id: str
    user_id: str
    _admin: bool | None = field(default=None, repr=False)

    async def admin(self) -> bool:
        if self._admin is None:
            self._admin = await is_admin(self.services, self.client, self.team_id, self.user_id)
        return self._admin


async def may_manage(actor: Actor, imp: Improvement, process: Process | None) -> bool:
    return await _manages(actor, imp, process.owner_user_id if process else None)


async def _manages(actor: Actor, imp: Improvement, process_owner: str | None) -> bool:
    return actor.user_id in {imp.owner_user_id, process_owner} - {None} or await actor.admin()


async def owns_process(actor: Actor, process: Process | None) -> bool:
    return (process is not None and process.owner_user_id == actor.user_id) or await actor.admin()


def not_manager(imp: Improvement, process: Process | None, doing: str, *,
                improvement_owner_first: bool = False) -> NotAllowed:
    who = [f"the process owner ({_who(process.owner_user_id if process else None)})",
           f"the improvement's owner ({_who(imp.owner_user_id)})"]
    if improvement_owner_first:
        who.reverse()
    return NotAllowed(f":lock: Only {who[0]}, {who[1]} or a workspace admin can {doing}.")


async def check_manage(actor: Actor, imp: Improvement, process: Process | None, doing: str, *,
                       improvement_owner_first: bool = False) -> None:
    if not await may_manage(actor, imp, process):
        raise not_manager(imp, process, doing, improvement_owner_first=improvement_owner_first)


async def owner_of_proposal(actor: Actor, process: Process, chosen: str | None) -> str | None:
    """Who owns a new improvement of ``process`` proposed by ``actor`` who chose ``chosen``."""
    if await owns_process(actor, process):
        return chosen or process.owner_user_id or actor.user_id
    if chosen and chosen != process.owner_user_id:
        raise NotAllowed(f":lock: Only the owner of {process.name} ({_who(process.owner_user_id)}) or a "
                         "workspace admin can choose who owns its improvements. Leave Owner as it was "
                         "offered (the process owner); they can hand it on.")
    return process.owner_user_id


async def check_edit(actor: Actor, imp: Improvement, before: Process | None, after: Process, *,
                     owner: str | None, remarks_changed: bool) -> None:
    """Raise NotAllowed unless ``actor`` may save these changes to ``imp``."""
    await check_manage(actor, imp, before, "edit this improvement")
    moved = after.id != imp.process_id
    owner_changed = owner != imp.owner_user_id
    if imp.status in CLOSED and (moved or owner_changed or remarks_changed):
        raise NotAllowed(f":lock: It is {imp.status}: its remarks, owner and process stay as they are. "
                         "A workspace admin can reopen it to change them; its title, description and "
                         "link can still be edited.")
    if moved and not (await owns_process(actor, before) and await owns_process(actor, after)):
        raise NotAllowed(f":lock: Moving an improvement to {after.name} takes the owner of both processes "
                         f"({_who(before.owner_user_id if before else None)} and "
                         f"{_who(after.owner_user_id)}) or a workspace admin.")
    if owner_changed and not (actor.user_id in {owner, after.owner_user_id} or await actor.admin()):
        raise NotAllowed(f":lock: Only the owner of {after.name} ({_who(after.owner_user_id)}) or a "
                         "workspace admin can give this improvement another owner.")


@dataclass(frozen=True)
class Rights:
    """What a card shows one person: the buttons they may use."""

    manage: bool = False
    reopen: bool = False


async def rights(actor: Actor, imp: Improvement, process_owner: str | None) -> Rights:
    manage = await _manages(actor, imp, process_owner)
    return Rights(manage=manage, reopen=imp.status in CLOSED and await actor.admin())
