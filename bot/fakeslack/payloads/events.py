"""Pure builders of Events API deliveries: the envelope and the events inside it.

`event_envelope` wraps an inner event (`message_event`, `message_changed`, `reaction_added`,
`app_mention`, `app_home_opened`, ...); `share_attachment`/`forwarded_message` build what a
forwarded message looks like. Also the ids and tokens every delivery carries.
"""

from __future__ import annotations

import base64
import copy
import json
import secrets
import string
import time
from typing import Any

VERIFICATION_TOKEN = "fakeslackverificationtoken"
_ALNUM = string.ascii_uppercase + string.digits
# store-only keys that a freshly posted message's event never carries
_THREAD_STATE_KEYS = (
    "reactions",
    "reply_count",
    "reply_users",
    "reply_users_count",
    "latest_reply",
    "is_locked",
    "subscribed",
)


def new_event_id() -> str:
    """An Events API event id such as ``Ev08ABCDEF12``."""
    return "Ev" + "".join(secrets.choice(_ALNUM) for _ in range(10))


def action_ts() -> str:
    """An `action_ts` ("1764160000.123456")."""
    now = time.time()
    return f"{int(now)}.{int((now % 1) * 1_000_000):06d}"


def event_context(event_type: str, team_id: str, app_id: str, channel: str | None = None) -> str:
    """An opaque `event_context` string like Slack's ("4-eyJldCI6...")."""
    data: dict[str, Any] = {"et": event_type, "tid": team_id, "aid": app_id}
    if channel:
        data["cid"] = channel
    raw = (
        base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
        .decode()
        .rstrip("=")
    )
    return "4-" + raw


def authorization(
    team_id: str, bot_user_id: str, *, enterprise_id: str | None = None,
    is_enterprise_install: bool = False,
) -> dict[str, Any]:
    """One entry of the envelope's `authorizations` list (the installation receiving it;
    for an org-wide install on Enterprise Grid, `team_id` is null)."""
    return {
        "enterprise_id": enterprise_id,
        "team_id": None if is_enterprise_install else team_id,
        "user_id": bot_user_id,
        "is_bot": True,
        "is_enterprise_install": is_enterprise_install,
    }


def event_envelope(
    event: dict[str, Any],
    *,
    team_id: str,
    api_app_id: str,
    event_id: str | None = None,
    event_time: int | None = None,
    is_ext_shared_channel: bool = False,
    authorizations: list[dict[str, Any]] | None = None,
    bot_user_id: str = "U0BOT00001",
    enterprise_id: str | None = None,
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """The `event_callback` envelope around an inner event."""
    if event_time is None:
        ets = event.get("event_ts") or event.get("ts")
        event_time = int(float(ets)) if ets else int(time.time())
    channel = event.get("channel")
    if isinstance(channel, dict):
        channel = channel.get("id")
    channel = channel or (event.get("item") or {}).get("channel")
    return {
        "token": token,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": enterprise_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": event_time,
        "authorizations": authorizations
        if authorizations is not None
        else [authorization(team_id, bot_user_id, enterprise_id=enterprise_id)],
        "is_ext_shared_channel": is_ext_shared_channel,
        "event_context": event_context(event.get("type", ""), team_id, api_app_id, channel),
    }


def url_verification(challenge: str, *, token: str = VERIFICATION_TOKEN) -> dict[str, Any]:
    """The handshake Slack sends when the Request URL is configured."""
    return {"token": token, "challenge": challenge, "type": "url_verification"}


# ---------------------------------------------------------------------- events
def reaction_added(
    user: str, reaction: str, item_channel: str, item_ts: str, item_user: str | None, event_ts: str
) -> dict[str, Any]:
    """reaction_added (item_user is the author of the reacted message)."""
    event: dict[str, Any] = {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item": {"type": "message", "channel": item_channel, "ts": item_ts},
        "event_ts": event_ts,
    }
    if item_user is not None:
        event["item_user"] = item_user
    return event


def reaction_removed(
    user: str, reaction: str, item_channel: str, item_ts: str, item_user: str | None, event_ts: str
) -> dict[str, Any]:
    """reaction_removed"""
    event = reaction_added(user, reaction, item_channel, item_ts, item_user, event_ts)
    event["type"] = "reaction_removed"
    return event


def message_event(
    message: dict[str, Any],
    channel: str,
    channel_type: str = "channel",
    *,
    event_ts: str | None = None,
) -> dict[str, Any]:
    """A `message` event for a newly posted message (any subtype: bot_message, file_share, ...)."""
    event = {k: copy.deepcopy(v) for k, v in message.items() if k not in _THREAD_STATE_KEYS}
    event["type"] = "message"
    event["channel"] = channel
    event["event_ts"] = event_ts or message["ts"]
    event["channel_type"] = channel_type
    return event


def message_changed(
    channel: str,
    message: dict[str, Any],
    previous_message: dict[str, Any],
    *,
    event_ts: str,
    channel_type: str = "channel",
) -> dict[str, Any]:
    """`message` / `message_changed` (hidden) carrying the new and previous message."""
    return {
        "type": "message",
        "subtype": "message_changed",
        "message": copy.deepcopy(message),
        "previous_message": copy.deepcopy(previous_message),
        "channel": channel,
        "hidden": True,
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": channel_type,
    }


def tombstone_changed(
    channel: str,
    tombstone: dict[str, Any],
    previous_message: dict[str, Any],
    *,
    event_ts: str,
    channel_type: str = "channel",
) -> dict[str, Any]:
    """Deleting a thread root that has replies: a message_changed whose `message` is the tombstone."""
    return message_changed(
        channel, tombstone, previous_message, event_ts=event_ts, channel_type=channel_type
    )


def tombstone(previous_message: dict[str, Any]) -> dict[str, Any]:
    """The tombstone Slack leaves in place of a deleted thread root."""
    return {
        "type": "message",
        "subtype": "tombstone",
        "text": "This message was deleted.",
        "user": "USLACKBOT",
        "hidden": True,
        "ts": previous_message["ts"],
        "thread_ts": previous_message.get("thread_ts", previous_message["ts"]),
        "parent_user_id": "USLACKBOT",
        "reply_count": previous_message.get("reply_count", 0),
        "reply_users_count": previous_message.get("reply_users_count", 0),
        "latest_reply": previous_message.get("latest_reply", "0000000000.000000"),
        "reply_users": list(previous_message.get("reply_users", [])),
        "is_locked": False,
        "subscribed": False,
    }


def message_deleted(
    channel: str,
    previous_message: dict[str, Any],
    *,
    event_ts: str,
    channel_type: str = "channel",
) -> dict[str, Any]:
    """`message` / `message_deleted` (hidden) with `deleted_ts` and `previous_message`."""
    return {
        "type": "message",
        "subtype": "message_deleted",
        "previous_message": copy.deepcopy(previous_message),
        "channel": channel,
        "hidden": True,
        "deleted_ts": previous_message["ts"],
        "event_ts": event_ts,
        "ts": event_ts,
        "channel_type": channel_type,
    }


def app_uninstalled() -> dict[str, Any]:
    """`app_uninstalled`: the app was removed from the workspace (Slack sends no more)."""
    return {"type": "app_uninstalled"}


def tokens_revoked(*, oauth: list[str] | None = None, bot: list[str] | None = None) -> dict[str, Any]:
    """`tokens_revoked`: the user ids whose user (``oauth``) and bot tokens were revoked."""
    return {"type": "tokens_revoked", "tokens": {"oauth": list(oauth or []), "bot": list(bot or [])}}


def team_access_granted(team_ids: list[str], *, event_ts: str | None = None) -> dict[str, Any]:
    """`team_access_granted`: an org admin gave an org-wide app access to more workspaces."""
    return {"type": "team_access_granted", "team_ids": list(team_ids), "event_ts": event_ts or action_ts()}


def team_access_revoked(team_ids: list[str], *, event_ts: str | None = None) -> dict[str, Any]:
    """`team_access_revoked`: an org-wide app lost access to these workspaces (removed there)."""
    return {"type": "team_access_revoked", "team_ids": list(team_ids), "event_ts": event_ts or action_ts()}


def org_event_envelope(
    event: dict[str, Any], *, enterprise_id: str, api_app_id: str, bot_user_id: str = "U0BOT00001",
    event_id: str | None = None, token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """The envelope of an event about the organisation itself (an org-wide install's
    `team_access_granted`/`team_access_revoked`, its `app_uninstalled`): it names the
    organisation (`enterprise_id`) and no workspace (`team_id` null), and its authorization
    is the org-wide install."""
    return {
        "token": token,
        "team_id": None,
        "enterprise_id": enterprise_id,
        "context_team_id": None,
        "context_enterprise_id": enterprise_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": int(time.time()),
        "authorizations": [authorization(enterprise_id, bot_user_id, enterprise_id=enterprise_id,
                                         is_enterprise_install=True)],
        "is_ext_shared_channel": False,
    }


def channel_join(
    user: str, channel: str, ts: str, *, inviter: str | None = None, channel_type: str = "channel"
) -> dict[str, Any]:
    """`message` / `channel_join`."""
    event: dict[str, Any] = {
        "type": "message",
        "subtype": "channel_join",
        "ts": ts,
        "user": user,
        "text": f"<@{user}> has joined the channel",
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type,
    }
    if inviter:
        event["inviter"] = inviter
    return event


def bot_message(
    text: str,
    channel: str,
    ts: str,
    *,
    bot_id: str,
    username: str = "integration",
    channel_type: str = "channel",
) -> dict[str, Any]:
    """`message` / `bot_message` (legacy integrations and webhooks: no `user`)."""
    return {
        "type": "message",
        "subtype": "bot_message",
        "text": text,
        "ts": ts,
        "username": username,
        "bot_id": bot_id,
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type,
    }


def app_mention(
    user: str,
    text: str,
    channel: str,
    ts: str,
    *,
    team: str,
    thread_ts: str | None = None,
    blocks: list[dict[str, Any]] | None = None,
    client_msg_id: str | None = None,
    user_team: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """app_mention (also sent, besides `message`, when a message mentions the bot)."""
    event: dict[str, Any] = {"type": "app_mention", "user": user, "text": text, "ts": ts}
    if client_msg_id:
        event["client_msg_id"] = client_msg_id
    if blocks is not None:
        event["blocks"] = copy.deepcopy(blocks)
    if attachments is not None:
        event["attachments"] = copy.deepcopy(attachments)
    event["team"] = team
    if user_team:
        event["user_team"] = user_team
        event["source_team"] = user_team
    if thread_ts:
        event["thread_ts"] = thread_ts
    event["channel"] = channel
    event["event_ts"] = ts
    return event


def app_home_opened(
    user: str,
    channel: str,
    *,
    tab: str = "home",
    view: dict[str, Any] | None = None,
    event_ts: str | None = None,
) -> dict[str, Any]:
    """app_home_opened (`view` is present once a Home view was published)."""
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": user,
        "channel": channel,
        "tab": tab,
        "event_ts": event_ts or action_ts(),
    }
    if view is not None:
        event["view"] = copy.deepcopy(view)
    return event


def share_attachment(
    original: dict[str, Any],
    *,
    channel_id: str,
    channel_name: str,
    channel_team: str,
    from_url: str,
    author_name: str,
    author_subname: str | None = None,
    author_icon: str = "",
    author_link: str = "",
    is_private: bool = False,
    in_thread: bool = False,
) -> dict[str, Any]:
    """The `attachments[0]` of a forwarded (shared) message: the original lives here only."""
    text = original.get("text", "")
    author_id = original.get("user", "")
    blocks = copy.deepcopy(original.get("blocks", []))
    when = time.strftime("%B %d, %Y %I:%M %p", time.gmtime(float(original["ts"])))
    att: dict[str, Any] = {
        "ts": original["ts"],
        "author_id": author_id,
        "channel_id": channel_id,
        "channel_team": channel_team,
        "is_msg_unfurl": True,
        "is_share": True,
        "message_blocks": [
            {
                "team": channel_team,
                "channel": channel_id,
                "ts": original["ts"],
                "message": {"blocks": blocks},
            }
        ],
        "id": 1,
        "original_url": from_url,
        "fallback": f"[{when}] {author_name}: {text}",
        "text": text,
        "author_name": author_name,
        "author_link": author_link,
        "author_icon": author_icon,
        "author_subname": author_subname or author_name,
        "mrkdwn_in": ["text"],
        "footer": ("Thread in " if in_thread else "Posted in ")
        + ("a private channel" if is_private else f"#{channel_name}"),
        "from_url": from_url,
    }
    att["channel_name"] = channel_name
    if original.get("files"):
        att["files"] = copy.deepcopy(original["files"])
    return att


def forwarded_message(
    user: str,
    comment: str,
    attachment: dict[str, Any],
    *,
    ts: str,
    team: str,
) -> dict[str, Any]:
    """A message forwarding another: top-level `text` is only the comment (often "")."""
    msg: dict[str, Any] = {"type": "message", "text": comment, "user": user, "ts": ts}
    msg["attachments"] = [copy.deepcopy(attachment)]
    msg["team"] = team
    return msg
