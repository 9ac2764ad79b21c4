"""Store review bots and form posters in the shapes their open-source code posts
(tests/unit/apps/posts.py names each repository and function): the stars in the title or a
field are the score and never the words, the reviewer named as author_name or in a field
is the contact, a field titled with the review's title keeps both, and a form's answers
under its own questions are the words."""

from __future__ import annotations

from bot.domain.capture.app_posts import takes
from bot.slack.apps import Rating, extract
from tests.unit.apps import posts


def test_reviewme_stars_in_the_title_are_the_score_not_the_words():
    post = extract(posts.REVIEWME_APP_STORE)
    assert post.source == "App Store"
    assert post.text == "Crashes on launch\nSince the last update the app crashes every time I open it."
    assert (post.score, post.contact, post.customer) == (Rating("stars", 2), "happyuser42", None)
    assert post.link == "https://apps.apple.com/us/app/acme/id123456789"


def test_reviewme_google_play_title_of_stars_alone():
    post = extract(posts.REVIEWME_GOOGLE_PLAY)
    assert post.source == "Google Play"
    assert post.text == "Logs me out every time I switch to another app."
    assert (post.score, post.contact) == (Rating("stars", 1), "Dana K.")
    assert post.link.endswith("reviewId=gp:AOqpTOE")


def test_zreviewsbot_stars_and_votes_after_the_title():
    post = extract(posts.ZREVIEWSBOT)
    assert post.text == "Too many ads\nEvery screen shows an ad now and I can't find the search any more."
    assert (post.score, post.contact) == (Rating("stars", 2), "kimchi88")
    assert post.link.startswith("https://appstoreconnect.apple.com/")


def test_tj_reviewer_field_titled_with_the_review_and_a_linked_author():
    post = extract(posts.TJ_REVIEWER)
    # "Best app…" holds the word "app": once taken for a version/app field and dropped.
    assert post.text == "Best app but no dark mode\nReading at night hurts my eyes, please add a dark theme."
    assert (post.score, post.contact) == (Rating("stars", 2), "ivan_p")  # not the link markup, nor the app
    assert post.link == "https://apps.apple.com/us/app/acme/id123456789"  # not the reviewer's own page


def test_a_google_form_answer_not_its_pretext():
    post = extract(posts.GOOGLE_FORM)
    assert post.source == "Form Response"
    assert post.text == "The chat widget hides the cancel button on mobile."
    assert post.score == Rating("csat", 2)
    assert (post.contact, post.customer) == ("olga@globex.com", "globex.com")


def test_question_lines_are_fields():
    post = extract(posts.QUESTION_LINES)
    assert post.text == "Answer tickets on weekends, we wait until Monday."


def test_a_named_app_matches_without_spaces():
    review = extract(posts.REVIEWME_APP_STORE)
    assert takes("named", ["AppStore"], posts.REVIEWME_APP_STORE, review)
    monkey = posts.bot_message("SurveyMonkey", blocks=posts.SURVEYMONKEY_BLOCKS["blocks"])
    assert takes("named", ["Survey Monkey"], monkey, extract(monkey))
    assert not takes("named", ["Typeform"], monkey, extract(monkey))


def test_an_unknown_short_field_is_not_the_review():
    att = dict(posts.TJ_REVIEWER["attachments"][0])
    att["fields"] = [*att["fields"], {"title": "Helpful", "value": "3", "short": True}]
    post = extract(posts.bot_message("TJ Reviewer", app_id=None, attachments=[att]))
    assert post.text == "Best app but no dark mode\nReading at night hurts my eyes, please add a dark theme."


# One-line notifications: the header and the customer's words in `text`, after a colon.
# Built, not copied (no public payload of the apps' own one-line form was found); the
# header wording is that of the apps' attachment headers in posts.py.


def test_a_header_line_keeps_the_words_after_its_colon():
    post = extract(posts.bot_message("Intercom", text=(
        "New message from Priya Patel (Hooli): The export button is gone since the update.")))
    assert post.text == "The export button is gone since the update."
    assert (post.contact, post.customer) == ("Priya Patel", "Hooli")
    linked = extract(posts.bot_message("Zendesk", text=(
        "<https://acme.zendesk.com/agent/tickets/4821|Ticket #4821> from Jane Doe: Export to CSV drops the last column")))
    assert linked.text == "Export to CSV drops the last column"
    assert linked.link == "https://acme.zendesk.com/agent/tickets/4821"


def test_a_status_header_with_a_colon_is_still_a_status_notice():
    post = extract(posts.bot_message("Zendesk", text="Ticket #4821 was closed by Sam: resolved as duplicate"))
    assert post.text == "" and "was closed" in post.notice
