"""Pure builders of deliveries shaped exactly as Slack sends them to an app.

Events API: `event_envelope` wraps an inner event (`message_event`, `reaction_added`, ...).
Slash commands: `slash_command_body` returns the form-encoded body.
Interactivity: `message_action`, `block_actions`, `view_submission`, `view_closed` build the
payload dict; `interactive_body` form-encodes it as `payload=<json>`.

Modules: `events` (Events API envelope and events), `interactivity` (slash commands,
shortcuts, block actions, view submissions), `view_state` (input values as Slack reports them).
"""

from .events import (
    VERIFICATION_TOKEN,
    action_ts,
    app_home_opened,
    app_mention,
    app_uninstalled,
    authorization,
    bot_message,
    channel_join,
    event_context,
    event_envelope,
    forwarded_message,
    message_changed,
    message_deleted,
    message_event,
    new_event_id,
    org_event_envelope,
    reaction_added,
    reaction_removed,
    share_attachment,
    team_access_granted,
    team_access_revoked,
    tokens_revoked,
    tombstone,
    tombstone_changed,
    url_verification,
)
from .interactivity import (
    block_actions,
    block_suggestion,
    button_action,
    global_shortcut,
    interactive_body,
    message_action,
    slash_command_body,
    team_ref,
    user_ref,
    view_closed,
    view_submission,
)
from .view_state import (
    element_value,
    view_state_values,
)

__all__ = [
    "VERIFICATION_TOKEN",
    "action_ts",
    "app_home_opened",
    "app_mention",
    "app_uninstalled",
    "authorization",
    "block_actions",
    "block_suggestion",
    "bot_message",
    "button_action",
    "channel_join",
    "element_value",
    "event_context",
    "event_envelope",
    "forwarded_message",
    "global_shortcut",
    "interactive_body",
    "message_action",
    "message_changed",
    "message_deleted",
    "message_event",
    "new_event_id",
    "org_event_envelope",
    "reaction_added",
    "reaction_removed",
    "share_attachment",
    "slash_command_body",
    "team_access_granted",
    "team_access_revoked",
    "team_ref",
    "tokens_revoked",
    "tombstone",
    "tombstone_changed",
    "url_verification",
    "user_ref",
    "view_closed",
    "view_state_values",
    "view_submission",
]
