"""The records a fake workspace is made of: teams, users and channels, with their API shapes.

Also the `SlackError` every fake operation raises, Slack-looking ids (`random_id`), the ts
sort key (`ts_key`) and the `rich_text` blocks Slack clients attach to typed messages.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, field
from typing import Any

_ALNUM = string.ascii_uppercase + string.digits
_MENTION_RE = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


class SlackError(Exception):
    """A Slack error code (`ok: false, error: <code>`) raised by a state operation."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def random_id(prefix: str, length: int = 10) -> str:
    """A Slack-looking id such as ``C07ABCDEF12``."""
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(length))


@dataclass
class Team:
    """A workspace (the home team, or a Slack Connect partner's team)."""

    id: str
    name: str
    domain: str
    enterprise_id: str | None = None  # an Enterprise Grid workspace's organisation

    def to_api(self) -> dict[str, Any]:
        """The `team` object of team.info."""
        grid = {"enterprise_id": self.enterprise_id, "enterprise_name": f"{self.enterprise_id} Org"}
        return ({} if self.enterprise_id is None else grid) | {
            "id": self.id,
            "name": self.name,
            "url": f"https://{self.domain}.slack.com/",
            "domain": self.domain,
            "email_domain": "",
            "icon": {
                "image_default": True,
                "image_34": "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-34.png",
                "image_44": "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-44.png",
                "image_68": "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-68.png",
            },
            "avatar_base_url": "https://ca.slack-edge.com/",
            "is_verified": False,
            "lob_sales_home_enabled": False,
        }


_TZ_OFFSETS = {
    "Europe/Berlin": (3600, "Central European Time"),
    "Europe/London": (0, "Greenwich Mean Time"),
    "America/New_York": (-18000, "Eastern Standard Time"),
    "America/Los_Angeles": (-28800, "Pacific Standard Time"),
    "Asia/Tokyo": (32400, "Japan Standard Time"),
    "UTC": (0, "Coordinated Universal Time"),
}


@dataclass
class User:
    """A Slack user. `team_id` different from the workspace's marks a Slack Connect external user."""

    id: str
    name: str
    real_name: str
    team_id: str
    is_bot: bool = False
    is_admin: bool = False
    is_owner: bool = False
    tz: str = "Europe/Berlin"
    deleted: bool = False
    email: str | None = None
    bot_id: str | None = None
    is_restricted: bool = False
    # Enterprise Grid: an admin/owner of the organisation (users.info's `enterprise_user`).
    is_org_admin: bool = False
    is_org_owner: bool = False

    def profile(self) -> dict[str, Any]:
        """The `profile` sub-object."""
        first, _, last = self.real_name.partition(" ")
        prof: dict[str, Any] = {
            "title": "",
            "phone": "",
            "skype": "",
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.name,
            "display_name_normalized": self.name,
            "fields": None,
            "status_text": "",
            "status_emoji": "",
            "status_expiration": 0,
            "avatar_hash": "g" + self.id[-11:].lower(),
            "first_name": first,
            "last_name": last,
            "image_24": f"https://secure.gravatar.com/avatar/{self.id}.jpg?s=24",
            "image_48": f"https://secure.gravatar.com/avatar/{self.id}.jpg?s=48",
            "image_72": f"https://secure.gravatar.com/avatar/{self.id}.jpg?s=72",
            "team": self.team_id,
        }
        if self.email and not self.is_bot:
            prof["email"] = self.email
        if self.is_bot:
            prof["bot_id"] = self.bot_id
            prof["always_active"] = True
        return prof

    def to_api(self) -> dict[str, Any]:
        """The `user` object of users.info."""
        offset, label = _TZ_OFFSETS.get(self.tz, (0, self.tz))
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": label,
            "tz_offset": offset,
            "profile": self.profile(),
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": self.is_owner,
            "is_restricted": self.is_restricted,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1764000000,
            "is_email_confirmed": not self.is_bot,
            "who_can_share_contact_card": "EVERYONE",
        }

    def user_profile(self) -> dict[str, Any]:
        """The compact `user_profile` Slack attaches to messages from external users."""
        first, _, _ = self.real_name.partition(" ")
        return {
            "avatar_hash": "g" + self.id[-11:].lower(),
            "image_72": f"https://secure.gravatar.com/avatar/{self.id}.jpg?s=72",
            "first_name": first,
            "real_name": self.real_name,
            "display_name": self.name,
            "team": self.team_id,
            "name": self.name,
            "is_restricted": self.is_restricted,
            "is_ultra_restricted": False,
        }


@dataclass
class Channel:
    """A conversation: public/private channel or DM (`is_im`)."""

    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    is_archived: bool = False
    is_ext_shared: bool = False
    members: list[str] = field(default_factory=list)
    created: int = 1700000000
    creator: str = ""
    im_user: str | None = None
    topic: str = ""
    purpose: str = ""
    is_general: bool = False
    shared_team_ids: list[str] = field(default_factory=list)

    @property
    def channel_type(self) -> str:
        """The `channel_type` of message events: channel, group or im."""
        if self.is_im:
            return "im"
        return "group" if self.is_private else "channel"

    def to_api(self, *, viewer_id: str, team_id: str) -> dict[str, Any]:
        """The `channel` object of conversations.info as seen by `viewer_id`."""
        if self.is_im:
            return {
                "id": self.id,
                "created": self.created,
                "is_archived": False,
                "is_im": True,
                "is_org_shared": False,
                "context_team_id": team_id,
                "updated": self.created * 1000,
                "user": self.im_user,
                "is_user_deleted": False,
                "priority": 0,
            }
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private,
            "is_group": self.is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": self.is_private,
            "created": self.created,
            "is_archived": self.is_archived,
            "is_general": self.is_general,
            "unlinked": 0,
            "name_normalized": self.name,
            "is_shared": self.is_ext_shared,
            "is_org_shared": False,
            "is_pending_ext_shared": False,
            "pending_shared": [],
            "context_team_id": team_id,
            "updated": self.created * 1000,
            "parent_conversation": None,
            "creator": self.creator,
            "is_ext_shared": self.is_ext_shared,
            "shared_team_ids": self.shared_team_ids or [team_id],
            "pending_connected_team_ids": [],
            "is_member": viewer_id in self.members,
            "topic": {"value": self.topic, "creator": "", "last_set": 0},
            "purpose": {"value": self.purpose, "creator": "", "last_set": 0},
            "previous_names": [],
            "num_members": len(self.members),
        }


def ts_key(ts: str) -> tuple[int, int]:
    """Sort key of a Slack ts string ("1764160000.000100")."""
    sec, _, frac = ts.partition(".")
    return int(sec), int((frac + "000000")[:6])


def rich_text_blocks(text: str) -> list[dict[str, Any]]:
    """The `rich_text` block Slack clients attach to a typed message."""
    elements: list[dict[str, Any]] = []
    pos = 0
    for m in _MENTION_RE.finditer(text):
        if m.start() > pos:
            elements.append({"type": "text", "text": text[pos : m.start()]})
        elements.append({"type": "user", "user_id": m.group(1)})
        pos = m.end()
    if pos < len(text):
        elements.append({"type": "text", "text": text[pos:]})
    return [
        {
            "type": "rich_text",
            "block_id": "".join(
                secrets.choice(string.ascii_letters + string.digits) for _ in range(5)
            ),
            "elements": [{"type": "rich_text_section", "elements": elements}],
        }
    ]
