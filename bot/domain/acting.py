"""Who a domain function acts for, as every sub-package sees it, and the refusal of a
non-admin where the thing is done.

Slack handlers pass the person who asked (``bot.domain.workspace.permissions.SlackAsker``,
which knows the rule: workspace admins and owners, the Grid organisation's, ADMIN_USERS).
This module imports nothing of the domain, so the sub-packages below ``workspace``
(``processes``, ``privacy``) refuse a non-admin too without reaching up. A domain function
called with ``by=None`` acts for the operator (the CLI, with the database in hand).
"""

from __future__ import annotations

from typing import Protocol

NOT_ADMIN = (
    ":lock: Only workspace admins and owners of this workspace (or people listed in Earshot's ADMIN_USERS "
    "setting) can change this. Anyone can file and correct feedback."
)


class NotAdmin(PermissionError):
    """Refused: ``str(e)`` is the message to show the person (Earshot's own words)."""


class Asker(Protocol):
    """The person a request came from, in the workspace it came from."""

    @property
    def team_id(self) -> str: ...

    @property
    def user_id(self) -> str: ...

    async def is_admin(self) -> bool: ...


async def require_admin(by: Asker | None, team_id: str, *, refusal: str = NOT_ADMIN) -> None:
    """Raise NotAdmin unless ``by`` is an admin of ``team_id`` (None: the operator)."""
    if by is None:
        return
    if by.team_id != team_id or not await by.is_admin():
        raise NotAdmin(refusal)
