"""Slack's Web API (`/api/{method}`) served by aiohttp over an in-memory `Workspace`.

Point `AsyncWebClient(token=..., base_url="http://127.0.0.1:PORT/api/")` at it. Every call
is recorded (`calls`, `calls_to`, `last`, `wait_for`); failures can be injected per method
(`fail_next`, `fail_always`, `reset_failures`).

Modules: `core` (aiohttp app, parameters, auth, dispatch, upload and response_url
endpoints), `recording` (recorded calls, failures, latency), and one mixin per API family:
`identity` (auth/team/users/bots), `conversations`, `chat`, `reactions`, `views`, `files`.
"""

from __future__ import annotations

from ..state import Workspace
from .chat import ChatMethods
from .conversations import ConversationMethods
from .core import WebAPICore
from .files import FileMethods
from .identity import IdentityMethods
from .oauth import OAuthMethods
from .reactions import ReactionMethods
from .recording import RecordedCall
from .views import ViewMethods

__all__ = ["FakeWebAPI", "RecordedCall"]


class FakeWebAPI(
    IdentityMethods,
    ConversationMethods,
    ChatMethods,
    ReactionMethods,
    ViewMethods,
    FileMethods,
    OAuthMethods,
    WebAPICore,
):
    """The Web API half of the fake. `make_app()` returns the aiohttp application."""

    def __init__(self, state: Workspace, *, bot_token: str = "xoxb-test") -> None:
        super().__init__(state, bot_token=bot_token)
        self._codes = {}
        self._refresh = {}
        # Every Web API method the fake answers; anything else gets `unknown_method`.
        self._handlers = {
            "apps.connections.open": self.apps_connections_open,
            "api.test": self.api_test,
            "auth.test": self.auth_test,
            "auth.teams.list": self.auth_teams_list,
            "oauth.v2.access": self.oauth_v2_access,
            "team.info": self.team_info,
            "users.info": self.users_info,
            "users.lookupByEmail": self.users_lookup_by_email,
            "bots.info": self.bots_info,
            "users.list": self.users_list,
            "users.conversations": self.users_conversations,
            "conversations.info": self.conversations_info,
            "conversations.list": self.conversations_list,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "conversations.open": self.conversations_open,
            "conversations.members": self.conversations_members,
            "conversations.join": self.conversations_join,
            "chat.getPermalink": self.chat_get_permalink,
            "chat.postMessage": self.chat_post_message,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "reactions.add": self.reactions_add,
            "reactions.remove": self.reactions_remove,
            "reactions.get": self.reactions_get,
            "views.open": self.views_open,
            "views.push": self.views_push,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "files.getUploadURLExternal": self.files_get_upload_url_external,
            "files.completeUploadExternal": self.files_complete_upload_external,
        }
