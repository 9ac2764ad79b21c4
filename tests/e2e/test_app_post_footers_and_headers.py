"""Another app's post delivered to a watched channel that takes bots, over HTTP against the
stand-in (Slack's message event with ``bot_id``: docs.slack.dev/reference/events/message/
bot_message): the remark keeps the customer's words, not the app's sign-off or header, and
an address in a header is the contact's, not the customer's company name.

Found by the audit of issue 21 items 1 and 3 (7 Dec 2026): "Sent from Zendesk" written into
the post was kept as the customer's words; a header before a long message ("New
conversation from Jane Doe (jane@initech.com): …" over 120 characters) was kept whole, with
its "View conversation" link label; and Intercom's "(jane@initech.com)" was stored as the
customer's company."""

from __future__ import annotations

from tests.conftest import settled
from tests.e2e.queries import FEEDBACK, remarks
from tests.e2e.test_app_posts import post, watch_with_bots
from tests.unit.apps.posts import bot_message

# A Zendesk trigger's message posted through a Slack incoming webhook: the text is the
# trigger's template of Zendesk placeholders ({{ticket.id}}, {{ticket.title}},
# {{ticket.requester.name}} <{{ticket.requester.email}}>, {{ticket.latest_comment}};
# support.zendesk.com/hc/en-us/articles/4408886858138, "Zendesk Support placeholders
# reference"), ending with a sign-off line as such templates often do.
ZENDESK_TEMPLATE = bot_message("Zendesk", app_id=None, text=(
    "Ticket #4821: Refund never arrived\n"
    "Requester: Jane Doe <jane@initech.com>\n"
    "I asked for a refund three weeks ago and nothing has happened since.\n"
    "_Sent from Zendesk_"))

# An app posting with chat.postMessage and only ``blocks`` of rich text (Slack's rich_text
# block: docs.slack.dev/reference/block-kit/blocks/rich-text-block): a bold header, the
# customer's words quoted, the sign-off as its own section.
RICH_TEXT_ONLY = bot_message("Helpdesk Notifier", blocks=[{"type": "rich_text", "elements": [
    {"type": "rich_text_section", "elements": [
        {"type": "text", "text": "New ticket #4822 from Bo Chen", "style": {"bold": True}}]},
    {"type": "rich_text_quote", "elements": [
        {"type": "text", "text": "The mobile app logs me out every time I switch to another app."}]},
    {"type": "rich_text_section", "elements": [{"type": "text", "text": "Powered by Helpdesk Notifier"}]},
]}])

# Intercom's conversation notification with the header and the message on one line (the
# header "New conversation from <name> (<email or company>)" and the "View conversation"
# link described in bot/slack/apps/intercom.py), the message long enough to pass 120
# characters with its header.
INTERCOM_ONE_LINE = bot_message("Intercom", text=(
    "New conversation from Jane Doe (jane@initech.com): Your billing page keeps crashing every "
    "time I try to update the card on file for our account "
    "<https://app.intercom.com/a/apps/abc123/inbox/inbox/all/conversations/215|View conversation>"))


async def test_a_sign_off_written_into_the_post_is_not_the_customers_words(fake, slack, bot, db):
    await watch_with_bots(slack)
    await post(slack, FEEDBACK, ZENDESK_TEMPLATE)
    await settled(bot, timeout=60)  # the first filing loads the classifier
    [remark] = await remarks(db)
    assert remark.text == ("Refund never arrived\n"
                           "I asked for a refund three weeks ago and nothing has happened since.")
    assert (remark.source, remark.contact, remark.customer) == ("Zendesk", "Jane Doe", "initech.com")
    assert remark.author_user_id is None


async def test_a_rich_text_only_post_loses_its_header_and_sign_off(fake, slack, bot, db):
    await watch_with_bots(slack)
    await post(slack, FEEDBACK, RICH_TEXT_ONLY)
    await settled(bot, timeout=60)
    [remark] = await remarks(db)
    assert remark.text == "The mobile app logs me out every time I switch to another app."
    assert (remark.source, remark.contact) == ("Helpdesk Notifier", "Bo Chen")


async def test_a_long_one_line_notification_keeps_only_the_message_and_the_address_is_no_company(
        fake, slack, bot, db):
    await watch_with_bots(slack)
    await post(slack, FEEDBACK, INTERCOM_ONE_LINE)
    await settled(bot, timeout=60)
    [remark] = await remarks(db)
    assert remark.text == ("Your billing page keeps crashing every time I try to update the card on "
                           "file for our account")
    assert (remark.contact, remark.customer) == ("Jane Doe", "initech.com")
    assert remark.link == "https://app.intercom.com/a/apps/abc123/inbox/inbox/all/conversations/215"


# SurveyMonkey's Slack app, new response (the shape of tests/unit/apps/posts.py's
# SURVEYMONKEY: SurveyMonkey's help article "Slack integration", answers as fields under a
# "View response" link), with a short answer to the comment question.
SURVEYMONKEY_SHORT = bot_message("SurveyMonkey", attachments=[{
    "pretext": "New response to *Quarterly NPS*",
    "fields": [
        {"title": "How likely is it that you would recommend us to a friend or colleague?", "value": "6",
         "short": False},
        {"title": "Why?", "value": "Too expensive", "short": False},
        {"title": "What is your role?", "value": "Product manager", "short": True},
        {"title": "Anything else you would like to tell us?", "value": "No", "short": False},
        {"title": "Email", "value": "kim@oscorp.com", "short": True}],
    "title": "View response", "title_link": "https://www.surveymonkey.com/analyze/browse/XyZ?respondent_id=7",
}])


async def test_a_short_answer_to_a_surveys_comment_question_is_kept(fake, slack, bot, db):
    # Before, an answer under four words was taken for a choice and dropped: the NPS 6 was
    # filed without the customer's reason.
    await watch_with_bots(slack)
    await post(slack, FEEDBACK, SURVEYMONKEY_SHORT)
    await settled(bot, timeout=60)
    [remark] = await remarks(db)
    assert remark.text == "Too expensive"  # not the role (a choice), nor "No"
    assert (remark.score_kind, remark.score_value, remark.sentiment) == ("nps", 6, "complaint")
    assert (remark.contact, remark.customer) == ("kim@oscorp.com", "oscorp.com")
    assert remark.link == "https://www.surveymonkey.com/analyze/browse/XyZ?respondent_id=7"


# A Zendesk ticket notification whose link to the ticket is a legacy link button (Slack's
# attachment ``actions`` with a ``url``: api.slack.com/legacy/interactive-message-field-guide
# #action_fields, "link buttons"), the customer's words carrying a link of their own.
ZENDESK_BUTTON = bot_message("Zendesk", attachments=[{
    "pretext": "New ticket #4823 from Jane Doe",
    "title": "Export drops the totals column",
    "text": "See https://docs.google.com/spreadsheets/d/1xYz for the export: the totals column is gone.",
    "fields": [{"title": "Requester", "value": "Jane Doe <jane@initech.com>", "short": True}],
    "actions": [{"type": "button", "text": "Open ticket", "name": "open",
                 "url": "https://initech.zendesk.com/agent/tickets/4823"}],
}])


async def test_a_link_button_is_the_link_to_the_original_not_a_link_in_the_words(fake, slack, bot, db):
    # Before, the attachment's buttons were not read: the remark linked to the spreadsheet.
    await watch_with_bots(slack)
    await post(slack, FEEDBACK, ZENDESK_BUTTON)
    await settled(bot, timeout=60)
    [remark] = await remarks(db)
    assert remark.link == "https://initech.zendesk.com/agent/tickets/4823"
    assert remark.text.startswith("Export drops the totals column\nSee https://docs.google.com")
