"""Each app's rule on the other Slack shape of its posts (Block Kit or attachments) and the
variants a channel really sees (tests/unit/apps/posts.py names where each comes from)."""

from __future__ import annotations

from bot.slack.apps import Rating, app_names, extract
from tests.unit.apps import posts


def test_a_block_kit_play_review_keeps_the_review_the_reviewer_and_its_link():
    post = extract(posts.GOOGLE_PLAY_BLOCKS)
    assert post.source == "Google Play"
    assert post.text == "The app logs me out every time I switch to another app."
    assert (post.score, post.contact, post.customer) == (Rating("stars", 2), "Max Mustermann", None)
    assert post.link == posts.PLAY_REVIEW_LINK


def test_a_block_kit_zendesk_ticket_reads_the_latest_comment():
    post = extract(posts.ZENDESK_BLOCKS)
    assert post.text == ("Password reset email never arrives\nFive of our staff requested a reset "
                         "this morning and nobody got the email.")
    assert (post.contact, post.customer) == ("Omar Haddad", "soylent.io")
    assert post.link == "https://acme-support.zendesk.com/agent/tickets/4830"


def test_delighted_in_block_kit_reads_the_bold_score_and_the_quoted_comment():
    post = extract(posts.DELIGHTED_BLOCKS)
    assert post.text == "Pricing changed without notice and my bill doubled."
    assert post.score == Rating("nps", 4)
    assert (post.contact, post.customer) == ("ann@acme.io", "acme.io")
    assert post.link == "https://app.delighted.com/r/5pFDpmlyC8"


def test_delighted_score_of_wording():
    post = extract(posts.DELIGHTED_SCORE_OF)
    assert post.text == "Your service is fast and flawless!"
    assert post.score == Rating("nps", 9) and post.contact == "charlie_gravis@example.com"


def test_a_response_left_at_its_score_has_no_words_but_its_score_and_person():
    post = extract(posts.DELIGHTED_NO_COMMENT)
    assert post.text == "" and post.score == Rating("nps", 2)
    assert (post.contact, post.customer) == ("bo@initech.com", "initech.com")
    assert "Score: 2" in post.words


def test_satisfied_in_an_nps_comment_keeps_it_an_nps():
    post = extract(posts.DELIGHTED_SATISFIED)
    assert post.score == Rating("nps", 9)


def test_surveymonkey_blocks_skip_the_header_and_read_the_satisfaction_words():
    post = extract(posts.SURVEYMONKEY_BLOCKS)
    assert post.text == "The search never finds anything older than a month."
    assert post.score == Rating("csat", 1)
    assert post.link == "https://www.surveymonkey.com/analyze/ABC"


def test_hubspot_csat_survey_in_block_kit_is_a_csat():
    post = extract(posts.HUBSPOT_CSAT)
    assert post.text == "The onboarding call was cancelled twice."
    assert post.score == Rating("csat", 2)


def test_intercom_rating_in_block_kit_drops_the_header_and_names_the_person():
    post = extract(posts.INTERCOM_RATED_BLOCKS)
    assert post.text == "Nobody answered for three days."
    assert (post.score, post.contact) == (Rating("csat", 1), "Priya Patel")


def test_an_intercom_message_beginning_like_a_header_keeps_its_words():
    msg = posts.bot_message("Intercom", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": "We started getting 502 errors on every upload today."}}])
    post = extract(msg)
    assert post.text == "We started getting 502 errors on every upload today." and post.contact is None


def test_typeform_answers_as_attachment_fields():
    post = extract(posts.TYPEFORM_FIELDS)
    assert post.text == "The API docs are out of date and the examples fail."
    assert post.score == Rating("nps", 3)
    assert (post.contact, post.customer) == ("li@wayne.com", "wayne.com")


def test_a_bold_lead_is_a_sentence_not_a_field():
    msg = posts.bot_message("Feedback Form", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Important* the export is missing the totals column"}}])
    assert extract(msg).text == "Important the export is missing the totals column"




def test_every_name_a_post_goes_by():
    msg = {**posts.ZENDESK_NEW, "username": "Support Tickets"}
    assert app_names(msg) == ["Zendesk", "Support Tickets"]
