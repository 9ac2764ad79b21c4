"""Whether an app's reply is in the thread of its own post, read from the event alone
(bot.domain.capture.app_replies): Slack's reply events carry ``parent_user_id``, and an
app with a bot user posts as that ``user`` (docs.slack.dev, message events and threads)."""

from __future__ import annotations

from bot.domain.capture.app_replies import same_app_in_event


def reply(**kw):
    return {"type": "message", "ts": "1767000001.000200", "thread_ts": "1767000000.000100",
            "bot_id": "B0INTERCOM", **kw}


def test_the_same_bot_user_wrote_the_parent():
    assert same_app_in_event(reply(user="U0INTERCOM", parent_user_id="U0INTERCOM")) is True


def test_another_author_wrote_the_parent():
    assert same_app_in_event(reply(user="U0INTERCOM", parent_user_id="U0CARLA001")) is False
    assert same_app_in_event(reply(user="U0INTERCOM", parent_user_id="USLACKBOT")) is False


def test_a_webhook_reply_cannot_say():
    # A classic integration or incoming webhook posts with no user: the event cannot tell.
    assert same_app_in_event(reply(subtype="bot_message", username="Zendesk",
                                   parent_user_id="USLACKBOT")) is None
    assert same_app_in_event(reply(user="U0INTERCOM")) is None
    assert same_app_in_event(reply(user="", parent_user_id="")) is None
