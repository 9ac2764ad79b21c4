"""Where a modal's submission answers: the response_url Slack sent, never one a view carries.

A view's ``private_metadata`` is a claim: whoever crafts a ``view_submission`` chooses it, so
a URL in it would let them pick where Earshot sends a request (and what it says). A
``view_submission`` brings a ``response_url`` only for inputs with ``response_url_enabled``,
so the one Slack sent with the click that opened the modal is kept here instead, keyed by
the view id Slack gave the modal (``views.open``'s answer), for the person who clicked, for
as long as Slack honours it (30 minutes). A submission finds it by the submitted view's id
and its submitter, or finds nothing and answers in the modal.

And only a Slack host is ever posted to (:func:`is_slack_url`): ``hooks.slack.com``, or the
host of ``SLACK_API_URL`` (the stand-in's, in tests and the demo).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.config import Settings
from bot.domain.services import Services
from storage.db import transaction
from storage.repositories.guards import ViewReplyRepository

log = logging.getLogger(__name__)

SLACK_HOOKS_HOST = "hooks.slack.com"
# Slack honours a response_url for 30 minutes (and five uses).
KEEP = dt.timedelta(minutes=30)
MAX_URL = 512


@dataclass(frozen=True)
class Reply:
    remark_id: int
    response_url: str


def is_slack_url(url: object, settings: Settings) -> bool:
    """Whether ``url`` points at Slack: ``https://hooks.slack.com/...``, or the scheme, host and
    port of SLACK_API_URL (the stand-in when it replaces Slack)."""
    if not isinstance(url, str) or len(url) > MAX_URL:
        return False
    try:
        parts, api = urlsplit(url), urlsplit(settings.slack_api_url)
        port, api_port = parts.port, api.port
    except ValueError:
        return False
    if parts.username or parts.password:
        return False
    if parts.scheme == "https" and parts.hostname == SLACK_HOOKS_HOST and port in (None, 443):
        return True
    return (parts.scheme, parts.hostname, port) == (api.scheme, api.hostname, api_port) \
        and parts.hostname is not None


async def remember(services: Services, *, team_id: str, view_id: object, user_id: str,
                   remark_id: int, response_url: object) -> bool:
    """Keep the click's response_url for the modal it opened; False if there is none to keep."""
    if not isinstance(view_id, str) or not view_id or len(view_id) > 64:
        return False
    if not is_slack_url(response_url, services.settings):
        if response_url is not None:
            log.warning("replies: team=%s response_url off Slack's hosts ignored", team_id)
        return False
    assert isinstance(response_url, str)
    async with transaction(services.sessions) as session:
        await ViewReplyRepository(session).remember(
            team_id, view_id=view_id, user_id=user_id, remark_id=remark_id,
            response_url=response_url, at=services.clock())
    return True


async def recall(services: Services, *, team_id: str, view_id: object, user_id: str) -> Reply | None:
    """The reply kept for this modal if this person opened it, within Slack's 30 minutes."""
    if not isinstance(view_id, str) or not view_id:
        return None
    async with services.sessions() as session:
        row = await ViewReplyRepository(session).get(team_id, view_id)
    if row is None or row.user_id != user_id or row.created_at < services.clock() - KEEP:
        return None
    if not is_slack_url(row.response_url, services.settings):
        return None  # SLACK_API_URL changed since: not Slack's any more
    return Reply(row.remark_id, row.response_url)


async def prune(services: Services, *, now: dt.datetime) -> int:
    """Forget replies Slack no longer honours (the scheduler's retention job)."""
    async with transaction(services.sessions) as session:
        return await ViewReplyRepository(session).prune(created_before=now - KEEP)


__all__ = ["KEEP", "Reply", "is_slack_url", "prune", "recall", "remember"]
