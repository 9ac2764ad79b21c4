"""Each app's rule on a post shaped as that app posts it (tests/unit/apps/posts.py names
where each shape comes from): the customer's words without the app's boilerplate, the
app as source, customer, contact, link and score."""

from __future__ import annotations

from bot.slack.apps import Rating, domain_of, extract
from tests.unit.apps import posts


def test_zendesk_ticket_keeps_the_subject_and_message_and_drops_the_rest():
    post = extract(posts.ZENDESK_NEW)
    assert post.source == "Zendesk"
    assert post.text == ("Export to CSV drops the last column\nEvery export since Tuesday is missing "
                         "the totals column. We rely on it for our monthly close, please fix this soon.")
    for boilerplate in ("New ticket", "#4821", "Requester", "Status", "Priority", "Zendesk Support"):
        assert boilerplate not in post.text
    assert (post.customer, post.contact) == ("Initech", "Jane Doe")
    assert post.link == "https://acme-support.zendesk.com/agent/tickets/4821"
    assert post.score is None


def test_zendesk_status_notice_has_no_words_but_a_notice():
    post = extract(posts.ZENDESK_SOLVED)
    assert post.text == ""
    assert "was solved" in post.notice and post.words == post.notice


def test_zendesk_satisfaction_rating_is_a_csat_with_its_comment():
    post = extract(posts.ZENDESK_RATED)
    assert post.text.endswith("Three emails and still no refund.")
    assert post.score == Rating("csat", 1)
    assert post.contact == "Tom Li" and post.customer is None  # gmail names no company


def test_freshdesk_ticket_from_blocks():
    post = extract(posts.FRESHDESK_NEW)
    assert post.source == "Freshdesk"
    assert post.text == ("Invoice shows the wrong VAT rate\nOur German invoices show 19% but we are a "
                         "Dutch company, so it should be reverse charged.")
    assert (post.customer, post.contact) == ("Globex", "Piet de Vries")
    assert post.link == "https://acme.freshdesk.com/a/tickets/123"


def test_freshdesk_satisfaction_words_are_a_csat():
    post = extract(posts.FRESHDESK_CSAT)
    assert post.score == Rating("csat", 1)
    assert post.text.endswith("The agent closed it without fixing anything.")
    assert post.customer == "umbrella.es"  # no company field: the requester's email domain


def test_intercom_conversation_names_the_person_and_company():
    post = extract(posts.INTERCOM_NEW)
    assert post.source == "Intercom"
    assert post.text.startswith("Hi! Is there a way to share a dashboard")
    assert "New conversation" not in post.text and "Unassigned" not in post.text
    assert (post.contact, post.customer) == ("Priya Patel", "Hooli")
    assert post.link == "https://app.intercom.com/a/apps/abc123/inbox/inbox/all/conversations/2154"


def test_intercom_rating_is_a_csat():
    post = extract(posts.INTERCOM_RATED)
    assert post.score == Rating("csat", 2)
    assert "Took two days to get an answer." in post.text


def test_hubspot_ticket_and_nps_survey():
    ticket = extract(posts.HUBSPOT_TICKET)
    assert ticket.source == "HubSpot"
    assert ticket.text == ("Cannot add a second admin\nThe invite form says our plan allows only one "
                           "admin but we pay for Pro.")
    assert (ticket.customer, ticket.contact) == ("Vandelay Industries", "Lee Wong")
    assert ticket.link == "https://app.hubspot.com/contacts/123456/ticket/987"
    nps = extract(posts.HUBSPOT_NPS)
    assert nps.score == Rating("nps", 4)
    assert nps.text == "Reporting is too slow for our team and exports time out."
    assert (nps.contact, nps.customer) == ("maria@stark.io", "stark.io")


def test_typeform_keeps_written_answers_and_reads_the_nps_question():
    post = extract(posts.TYPEFORM)
    assert post.source == "Typeform"
    assert post.text == "The onboarding emails arrive after we already set everything up."
    assert post.score == Rating("nps", 6)
    assert (post.contact, post.customer) == ("li.na@wayne.com", "wayne.com")
    assert post.link == "https://admin.typeform.com/form/AbC123/results#responses"


def test_surveymonkey_satisfaction_question_is_a_csat():
    post = extract(posts.SURVEYMONKEY)
    assert post.source == "SurveyMonkey"
    assert post.text == "Answer the phone during European business hours."
    assert post.score == Rating("csat", 2)
    assert post.customer == "oscorp.com"
    assert post.link.startswith("https://www.surveymonkey.com/analyze/")


def test_delighted_score_comment_and_person():
    post = extract(posts.DELIGHTED)
    assert post.source == "Delighted"
    assert post.text == "Too many clicks to do anything, and the mobile app crashes on login."
    assert post.score == Rating("nps", 3)
    assert post.customer == "Acme Org" and post.contact in ("Sam Rivera", "sam@acme.org")
    assert post.link == "https://delighted.com/responses/8842"


def test_app_store_review_in_the_reviews_to_slack_shape():
    post = extract(posts.APPSTORE_REVIEW)
    assert post.source == "App Store"
    assert post.text == "Crashes on launch\nSince the last update the app crashes every time I open it."
    assert post.score == Rating("stars", 2)
    assert post.contact == "happyuser42" and post.customer is None
    assert post.link == "https://apps.apple.com/us/app/acme/id123456789"


def test_app_store_review_in_the_appstore_review_bot_shape():
    post = extract(posts.APPSTORE_BOT)
    assert post.source == "App Store"
    assert post.text == "Nice but slow sync\nSync takes minutes on a large account."
    assert post.score == Rating("stars", 4)
    assert post.contact == "mobilefan"


def test_google_play_review():
    post = extract(posts.GOOGLE_PLAY)
    assert post.source == "Google Play"
    assert post.text == "Love it\nFast and simple, the widgets are great."
    assert post.score == Rating("stars", 5) and post.contact == "Dana K."


def test_any_other_app_gets_a_sensible_remark():
    post = extract(posts.OTHER_APP)
    assert post.source == "Feedback Form"
    assert post.text == "Please add SSO with Azure AD, we cannot roll out without it."
    assert (post.contact, post.customer) == ("Ola Nordmann", "Norsk Data")
    assert post.score == Rating("stars", 3)
    plain = extract(posts.PLAIN_APP)
    assert (plain.source, plain.text) == ("Notifier", "Customer called: the delivery app shows the wrong ETA every morning.")


def test_links_are_https_only_and_odd_shapes_do_not_break():
    odd = posts.bot_message("Zendesk", attachments=[{"title": "Ticket #1: x", "title_link": "javascript:alert(1)"},
                                                    "not a dict", {"fields": "nope"}], blocks="nope")  # type: ignore[arg-type]
    post = extract(odd)
    assert post.link is None
    assert extract({"bot_id": "B1"}).source == "An app"


def test_domain_of_skips_free_mail_and_non_addresses():
    assert domain_of("Jane@EU.Acme.com") == "eu.acme.com"
    assert domain_of("someone@gmail.com") is None
    assert domain_of("not an email") is None and domain_of(None) is None


def test_a_forwarded_app_post_is_rebuilt_for_its_rule():
    # A forward's is_share attachment (bot/slack/text.py shared_original) of an app's post:
    # assumed to carry the app's bot_id and, in message_blocks, the post (not verified against
    # Slack; the stand-in's forwards of people's messages have the same attachment shape).
    forward = {"type": "message", "user": "U0ALICE001", "text": "", "ts": "1767000100.000100", "attachments": [{
        "is_share": True, "is_msg_unfurl": True, "channel_id": "C0SUPPORT1", "ts": "1767000000.000100",
        "bot_id": "B0OTHER001", "author_name": "Zendesk", "text": "",
        "message_blocks": [{"team": "T0001", "channel": "C0SUPPORT1", "ts": "1767000000.000100",
                            "message": {"blocks": posts.FRESHDESK_NEW["blocks"]}}]}]}
    from bot.slack.apps import shared_post

    rebuilt = shared_post(forward)
    assert rebuilt is not None and rebuilt["bot_id"] == "B0OTHER001"
    post = extract(rebuilt)
    assert post.text.startswith("Invoice shows the wrong VAT rate") and post.customer == "Globex"
    person = {**forward, "attachments": [{**forward["attachments"][0], "bot_id": None, "author_id": "U0CARLA001"}]}
    assert shared_post(person) is None
