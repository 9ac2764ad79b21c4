"""An app's replies in the thread of its own post, in a watched channel that takes that
app's posts (issue 21, item 1), end to end over HTTP against the stand-in.

Where the shapes come from:
* Helpdesk integrations post a ticket as a top-level message and what follows in its
  thread. uktrade/django-zenslackchat (zenslackchat/zendesk_email_to_slack.py and
  zendesk_comments_to_slack.py) opens a thread per Zendesk ticket with its own post and
  posts each new Zendesk comment, and notices ("Hello, your new support request is …"),
  as replies in it with the same bot token. Intercom's Slack integration posts the status
  updates of a ticket back to its Slack thread ("Connect your Slack channel",
  intercom.com/help/en/articles/11534476) and names a reply's author in its header
  ("Jane Doe (Acme) replied": bot/slack/apps/intercom.py).
* The event of a reply carries ``thread_ts`` and ``parent_user_id`` (docs.slack.dev,
  message_replied: "examine message events' thread_ts value. When present, it's a reply");
  an app with a bot user posts as that ``user``; a classic integration or incoming webhook
  (``subtype: bot_message``) has no ``user``.
The reply bodies are built like the fixtures in tests/unit/apps/posts.py (from each app's
documented notification; no public copy of the native apps' exact payloads exists).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.customers.connect import clear_cache
from bot.fakeslack import payloads
from storage.models import Remark
from tests.conftest import settled
from tests.e2e.queries import ALICE, CARLA, FEEDBACK, GENERAL, captures, remarks
from tests.unit.apps import posts

TICKET = "https://acme-support.zendesk.com/agent/tickets/4821"
CONVERSATION = "https://app.intercom.com/a/apps/abc123/inbox/inbox/all/conversations/2154"
FOLLOW_UP = "Still missing after today's update. Our month-end close is on Friday and finance is blocked."
# Zendesk's webhook integration: the requester's new comment in the ticket's thread (no
# Organization field of its own: the ticket's customer comes from the parent's remark).
ZENDESK_REPLY = posts.bot_message("Zendesk", app_id=None, text="Jane Doe replied", attachments=[{
    "text": FOLLOW_UP, "footer": "Zendesk Support"}])
INTERCOM_REPLY = posts.bot_message("Intercom", attachments=[{
    "pretext": "Priya Patel (Hooli) replied",
    "text": "Still greyed out after clearing the cache, and my manager needs the dashboard today.",
    "actions": [{"type": "button", "text": "View in Intercom", "url": CONVERSATION}]}])


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


def answer(delivery) -> str:
    return (delivery.json() or {}).get("text", "")


# Each app posts with its own bot: Zendesk as a webhook integration (no bot user: the
# parent's remark tells whose thread it is), the others as apps with a bot user (the
# event's ``user`` and ``parent_user_id`` tell).
APPS = {"Zendesk": ("B0ZENDESK1", None), "Intercom": ("B0INTERCOM", "A0INTERCOM"),
        "Jira Cloud": ("B0JIRA0001", "A0JIRA0001"), "Typeform": ("B0TYPEFORM", None)}


async def post(slack, shaped: dict[str, Any], *, thread_ts: str | None = None, text: str | None = None,
               name: str | None = None) -> dict[str, Any]:
    """Deliver a post shaped as in tests/unit/apps/posts.py from its app (in a thread), or
    only ``text`` as that app."""
    name = name or shaped.get("username") or shaped["bot_profile"]["name"]
    bot_id, app_id = APPS[name]
    return await slack.app_post(
        FEEDBACK, name=name, text=shaped.get("text", "") if text is None else text,
        attachments=None if text is not None else shaped.get("attachments"),
        blocks=None if text is not None else shaped.get("blocks"),
        app_id=app_id, bot_id=bot_id, thread_ts=thread_ts)


async def watch(slack, how: str) -> None:
    assert "Now watching" in answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}|zendesk-feed> {how}"))


async def by_ts(db, ts: str) -> Remark | None:
    return next((r for r in await remarks(db) if r.message_ts == ts), None)


async def ticket_and_follow_up(slack, bot) -> tuple[dict[str, Any], dict[str, Any]]:
    """A channel taking Zendesk's posts, its ticket post, then a follow-up in its thread."""
    await watch(slack, 'bots "Zendesk"')
    ticket = await post(slack, posts.ZENDESK_NEW)
    await settled(bot)
    reply = await post(slack, ZENDESK_REPLY, thread_ts=ticket["ts"])
    await settled(bot)
    return ticket, reply


async def test_a_zendesk_follow_up_in_its_ticket_thread_is_a_remark_of_the_tickets_customer(fake, slack, bot, db):
    ticket, reply = await ticket_and_follow_up(slack, bot)
    parent, remark = await by_ts(db, ticket["ts"]), await by_ts(db, reply["ts"])
    assert parent is not None and remark is not None and remark.id != parent.id
    assert remark.text == FOLLOW_UP
    # Linked to the ticket: its thread, and the parent remark's customer, contact and link.
    assert (remark.thread_ts, remark.channel_id) == (ticket["ts"], FEEDBACK)
    assert (remark.customer, remark.contact, remark.link) == ("Initech", "Jane Doe", TICKET)
    assert (remark.source, remark.author_user_id) == ("Zendesk", None)
    assert [(c.user_id, c.route) for c in await captures(db) if c.remark_id == remark.id] == [(FEEDBACK, "watch")]
    assert fake.calls_to("chat.postEphemeral") == []
    # Slack retrying the delivery files nothing twice.
    again = await slack.deliverer.resend_last()
    assert again.status == 200
    await settled(bot)
    assert len(await remarks(db)) == 2 and len(await captures(db)) == 2
    status = answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))
    assert "*2* filed, *0* skipped as noise" in status


async def test_status_lines_in_the_thread_are_skipped_and_counted(fake, slack, bot, db):
    await watch(slack, 'bots "Zendesk"')
    ticket = await post(slack, posts.ZENDESK_NEW)
    await settled(bot)
    await post(slack, posts.ZENDESK_SOLVED, thread_ts=ticket["ts"])
    await post(slack, posts.ZENDESK_SOLVED, thread_ts=ticket["ts"], text="Status: pending")
    await post(slack, posts.ZENDESK_SOLVED, thread_ts=ticket["ts"], text="Assignee changed")
    await settled(bot)
    assert [r.message_ts for r in await remarks(db)] == [ticket["ts"]]
    status = answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))
    assert "*1* filed, *3* skipped as noise" in status
    assert "(status notice)" in status and "(status line)" in status


async def test_an_intercom_reply_is_heard_by_its_bot_user_and_another_apps_reply_is_not(fake, slack, bot, db):
    await watch(slack, 'bots "Intercom"')
    conversation = await post(slack, posts.INTERCOM_NEW)
    await settled(bot)
    reply = await post(slack, INTERCOM_REPLY, thread_ts=conversation["ts"])
    assert reply["user"] == reply["parent_user_id"] == conversation["user"]  # the event says it
    # An app the channel does not take, in the same thread: not heard.
    await post(slack, posts.INTERCOM_NEW, thread_ts=conversation["ts"], name="Jira Cloud",
               text="Linked to JIRA-311: Dashboard share button disabled")
    await post(slack, posts.INTERCOM_NEW, thread_ts=conversation["ts"], text="Sam closed conversation #2154")
    await settled(bot)
    remark = await by_ts(db, reply["ts"])
    assert remark is not None
    assert remark.text == "Still greyed out after clearing the cache, and my manager needs the dashboard today."
    assert (remark.customer, remark.contact, remark.link, remark.thread_ts) == (
        "Hooli", "Priya Patel", CONVERSATION, conversation["ts"])
    assert len(await remarks(db)) == 2


async def test_an_app_taken_too_is_heard_only_under_its_own_posts(fake, slack, bot, db):
    await watch(slack, 'bots "Zendesk" "Intercom" "Typeform"')
    ticket = await post(slack, posts.ZENDESK_NEW)
    await settled(bot)
    # Intercom is taken, but this thread is Zendesk's ticket: its reply there is not heard.
    stray = await post(slack, INTERCOM_REPLY, thread_ts=ticket["ts"])
    # Another webhook (taken too) under Zendesk's webhook post: the event has no user to
    # compare, and the parent's remark says Zendesk.
    other = await post(slack, ZENDESK_REPLY, thread_ts=ticket["ts"], name="Typeform")
    await settled(bot)
    assert await by_ts(db, stray["ts"]) is None and await by_ts(db, other["ts"]) is None
    assert [r.message_ts for r in await remarks(db)] == [ticket["ts"]]


async def test_people_replying_in_the_thread_are_not_heard(fake, slack, bot, db):
    await watch(slack, "bots")
    ticket = await post(slack, posts.ZENDESK_NEW)
    await settled(bot)
    await slack.say(CARLA, FEEDBACK, "The customer called again about this, they are really upset", thread_ts=ticket["ts"])
    own = fake.state.post_message(FEEDBACK, None, "Filed under Reporting", bot=True, thread_ts=ticket["ts"])
    await slack._event(payloads.message_event(own, FEEDBACK))
    await settled(bot)
    assert [r.message_ts for r in await remarks(db)] == [ticket["ts"]]


async def test_a_channel_watched_without_apps_hears_no_reply(fake, slack, bot, db):
    await watch(slack, "")
    ticket = await post(slack, posts.ZENDESK_NEW)
    await post(slack, ZENDESK_REPLY, thread_ts=ticket["ts"])
    conversation = await post(slack, posts.INTERCOM_NEW)
    await post(slack, INTERCOM_REPLY, thread_ts=conversation["ts"])
    await settled(bot)
    assert await remarks(db) == []


async def test_a_reply_under_a_skipped_notice_is_heard_with_its_own_names(fake, slack, bot, db):
    # The parent skipped (a status notice): the reply, by the same bot user, is still the
    # app's own thread (the event says so) and keeps what it names itself.
    await watch(slack, 'bots "Intercom"')
    notice = await post(slack, posts.INTERCOM_NEW, text="Conversation #2154 assigned to Sam")
    await settled(bot)
    reply = await post(slack, INTERCOM_REPLY, thread_ts=notice["ts"])
    await settled(bot)
    [remark] = await remarks(db)
    assert (remark.message_ts, remark.customer, remark.contact) == (reply["ts"], "Hooli", "Priya Patel")


async def test_edits_and_deletions_of_a_reply_are_followed(fake, slack, bot, db):
    ticket, reply = await ticket_and_follow_up(slack, bot)
    await slack.app_edit(FEEDBACK, reply["ts"], attachments=[{
        "text": "Still missing after today's update, and now the PDF export is blank too.",
        "footer": "Zendesk Support"}])
    await settled(bot)
    remark = await by_ts(db, reply["ts"])
    assert remark is not None and remark.text == "Still missing after today's update, and now the PDF export is blank too."
    await slack.delete(ALICE, FEEDBACK, reply["ts"])
    await settled(bot)
    assert [r.message_ts for r in await remarks(db)] == [ticket["ts"]]
    # The ticket's post deleted: its remark goes, a reply's stays (its own remark).
    second = await post(slack, ZENDESK_REPLY, thread_ts=ticket["ts"])
    await settled(bot)
    await slack.delete(ALICE, FEEDBACK, ticket["ts"])
    await settled(bot)
    assert [r.message_ts for r in await remarks(db)] == [second["ts"]]
