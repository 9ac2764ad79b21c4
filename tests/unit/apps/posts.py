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


# ---------------------------------------------------------------- the other Slack shape of each app
# The same notifications as above, in the shape the app's newer (Block Kit) or older
# (attachments) Slack integration uses, and the variants a channel really sees: a score
# without a comment, a name that differs from the app's.

# Android-App-Reviews-Notifier (github.com/SimonMarquis/Android-App-Reviews-Notifier,
# functions/src/messages.js headerBlock/newReviewBlock/footerUserBlock/linksBlock and
# block-kit.js), posted through an incoming webhook: Block Kit only, the stars and the author
# quoted together in rich text, the review in a second quote, links in a context block
# (& escaped as &amp; by Slack's rules).
_PLAY = "https://play.google.com/store/apps/details?id=com.acme.app"
GOOGLE_PLAY_BLOCKS = bot_message("Android App Reviews", app_id=None, blocks=[
    {"type": "context", "elements": [
        {"type": "image", "image_url": "https://play-lh.googleusercontent.com/icon", "alt_text": ""},
        {"type": "mrkdwn", "text": f"*<{_PLAY}|Acme>*"}]},
    {"type": "rich_text", "elements": [
        {"type": "rich_text_quote", "elements": [
            {"type": "text", "text": "★★☆☆☆", "style": {"bold": True}}, {"type": "text", "text": "\t"},
            {"type": "emoji", "name": "🇩🇪", "unicode": "1f1e9-1f1ea"}, {"type": "text", "text": " "},
            {"type": "text", "text": "Max Mustermann"}]},
        {"type": "rich_text_quote", "elements": [
            {"type": "text", "text": "The app logs me out every time I switch to another app.",
             "style": {"italic": True}}]}]},
    {"type": "context", "elements": [
        {"type": "mrkdwn", "text": "*Device*: Pixel 7"}, {"type": "mrkdwn", "text": "*Brand*: Google"},
        {"type": "mrkdwn", "text": "*API*: 34"}, {"type": "mrkdwn", "text": "*Version*: 3.2.1 (321)"},
        {"type": "mrkdwn", "text": "*Date*: 2026-12-01 10:00:00"}]},
    {"type": "context", "elements": [{"type": "mrkdwn", "text":
        "<https://play.google.com/console/developers/_/app/_/user-feedback/review-details?reviewId=gp:AOq1|Reply>"
        f" ∙ <{_PLAY}&amp;reviewId=gp:AOq1|View>"
        " ∙ <https://translate.google.com/?sl=de&amp;op=translate&amp;text=The|Translate>"}]},
])
PLAY_REVIEW_LINK = ("https://play.google.com/console/developers/_/app/_/user-feedback/"
                    "review-details?reviewId=gp:AOq1")

# Zendesk for Slack (the Slack app, Block Kit) ticket notification: the subject as a link,
# the trigger's fields, the latest comment (Zendesk's "Slack integration notifications"
# description: subject link, requester, status, priority, latest comment). Built, not copied.
ZENDESK_BLOCKS = bot_message("Zendesk", blocks=[
    {"type": "section", "text": {"type": "mrkdwn", "text":
        "*<https://acme-support.zendesk.com/agent/tickets/4830|#4830 Password reset email never arrives>*"}},
    {"type": "section", "fields": [
        {"type": "mrkdwn", "text": "*Requester*\nOmar Haddad <omar@soylent.io>"},
        {"type": "mrkdwn", "text": "*Status*\nNew"}, {"type": "mrkdwn", "text": "*Priority*\nUrgent"}]},
    {"type": "section", "text": {"type": "mrkdwn", "text":
        "*Latest comment*\nFive of our staff requested a reset this morning and nobody got the email."}},
])

# Delighted, four variants of its response notification (fields of a response per
# delighted.com/docs/api/webhooks: score, comment, person email, permalink on
# app.delighted.com/r/...): Block Kit with the score in a bold label; the "Score of 9/10
# from ...:" wording with a quoted comment (the template of Zulip's Delighted integration,
# github.com/zulip/zulip zerver/webhooks/delighted/view.py); a response left at its score
# (Delighted's survey_response.created carries no comment yet); an NPS comment that happens
# to say "satisfied".
DELIGHTED_BLOCKS = bot_message("Delighted", blocks=[
    {"type": "section", "text": {"type": "mrkdwn", "text": "*New NPS response* from ann@acme.io\n*Score:* 4"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": ">Pricing changed without notice and my bill doubled."}},
    {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "View response"},
                                      "url": "https://app.delighted.com/r/5pFDpmlyC8"}]},
])
DELIGHTED_SCORE_OF = bot_message("Delighted", text=(
    "Kudos! You have a new promoter. Score of 9/10 from charlie_gravis@example.com:\n"
    ">Your service is fast and flawless!"))
DELIGHTED_NO_COMMENT = bot_message("Delighted", attachments=[{
    "pretext": "New response from bo@initech.com", "text": "Score: 2",
    "title": "View response", "title_link": "https://app.delighted.com/r/Zq9"}])
DELIGHTED_SATISFIED = bot_message("Delighted", attachments=[{
    "pretext": "New response from ann@acme.io",
    "text": "Score: 9\n\"Very satisfied with the new reports, thank you all.\""}])

# SurveyMonkey in Block Kit: a header section linking the survey, each question bold over
# its answer, SurveyMonkey's satisfaction scale in words (Very satisfied ... Very dissatisfied).
SURVEYMONKEY_BLOCKS = bot_message("SurveyMonkey", blocks=[
    {"type": "section", "text": {"type": "mrkdwn", "text":
        "*New response* for <https://www.surveymonkey.com/analyze/ABC|Customer Satisfaction Survey>"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": "*How satisfied are you with our product?*\nVery dissatisfied"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": "*Any other comments?*\nThe search never finds anything older than a month."}},
])

# HubSpot's customer satisfaction survey response, the survey's kind in a bold first section.
HUBSPOT_CSAT = bot_message("HubSpot", blocks=[
    {"type": "section", "text": {"type": "mrkdwn", "text": "*New customer satisfaction survey response*"}},
    {"type": "section", "fields": [
        {"type": "mrkdwn", "text": "*Contact*\nlee@vandelay.com"}, {"type": "mrkdwn", "text": "*Rating*\n2"},
        {"type": "mrkdwn", "text": "*Feedback*\nThe onboarding call was cancelled twice."}]},
])

# Intercom's conversation rating in Block Kit: the person in bold leading a sentence.
INTERCOM_RATED_BLOCKS = bot_message("Intercom", blocks=[
    {"type": "section", "text": {"type": "mrkdwn", "text": "*Priya Patel* rated the conversation *Terrible* 😠"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": "> Nobody answered for three days."}},
])

# Typeform's answers as attachment fields (question as the field's title).
TYPEFORM_FIELDS = bot_message("Typeform", attachments=[{
    "pretext": "You got a new response for *NPS survey*",
    "fields": [
        {"title": "On a scale from 0 to 10, how likely are you to recommend Acme to a friend or colleague?",
         "value": "3", "short": False},
        {"title": "What is the main reason for your score?",
         "value": "The API docs are out of date and the examples fail.", "short": False},
        {"title": "Email", "value": "li@wayne.com", "short": True}]}])


# ---------------------------------------------------------------- review bots' own code (issue 21 audit)
# Each copied in shape (not in words) from the open-source poster's Slack payload builder.

# TradeMe/ReviewMe (appstorereviews.js slackMessage; tomiyan/app-reviews-to-chat
# src/reporter/slack.ts posts the same): the stars *in the title* before the review's title,
# the reviewer as the attachment's author_name, the version and a store link in the footer;
# posted through an incoming webhook under the name the installer chose (``botUsername``).
REVIEWME_APP_STORE = bot_message("ReviewMe", app_id=None, attachments=[{
    "mrkdwn_in": ["text", "pretext", "title"], "color": "warning", "author_name": "happyuser42",
    "title": "★★☆☆☆ – Crashes on launch",
    "text": "Since the last update the app crashes every time I open it.\n",
    "footer": " for v3.2.1 - <https://apps.apple.com/us/app/acme/id123456789|Acme, App Store (us) >"}])
# ReviewMe's Google Play poster (googleplayreviews.js slackMessage): Google Play reviews have
# no title, so the title is the stars alone; the review's link (reviewId) is in the footer.
REVIEWME_GOOGLE_PLAY = bot_message("App Reviews", app_id=None, attachments=[{
    "mrkdwn_in": ["text", "pretext", "title", "footer"], "color": "danger", "author_name": "Dana K.",
    "title": "★☆☆☆☆", "text": "Logs me out every time I switch to another app.\n",
    "footer": " for v3.2.1 (321)  Android 14, Pixel 8 - "
              "<https://play.google.com/store/apps/details?id=com.acme.app&reviewId=gp:AOqpTOE|Acme, Google Play>"}])
# ZhgChgLi/ZReviewsBot (lib/AppStore.rb sendMessagesToSlack, lib/Slack.rb): the stars and
# helpful votes *after* the title, the nickname as author_name, version, storefront and a
# link to App Store Connect in the footer.
ZREVIEWSBOT = bot_message("ZReviewsBot", app_id=None, attachments=[{
    "pretext": "", "color": "warning", "fallback": "Too many ads - ★★☆☆☆ - 3 :thumbsup:",
    "title": "Too many ads - ★★☆☆☆ - 3 :thumbsup:",
    "text": "Every screen shows an ad now and I can't find the search any more.", "author_name": "kimchi88",
    "footer": "iOS - v5.4.0 - USA - Created at: 2026-12-01T10:00:00+00:00 - "
              "<https://appstoreconnect.apple.com/apps/557252416/appstore/activity/ios/ratingsResponses|Go To App Store>"}])
# cmtt-ru/reviewer (src/Reviewer.php sendReviews, posted as "TJ Reviewer"): the *app* as
# author_name (author_link its store page), the review as a field titled with the review's
# own title, then Rating (stars), Author (a link to the reviewer's page), Version, Country.
TJ_REVIEWER = bot_message("TJ Reviewer", app_id=None, attachments=[{
    "fallback": "★★☆☆☆ Best app but no dark mode — Reading at night hurts my eyes.",
    "author_name": "Acme", "author_link": "https://apps.apple.com/us/app/acme/id123456789",
    "color": "danger",
    "fields": [{"title": "Best app but no dark mode", "value": "Reading at night hurts my eyes, please add a dark theme."},
               {"title": "Rating", "value": "★★☆☆☆", "short": True},
               {"title": "Author", "value": "<https://itunes.apple.com/us/reviews/id4242|ivan_p>", "short": True},
               {"title": "Version", "value": "4.1", "short": True},
               {"title": "Country", "value": "US", "short": True}]}])

# markfguerra/google-forms-to-slack (code.js makeFields): a form's questions as field titles,
# its answers as values, a fixed pretext; posted as "Form Response". Any other app: the
# generic rule.
GOOGLE_FORM = bot_message("Form Response", app_id=None, attachments=[{
    "fallback": "The attachment must be viewed as plain text.",
    "pretext": "A user submitted a response to the form.", "color": "#0000DD",
    "fields": [{"title": "Timestamp", "value": "12/1/2026 10:02:11", "short": False},
               {"title": "Email Address", "value": "olga@globex.com", "short": False},
               {"title": "How satisfied are you with our support?", "value": "2", "short": False},
               {"title": "Anything we should change?",
                "value": "The chat widget hides the cancel button on mobile.", "short": False}]}])
# A survey tool's answer summary in plain "Question?: answer" lines (the Block Kit message
# described at docs.shondalai.com/community-surveys/integration-slack).
QUESTION_LINES = bot_message("Community Surveys", blocks=[
    {"type": "section", "text": {"type": "mrkdwn", "text": ":white_check_mark: Response completed on *Customer satisfaction* (#12345)"}},
    {"type": "section", "text": {"type": "mrkdwn", "text":
        "Which plan are you on?: Team\nWhat should we do better?: Answer tickets on weekends, we wait until Monday."}}])
