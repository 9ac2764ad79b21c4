"""In-memory model of a Slack workspace: teams, users, channels, messages, views, files.

The Web API fake (`webapi`) and the simulator (`simulator.py`) both read and mutate
one `Workspace`. Messages are stored as plain dicts in the exact shape
`conversations.history` returns them, so they can be handed out unchanged.

Modules: `models` (SlackError, ids, Team/User/Channel and their API shapes), `workspace`
(the `Workspace` holding them plus messages, threads, reactions, views and triggers).
"""

from .models import Channel, SlackError, Team, User, random_id, rich_text_blocks, ts_key
from .workspace import SLACKBOT_ID, TOMBSTONE_TEXT, Workspace

__all__ = [
    "SLACKBOT_ID",
    "TOMBSTONE_TEXT",
    "Channel",
    "SlackError",
    "Team",
    "User",
    "Workspace",
    "random_id",
    "rich_text_blocks",
    "ts_key",
]
