"""The bot scopes Earshot asks Slack for, each with the reason an admin is shown (the install
page, the manifest test). Kept apart from bot/config.py, which reads them as its default."""

from __future__ import annotations

# The bot scopes the app manifest (bot/manifest.yml) asks for, each with why Earshot needs it:
# an OAuth install requests these unless SLACK_SCOPES says otherwise, and the install page
# shows each reason to the admin who decides. tests/unit/test_manifest.py keeps this table, the
# manifest and the Web API methods and events the code uses in step.
SCOPE_REASONS: dict[str, str] = {
    "app_mentions:read": "See messages that mention @Earshot, so a mention in a thread files "
                         "the message it replies to.",
    "channels:history": "Read the message someone reacted to or mentioned Earshot under, every "
                        "message of a channel an admin asked it to watch, and edits and deletions "
                        "of captured messages (public channels it was invited to).",
    "channels:read": "Check that it is a member of the digest channel and of watched channels, "
                     "and find a channel by name.",
    "chat:write": "Post the private confirmations, the weekly digest, and direct messages to "
                  "process owners, capturers and admins.",
    "commands": "The /feedback command and the message shortcut that files a message.",
    "files:write": "Attach the 8-week chart to the digest, and send an admin the export they asked for.",
    "groups:history": "The same as channels:history, in private channels someone invited it to.",
    "groups:read": "The same as channels:read, for private channels it was invited to.",
    "im:history": "Read messages people forward to Earshot's direct messages to file them.",
    "im:write": "Open a direct message to a process owner, a capturer or an admin.",
    "mpim:history": "Read the message someone reacted to in a group direct message Earshot is in.",
    "reactions:read": "Notice the reaction that files a message (and its removal, which withdraws it).",
    "reactions:write": "Mark a filed message with a reaction, so everyone sees it was kept.",
    "team:read": "Name the customer's organisation in a Slack Connect channel.",
    "users:read": "Know who is a workspace admin, people's time zones, and whether an author is "
                  "from outside the company.",
    "users:read.email": "Find an account owner's Slack user by the email their CRM gives (CRM sync "
                        "only: users.lookupByEmail).",
}
BOT_SCOPES = tuple(SCOPE_REASONS)
