"""Other apps' posts that write their fields into the message's text, or name the customer's
person only in their header, end to end over HTTP against the stand-in: a channel watched
with ``bots`` files each with its words alone, the person as contact, the customer and the
score.

Where each shape comes from:
* A Zapier "Send Channel Message in Slack" action (or any incoming webhook) whose message
  text maps the form's fields as "Label: {{value}}" lines: Zapier's help, "Send Slack
  messages from your Zaps" (help.zapier.com/hc/en-us/articles/8496270379405), where the
  message text is composed of literal labels and mapped fields.
* A Zendesk trigger notifying a Slack incoming webhook with placeholders
  (support.zendesk.com/hc/en-us/articles/4408886858138, "Zendesk Support placeholders
  reference"): "Ticket #{{ticket.id}}: {{ticket.title}}", "Requester:
  {{ticket.requester.name}} ({{ticket.requester.email}})", "{{ticket.url}}" and
  "{{ticket.latest_comment_formatted}}", which renders a rule, the author and time
  ("Jane Doe, Dec 3, 2026, 10:12"), then the comment.
* Zendesk for Slack's "New ticket #4821 from Jane Doe" header over the subject and the
  description, the trigger showing no Requester field (tests/unit/apps/posts.py,
  ZENDESK_NEW, without its fields).
* Intercom's conversation notification in Block Kit: "New conversation from <user|Name>
  (Company)" as its first section, then the message (the header wording Intercom's help
  shows, tests/unit/apps/posts.py's INTERCOM_NEW).
* A survey answer to a question titled "Feedback" whose words hold "on", "in" or "for"
  (Typeform's Slack integration posts each question as a field's title).
* An App Store review poster that writes the review into the message text: "★★☆☆☆ Title
  by author (country, version)", then the words and a "View on App Store" link (the layout
  of TradeMe/ReviewMe's attachment, without the attachment).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.customers.connect import clear_cache
from storage.models import Remark
from tests.conftest import settled
from tests.e2e.queries import FEEDBACK, remarks
from tests.e2e.test_app_posts import watch_with_bots


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


async def _filed(slack, bot, db, name: str, **post: Any) -> Remark:
    await watch_with_bots(slack)
    msg = await slack.app_post(FEEDBACK, name=name, **post)
    await settled(bot)
    got = {r.message_ts: r for r in await remarks(db)}
    assert msg["ts"] in got, f"the post was not filed: {list(got)}"
    return got[msg["ts"]]


def _origin(r: Remark) -> tuple[Any, ...]:
    return r.source, r.text, r.contact, r.customer, r.score_kind, r.score_value


async def test_labelled_lines_in_a_webhooks_text_are_its_fields(fake, slack, bot, db):
    r = await _filed(slack, bot, db, "Zapier", app_id=None, text=(
        "New feedback\nCustomer: Jane Doe\nEmail: jane@acme.com\nRating: 2/5\n"
        "Comment: The checkout is broken on Safari."))
    assert _origin(r) == ("Zapier", "The checkout is broken on Safari.", "Jane Doe", "acme.com", "stars", 2)
    assert r.author_user_id is None


async def test_a_zendesk_placeholder_post_files_the_subject_and_comment_alone(fake, slack, bot, db):
    r = await _filed(slack, bot, db, "Zendesk", app_id=None, text=(
        "Ticket #4821: Export drops the last column\n"
        "Requester: Jane Doe (jane@initech.com)\n"
        "https://initech.zendesk.com/agent/tickets/4821\n\n"
        "----------------------------------------------\n\n"
        "Jane Doe, Dec 3, 2026, 10:12\n\n"
        "Every export since Tuesday is missing the totals column. Please fix it."))
    assert _origin(r) == ("Zendesk", "Export drops the last column\nEvery export since Tuesday is missing "
                          "the totals column. Please fix it.", "Jane Doe", "initech.com", None, None)
    assert r.link == "https://initech.zendesk.com/agent/tickets/4821"


async def test_the_person_a_header_names_is_the_contact(fake, slack, bot, db):
    r = await _filed(slack, bot, db, "Zendesk", text="New ticket #4821 from Jane Doe", attachments=[{
        "title": "#4821 Password reset email never arrives",
        "title_link": "https://acme-support.zendesk.com/agent/tickets/4821",
        "text": "I asked for a reset three times and no email came.",
        "fields": [{"title": "Status", "value": "Open", "short": True}]}])
    assert (r.contact, r.text) == ("Jane Doe", "Password reset email never arrives\n"
                                   "I asked for a reset three times and no email came.")


async def test_an_intercom_header_section_names_the_person_and_company_not_the_words(fake, slack, bot, db):
    r = await _filed(slack, bot, db, "Intercom", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text":
            "*New conversation from <https://app.intercom.com/a/apps/x/users/1|Priya Patel>* (Hooli)"}},
        {"type": "section", "text": {"type": "mrkdwn", "text":
            "Hi, the export button disappeared after the update and I need my report today."}},
        {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Reply"},
                                          "url": "https://app.intercom.com/a/apps/x/inbox/inbox/conversation/77"}]}])
    assert _origin(r)[:4] == ("Intercom", "Hi, the export button disappeared after the update and I need "
                              "my report today.", "Priya Patel", "Hooli")


async def test_a_survey_answer_titled_feedback_is_kept_whatever_its_words(fake, slack, bot, db):
    r = await _filed(slack, bot, db, "Typeform", attachments=[{
        "pretext": "You got a new response in *Customer survey*",
        "fields": [{"title": "How likely are you to recommend us to a friend?", "value": "4"},
                   {"title": "Feedback", "value": "The app crashes on login for everyone in our team."},
                   {"title": "Email", "value": "li@wayne.com"}]}])
    assert _origin(r) == ("Typeform", "The app crashes on login for everyone in our team.", "li@wayne.com",
                          "wayne.com", "nps", 4)


async def test_a_review_written_into_the_message_text_is_its_title_and_words(fake, slack, bot, db):
    r = await _filed(slack, bot, db, "App Store Reviews", app_id=None, text=(
        "★★☆☆☆ *Crashes constantly* by grumpy_user (US, v3.2)\n"
        "The app crashes every time I open settings.\n"
        "<https://apps.apple.com/us/app/acme/id123456789|View on App Store>"))
    assert _origin(r) == ("App Store", "Crashes constantly\nThe app crashes every time I open settings.",
                          "grumpy_user", None, "stars", 2)
    assert r.link == "https://apps.apple.com/us/app/acme/id123456789"


async def test_a_teammate_a_post_mentions_is_never_the_customers_contact(fake, slack, bot, db):
    # A form app's post naming who submitted it as a Slack mention (Slack's Workflow Builder
    # form step: "Submitted by" with the submitter's mention), and a helpdesk field naming one.
    r = await _filed(slack, bot, db, "Feedback Form", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Submitted by*\n<@U0CARLA001>"}},
        {"type": "section", "text": {"type": "mrkdwn", "text":
            "*Customer feedback*\nThe export has been broken since Monday for our whole team."}}])
    assert (r.text, r.contact, r.author_user_id) == (
        "The export has been broken since Monday for our whole team.", None, None)
    ticket = await slack.app_post(FEEDBACK, name="Zendesk", attachments=[{
        "title": "#7 Broken export", "title_link": "https://acme.zendesk.com/agent/tickets/7",
        "text": "Every export stops halfway through the file.",
        "fields": [{"title": "Requester", "value": "<@U0CARLA001|carla>", "short": True}]}])
    await settled(bot)
    [filed] = [x for x in await remarks(db) if x.message_ts == ticket["ts"]]
    assert (filed.contact, filed.author_user_id) == (None, None)


async def test_an_nps_question_naming_the_company_is_no_customer(fake, slack, bot, db):
    # SurveyMonkey's standard NPS question reads "How likely is it that you would recommend
    # this company to a friend or colleague?" (surveymonkey.com/mp/net-promoter-score/): its
    # answer was taken for the customer ("2").
    r = await _filed(slack, bot, db, "SurveyMonkey", text="You have a new response for *Customer Feedback Q4*",
                     attachments=[{"fields": [
                         {"title": "How likely is it that you would recommend this company to a friend or colleague?",
                          "value": "2"},
                         {"title": "What is the primary reason for your score?", "value": "Billing errors every month."}]}])
    assert _origin(r) == ("SurveyMonkey", "Billing errors every month.", None, None, "nps", 2)


async def test_a_survey_question_asking_the_company_still_names_the_customer(fake, slack, bot, db):
    # The NPS fix above must not drop a question that asks for the company: Typeform's and
    # SurveyMonkey's field titles are the form's questions ("What company do you work for?").
    r = await _filed(slack, bot, db, "SurveyMonkey", text="You have a new response for *Customer Feedback Q4*",
                     attachments=[{"fields": [
                         {"title": "What company do you work for?", "value": "Globex"},
                         {"title": "What could we do better?", "value": "Invoices arrive late and wrong every month."}]}])
    assert _origin(r) == ("SurveyMonkey", "Invoices arrive late and wrong every month.", None, "Globex", None, None)


async def test_a_reviews_stars_in_its_footer_are_its_score(fake, slack, bot, db):
    # A review poster's summary footer (stars, version, language), as reviews-to-slack style
    # posters write it after the review.
    r = await _filed(slack, bot, db, "Google Play", app_id=None, attachments=[{
        "author_name": "John", "title": "Awesome", "text": "Works great, but sync is slow on weekends.",
        "footer": "★★★★☆ | v1.2 | en"}])
    assert _origin(r) == ("Google Play", "Awesome\nWorks great, but sync is slow on weekends.", "John", None,
                          "stars", 4)


async def test_an_intercom_rating_header_in_the_text_is_not_the_words(fake, slack, bot, db):
    r = await _filed(slack, bot, db, "Intercom", text=(
        "Priya Patel rated the conversation :slightly_frowning_face: Bad\n>Nobody answered for three days.\n"
        "<https://app.intercom.com/a/apps/x/inbox/conversation/5|View conversation>"))
    assert _origin(r) == ("Intercom", "Nobody answered for three days.", "Priya Patel", None, "csat", 2)


async def test_a_new_response_to_a_form_header_alone_is_no_words(fake, slack, bot, db):
    # An NPS answer without a comment: its score is filed (the notice), not "New response to NPS"
    # as if the customer had said it.
    r = await _filed(slack, bot, db, "Typeform", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": "New response to *NPS*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*How likely are you to recommend us?*\n10"}}])
    assert (r.score_kind, r.score_value) == ("nps", 10)
    assert r.text == "New response to NPS\nHow likely are you to recommend us?: 10", r.text


async def test_a_call_snippets_header_is_not_the_words(fake, slack, bot, db):
    # A call recorder's snippet (Gong's Slack notifications: the call, then the quote).
    r = await _filed(slack, bot, db, "Gong", text=(
        "Call snippet from *Acme <> Globex* (12 min)\n"
        ">\"Honestly the reporting module is the reason we are looking at other vendors.\"\n"
        "<https://app.gong.io/call?id=1|Listen to call>"))
    assert r.text == '"Honestly the reporting module is the reason we are looking at other vendors."'
    assert r.link == "https://app.gong.io/call?id=1"


async def test_a_forms_answers_in_one_section_are_its_fields(fake, slack, bot, db):
    # Slack's Workflow Builder "Send a message" step with a form's answers inserted as
    # variables: one section, each question in bold over its answer.
    r = await _filed(slack, bot, db, "Customer Feedback Workflow", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text":
            "*Company*\nAcme Corp\n*Contact email*\njane@acme.com\n*Feedback*\n"
            "The new dashboard hides the export button.\n*Rating*\n2"}}])
    assert _origin(r) == ("Customer Feedback Workflow", "The new dashboard hides the export button.",
                          "jane@acme.com", "Acme Corp", "stars", 2)


async def test_labelled_lines_in_rich_text_are_fields(fake, slack, bot, db):
    # The same answers as rich text (a message composed in Workflow Builder's editor).
    r = await _filed(slack, bot, db, "Workflow", blocks=[{"type": "rich_text", "elements": [
        {"type": "rich_text_section", "elements": [
            {"type": "text", "text": "Company: ", "style": {"bold": True}}, {"type": "text", "text": "Acme Corp\n"},
            {"type": "text", "text": "Feedback: ", "style": {"bold": True}},
            {"type": "text", "text": "The new dashboard hides the export button."}]}]}])
    assert (r.text, r.customer) == ("The new dashboard hides the export button.", "Acme Corp")


async def test_an_emoji_led_header_keeps_the_title_and_names_the_author(fake, slack, bot, db):
    # A feedback board's new-post notification (Canny's Slack integration: the board, the
    # author and the post's title, then its details).
    r = await _filed(slack, bot, db, "Canny", text=(
        ":bulb: New post on *Feature Requests* by Jane Doe: *Dark mode for the dashboard*\n"
        "Our team works at night and the white UI is blinding."))
    assert (r.text, r.contact) == (
        "Dark mode for the dashboard\nOur team works at night and the white UI is blinding.", "Jane Doe")


async def test_a_customers_sentence_starting_like_a_header_is_kept(fake, slack, bot, db):
    # "Request to ...", "Response to ..." are a customer's words; only "New request ..." or
    # "New response to ..." is a notification's header.
    r = await _filed(slack, bot, db, "Notifier", app_id=None, text=(
        "Request to add SSO for our whole team.\nResponse to the outage was slow."))
    assert r.text == "Request to add SSO for our whole team.\nResponse to the outage was slow."
