"""Another app's post as a remark, on every route: who Earshot itself is (its own posts are
never captured), the post read by its app's rule (bot.slack.apps) into the original and
its Origin, and whether a watched channel takes that app's posts.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.capture.origin import Origin
from bot.domain.capture.slack_reads import fetch_message, permalink
from bot.domain.workspace.pacing import Pacer
from bot.slack import apps
from bot.slack.text import Original, as_dict, is_bot_message

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Own:
    """Earshot's own identity in a workspace: its bot id, bot user and app."""

    bot_id: str | None = None
    user_id: str | None = None
    app_id: str | None = None

    def wrote(self, msg: dict[str, Any]) -> bool:
        profile = as_dict(msg.get("bot_profile"))
        return bool((self.bot_id and self.bot_id in (msg.get("bot_id"), profile.get("id")))
                    or (self.user_id and msg.get("user") == self.user_id)
                    or (self.app_id and self.app_id in (msg.get("app_id"), profile.get("app_id"))))


_own: dict[str, Own] = {}


async def own_of(client: AsyncWebClient) -> Own:
    """Who the client's token is (auth.test, once per token per process)."""
    token = client.token or ""
    if token in _own:
        return _own[token]
    try:
        res = await client.auth_test()
    except SlackApiError as e:
        log.warning("app posts: auth.test failed: %s", e.response.get("error"))
        return Own()
    own = Own(bot_id=res.get("bot_id"), user_id=res.get("user_id"), app_id=res.get("app_id"))
    _own[token] = own
    return own


_bot_names: dict[tuple[str, str], str] = {}


async def named_post(client: AsyncWebClient, msg: dict[str, Any]) -> dict[str, Any]:
    """``msg`` with its app's name when it carries none: a classic integration's post without
    a ``username`` override has only its ``bot_id`` (docs.slack.dev/reference/events/message/
    bot_message), so its name is asked of ``bots.info`` (users:read; once per bot and token
    per process, a failure too). Without a name the post is "An app" and a named opt-in
    (``bots "Zendesk"``) could never take it."""
    bot_id = msg.get("bot_id")
    if apps.app_names(msg) or not isinstance(bot_id, str) or not bot_id:
        return msg
    name = await _bot_name(client, bot_id)
    if not name:
        return msg
    return {**msg, "bot_profile": {**as_dict(msg.get("bot_profile")), "id": bot_id, "name": name}}


# bots.info asked and not yet answered: posts of one bot handled at once (the workers run
# deliveries side by side, a forward of three posts is three) wait for the one answer.
_asking: dict[tuple[str, str], asyncio.Future[str]] = {}


async def _bot_name(client: AsyncWebClient, bot_id: str) -> str:
    key = (client.token or "", bot_id)
    if key in _bot_names:
        return _bot_names[key]
    loop = asyncio.get_running_loop()
    asking = _asking.get(key)
    if asking is not None and asking.get_loop() is loop:
        return await asyncio.shield(asking)
    asking = _asking[key] = loop.create_future()
    name = ""
    try:
        res = await client.bots_info(bot=bot_id)
        raw = as_dict(res.get("bot")).get("name")
        name = raw.strip()[:80] if isinstance(raw, str) else ""
        _bot_names[key] = name
    except SlackApiError as e:
        log.info("app posts: bots.info %s failed: %s", bot_id, e.response.get("error"))
        _bot_names[key] = ""
    finally:  # a network error is not remembered: the waiters go unnamed, the next post asks
        asking.set_result(name)
        if _asking.get(key) is asking:
            del _asking[key]
    return name


def origin_of(post: apps.AppPost) -> Origin:
    score = post.score
    return Origin(source=post.source, contact=post.contact, customer=post.customer, link=post.link,
                  score=score, said_at=post.said_at)


def original_of(channel_id: str, msg: dict[str, Any], *, permalink: str | None = None,
                explicit: bool = True) -> Original:
    """The remark in an app's post. ``explicit``: a person flagged it, so a post without
    customer words (a status notice) files its whole notice; a watched channel files only
    the words (and skips the post when there are none, unless it carries a score)."""
    post = apps.extract(msg)
    ts = str(msg.get("ts") or "")
    thread = msg.get("thread_ts")
    # A score without a comment (an NPS response left at its number) is feedback too: its
    # notice is filed, so the digest's NPS and CSAT count every answer, not only the worded.
    scored = post.score is not None
    return Original(channel_id=channel_id, ts=ts, text=post.words if explicit or scored else post.text,
                    user_id=None, team_id=None,  # the contact is a customer, never a Slack user
                    thread_ts=thread if isinstance(thread, str) and thread != ts else None,
                    permalink=permalink, app=post)


def app_key(name: str | None) -> str:
    """An app's name as names are compared: case and runs of spaces aside."""
    return " ".join((name or "").casefold().split())


def takes(bots: str, names: list[str] | None, msg: dict[str, Any], post: apps.AppPost) -> bool:
    """Whether a watched channel set to ``bots`` ("off", "all", "named") files this app's post.
    A named app matches the post's app name, the name it posted under, or its rule's source,
    in any case."""
    if bots == "all":
        return True
    if bots != "named" or not names:
        return False
    seen = {*(app_key(n) for n in apps.app_names(msg)), app_key(post.source)}
    # Spaces and punctuation aside too: "AppStore" is the App Store, "Survey Monkey" SurveyMonkey.
    squashed = {_squash(s) for s in seen}
    return any((app_key(n) and any(app_key(n) in s for s in seen if s))
               or (_squash(n) and any(_squash(n) in s for s in squashed if s)) for n in names)


def _squash(name: str) -> str:
    return "".join(c for c in name.casefold() if c.isalnum())


async def app_original_from_slack(client: AsyncWebClient, channel_id: str, ts: str, *,
                                  pacer: Pacer | None = None) -> Original | None:
    """Another app's post read again from Slack (None: unreadable, or not another app's)."""
    msg = await fetch_message(client, channel_id, ts, pacer=pacer)
    if msg is None or not is_bot_message(msg) or (await own_of(client)).wrote(msg):
        return None
    msg = await named_post(client, msg)
    return original_of(channel_id, msg, permalink=await permalink(client, channel_id, ts))
