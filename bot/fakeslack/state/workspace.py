"""The whole in-memory workspace: teams, users, channels, messages, threads, reactions, views.

Messages are stored as plain dicts in the exact shape `conversations.history` returns
them, so the Web API fake can hand them out unchanged.
"""

from __future__ import annotations

import copy
import itertools
import secrets
import time
import uuid
from bisect import insort
from typing import Any

from .models import Channel, SlackError, Team, User, random_id, rich_text_blocks, ts_key

# What Slack adds to a message once it is a thread root; a tombstone keeps only these.
_THREAD_ROOT_KEYS = (
    "thread_ts", "reply_count", "reply_users_count", "latest_reply", "reply_users",
    "is_locked", "subscribed",
)

SLACKBOT_ID = "USLACKBOT"
TOMBSTONE_TEXT = "This message was deleted."


class Workspace:
    """The whole fake workspace. Create with `Workspace.default()` for the seeded demo one."""

    def __init__(
        self,
        *,
        team_id: str = "T0001",
        team_name: str = "Acme Support Co",
        domain: str = "acme-support",
        bot_user_id: str = "U0BOT00001",
        bot_id: str = "B0BOT00001",
        app_id: str = "A0APP00001",
        bot_name: str = "earshot",
        enterprise_id: str | None = None,
        start_ts: float | None = None,
    ) -> None:
        self.team = Team(team_id, team_name, domain, enterprise_id)
        self.teams: dict[str, Team] = {team_id: self.team}
        self.enterprise_id = enterprise_id
        # Set when the app was installed org-wide (events then say is_enterprise_install).
        self.org_install = False
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.messages: dict[str, dict[str, dict[str, Any]]] = {}
        self._order: dict[str, list[tuple[tuple[int, int], str]]] = {}
        self.ephemeral: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.view_log: list[dict[str, Any]] = []
        self.home_views: dict[str, str] = {}
        self.triggers: dict[str, dict[str, Any]] = {}
        self.responses: list[dict[str, Any]] = []
        # (channel, ts) -> the message as it was before its latest edit/delete
        self.previous_versions: dict[tuple[str, str], dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.bot_name = bot_name
        # Without an explicit start the clock follows wall time (never going backwards), so
        # ts values look current; with `start_ts` it is fully deterministic.
        self.follow_wall_clock = start_ts is None
        start = int(start_ts if start_ts is not None else time.time())
        self._clock_us = start * 1_000_000
        self._ids = itertools.count(1)
        self.add_user(bot_user_id, bot_name, bot_name, is_bot=True, bot_id=bot_id)

    # ------------------------------------------------------------------ clock / ids
    def next_ts(self) -> str:
        """A new, strictly increasing message ts ("1764160000.000100")."""
        self._clock_us += 100
        if self.follow_wall_clock:
            self._clock_us = max(self._clock_us, int(time.time() * 1_000_000))
        return f"{self._clock_us // 1_000_000}.{self._clock_us % 1_000_000:06d}"

    def advance(self, seconds: float) -> None:
        """Move the workspace clock forward (messages posted later get later ts)."""
        self._clock_us += int(seconds * 1_000_000)

    def now(self) -> float:
        """Current workspace clock as epoch seconds."""
        return self._clock_us / 1_000_000

    def issue_trigger_id(self, user: str | None = None, *, view_id: str | None = None) -> str:
        """A realistic trigger id that views.open/views.push accept exactly once.

        `user` is who "clicked" (the view is opened for them); `view_id` links a trigger
        issued from inside a modal, so views.push stacks on that modal.
        """
        trigger = (
            f"{int(self.now())}{secrets.randbelow(1000):03d}."
            f"{secrets.randbelow(10**12):012d}.{secrets.token_hex(16)}"
        )
        self.triggers[trigger] = {"used": False, "user": user, "view_id": view_id}
        return trigger

    def use_trigger(self, trigger_id: str | None) -> dict[str, Any]:
        """Consume a trigger id; `expired_trigger_id` if unknown or already used."""
        if not trigger_id:
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] missing required field: trigger_id"]},
            )
        info = self.triggers.get(trigger_id)
        if info is None or info["used"]:
            raise SlackError("expired_trigger_id")
        info["used"] = True
        return info

    # ------------------------------------------------------------------ seeding
    def add_team(self, team_id: str, name: str, domain: str, *, enterprise_id: str | None = None) -> Team:
        """Register another team (a Slack Connect partner, or a sibling workspace of the same
        Enterprise Grid organisation with ``enterprise_id``)."""
        team = Team(team_id, name, domain, enterprise_id)
        self.teams[team_id] = team
        return team

    def add_user(
        self,
        id: str | None = None,
        name: str = "user",
        real_name: str | None = None,
        *,
        team_id: str | None = None,
        is_bot: bool = False,
        is_admin: bool = False,
        is_owner: bool = False,
        tz: str = "Europe/Berlin",
        deleted: bool = False,
        email: str | None = None,
        bot_id: str | None = None,
        is_restricted: bool = False,
        is_org_admin: bool = False,
        is_org_owner: bool = False,
    ) -> User:
        """Add a user (defaults to the home team). ``team_id`` of another team: a Slack Connect
        partner's member (or, for a team of the same organisation, a Grid colleague); their
        ``is_admin``/``is_owner`` are of their own workspace. ``is_org_admin``/``is_org_owner``:
        of their Grid organisation."""
        uid = id or random_id("U")
        user = User(
            id=uid,
            name=name,
            real_name=real_name or name.title(),
            team_id=team_id or self.team.id,
            is_bot=is_bot,
            is_admin=is_admin,
            is_owner=is_owner,
            tz=tz,
            deleted=deleted,
            email=email if email is not None else (None if is_bot else f"{name}@example.com"),
            bot_id=bot_id,
            is_restricted=is_restricted,
            is_org_admin=is_org_admin,
            is_org_owner=is_org_owner,
        )
        self.users[uid] = user
        return user

    def add_channel(
        self,
        name: str,
        *,
        id: str | None = None,
        members: list[str] | None = None,
        is_private: bool = False,
        is_archived: bool = False,
        is_ext_shared: bool = False,
        bot_member: bool = True,
        shared_team_ids: list[str] | None = None,
        topic: str = "",
        purpose: str = "",
    ) -> Channel:
        """Add a channel. The bot is a member unless `bot_member=False`."""
        cid = id or random_id("G" if is_private else "C")
        mem = list(members or [])
        if bot_member and self.bot_user_id not in mem:
            mem.append(self.bot_user_id)
        ch = Channel(
            id=cid,
            name=name.lstrip("#"),
            is_private=is_private,
            is_archived=is_archived,
            is_ext_shared=is_ext_shared,
            members=mem,
            creator=mem[0] if mem else "",
            topic=topic,
            purpose=purpose,
            is_general=name.lstrip("#") == "general",
            shared_team_ids=shared_team_ids or [],
        )
        self.channels[cid] = ch
        self.messages[cid] = {}
        self._order[cid] = []
        return ch

    def open_im(self, user_id: str) -> tuple[Channel, bool]:
        """The DM channel between the bot and `user_id` (created if needed); returns (channel, existed)."""
        self.user(user_id)
        for ch in self.channels.values():
            if ch.is_im and ch.im_user == user_id:
                return ch, True
        ch = Channel(
            id=random_id("D"),
            name=user_id,
            is_im=True,
            is_private=True,
            members=[user_id, self.bot_user_id],
            im_user=user_id,
            created=int(self.now()),
        )
        self.channels[ch.id] = ch
        self.messages[ch.id] = {}
        self._order[ch.id] = []
        return ch, False

    # ------------------------------------------------------------------ lookups
    def user(self, user_id: str) -> User:
        """The user or `user_not_found`."""
        try:
            return self.users[user_id]
        except KeyError:
            raise SlackError("user_not_found") from None

    def channel(self, ref: str) -> Channel:
        """Look a channel up by id, name or "#name"; `channel_not_found` otherwise."""
        if ref in self.channels:
            return self.channels[ref]
        name = ref.lstrip("#")
        for ch in self.channels.values():
            if not ch.is_im and ch.name == name:
                return ch
        raise SlackError("channel_not_found")

    def user_as_seen(self, user_id: str) -> dict[str, Any]:
        """The `user` object of users.info asked with this workspace's token: a Grid user has
        `enterprise_user` (their organisation and their rights in it); a member of a foreign
        workspace party to a shared channel has `is_stranger` (docs.slack.dev/reference/
        methods/users.info, "Shared channels"; api.slack.com/types/user)."""
        u = self.user(user_id)
        out = u.to_api()
        home = self.teams.get(u.team_id)
        org = home.enterprise_id if home is not None else None
        if org is not None:
            out["enterprise_user"] = {
                "id": u.id, "enterprise_id": org, "enterprise_name": f"{org} Org",
                "is_admin": u.is_org_admin, "is_owner": u.is_org_owner, "is_primary_owner": False,
                "teams": [u.team_id],
            }
        if u.team_id != self.team.id and not (org is not None and org == self.enterprise_id):
            out["is_stranger"] = True
        return out

    def is_external(self, user_id: str) -> bool:
        """True for a Slack Connect user from another team."""
        u = self.users.get(user_id)
        return u is not None and u.team_id != self.team.id

    def get_message(self, channel: str, ts: str) -> dict[str, Any]:
        """The stored message (live reference) or `message_not_found`."""
        ch = self.channel(channel)
        msg = self.messages[ch.id].get(ts)
        if msg is None:
            raise SlackError("message_not_found")
        return msg

    def find_message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The stored message or None."""
        try:
            return self.get_message(channel, ts)
        except SlackError:
            return None

    def channel_messages(self, channel: str) -> list[dict[str, Any]]:
        """All stored messages of a channel (top-level and replies), oldest first."""
        ch = self.channel(channel)
        return [self.messages[ch.id][ts] for _, ts in self._order[ch.id]]

    def top_level(self, channel: str) -> list[dict[str, Any]]:
        """Messages conversations.history returns (roots, plain messages, broadcasts), oldest first."""
        return [
            m
            for m in self.channel_messages(channel)
            if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
        ]

    def thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """Root then replies of a thread, oldest first."""
        msgs = self.channel_messages(channel)
        return [m for m in msgs if m["ts"] == thread_ts or m.get("thread_ts") == thread_ts]

    def permalink(self, channel_id: str, ts: str, thread_ts: str | None = None) -> str:
        """`https://<domain>.slack.com/archives/<C>/p<ts without dot>` (+ thread query)."""
        url = f"https://{self.team.domain}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"
        if thread_ts and thread_ts != ts:
            url += f"?thread_ts={thread_ts}&cid={channel_id}"
        return url

    # ------------------------------------------------------------------ messages
    def post_message(
        self,
        channel: str,
        user: str | None,
        text: str = "",
        *,
        thread_ts: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
        attachments: list[dict[str, Any]] | None = None,
        bot: bool = False,
        ts: str | None = None,
        subtype: str | None = None,
        reply_broadcast: bool = False,
        files: list[dict[str, Any]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Store a message and return it (the stored dict, shaped as history returns it).

        `user=None` or `bot=True` posts as the app's bot user. `ts` may be given to seed
        old messages; otherwise a fresh, increasing ts is used.
        """
        ch = self.channel(channel)
        is_bot = bot or user is None or user == self.bot_user_id
        uid = self.bot_user_id if is_bot and user is None else user
        assert uid is not None
        if thread_ts is not None:
            root = self.messages[ch.id].get(thread_ts)
            if root is None:
                raise SlackError("thread_not_found")
            if root.get("thread_ts") not in (None, root["ts"]):
                # replying to a reply lands in the reply's thread, as in Slack
                thread_ts = root["thread_ts"]
                root = self.messages[ch.id][thread_ts]
        msg_ts = ts or self.next_ts()
        if ts is not None:
            self._clock_us = max(self._clock_us, ts_key(ts)[0] * 1_000_000 + ts_key(ts)[1])
        msg: dict[str, Any] = {"type": "message"}
        if subtype:
            msg["subtype"] = subtype
        elif reply_broadcast and thread_ts:
            msg["subtype"] = "thread_broadcast"
        msg["text"] = text
        if files is not None:
            msg["files"] = files
            msg["upload"] = True
        if is_bot:
            msg["user"] = uid
            other = self.users.get(uid)
            msg["bot_id"] = (other.bot_id if other and other.bot_id else None) or self.bot_id
            if msg["bot_id"] == self.bot_id:
                msg["app_id"] = self.app_id
                msg["bot_profile"] = self.bot_profile()
        else:
            u = self.user(uid)
            msg["user"] = uid
            msg["client_msg_id"] = str(uuid.uuid4())
            if u.team_id != self.team.id or ch.is_ext_shared:
                # Slack Connect: messages carry the author's team (user_team/source_team)
                msg["user_team"] = u.team_id
                msg["source_team"] = u.team_id
            if u.team_id != self.team.id:
                msg["user_profile"] = u.user_profile()
        msg["ts"] = msg_ts
        if blocks is not None:
            msg["blocks"] = copy.deepcopy(blocks)
        elif not is_bot and text:
            msg["blocks"] = rich_text_blocks(text)
        if attachments is not None:
            msg["attachments"] = copy.deepcopy(attachments)
        msg["team"] = self.users[uid].team_id if uid in self.users else self.team.id
        if thread_ts is not None:
            msg["thread_ts"] = thread_ts
            msg["parent_user_id"] = (root or {}).get("user", SLACKBOT_ID)
        if extra:
            msg.update(extra)
        self.messages[ch.id][msg_ts] = msg
        insort(self._order[ch.id], (ts_key(msg_ts), msg_ts))
        if thread_ts is not None:
            self._refresh_thread(ch.id, thread_ts)
        return msg

    def _refresh_thread(self, channel_id: str, thread_ts: str) -> None:
        root = self.messages[channel_id].get(thread_ts)
        if root is None:
            return
        replies = [m for m in self.thread(channel_id, thread_ts) if m["ts"] != thread_ts]
        if not replies and root.get("subtype") != "tombstone":
            for key in _THREAD_ROOT_KEYS:
                root.pop(key, None)
            return
        users: list[str] = []
        for r in replies:
            if r.get("user") and r["user"] not in users:
                users.append(r["user"])
        root["thread_ts"] = thread_ts
        root["reply_count"] = len(replies)
        root["reply_users_count"] = len(users)
        root["latest_reply"] = replies[-1]["ts"] if replies else "0000000000.000000"
        root["reply_users"] = users
        root["is_locked"] = False
        root["subscribed"] = False

    def bot_profile(self) -> dict[str, Any]:
        """The `bot_profile` object on messages the app posts."""
        return {
            "id": self.bot_id,
            "deleted": False,
            "name": self.bot_name,
            "updated": 1764000000,
            "app_id": self.app_id,
            "icons": {"image_36": "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png"},
            "team_id": self.team.id,
        }

    def edit_message(
        self,
        channel: str,
        ts: str,
        text: str | None = None,
        *,
        blocks: list[dict[str, Any]] | None = None,
        attachments: list[dict[str, Any]] | None = None,
        editor: str | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Edit a message in place; returns (previous copy, updated message)."""
        ch = self.channel(channel)
        msg = self.get_message(ch.id, ts)
        previous = copy.deepcopy(msg)
        self.previous_versions[(ch.id, ts)] = previous
        if text is not None:
            msg["text"] = text
            if blocks is None and "client_msg_id" in msg:
                msg["blocks"] = rich_text_blocks(text)
        if blocks is not None:
            msg["blocks"] = copy.deepcopy(blocks)
        if attachments is not None:
            msg["attachments"] = copy.deepcopy(attachments)
        msg["edited"] = {"user": editor or msg.get("user", ""), "ts": self.next_ts()}
        return previous, msg

    def delete_message(self, channel: str, ts: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """Delete a message. A thread root with replies becomes a tombstone.

        Returns (previous message, tombstone or None).
        """
        ch = self.channel(channel)
        msg = self.get_message(ch.id, ts)
        previous = copy.deepcopy(msg)
        self.previous_versions[(ch.id, ts)] = previous
        if msg.get("thread_ts") == ts and msg.get("reply_count"):
            for key in list(msg):
                if key not in ("type", "ts", *_THREAD_ROOT_KEYS):
                    del msg[key]
            msg.update(
                subtype="tombstone",
                text=TOMBSTONE_TEXT,
                user=SLACKBOT_ID,
                hidden=True,
                parent_user_id=SLACKBOT_ID,
            )
            return previous, msg
        del self.messages[ch.id][ts]
        self._order[ch.id].remove((ts_key(ts), ts))
        parent = previous.get("thread_ts")
        if parent and parent != ts:
            self._refresh_thread(ch.id, parent)
            root = self.messages[ch.id].get(parent)
            if root and root.get("subtype") == "tombstone" and not root.get("reply_count"):
                del self.messages[ch.id][parent]
                self._order[ch.id].remove((ts_key(parent), parent))
        return previous, None

    def add_reaction(self, channel: str, ts: str, name: str, user: str) -> dict[str, Any]:
        """Add `user`'s reaction `name`; `already_reacted` if present. Returns the message."""
        msg = self.get_message(channel, ts)
        reactions = msg.setdefault("reactions", [])
        for r in reactions:
            if r["name"] == name:
                if user in r["users"]:
                    raise SlackError("already_reacted")
                r["users"].append(user)
                r["count"] += 1
                return msg
        reactions.append({"name": name, "users": [user], "count": 1})
        return msg

    def remove_reaction(self, channel: str, ts: str, name: str, user: str) -> dict[str, Any]:
        """Remove `user`'s reaction `name`; `no_reaction` if absent. Returns the message."""
        msg = self.get_message(channel, ts)
        reactions = msg.get("reactions", [])
        for r in reactions:
            if r["name"] == name and user in r["users"]:
                r["users"].remove(user)
                r["count"] -= 1
                if r["count"] == 0:
                    reactions.remove(r)
                if not reactions:
                    msg.pop("reactions", None)
                return msg
        raise SlackError("no_reaction")

    # ------------------------------------------------------------------ views
    def last_view(
        self, *, user: str | None = None, type: str | None = None
    ) -> dict[str, Any] | None:
        """The view most recently opened/pushed/updated/published (optionally filtered)."""
        for entry in reversed(self.view_log):
            view = self.views.get(entry["view_id"])
            if view is None:
                continue
            if user is not None and entry.get("user") != user:
                continue
            if type is not None and view.get("type") != type:
                continue
            return view
        return None

    @classmethod
    def default(cls, **kwargs: Any) -> Workspace:
        """The seeded demo workspace: Acme Support Co with a few people and channels."""
        ws = cls(**kwargs)
        ws.add_user(
            "U0ALICE001", "alice", "Alice Moreau", is_admin=True, is_owner=True, tz="Europe/Berlin"
        )
        ws.add_user("U0BOB00001", "bob", "Bob Okafor", tz="Europe/London")
        ws.add_user("U0CARLA001", "carla", "Carla Reyes", tz="America/New_York")
        ws.add_user("U0DAN00001", "dan", "Dan Kowalski", tz="Europe/Berlin")
        humans = ["U0ALICE001", "U0BOB00001", "U0CARLA001", "U0DAN00001"]
        ws.add_channel("general", id="C0GENERAL1", members=humans)
        ws.add_channel("support", id="C0SUPPORT1", members=humans)
        ws.add_channel("customer-feedback", id="C0FEEDBAK1", members=humans)
        return ws
