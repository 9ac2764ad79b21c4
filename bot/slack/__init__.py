"""Slack presentation: reading what Slack sends (message text, ``/feedback`` grammar) and
building what Earshot shows (Block Kit messages, modals, App Home). No database, no Web API."""
