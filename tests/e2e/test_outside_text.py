"""Text from outside Earshot can neither ping anyone nor disguise a link, on any surface.

Hostile text (tests/outside_text.py: ``<!channel>``, ``<!here>``, ``<!everyone>``, ``<@U0VICTIM>``, ``<#C0SECRET>``,
``<https://evil.example|Acme portal>``, a bare ``&`` and a lone ``<``) goes in through every
route a member or a customer has: a captured message, a forward and its comment, a mention's
note, the shortcut modal, ``/feedback`` text and its customer, a watched channel, corrections,
process and customer names, descriptions, keywords, aliases and tiers, improvement titles,
descriptions and links, the owner's reply in the customers' threads, a thank-you note, and
names or words echoed back in error messages. Each test then walks *every* Web API call the
stand-in recorded (and every answer the bot gave Slack over HTTP: slash commands, view
submissions) and checks every ``mrkdwn`` and message ``text`` string in it:

- none contains ``<!channel``, ``<!here``, ``<!everyone``, ``<@U0VICTIM``, ``<#C0SECRET`` or
  ``<https://evil.example``;
- every ``<`` starts Earshot's own markup (a mention or channel by id, a date, an https link)
  and every ``&`` is an entity (so a lone ``<`` or ``&`` was escaped);
- the hostile text was shown somewhere (its marker word is there): the surface was reached.

``plain_text`` fields (titles, options, inputs' values) are not mrkdwn and are skipped.
Payload shapes are the stand-in's (bot/fakeslack: Slack's documented events, slash commands,
block_actions and view_submission); escaping follows Slack's "Formatting text for app
surfaces", *Escaping text* (https://api.slack.com/reference/surfaces/formatting#escaping).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.digest.post import DigestPoster
from bot.domain.alerts.customers import send_customer_alerts
from bot.domain.alerts.owners import send_owner_alerts
from bot.domain.customers import registry as reg
from bot.domain.customers import rules
from bot.domain.customers.connect import clear_cache
from bot.server.scheduler import DigestScheduler, build_digest_client
from storage.db import transaction
from storage.models import Process, Remark, utcnow
from storage.repositories import RemarkRepository
from storage.repositories.improvements import ImprovementRepository
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, BOT, CARLA, DAN, FEEDBACK, GENERAL, SUPPORT
from tests.outside_text import HOSTILE, MARK, NAME, SENT, SENT_NAME, problems, shown_texts


def everything_shown(fake, slack) -> list[tuple[str, str]]:
    """(where, text) for every mrkdwn/text string of every recorded call and HTTP answer."""
    out = [(call.method, t) for call in fake.calls for t in shown_texts(call.params)]
    for delivery in slack.deliveries:
        answer = delivery.json()
        if isinstance(answer, dict):
            out += [("answer", t) for t in shown_texts(answer)]
    return out


# -- seeding -------------------------------------------------------------------------------


async def remark(db, *, process_id: int | None, sentiment: str = "complaint", at: dt.datetime | None = None,
                 text: str = SENT, customer: str | None = HOSTILE, captures: int = 1) -> int:
    return await ds.remark(db, process_id=process_id, sentiment=sentiment, at=at or utcnow(), text=text,
                           customer=customer, captures=captures)


async def message_remark(db, fake, *, process_id: int | None = None, text: str = SENT) -> int:
    """A customer's real Slack message, captured by Alice."""
    msg = fake.state.post_message(SUPPORT, CARLA, text)
    at = utcnow() - dt.timedelta(days=1)
    async with transaction(db) as s:
        repo = RemarkRepository(s)
        r, _ = await repo.upsert(ds.TEAM, source_key=f"{SUPPORT}:{msg['ts']}", said_at=at, created_at=at,
                                 updated_at=at, process_id=process_id, sentiment="complaint", text=text,
                                 customer=HOSTILE, channel_id=SUPPORT, message_ts=msg["ts"],
                                 permalink=fake.state.permalink(SUPPORT, msg["ts"]), author_user_id=CARLA)
        await repo.add_capture(ds.TEAM, remark_id=r.id, user_id=ALICE, route="reaction", at=at)
        return r.id


async def improvement(db, process_id: int, remark_ids: list[int], *, shipped: bool = False,
                      owner: str = BOB, link: str | None = "https://tracker.example/issues/1?a=1&b=2") -> int:
    async with transaction(db) as s:
        repo = ImprovementRepository(s)
        imp = await repo.create(ds.TEAM, process_id=process_id, title=HOSTILE, description=HOSTILE,
                                owner_user_id=owner, proposed_by=owner, link=link, remark_ids=remark_ids,
                                at=utcnow() - dt.timedelta(days=3))
        if shipped:
            await repo.set_status(ds.TEAM, imp.id, "shipped", by=owner, at=utcnow() - dt.timedelta(days=1))
        return imp.id


async def hostile_process(db, *, owner: str | None = BOB) -> int:
    """A process whose name holds markup: the registry refuses such names, so this one stands
    for a row from before that rule (or an import): rendering must not trust it either."""
    return await ds.process(db, NAME, owner=owner)


async def capture_by_reaction(fake, slack, bot, text: str = SENT, user: str = ALICE) -> list:
    msg = fake.state.post_message(SUPPORT, CARLA, text)
    before = len(fake.calls_to("chat.postEphemeral"))
    await slack.react(user, SUPPORT, msg["ts"], "memo")
    await fake.wait_for("chat.postEphemeral", count=before + 1, timeout=30)  # first: the model builds
    await settled(bot)
    return fake.calls_to("chat.postEphemeral")[-1].params["blocks"]


async def command(slack, bot, user: str, text: str) -> dict:
    answer = await slack.slash(user, SUPPORT, text)
    await settled(bot)
    return answer.json() or {}


async def listing(fake, slack, bot, user: str) -> list:
    """``/feedback improvements``' blocks: in the answer, or (on a slow machine, past Slack's
    3 seconds) posted to the command's response_url instead."""
    before = len(fake.calls_to("response_url"))
    answer = await command(slack, bot, user, "improvements")
    if "blocks" not in answer:
        answer = (await fake.wait_for("response_url", count=before + 1))[-1].params
    return answer["blocks"]


# -- the routes and surfaces ---------------------------------------------------------------


async def reaction_confirmation(fake, slack, bot, db):
    await capture_by_reaction(fake, slack, bot)


async def forward_with_comment(fake, slack, bot, db):
    original = fake.state.post_message(SUPPORT, CARLA, SENT)
    await slack.forward(ALICE, SUPPORT, original["ts"], "dm", comment=SENT)
    await fake.wait_for("chat.postEphemeral")


async def mention_with_note(fake, slack, bot, db):
    parent = fake.state.post_message(SUPPORT, CARLA, SENT)
    await slack.say(ALICE, SUPPORT, f"<@{BOT}> {SENT}", thread_ts=parent["ts"])
    await fake.wait_for("chat.postEphemeral")


async def shortcut_modal(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, SENT)
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    await fake.wait_for("views.open")
    await slack.submit_view(ALICE, {"process": "unfiled", "sentiment": "complaint", "customer": HOSTILE,
                                    "note": HOSTILE})
    await fake.wait_for("chat.postEphemeral")


async def feedback_typed_with_customer(fake, slack, bot, db):
    await ds.workspace(db)
    await command(slack, bot, ALICE, f"({SENT}) {SENT}")
    await command(slack, bot, ALICE, f"({SENT}) {SENT} again, for all to see +share")


async def feedback_typed_in_its_modal(fake, slack, bot, db):
    await ds.workspace(db)
    await slack.slash(ALICE, SUPPORT, "")
    await fake.wait_for("views.open")
    await slack.submit_view(ALICE, {"remark": HOSTILE, "process": "unfiled", "sentiment": "complaint",
                                    "customer": HOSTILE})
    await fake.wait_for("chat.postEphemeral")


async def watched_channel(fake, slack, bot, db):
    await command(slack, bot, ALICE, f"watch <#{SUPPORT}|support>")
    await slack.say(CARLA, SUPPORT, SENT)
    await settled(bot)
    await slack.open_home(CARLA)  # the author's own remark, among their captures
    await fake.wait_for("views.publish")


async def corrections(fake, slack, bot, db):
    blocks = await capture_by_reaction(fake, slack, bot)
    await slack.click_ephemeral(ALICE, blocks, "remark_customer", channel=SUPPORT)
    await fake.wait_for("views.open")
    await slack.submit_view(ALICE, {"customer": HOSTILE})
    await fake.wait_for("response_url")
    async with db() as s:
        billing = (await s.scalars(select(Process).where(Process.name == "Billing"))).one()
        await s.execute(update(Process).where(Process.id == billing.id).values(name=NAME))
        await s.commit()
    await slack.click_ephemeral(ALICE, blocks, "remark_process", value=str(billing.id), channel=SUPPORT)
    await slack.click_ephemeral(ALICE, blocks, "remark_sentiment", value="praise", channel=SUPPORT)
    await fake.wait_for("response_url", count=3)


async def merge_confirmations(fake, slack, bot, db):
    # Enough words about one thing that both are filed (a merge is offered within a theme).
    words = "The invoice is missing our VAT number again, finance rejected the invoice and the refund"
    await capture_by_reaction(fake, slack, bot, f"{words} {SENT_NAME}")
    blocks = await capture_by_reaction(fake, slack, bot, f"{words.lower()}!! {SENT_NAME}", user=BOB)
    assert "remark_same" in str(blocks), "the second capture is offered for a merge"
    await slack.click_ephemeral(BOB, blocks, "remark_same", channel=SUPPORT)
    await fake.wait_for("response_url")


async def themed_remarks(slack, bot, db) -> int:
    """Three remarks saying the same thing in Billing (owned by Alice), and a theme of them."""
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=ALICE)
    for who in ("Acme", "Globex", "Initech"):
        await command(slack, bot, CARLA,
                      f"[Billing] ({who} {SENT}) the invoice is missing our VAT number again {SENT}")
    async with db() as s:
        themes = {r.theme_id for r in (await s.scalars(select(Remark))).all()} - {None}
    assert len(themes) == 1, "the three remarks form one theme"
    return billing


async def app_home(fake, slack, bot, db):
    billing = await themed_remarks(slack, bot, db)
    await remark(db, process_id=None)  # unfiled, captured by Alice
    await improvement(db, billing, [], owner=ALICE)
    await slack.open_home(ALICE)
    await fake.wait_for("views.publish")


async def theme_modal(fake, slack, bot, db):
    await themed_remarks(slack, bot, db)
    async with db() as s:
        theme_id = next(r.theme_id for r in (await s.scalars(select(Remark))).all())
    await slack.open_home(ALICE)
    await fake.wait_for("views.publish")
    await slack.click(ALICE, "theme_open", value=str(theme_id))
    await fake.wait_for("views.open")


async def digest(fake, slack, bot, db) -> dict:
    """The weekly digest of a planted history whose every name and quote is hostile, posted
    with its chart in the thread."""
    services = bot.runtime.services
    start = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
    now = dt.datetime(2025, 3, 10, 8, 1, tzinfo=dt.UTC)
    await ds.workspace(db, timezone="Europe/Berlin", digest_channel_id=FEEDBACK, installer_user_id=ALICE,
                       digest_weigh="tier")
    planted = await ds.plant(db, start)
    await reg.change(db, ds.TEAM, None, reg.Add(rules.Entry(name="Zebracorn & Co", tier="Enterprise & more")))
    async with transaction(db) as s:
        for i, pid in enumerate((planted.worse, planted.praised, planted.lone, planted.quiet)):
            await s.execute(update(Process).where(Process.id == pid).values(name=f"{NAME} {i}"))
        await s.execute(update(Remark).values(text=Remark.text + " " + SENT, customer="Zebracorn & Co"))
        await s.execute(update(Remark).where(Remark.process_id.is_(None)).values(customer=HOSTILE))
    async with transaction(db) as s:
        repo = ImprovementRepository(s)
        imp = await repo.create(ds.TEAM, process_id=planted.worse, title=HOSTILE, description=HOSTILE,
                                owner_user_id=BOB, proposed_by=BOB, link=None, remark_ids=[],
                                at=now - dt.timedelta(days=20))
        await repo.set_status(ds.TEAM, imp.id, "shipped", by=BOB, at=now - dt.timedelta(days=14))
    clear_cache()
    services.clock = lambda: now
    poster = DigestPoster(services, build_digest_client(services), worker="t", now=lambda: now, backoff_base=0.01)
    outcome = await poster.post(ds.TEAM)
    assert outcome.status == "posted"
    await fake.wait_for("files.completeUploadExternal")  # the chart, in the digest's thread
    [post] = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == FEEDBACK]
    return post


async def digest_and_chart_thread(fake, slack, bot, db):
    await digest(fake, slack, bot, db)


async def digest_triage_modal(fake, slack, bot, db):
    post = await digest(fake, slack, bot, db)
    await slack.click(ALICE, "digest_triage", channel=FEEDBACK, ts=post.response["ts"])
    [opened] = await fake.wait_for("views.open")
    action = next(b["accessory"]["action_id"] for b in opened.params["view"]["blocks"]
                  if b.get("accessory", {}).get("type") == "static_select")
    option = next(b["accessory"]["options"][0]["value"] for b in opened.params["view"]["blocks"]
                  if b.get("accessory", {}).get("type") == "static_select")
    await slack.click(ALICE, action, value=option)
    await fake.wait_for("views.update")


async def digest_preview(fake, slack, bot, db):
    await ds.workspace(db)
    pid = await hostile_process(db)
    await remark(db, process_id=pid)
    await remark(db, process_id=pid, sentiment="praise")
    await remark(db, process_id=None)
    await command(slack, bot, BOB, "digest")


async def owner_alert(fake, slack, bot, db):
    services = bot.runtime.services
    await ds.workspace(db)
    pid = await hostile_process(db, owner=BOB)
    await remark(db, process_id=pid)
    await remark(db, process_id=pid, customer=None)  # said by Carla: named by her id
    sent = await send_owner_alerts(services, build_digest_client(services), now=utcnow)
    assert sent.sent, "Bob is told"


async def customer_alert(fake, slack, bot, db):
    services = bot.runtime.services
    await ds.workspace(db)
    await reg.change(db, ds.TEAM, None, reg.Add(rules.Entry(name="Zebracorn & Co", owner=BOB)))
    billing = await ds.process(db, "Billing")
    await remark(db, process_id=billing, customer="Zebracorn & Co")
    sent = await send_customer_alerts(services, build_digest_client(services), now=utcnow)
    assert sent.sent, "Bob is told"


WEDNESDAY = dt.datetime(2025, 3, 12, 9, 0, tzinfo=dt.UTC)


async def praise_note(fake, slack, bot, db) -> tuple[int, Any]:
    services = bot.runtime.services
    services.clock = lambda: WEDNESDAY
    await ds.workspace(db)
    pid = await hostile_process(db, owner=DAN)
    for i in range(3):
        await remark(db, process_id=pid, sentiment="praise",
                     at=dt.datetime(2025, 3, 3 + i, 10, tzinfo=dt.UTC))
    await DigestScheduler(services, build_digest_client(services), now=lambda: WEDNESDAY).owner_alerts()
    [note] = [c for c in fake.calls_to("chat.postMessage") if c.ok and c.params["channel"] == DAN]
    return pid, note


async def praise_note_to_owner(fake, slack, bot, db):
    await praise_note(fake, slack, bot, db)


async def thank_the_team(fake, slack, bot, db):
    pid, note = await praise_note(fake, slack, bot, db)
    await slack.click(DAN, f"praise_thank:{pid}", channel=note.response["channel"], ts=note.response["ts"])
    await fake.wait_for("views.open")
    await slack.submit_view(DAN, {"thank_channel": GENERAL, "thank_text": HOSTILE})
    await settled(bot)
    assert [c for c in fake.calls_to("chat.postMessage") if c.ok and c.params["channel"] == GENERAL]


async def improvement_created(fake, slack, bot, db):
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    rid = await message_remark(db, fake, process_id=billing)
    await command(slack, bot, BOB, "improve [Billing]")
    await fake.wait_for("views.open")
    # A link that would end or split Slack's markup is refused in the form.
    bad = await slack.submit_view(BOB, {"imp_process": str(billing), "imp_title": HOSTILE,
                                        "imp_link": "https://evil.example/x>|<!channel>"})
    assert "imp_link" in json.loads(bad.body)["errors"]
    await slack.submit_view(BOB, {"imp_process": str(billing), "imp_title": HOSTILE, "imp_description": HOSTILE,
                                  "imp_link": "https://tracker.example/issues/1?a=1&b=2", "imp_remarks_0": [rid]})
    await settled(bot)
    # Straight from the command too, with a title typed there.
    await command(slack, bot, BOB, f"improve [Billing] {SENT}")
    return billing


async def improvement_edited(fake, slack, bot, db):
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    await improvement(db, billing, [await message_remark(db, fake, process_id=billing)])
    await slack.click_ephemeral(BOB, await listing(fake, slack, bot, BOB), "improvement_edit",
                                channel=SUPPORT)
    await fake.wait_for("views.open")
    await slack.submit_view(BOB, {"imp_process": str(billing), "imp_title": HOSTILE + " v2",
                                  "imp_description": HOSTILE})
    await settled(bot)


async def improvement_shipped(fake, slack, bot, db):
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    await improvement(db, billing, [await message_remark(db, fake, process_id=billing)])
    blocks = await listing(fake, slack, bot, BOB)
    before = len(fake.calls_to("response_url"))
    await slack.click_ephemeral(BOB, blocks, "improvement_status:shipped", channel=SUPPORT)
    await fake.wait_for("response_url", count=before + 1)
    await settled(bot)
    assert [c for c in fake.calls_to("chat.postMessage") if c.ok and c.params["channel"] == ALICE], \
        "Alice, who captured the remark, is told"


async def reply_preview(fake, slack, bot, db) -> None:
    await ds.workspace(db)
    pid = await hostile_process(db, owner=BOB)
    await improvement(db, pid, [await message_remark(db, fake, process_id=pid)], shipped=True)
    await slack.click_ephemeral(BOB, await listing(fake, slack, bot, BOB), "improvement_reply",
                                channel=SUPPORT)
    await fake.wait_for("views.open")


async def thread_reply_preview(fake, slack, bot, db):
    await reply_preview(fake, slack, bot, db)


async def thread_replies_posted(fake, slack, bot, db):
    await reply_preview(fake, slack, bot, db)
    await slack.submit_view(BOB, {"reply_text": HOSTILE})
    await settled(bot)
    assert [c for c in fake.calls_to("chat.postMessage") if c.ok and c.params.get("thread_ts")]
    # Again: every thread had its reply (the title is named in the note).
    blocks = await listing(fake, slack, bot, BOB)
    before = len(fake.calls_to("response_url"))
    await slack.click_ephemeral(BOB, blocks, "improvement_reply", channel=SUPPORT)
    await fake.wait_for("response_url", count=before + 1)


async def feedback_recent(fake, slack, bot, db):
    await capture_by_reaction(fake, slack, bot)
    await command(slack, bot, ALICE, f"({SENT}) {SENT}")
    await command(slack, bot, ALICE, "recent")
    await command(slack, bot, ALICE, "recent +share")


async def feedback_processes(fake, slack, bot, db):
    await ds.workspace(db)
    await ds.process(db, "Billing", owner=BOB)
    await hostile_process(db)
    await command(slack, bot, ALICE, f"process describe Billing {SENT}")
    await command(slack, bot, ALICE, f"process keywords add Billing {SENT}")
    await command(slack, bot, BOB, "processes")


async def process_commands_with_a_hostile_name(fake, slack, bot, db):
    await ds.workspace(db)
    await ds.process(db, "Billing", owner=BOB)
    for text in (f"process add {SENT}", f'process add "{NAME}"', f"process rename Billing to {NAME}",
                 f"process describe {NAME} it is new", f"process archive {NAME}",
                 f"process owner Billing {NAME}", f"process {NAME}", f"process keywords remove Billing {NAME}"):
        await command(slack, bot, ALICE, text)


async def customer_commands_with_a_hostile_name(fake, slack, bot, db):
    await ds.workspace(db)
    for text in (f"customer add {SENT}", "customer add Zebracorn & Co",
                 f"customer alias Zebracorn & Co {SENT}", "customer alias Zebracorn & Co ZC & Sons",
                 f"customer tier Zebracorn & Co {SENT}", f"customer value Zebracorn & Co {SENT}",
                 f"customer owner Zebracorn & Co {SENT}", f"customer connect Zebracorn & Co {SENT}",
                 f"customer remove {SENT}", "customer list"):
        await command(slack, bot, ALICE, text)


async def feedback_improvements(fake, slack, bot, db):
    await ds.workspace(db)
    pid = await hostile_process(db)
    await improvement(db, pid, [await message_remark(db, fake, process_id=pid)])
    await improvement(db, pid, [], shipped=True, link=None)
    await command(slack, bot, BOB, "improvements")


async def commands_echoing_what_was_typed(fake, slack, bot, db):
    await ds.workspace(db)
    await ds.process(db, "Billing", owner=BOB)
    for text in (f"[{NAME}] refunds are slow", f"improve [{NAME}] fix it", f"digest {NAME}",
                 f"digest channel {NAME}", f"digest timezone {NAME}", f"digest schedule {NAME} 09:00",
                 f"digest schedule monday {NAME}", f"watch {SENT}", f"unwatch {SENT}", f"updates {SENT}"):
        await command(slack, bot, ALICE, text)


Scenario = Callable[..., Awaitable[Any]]
SURFACES: dict[str, Scenario] = {
    "reaction confirmation": reaction_confirmation,
    "forward and its comment": forward_with_comment,
    "mention with a note": mention_with_note,
    "message shortcut modal": shortcut_modal,
    "/feedback text with a customer": feedback_typed_with_customer,
    "/feedback modal": feedback_typed_in_its_modal,
    "watched channel": watched_channel,
    "corrections": corrections,
    "merge confirmations": merge_confirmations,
    "App Home": app_home,
    "theme modal": theme_modal,
    "digest and its chart thread": digest_and_chart_thread,
    "digest triage modal": digest_triage_modal,
    "/feedback digest preview": digest_preview,
    "owner alert": owner_alert,
    "customer alert": customer_alert,
    "praise note": praise_note_to_owner,
    "thank the team": thank_the_team,
    "improvement created": improvement_created,
    "improvement edited": improvement_edited,
    "improvement shipped": improvement_shipped,
    "thread reply preview": thread_reply_preview,
    "thread replies posted": thread_replies_posted,
    "/feedback recent": feedback_recent,
    "/feedback processes": feedback_processes,
    "process add, rename, describe": process_commands_with_a_hostile_name,
    "customer add, alias, tier": customer_commands_with_a_hostile_name,
    "/feedback improvements": feedback_improvements,
    "errors echoing input": commands_echoing_what_was_typed,
}


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


@pytest.mark.parametrize("surface", list(SURFACES))
async def test_outside_text_cannot_ping_or_disguise_a_link(surface, fake, slack, bot, db):
    await SURFACES[surface](fake, slack, bot, db)
    await settled(bot)
    await slack.drain()
    shown = everything_shown(fake, slack)
    assert shown, "the surface said something"
    assert [(where, p) for where, text in shown for p in problems(text)] == []
    assert any(MARK in text for _, text in shown), "the hostile text reached the surface"
