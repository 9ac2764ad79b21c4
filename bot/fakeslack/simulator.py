"""People acting in Slack: each action updates the workspace state AND delivers what Slack would.

sim = fake.simulator("http://127.0.0.1:3000/slack/events")
msg = await sim.say("U0BOB00001", "support", "the export is broken again")
await sim.react("U0ALICE001", "support", msg["ts"], "eyes")
await sim.shortcut("U0ALICE001", "support", msg["ts"], "file_feedback")
await fake.wait_for("views.open")
await sim.submit_view("U0ALICE001", {"process": "billing", "note": "urgent"})
"""

from __future__ import annotations

import asyncio
import copy
import secrets
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import aiohttp

from . import payloads
from .deliver import Delivery, SlackDeliverer
from .state import SlackError, Workspace


class SlackSimulator:
    """Drives the app like users would. All methods are coroutines returning what Slack stored."""

    def __init__(self, state: Workspace, deliverer: SlackDeliverer) -> None:
        self.state = state
        self.deliverer = deliverer
        self.deliveries: list[Delivery] = []
        self.last_trigger_id: str | None = None
        self._pending: set[asyncio.Task[Any]] = set()

    # ------------------------------------------------------------------ echo of the bot's own posts
    def echo_listener(self, method: str, params: dict[str, Any], response: dict[str, Any]) -> None:
        """A FakeWebAPI listener: deliver the events Slack sends for the bot's own
        chat.postMessage / chat.update / chat.delete (message with bot_id, message_changed,
        message_deleted), in the background. Await `drain()` to wait for them."""
        event: dict[str, Any] | None = None
        channel_id = response.get("channel")
        ch = self.state.channels.get(channel_id) if isinstance(channel_id, str) else None
        if ch is None:
            return
        if method == "chat.postMessage":
            event = payloads.message_event(response["message"], ch.id, ch.channel_type)
        elif method == "chat.update":
            msg = response["message"]
            previous = self.state.previous_versions.get((ch.id, msg["ts"]), msg)
            event = payloads.message_changed(
                ch.id, msg, previous, event_ts=self.state.next_ts(), channel_type=ch.channel_type
            )
        elif method == "chat.delete":
            previous = self.state.previous_versions.get((ch.id, response["ts"]))
            if previous is None:
                return
            tomb = self.state.find_message(ch.id, response["ts"])
            if tomb is not None and tomb.get("subtype") == "tombstone":
                event = payloads.tombstone_changed(
                    ch.id,
                    tomb,
                    previous,
                    event_ts=self.state.next_ts(),
                    channel_type=ch.channel_type,
                )
            else:
                event = payloads.message_deleted(
                    ch.id, previous, event_ts=self.state.next_ts(), channel_type=ch.channel_type
                )
        if event is None:
            return
        task = asyncio.get_running_loop().create_task(self._event(event))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def close(self) -> None:
        """Wait for background deliveries and close the HTTP session."""
        await self.drain()
        await self.deliverer.close()

    async def __aenter__(self) -> SlackSimulator:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def drain(self) -> None:
        """Wait for background deliveries (echoes of the bot's own posts)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    # ------------------------------------------------------------------ helpers
    async def _event(self, event: dict[str, Any]) -> Delivery:
        result = await self.deliverer.send_event(event)
        self.deliveries.append(result)
        return result

    async def _interaction(self, payload: dict[str, Any]) -> Delivery:
        result = await self.deliverer.send_interaction(payload)
        self.deliveries.append(result)
        return result

    async def uninstall(self) -> Delivery:
        """The app is removed from the workspace: Slack sends `app_uninstalled`."""
        return await self._event(payloads.app_uninstalled())

    async def revoke_tokens(self, *, oauth: list[str] | None = None,
                            bot: bool = True) -> Delivery:
        """Tokens are revoked: `tokens_revoked` names the user ids (the bot user's for its token)."""
        return await self._event(payloads.tokens_revoked(
            oauth=oauth, bot=[self.state.bot_user_id] if bot else []))

    def _user_ref(self, user: str) -> dict[str, Any]:
        u = self.state.user(user)
        return payloads.user_ref(u.id, u.name, u.team_id)

    def _team_ref(self) -> dict[str, Any]:
        return payloads.team_ref(self.state.team.id, self.state.team.domain)

    def _trigger(self, user: str, view_id: str | None = None) -> str:
        self.last_trigger_id = self.state.issue_trigger_id(user, view_id=view_id)
        return self.last_trigger_id

    def _conversation(self, user: str, channel: str) -> Any:
        """Resolve a channel ref; "dm"/the bot's id means the user's DM with the bot."""
        if channel in ("dm", "im", self.state.bot_user_id):
            ch, _ = self.state.open_im(user)
            return ch
        return self.state.channel(channel)

    def _mentions_bot(self, text: str) -> bool:
        return f"<@{self.state.bot_user_id}>" in text or f"<@{self.state.bot_user_id}|" in text

    # ------------------------------------------------------------------ messages
    async def say(
        self,
        user: str,
        channel: str,
        text: str,
        thread_ts: str | None = None,
        *,
        blocks: list[dict[str, Any]] | None = None,
        reply_broadcast: bool = False,
    ) -> dict[str, Any]:
        """Post a message; delivers `message` (and `app_mention` when the bot is mentioned)."""
        ch = self._conversation(user, channel)
        if ch.is_archived:
            raise SlackError("is_archived")
        msg = self.state.post_message(
            ch.id, user, text, thread_ts=thread_ts, blocks=blocks, reply_broadcast=reply_broadcast
        )
        await self._event(payloads.message_event(msg, ch.id, ch.channel_type))
        if self._mentions_bot(text) and not ch.is_im:
            await self._event(self._mention_event(msg, ch.id))
        return msg

    def _mention_event(self, msg: dict[str, Any], channel_id: str) -> dict[str, Any]:
        return payloads.app_mention(
            msg["user"],
            msg.get("text", ""),
            channel_id,
            msg["ts"],
            team=msg.get("team", self.state.team.id),
            thread_ts=msg.get("thread_ts"),
            blocks=msg.get("blocks"),
            client_msg_id=msg.get("client_msg_id"),
            user_team=msg.get("user_team"),
            attachments=msg.get("attachments"),
        )

    async def forward(
        self,
        user: str,
        original_channel: str,
        original_ts: str,
        to_channel_or_dm: str,
        comment: str = "",
    ) -> dict[str, Any]:
        """Forward a message ("Forward message…"): the original only lives in `attachments[0]`.

        `to_channel_or_dm` is a channel id/name, or "dm"/the bot's user id for the user's DM with the bot.
        """
        src = self.state.channel(original_channel)
        original = self.state.get_message(src.id, original_ts)
        author = self.state.users.get(original.get("user", ""))
        attachment = payloads.share_attachment(
            original,
            channel_id=src.id,
            channel_name="Direct Message" if src.is_im else src.name,
            channel_team=self.state.team.id,
            from_url=self.state.permalink(src.id, original["ts"], original.get("thread_ts")),
            author_name=author.real_name if author else original.get("username", "bot"),
            author_subname=author.name if author else None,
            author_icon=f"https://secure.gravatar.com/avatar/{original.get('user', '')}.jpg?s=48",
            author_link=f"https://{self.state.team.domain}.slack.com/team/{original.get('user', '')}",
            is_private=src.is_private and not src.is_im,
            in_thread=original.get("thread_ts") not in (None, original["ts"]),
        )
        if original.get("bot_id"):
            _share_of_app_post(attachment, original)
        ch = self._conversation(user, to_channel_or_dm)
        msg = self.state.post_message(ch.id, user, comment, attachments=[attachment])
        if not comment:
            msg.pop("blocks", None)
        await self._event(payloads.message_event(msg, ch.id, ch.channel_type))
        if self._mentions_bot(comment) and not ch.is_im:
            await self._event(self._mention_event(msg, ch.id))
        return msg

    async def edit(self, user: str, channel: str, ts: str, text: str) -> dict[str, Any]:
        """Edit a message; delivers `message_changed` with `previous_message`."""
        ch = self._conversation(user, channel)
        previous, updated = self.state.edit_message(ch.id, ts, text, editor=user)
        event_ts = self.state.next_ts()
        await self._event(
            payloads.message_changed(
                ch.id, updated, previous, event_ts=event_ts, channel_type=ch.channel_type
            )
        )
        return updated

    async def delete(self, user: str, channel: str, ts: str) -> dict[str, Any]:
        """Delete a message; delivers `message_deleted`, or a tombstone `message_changed` for a
        thread root with replies. Returns the previous message."""
        ch = self._conversation(user, channel)
        previous, tomb = self.state.delete_message(ch.id, ts)
        event_ts = self.state.next_ts()
        if tomb is not None:
            event = payloads.tombstone_changed(
                ch.id, tomb, previous, event_ts=event_ts, channel_type=ch.channel_type
            )
        else:
            event = payloads.message_deleted(
                ch.id, previous, event_ts=event_ts, channel_type=ch.channel_type
            )
        await self._event(event)
        return previous

    async def share_file(
        self,
        user: str,
        channel: str,
        filename: str,
        content: bytes = b"",
        comment: str = "",
        *,
        thread_ts: str | None = None,
    ) -> dict[str, Any]:
        """A user uploads a file with a comment; delivers `message` / `file_share`."""
        ch = self._conversation(user, channel)
        s = self.state
        file_id = "F" + "".join(
            secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(10)
        )
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "text"
        url = f"https://files.slack.com/files-pri/{s.team.id}-{file_id}/{filename}"
        file_obj = {
            "id": file_id,
            "created": int(s.now()),
            "timestamp": int(s.now()),
            "name": filename,
            "title": filename,
            "mimetype": "text/plain" if ext in ("txt", "text") else f"application/{ext}",
            "filetype": ext,
            "pretty_type": ext.upper(),
            "user": user,
            "user_team": s.users[user].team_id if user in s.users else s.team.id,
            "editable": False,
            "size": len(content),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": not ch.is_private,
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": url,
            "url_private_download": url.replace("files-pri", "files-pri/download", 1),
            "permalink": f"https://{s.team.domain}.slack.com/files/{user}/{file_id}/{filename}",
            "has_rich_preview": False,
            "file_access": "visible",
        }
        s.files[file_id] = {
            "id": file_id,
            "name": filename,
            "title": filename,
            "content": content,
            "uploaded": True,
            "size": len(content),
            "created": int(s.now()),
            "shares": {ch.id: []},
            "length": len(content),
        }
        msg = s.post_message(
            ch.id,
            user,
            comment,
            thread_ts=thread_ts,
            subtype="file_share",
            files=[file_obj],
            extra={"display_as_bot": False},
        )
        if not comment:
            msg.pop("blocks", None)
        await self._event(payloads.message_event(msg, ch.id, ch.channel_type))
        return msg

    async def join(self, user: str, channel: str) -> dict[str, Any]:
        """A user joins a channel; delivers `message` / `channel_join`."""
        ch = self.state.channel(channel)
        if user not in ch.members:
            ch.members.append(user)
        msg = self.state.post_message(
            ch.id, user, f"<@{user}> has joined the channel", subtype="channel_join"
        )
        msg.pop("blocks", None)
        msg.pop("client_msg_id", None)
        await self._event(payloads.message_event(msg, ch.id, ch.channel_type))
        return msg

    async def bot_post(
        self, channel: str, text: str, *, username: str = "Zendesk", bot_id: str = "B0INTEGR01"
    ) -> dict[str, Any]:
        """Another integration posts (`message` / `bot_message`, no `user`)."""
        ch = self.state.channel(channel)
        msg = self.state.post_message(
            ch.id, None, text, bot=True, subtype="bot_message", extra={"username": username}
        )
        msg.pop("user", None)
        msg.pop("app_id", None)
        msg.pop("bot_profile", None)
        msg["bot_id"] = bot_id
        await self._event(payloads.message_event(msg, ch.id, ch.channel_type))
        return msg

    async def app_post(
        self, channel: str, *, name: str, text: str = "", attachments: list[dict[str, Any]] | None = None,
        blocks: list[dict[str, Any]] | None = None, app_id: str | None = "A0OTHERAPP",
        bot_id: str = "B0OTHER001", ts: str | None = None, deliver: bool = True,
        thread_ts: str | None = None,
    ) -> dict[str, Any]:
        """Another app posts, as Slack delivers it: an app with a bot user (chat.postMessage)
        carries `bot_id`, `app_id`, `bot_profile` and its bot `user`; with `app_id=None`, a
        legacy integration or incoming webhook: `subtype: bot_message` and `username`
        (docs.slack.dev/reference/events/message/bot_message). `ts` seeds an old message;
        `deliver=False` stores it without an event (history only). `thread_ts`: a reply in
        that thread, with `parent_user_id` (the parent's `user`) as on any reply."""
        ch = self.state.channel(channel)
        msg = self.state.post_message(ch.id, None, text, bot=True, attachments=attachments,
                                      blocks=blocks, ts=ts, thread_ts=thread_ts)
        msg["bot_id"] = bot_id
        if app_id is None:
            msg.pop("user", None)
            msg.pop("app_id", None)
            msg.pop("bot_profile", None)
            msg.update(subtype="bot_message", username=name)
        else:
            msg["user"] = "U0" + bot_id[2:]
            msg["app_id"] = app_id
            msg["bot_profile"] = {"id": bot_id, "app_id": app_id, "name": name, "deleted": False,
                                  "updated": int(self.state.now()), "team_id": self.state.team.id,
                                  "icons": {"image_36": "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png"}}
        if deliver:
            await self._event(payloads.message_event(msg, ch.id, ch.channel_type))
        return msg

    async def app_edit(self, channel: str, ts: str, *, text: str | None = None,
                       attachments: list[dict[str, Any]] | None = None,
                       blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The app updates its post (chat.update): delivers `message_changed` whose `message`
        carries the app's `bot_id`."""
        ch = self.state.channel(channel)
        previous, updated = self.state.edit_message(ch.id, ts, text, blocks=blocks, attachments=attachments)
        updated["edited"] = {"user": updated.get("user") or updated.get("bot_id", ""), "ts": updated["edited"]["ts"]}
        await self._event(payloads.message_changed(ch.id, updated, previous, event_ts=self.state.next_ts(),
                                                   channel_type=ch.channel_type))
        return updated

    # ------------------------------------------------------------------ reactions
    async def react(self, user: str, channel: str, ts: str, name: str) -> Delivery:
        """Add a reaction; delivers `reaction_added` with `item_user`."""
        ch = self._conversation(user, channel)
        msg = self.state.add_reaction(ch.id, ts, name, user)
        return await self._event(
            payloads.reaction_added(user, name, ch.id, ts, msg.get("user"), self.state.next_ts())
        )

    async def unreact(self, user: str, channel: str, ts: str, name: str) -> Delivery:
        """Remove a reaction; delivers `reaction_removed`."""
        ch = self._conversation(user, channel)
        msg = self.state.remove_reaction(ch.id, ts, name, user)
        return await self._event(
            payloads.reaction_removed(user, name, ch.id, ts, msg.get("user"), self.state.next_ts())
        )

    # ------------------------------------------------------------------ App Home
    async def open_home(self, user: str, tab: str = "home") -> Delivery:
        """The user opens the app's Home tab; delivers `app_home_opened`."""
        ch, _ = self.state.open_im(user)
        view_id = self.state.home_views.get(user)
        view = self.state.views.get(view_id) if view_id else None
        view_out = {k: v for k, v in view.items() if not k.startswith("_")} if view else None
        return await self._event(payloads.app_home_opened(user, ch.id, tab=tab, view=view_out))

    # ------------------------------------------------------------------ commands / shortcuts
    async def slash(
        self, user: str, channel: str, text: str, command: str = "/feedback"
    ) -> Delivery:
        """Run a slash command (issues a trigger id: `last_trigger_id`)."""
        ch = self._conversation(user, channel)
        result = await self.deliverer.send_command(
            command, text, user=user, channel=ch.id, trigger_id=self._trigger(user)
        )
        self.deliveries.append(result)
        return result

    async def shortcut(self, user: str, channel: str, ts: str, callback_id: str) -> Delivery:
        """Use a message shortcut on a message (issues a trigger id: `last_trigger_id`)."""
        ch = self._conversation(user, channel)
        msg = self.state.get_message(ch.id, ts)
        payload = payloads.message_action(
            callback_id,
            copy.deepcopy(msg),
            {"id": ch.id, "name": "directmessage" if ch.is_im else ch.name},
            self._user_ref(user),
            self._trigger(user),
            self.deliverer.response_url(),
            team=self._team_ref(),
        )
        return await self._interaction(payload)

    async def global_shortcut(self, user: str, callback_id: str) -> Delivery:
        """Use a global shortcut."""
        payload = payloads.global_shortcut(
            callback_id, self._user_ref(user), self._trigger(user), team=self._team_ref()
        )
        return await self._interaction(payload)

    # ------------------------------------------------------------------ block actions / views
    @staticmethod
    def _find_element(
        blocks: list[dict[str, Any]], action_id: str
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        for block in blocks:
            candidates: list[dict[str, Any]] = []
            if block.get("type") == "actions":
                candidates = block.get("elements", [])
            elif isinstance(block.get("accessory"), dict):
                candidates = [block["accessory"]]
            elif block.get("type") == "input" and isinstance(block.get("element"), dict):
                candidates = [block["element"]]
            for element in candidates:
                if element.get("action_id") == action_id:
                    return block, element
        return None

    async def suggest(
        self, user: str, blocks: list[dict[str, Any]], action_id: str, *, query: str = "",
        channel: str | None = None, message_ts: str | None = None, view_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Open the external select `action_id` (typing `query`): Slack asks the app for the
        options with a `block_suggestion` and shows what it answers. Returns those options."""
        found = self._find_element(blocks, action_id)
        if found is None:
            raise LookupError(f"no element with action_id={action_id!r} in the blocks")
        block, _element = found
        if view_id is not None:
            view = self._view(user, view_id, any_type=True)
            container: dict[str, Any] = {"type": "view", "view_id": view["id"]}
            chan = None
        else:
            ch = self._conversation(user, channel or "dm")
            container = {"type": "message", "message_ts": message_ts or self.state.next_ts(),
                         "channel_id": ch.id, "is_ephemeral": message_ts is None}
            chan, view = {"id": ch.id, "name": ch.name}, None
        payload = payloads.block_suggestion(
            action_id, block_id=block.get("block_id", ""), value=query, user=self._user_ref(user),
            team=self._team_ref(), container=container, api_app_id=self.state.app_id,
            channel=chan, view={k: v for k, v in view.items() if not k.startswith("_")} if view else None,
        )
        answer = await self._interaction(payload)
        if answer.status != 200:
            raise LookupError(f"the app answered {answer.status} to block_suggestion for {action_id}")
        data = answer.json()
        options = list(data.get("options") or [])
        for group in data.get("option_groups") or []:
            options += group.get("options", [])
        return options

    async def _with_options(
        self, user: str, blocks: list[dict[str, Any]], action_id: str, value: Any, **where: Any
    ) -> list[dict[str, Any]]:
        """``blocks``, with an external select's options filled in as the app suggests them."""
        found = self._find_element(blocks, action_id)
        if found is None or found[1].get("type") != "external_select" or value is None:
            return blocks
        options = await self.suggest(user, blocks, action_id, **where)
        out = copy.deepcopy(blocks)
        found = self._find_element(out, action_id)
        assert found is not None
        found[1]["options"] = options
        return out

    def _action_for(
        self, blocks: list[dict[str, Any]], action_id: str, value: Any
    ) -> dict[str, Any]:
        found = self._find_element(blocks, action_id)
        if found is None:
            raise LookupError(f"no element with action_id={action_id!r} in the blocks")
        block, element = found
        block_id = block.get("block_id", "")
        if element.get("type", "button") == "button":
            text = (element.get("text") or {}).get("text", "")
            return payloads.button_action(
                action_id,
                block_id=block_id,
                value=value if value is not None else element.get("value"),
                text=text,
                style=element.get("style"),
            )
        state = payloads.element_value(element, value)
        return {
            "action_id": action_id,
            "block_id": block_id,
            **state,
            "action_ts": payloads.action_ts(),
        }

    async def click(
        self,
        user: str,
        action_id: str,
        *,
        channel: str | None = None,
        ts: str | None = None,
        view_id: str | None = None,
        value: Any = None,
    ) -> Delivery:
        """Click a button (or pick a value) in a message (`channel`+`ts`) or in a view.

        Without `channel`/`ts`/`view_id`, the view the bot last opened for/published to the user is used.
        """
        if channel is not None and ts is not None:
            ch = self._conversation(user, channel)
            msg = self.state.get_message(ch.id, ts)
            shown = await self._with_options(user, msg.get("blocks", []), action_id, value,
                                             channel=channel, message_ts=ts)
            action = self._action_for(shown, action_id, value)
            payload = payloads.block_actions(
                [action],
                user=self._user_ref(user),
                team=self._team_ref(),
                container={
                    "type": "message",
                    "message_ts": msg["ts"],
                    "channel_id": ch.id,
                    "is_ephemeral": False,
                    **({"thread_ts": msg["thread_ts"]} if msg.get("thread_ts") else {}),
                },
                trigger_id=self._trigger(user),
                api_app_id=self.state.app_id,
                message=msg,
                channel={"id": ch.id, "name": "directmessage" if ch.is_im else ch.name},
                response_url=self.deliverer.response_url(),
            )
            return await self._interaction(payload)
        view = self._view(user, view_id, any_type=True)
        shown = await self._with_options(user, view.get("blocks", []), action_id, value,
                                         view_id=view["id"])
        action = self._action_for(shown, action_id, value)
        payload = payloads.block_actions(
            [action],
            user=self._user_ref(user),
            team=self._team_ref(),
            container={"type": "view", "view_id": view["id"]},
            trigger_id=self._trigger(user, view_id=view["id"]),
            api_app_id=self.state.app_id,
            view={k: v for k, v in view.items() if not k.startswith("_")},
        )
        return await self._interaction(payload)

    def _view(self, user: str, view_id: str | None, *, any_type: bool = False) -> dict[str, Any]:
        if view_id is not None:
            view = self.state.views.get(view_id)
        else:
            view = self.state.last_view(user=user, type=None if any_type else "modal")
        if view is None:
            raise LookupError(f"no view open for {user} (did the bot call views.open?)")
        return view

    async def click_ephemeral(
        self,
        user: str,
        blocks: list[dict[str, Any]],
        action_id: str,
        *,
        channel: str,
        value: Any = None,
        message_ts: str | None = None,
    ) -> Delivery:
        """Click a control in an ephemeral message (e.g. a private confirmation) the user saw.

        Slack sends `container.is_ephemeral: true`, no `message` body, and a `response_url`
        through which the app can replace the ephemeral message in place.
        """
        ch = self._conversation(user, channel)
        blocks = await self._with_options(user, blocks, action_id, value, channel=channel)
        action = self._action_for(blocks, action_id, value)
        payload = payloads.block_actions(
            [action],
            user=self._user_ref(user),
            team=self._team_ref(),
            container={"type": "message", "message_ts": message_ts or self.state.next_ts(),
                       "channel_id": ch.id, "is_ephemeral": True},
            trigger_id=self._trigger(user),
            api_app_id=self.state.app_id,
            channel={"id": ch.id, "name": ch.name},
            response_url=self.deliverer.response_url(),
        )
        return await self._interaction(payload)

    async def submit_view(
        self, user: str, values: dict[str, Any], *, view_id: str | None = None
    ) -> Delivery:
        """Submit the modal the bot last opened for `user` (or `view_id`).

        `values` maps block_id -> value (or block_id -> {action_id: value}); see
        `payloads.view_state_values`.
        """
        view = self._view(user, view_id)
        state_values = payloads.view_state_values(view, values)
        payload = payloads.view_submission(
            {k: v for k, v in view.items() if not k.startswith("_")},
            state_values,
            user=self._user_ref(user),
            team=self._team_ref(),
            api_app_id=self.state.app_id,
            trigger_id=self._trigger(user, view_id=view["id"]),
        )
        return await self._interaction(payload)

    async def close_view(
        self, user: str, *, view_id: str | None = None, is_cleared: bool = False
    ) -> Delivery:
        """Close (cancel) the modal; delivers `view_closed`."""
        view = self._view(user, view_id)
        payload = payloads.view_closed(
            {k: v for k, v in view.items() if not k.startswith("_")},
            user=self._user_ref(user),
            team=self._team_ref(),
            api_app_id=self.state.app_id,
            is_cleared=is_cleared,
        )
        return await self._interaction(payload)


@dataclass
class Install:
    """What the browser saw at the end of *Add to Slack* (and what a replay needs)."""

    status: int
    text: str
    callback_url: str = ""
    cookie: str = ""


class _AddToSlack(HTMLParser):
    """Finds the Add to Slack button (``<a id="add-to-slack" href=...>``) on an install page."""

    def __init__(self) -> None:
        super().__init__()
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("id") == "add-to-slack" and self.href is None:
            self.href = a.get("href")


def add_to_slack_href(page: str) -> str | None:
    """The authorize URL an install page's Add to Slack button links to (unescaped)."""
    parser = _AddToSlack()
    parser.feed(page)
    return parser.href


async def install_via_oauth(app_base: str, *, team: str | None = None, deny: bool = False) -> Install:
    """A person clicking *Add to Slack* on the app at `app_base`, then *Allow* (or *Cancel*,
    `deny=True`) on the stand-in's authorize page, over HTTP like a browser: GET /slack/install
    (the app sets its state cookie and shows its page, whose button links to Slack's authorize
    URL; an app that redirects straight there works too), Slack redirects back to
    /slack/oauth_redirect?code=...&state=..., sent with the cookie. `team` picks the workspace
    (or `E...` organisation, an org-wide install)."""
    async with aiohttp.ClientSession() as http:
        query = f"?team={team}" if team else ""
        async with http.get(f"{app_base}/slack/install{query}", allow_redirects=False) as r:
            cookie = "; ".join(c.split(";")[0] for c in r.headers.getall("Set-Cookie", []))
            page = await r.text()
            found = r.headers["Location"] if r.status == 302 else add_to_slack_href(page) if r.status == 200 else None
            if found is None:
                return Install(r.status, page)
            authorize: str = found
        async with http.get(authorize + ("&deny=1" if deny else ""), allow_redirects=False) as r:
            if r.status != 302:
                return Install(r.status, await r.text())
            callback = r.headers["Location"]
        async with http.get(callback, headers={"Cookie": cookie}, allow_redirects=False) as r:
            return Install(r.status, await r.text(), callback, cookie)


def _share_of_app_post(attachment: dict[str, Any], original: dict[str, Any]) -> None:
    """A forward of another app's post: the share attachment names the app (its ``bot_id``,
    ``app_id``, its name as author) and ``message_blocks`` carries the post's own blocks and
    legacy attachments (the shape of a real forward's share attachment: slackapi/java-slack-sdk
    issue 1179; the app's fields are Slack's message fields, docs.slack.dev/reference/events/
    message/bot_message). A post that carries no name (a classic integration's without a
    ``username``: only its ``bot_id``) gives its share none either (the attachment's author
    fields are optional, docs.slack.dev/messaging/formatting-message-layout/legacy-attachments)."""
    name = (original.get("bot_profile") or {}).get("name") or original.get("username")
    attachment.update(bot_id=original["bot_id"])
    if name:
        attachment.update(author_name=name, author_subname=name)
    else:
        attachment.pop("author_name", None)
        attachment.pop("author_subname", None)
    if original.get("app_id"):
        attachment["app_id"] = original["app_id"]
    if original.get("attachments"):
        attachment["message_blocks"][0]["message"]["attachments"] = copy.deepcopy(original["attachments"])
