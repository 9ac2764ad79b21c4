"""Other apps' posts, shaped as each app posts them in Slack (message events with ``bot_id``).

Each fixture names where its shape comes from. Where no public copy of a proprietary app's
exact payload could be found (the native Zendesk, Freshdesk, Intercom, HubSpot, Typeform,
SurveyMonkey and Delighted apps publish screenshots and field lists, not JSON), the post is
built from that app's documented notification template, as said beside it.
"""

from __future__ import annotations

from typing import Any


def bot_message(username: str, *, text: str = "", attachments: list[dict[str, Any]] | None = None,
                blocks: list[dict[str, Any]] | None = None, ts: str = "1767000000.000100",
                app_id: str | None = "A0OTHERAPP", bot_id: str = "B0OTHER001") -> dict[str, Any]:
    """A post by an app with a bot user (bot_profile) or, with ``app_id=None``, a legacy
    incoming webhook (``subtype: bot_message`` and ``username``) — Slack's message event docs,
    "bot_message" subtype: https://docs.slack.dev/reference/events/message/bot_message"""
    msg: dict[str, Any] = {"type": "message", "text": text, "ts": ts, "bot_id": bot_id}
    if app_id is None:
        msg.update(subtype="bot_message", username=username)
    else:
        msg.update(user="U0OTHERBOT", app_id=app_id, team="T0001",
                   bot_profile={"id": bot_id, "app_id": app_id, "name": username, "deleted": False,
                                "team_id": "T0001", "icons": {}})
    if attachments is not None:
        msg["attachments"] = attachments
    if blocks is not None:
        msg["blocks"] = blocks
    return msg


# Zendesk for Slack, trigger notification. Built from Zendesk's documentation of Slack
# ticket notifications: "Creating and managing triggers for Slack" (support.zendesk.com
# /hc/en-us/articles/4963959597594: the trigger picks the ticket fields shown) and a
# customer's description of what the post shows ("The subject line on the ticket is blue -
# this is a link ... The requester ... the text of their message":
# thirdchannelsupport.zendesk.com/hc/en-us/articles/7367844346523).
ZENDESK_NEW = bot_message("Zendesk", text="New ticket #4821 from Jane Doe", attachments=[{
    "color": "#03363d", "fallback": "Ticket #4821: Export to CSV drops the last column",
    "title": "Ticket #4821: Export to CSV drops the last column",
    "title_link": "https://acme-support.zendesk.com/agent/tickets/4821",
    "text": "Every export since Tuesday is missing the totals column. We rely on it for our "
            "monthly close, please fix this soon.",
    "fields": [
        {"title": "Requester", "value": "Jane Doe <mailto:jane@initech.com|jane@initech.com>", "short": True},
        {"title": "Organization", "value": "Initech", "short": True},
        {"title": "Status", "value": "New", "short": True},
        {"title": "Priority", "value": "High", "short": True},
    ],
    "footer": "Zendesk Support", "ts": 1767000000,
}])
ZENDESK_SOLVED = bot_message("Zendesk", attachments=[{
    "fallback": "Ticket #4821 was solved", "pretext": "Ticket #4821 was solved",
    "title": "Ticket #4821: Export to CSV drops the last column",
    "title_link": "https://acme-support.zendesk.com/agent/tickets/4821",
    "fields": [{"title": "Status", "value": "Solved", "short": True},
               {"title": "Assignee", "value": "Sam Agent", "short": True}],
}])
# The satisfaction rating notification (Zendesk's "Satisfaction: Bad" placeholder,
# https://support.zendesk.com/hc/en-us/articles/4408886173338 lists {{ticket.satisfaction.current_rating}}
# and {{satisfaction.current_comment}} for triggers).
ZENDESK_RATED = bot_message("Zendesk", text="Ticket #4790 received a satisfaction rating", attachments=[{
    "title": "Ticket #4790: Refund not received",
    "title_link": "https://acme-support.zendesk.com/agent/tickets/4790",
    "fields": [{"title": "Requester", "value": "Tom Li <tom@gmail.com>", "short": True},
               {"title": "Satisfaction", "value": "Bad", "short": True},
               {"title": "Comment", "value": "Three emails and still no refund.", "short": False}],
}])

# Freshdesk's Slack app, ticket notification. Built from Freshdesk's documented ticket
# fields (freshworks.dev onTicketCreate: requester name/email, subject, description,
# status, priority, source) and its Slack app listing (notifications of new tickets with
# their properties and a link to the ticket).
FRESHDESK_NEW = bot_message("Freshdesk", blocks=[
    {"type": "section", "text": {"type": "mrkdwn", "text":
        "*New ticket <https://acme.freshdesk.com/a/tickets/123|#123 - Invoice shows the wrong VAT rate>*"}},
    {"type": "section", "text": {"type": "mrkdwn", "text":
        "Our German invoices show 19% but we are a Dutch company, so it should be reverse charged."}},
    {"type": "section", "fields": [
        {"type": "mrkdwn", "text": "*Requester*\nPiet de Vries (piet@globex.nl)"},
        {"type": "mrkdwn", "text": "*Company*\nGlobex"},
        {"type": "mrkdwn", "text": "*Status*\nOpen"},
        {"type": "mrkdwn", "text": "*Priority*\nMedium"}]},
    {"type": "context", "elements": [{"type": "mrkdwn", "text": "Freshdesk | via Email"}]},
])
FRESHDESK_CSAT = bot_message("Freshdesk", blocks=[
    {"type": "section", "text": {"type": "mrkdwn", "text":
        "*Customer satisfaction rating* on <https://acme.freshdesk.com/a/tickets/118|#118 - Login loop>"}},
    {"type": "section", "fields": [
        {"type": "mrkdwn", "text": "*Rating*\nExtremely unhappy"},
        {"type": "mrkdwn", "text": "*Requester*\nAna Ruiz (ana@umbrella.es)"},
        {"type": "mrkdwn", "text": "*Feedback*\nThe agent closed it without fixing anything."}]},
])

# Intercom's Slack app. Built from Intercom's description of its notifications ("The
# integration routes those conversations to user-specified Slack channels as notifications"
# with a Reply in Slack button: medium.com/slack-developer-blog, "Rendering content in both
# Intercom and Slack") and its conversation rating scale (😠 Terrible ... 🤩 Amazing).
INTERCOM_NEW = bot_message("Intercom", attachments=[{
    "pretext": "New conversation from Priya Patel (Hooli)",
    "text": "Hi! Is there a way to share a dashboard with someone outside our team? "
            "The share button is greyed out for me.",
    "fields": [{"title": "Email", "value": "priya@hooli.com", "short": True},
               {"title": "Assigned to", "value": "Unassigned", "short": True}],
    "actions": [{"type": "button", "text": "View in Intercom",
                 "url": "https://app.intercom.com/a/apps/abc123/inbox/inbox/all/conversations/2154"}],
}], blocks=[{"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "View in Intercom"},
                                               "url": "https://app.intercom.com/a/apps/abc123/inbox/inbox/all/conversations/2154"}]}])
INTERCOM_RATED = bot_message("Intercom", attachments=[{
    "pretext": "Priya Patel rated the conversation: 🙁 Bad",
    "text": "Took two days to get an answer.",
    "title": "Conversation with Priya Patel",
    "title_link": "https://app.intercom.com/a/apps/abc123/inbox/inbox/all/conversations/2154",
}])

# HubSpot's Slack app. Built from HubSpot's Slack notification documentation (ticket
# notifications show the ticket name, pipeline, status, priority and associated records;
# feedback survey notifications show the rating and the written feedback).
HUBSPOT_TICKET = bot_message("HubSpot", blocks=[
    {"type": "section", "text": {"type": "mrkdwn", "text": "*New ticket:* <https://app.hubspot.com/contacts/123456/ticket/987|Cannot add a second admin>"}},
    {"type": "section", "fields": [
        {"type": "mrkdwn", "text": "*Ticket name*\nCannot add a second admin"},
        {"type": "mrkdwn", "text": "*Pipeline*\nSupport Pipeline"},
        {"type": "mrkdwn", "text": "*Ticket status*\nNew"},
        {"type": "mrkdwn", "text": "*Contact*\nLee Wong (lee@vandelay.com)"},
        {"type": "mrkdwn", "text": "*Company*\nVandelay Industries"},
        {"type": "mrkdwn", "text": "*Description*\nThe invite form says our plan allows only one admin but we pay for Pro."}]},
])
HUBSPOT_NPS = bot_message("HubSpot", blocks=[
    {"type": "header", "text": {"type": "plain_text", "text": "New NPS survey response"}},
    {"type": "section", "fields": [
        {"type": "mrkdwn", "text": "*Contact*\nmaria@stark.io"},
        {"type": "mrkdwn", "text": "*Rating*\n4"},
        {"type": "mrkdwn", "text": "*Feedback*\nReporting is too slow for our team and exports time out."}]},
    {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "View response"},
                                      "url": "https://app.hubspot.com/feedback/123456/responses/55"}]},
])

# Typeform's Slack integration. Built from Typeform's help article "Slack integration"
# (each new response posted with the questions and answers and a link to the results).
TYPEFORM = bot_message("Typeform", blocks=[
    {"type": "section", "text": {"type": "mrkdwn", "text": "New response to *Customer check-in*"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": "*What's your email?*\nli.na@wayne.com"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": "*How likely are you to recommend us to a friend?*\n6"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": "*Which plan are you on?*\nTeam"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": "*What should we improve?*\nThe onboarding emails arrive after we already set everything up."}},
    {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "View response"},
                                      "url": "https://admin.typeform.com/form/AbC123/results#responses"}]},
])

# SurveyMonkey's Slack app. Built from SurveyMonkey's help article "Slack integration"
# (new responses posted to a channel with the answers and a "View response" link).
SURVEYMONKEY = bot_message("SurveyMonkey", attachments=[{
    "pretext": "New response to *Quarterly satisfaction survey*",
    "fields": [
        {"title": "Overall, how satisfied are you with our support?", "value": "2", "short": False},
        {"title": "What could we do better?", "value": "Answer the phone during European business hours.", "short": False},
        {"title": "Email", "value": "kim@oscorp.com", "short": True}],
    "title": "View response", "title_link": "https://www.surveymonkey.com/analyze/browse/XyZ?respondent_id=1",
}])

# Delighted's Slack integration: posts each survey response with a comment (described by
# a customer: tech.gc.com/creating-a-slack-reaction-bot); built from Delighted's response
# fields (score, comment, person email/name, properties).
DELIGHTED = bot_message("Delighted", attachments=[{
    "fallback": "New response from sam@acme.org",
    "pretext": "New response from Sam Rivera (sam@acme.org)",
    "text": "Score: 3\n\"Too many clicks to do anything, and the mobile app crashes on login.\"",
    "fields": [{"title": "Company", "value": "Acme Org", "short": True}],
    "title": "View response", "title_link": "https://delighted.com/responses/8842",
}])

# reviews-to-slack (github.com/wahni/reviews-to-slack, index.js slackMessage): pretext
# "New review for <app>!", author_name the stars, title, text "description\n_by author, date_".
APPSTORE_REVIEW = bot_message("App Store Reviews", app_id=None, attachments=[{
    "mrkdwn_in": ["text", "pretext", "title"],
    "fallback": "New review for Acme!: Crashes on launch(★★☆☆☆): happyuser42",
    "pretext": "New review for Acme!", "color": "warning",
    "author_name": "★★☆☆☆", "title": "Crashes on launch",
    "title_link": "https://apps.apple.com/us/app/acme/id123456789",
    "text": "Since the last update the app crashes every time I open it.\n_by happyuser42, 2026-12-01 09:12_",
}])
# appstore-review-bot (github.com/techinpark/appstore-review-bot, src/lib/slack.ts): pretext,
# fields Username / Score / Version / Country, then untitled title and text fields, footer.
APPSTORE_BOT = bot_message("appstore-review-bot", app_id=None, attachments=[{
    "pretext": "has a new iOS review",
    "fields": [
        {"title": "👤 Username", "value": "*mobilefan*", "short": True},
        {"title": "⭐️ Score", "value": "4", "short": True},
        {"title": "🚀 Version", "value": "3.2.1", "short": True},
        {"title": "🌎 Country", "value": ":us:", "short": True},
        {"type": "mrkdwn", "title": "", "value": "*Nice but slow sync*"},
        {"type": "mrkdwn", "title": "", "value": "*Sync takes minutes on a large account.*"}],
    "footer": "Github - appstore-review-bot",
}])
# A Google Play poster in the reviews-to-slack shape (its Google Play mode posts the same
# attachment, with the store named in the pretext).
GOOGLE_PLAY = bot_message("Google Play Reviews", app_id=None, attachments=[{
    "pretext": "New review for Acme on Google Play!", "author_name": "★★★★★",
    "title": "Love it", "title_link": "https://play.google.com/store/apps/details?id=com.acme.app",
    "text": "Fast and simple, the widgets are great.\n_by Dana K., 2026-12-02 18:40_",
    "footer": "Android 14 · Pixel 8 · v3.2.1",
}])

# Any other app: a workflow or custom bot posting Block Kit.
OTHER_APP = bot_message("Feedback Form", blocks=[
    {"type": "header", "text": {"type": "plain_text", "text": "New feedback submission"}},
    {"type": "section", "fields": [
        {"type": "mrkdwn", "text": "*Name*\nOla Nordmann"},
        {"type": "mrkdwn", "text": "*Company*\nNorsk Data"},
        {"type": "mrkdwn", "text": "*Feedback*\nPlease add SSO with Azure AD, we cannot roll out without it."},
        {"type": "mrkdwn", "text": "*Rating*\n3/5"}]},
    {"type": "context", "elements": [{"type": "mrkdwn", "text": "Sent from the website form"}]},
])
PLAIN_APP = bot_message("Notifier", app_id=None, text="Customer called: the delivery app shows the wrong ETA every morning.")
