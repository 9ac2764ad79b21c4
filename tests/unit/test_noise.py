"""The noise rules: what is skipped in watched channels and backfills, and what only looks
like noise but is feedback."""

from __future__ import annotations

import pytest

from bot.classify.noise import noise


@pytest.mark.parametrize(("text", "reason"), [
    ("Hi team!", "greeting"),
    ("good morning everyone :wave:", "greeting"),
    ("Thanks!", "thanks"),
    ("thank you so much <@U0ALICE001>", "thanks"),
    ("thx", "thanks"),
    ("+1", "acknowledgement"),
    (":+1:", "no words"),
    ("resolved", "acknowledgement"),
    ("Done, closed it", "acknowledgement"),
    ("same here", "acknowledgement"),
    ("ok sounds good", "acknowledgement"),
    ("I'm out of the office until Monday with limited access to email.", "out of office"),
    ("Automatic reply: I am on vacation until 3 January.", "out of office"),
    ("Ticket #4821 was closed", "status line"),
    ("ticket #4821 has been solved by Sam", "status line"),
    ("Jane Doe changed the status to Pending", "status line"),
    ("Reminder: standup notes are due", "status line"),
    ("<@U0BOB00001> has joined the channel", "status line"),
    # Helpdesk status lines as Zendesk, Intercom, Freshdesk and HubSpot post them.
    ("Conversation #123 closed", "status line"),
    ("Ticket 4821 status changed to Solved", "status line"),
    ("Ticket #4821: status changed from Open to Solved", "status line"),
    ("Status of ticket #123 changed to Resolved", "status line"),
    ("Conversation #2154 assigned to Sam", "status line"),
    ("Conversation closed by Sam", "status line"),
    ("Sam Lee closed conversation #2154", "status line"),
    ('Ticket "Cannot add a second admin" moved to Closed', "status line"),
    ("Ticket #987 moved to Waiting on customer", "status line"),
    ("Case 00012345 closed", "status line"),
    ("Request #42 was reopened", "status line"),
    ("Ticket 4821 marked as solved", "status line"),
    # A ticket's field alone, as a helpdesk posts an update in the ticket's thread.
    ("Status: pending", "status line"),
    ("Status: Waiting on customer", "status line"),
    ("Priority: High", "status line"),
    ("Assignee: Sam Agent", "status line"),
    ("Assignee changed", "status line"),
    ("Ticket status updated", "status line"),
    # Thanks, greetings and laughter in the common languages.
    ("Merci", "thanks"),
    ("Merci beaucoup !", "thanks"),
    ("Danke", "thanks"),
    ("danke schön", "thanks"),
    ("muchas gracias", "thanks"),
    ("grazie mille", "thanks"),
    ("Obrigado!", "thanks"),
    ("bedankt", "thanks"),
    ("tack så mycket", "thanks"),
    ("Bonjour à tous", "greeting"),
    ("hola", "greeting"),
    ("lol", "laughter"),
    ("hahaha", "laughter"),
    ("LOL :joy:", "laughter"),
    ("haha thanks!", "thanks"),
    # A thank-you to a named person, a short out-of-office, a holiday wish.
    ("Thanks Carla", "thanks"),
    ("Thank you Sam Lee!", "thanks"),
    ("I am OOO today", "out of office"),
    ("OOO until Monday", "out of office"),
    ("Happy holidays!", "greeting"),
    ("Merry Christmas everyone :christmas_tree:", "greeting"),
    # Status lines in mrkdwn, with an emoji, or as the customer's own notification says them.
    ("*Ticket #4821* was closed", "status line"),
    ("Ticket #4821 was closed :white_check_mark:", "status line"),
    ("Your request #4821 has been solved", "status line"),
    ("Ticket #4821 status: Closed", "status line"),
])
def test_noise_is_skipped_with_its_reason(text, reason):
    assert noise(text) == reason


def test_notices_are_noise_by_subtype():
    assert noise("<@U1> has joined the channel", subtype="channel_join") == "notice"
    assert noise("set the channel topic: feedback", subtype="channel_topic") == "notice"


@pytest.mark.parametrize("text", [
    "thanks for nothing, the refund is still missing",
    "Hi, the export is broken again",
    "Thanks, but the invoice still shows the wrong VAT rate",
    "+1, the mobile app crashes for us too",
    "Resolved? No, it still fails every morning.",
    "The ticket was closed but nobody answered my question",
    "Great support today, Sam fixed our SSO in ten minutes",
    "I was out of the office and came back to 40 failed syncs, this is the third time this month",
    # A status line with more said about it is someone speaking.
    "the ticket was closed without an answer",
    "ticket 4821 was closed but the bug is still there",
    "Ticket #4821 was closed and I still have no refund",
    "Conversation #123 closed without a reply",
    "Ticket 4821 was closed again",
    "ticket 4821 was closed?",
    "Ticket #4821 was closed by mistake",
    "order 5512 was deleted from my account",
    "they closed the ticket",
    "Ticket #4821 was closed in ten minutes flat",
    "Status: still broken",
    "Status: the export is broken",
    # Thanks or laughter with more said: sarcasm, or a report.
    "merci pour rien",
    "danke für nichts",
    "gracias por nada",
    "lol the export failed again",
    "haha no, it is still broken",
    "thanks Acme for the refund that never came",
    "Thanks Carla but it is still broken",
    "Thanks Hank! Passing it on.",  # more is said after the name
    "happy customer today, the export works",
    "The OOO reply was wrong",
    "Your request #4821 has been solved but the export still fails",
    "ok",  # alone it is noise, checked below: a short reply is never a remark
])
def test_look_alikes_are_feedback(text):
    if text == "ok":
        assert noise(text) == "acknowledgement"
    else:
        assert noise(text) is None
