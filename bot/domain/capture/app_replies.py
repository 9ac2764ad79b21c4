"""An app's reply in the thread of its own post, in a watched channel that takes that app's
posts (issue 21, item 1).

Helpdesk apps post a ticket (or conversation) as a top-level message and then post what
follows in its thread: the customer's follow-ups, and status changes. A watched channel
hears a reply only when it is an opted-in app's reply under a post by the same app; a
person's reply, or another app's under someone else's post, is still not heard (replies
are captured only when someone flags them).

Whether the reply and its parent are the same app is read from the event alone where it
can be: Slack puts the parent's author in ``parent_user_id`` on every reply, and an app
with a bot user posts as that user (``user``). A classic integration or incoming webhook
posts with no ``user``: then the parent's remark, looked up in the database by channel and
``thread_ts``, tells whose post it was (its source). Nothing asks Slack
(``conversations.replies`` is limited to a call a minute for many installs).

A reply heard is its own remark, linked to the ticket: where the parent was filed, the
reply takes the parent remark's customer, contact and link (a correction a person made to
the parent's customer included); otherwise what the reply itself names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bot.domain.capture.app_posts import app_key, origin_of
from bot.domain.capture.origin import Origin
from bot.domain.capture.requests import message_key
from bot.domain.services import Services
from bot.slack import apps
from bot.slack.app_post import AppPost
from storage.db import transaction
from storage.models import Remark
from storage.repositories import RemarkRepository


@dataclass(frozen=True)
class Thread:
    """The ticket a reply is heard under: its parent's remark, when the parent was filed."""

    parent: Remark | None


def same_app_in_event(msg: dict[str, Any]) -> bool | None:
    """Whether the event itself says the reply's author wrote the parent (None: it cannot
    say, the reply having no ``user`` or the event no ``parent_user_id``)."""
    user, parent = msg.get("user"), msg.get("parent_user_id")
    if isinstance(user, str) and user and isinstance(parent, str) and parent:
        return user == parent
    return None


async def thread_of(services: Services, *, team_id: str, channel_id: str, msg: dict[str, Any],
                    post: AppPost) -> Thread | None:
    """The thread ``msg`` (an app's reply) is heard in, or None when it is not its own app's
    thread (another app's post, or a person's)."""
    thread_ts = msg.get("thread_ts")
    if not isinstance(thread_ts, str) or not thread_ts:
        return None
    async with transaction(services.sessions) as session:
        parent = await RemarkRepository(session).by_source_or_merged(
            team_id, message_key(channel_id, thread_ts))
    same = same_app_in_event(msg)
    if same is None:  # a webhook's reply: the parent's remark names its app, if it was filed
        names = {app_key(post.source), *(app_key(n) for n in apps.app_names(msg))}
        same = parent is not None and bool(parent.source) and app_key(parent.source) in names
    return Thread(parent=parent) if same else None


def origin_in(thread: Thread, post: AppPost) -> Origin:
    """The reply's origin: the parent remark's customer, contact and link where it has them."""
    origin, parent = origin_of(post), thread.parent
    if parent is None:
        return origin
    return replace(origin, customer=parent.customer or origin.customer,
                   contact=parent.contact or origin.contact, link=parent.link or origin.link)
