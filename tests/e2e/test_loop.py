"""The rest of the loop, end to end: replies in the customers' threads (preview, explicit
submit, once per message, unreachable ones skipped and said so), the "it worked" DM from the
scheduler's sweep, the weekly praise note with its opt-out, and Thank the team."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

from sqlalchemy import select

from bot.digest.post import DigestPoster
from bot.domain.loop import thread_replies
from bot.server.scheduler import DigestScheduler, build_digest_client
from storage.db import transaction
from storage.models import ImprovementNotice, LoopClaim, UserPrefs, utcnow
from storage.repositories import RemarkRepository
from storage.repositories.improvements import ImprovementRepository
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, DAN, FEEDBACK, GENERAL, SUPPORT

HUMANS = [ALICE, BOB, CARLA, DAN]


def dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def dms_to(fake, user: str, containing: str = "") -> list:
    return [c for c in fake.calls_to("chat.postMessage")
            if c.ok and c.params["channel"] == user and containing in str(c.params.get("text"))]


def thread_posts(fake) -> list:
    return [c for c in fake.calls_to("chat.postMessage") if c.ok and c.params.get("thread_ts")]


async def message_remark(db, fake, channel: str, text: str, *, capturers=(ALICE,)) -> int:
    """A customer's Slack message, captured: the remark points at the real message."""
    msg = fake.state.post_message(channel, CARLA, text)
    async with transaction(db) as s:
        repo = RemarkRepository(s)
        at = utcnow() - dt.timedelta(days=1)
        r, _ = await repo.upsert(ds.TEAM, source_key=f"{channel}:{msg['ts']}", said_at=at, created_at=at,
                                 updated_at=at, process_id=None, sentiment="complaint", text=text,
                                 channel_id=channel, message_ts=msg["ts"],
                                 permalink=fake.state.permalink(channel, msg["ts"]), author_user_id=CARLA)
        for user in capturers:
            await repo.add_capture(ds.TEAM, remark_id=r.id, user_id=user, route="reaction", at=at)
        return r.id


async def shipped(db, process_id: int, remark_ids: list[int], *, title="One invoice per order",
                  owner=BOB, at=None) -> int:
    async with transaction(db) as s:
        repo = ImprovementRepository(s)
        imp = await repo.create(ds.TEAM, process_id=process_id, title=title, description="Deduplicated.",
                                owner_user_id=owner, proposed_by=owner, link=None, remark_ids=remark_ids,
                                at=(at or utcnow()) - dt.timedelta(days=3))
        await repo.set_status(ds.TEAM, imp.id, "shipped", by=owner, at=at or utcnow())
        return imp.id


async def test_replies_in_the_threads_after_a_preview_once_each_and_unreachable_ones_skipped(fake, slack, bot, db):
    services = bot.runtime.services
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    fake.state.add_channel("ext-acme", id="C0EXTACME1", members=HUMANS, is_ext_shared=True)
    fake.state.add_channel("old-billing", id="C0OLDBILL1", members=HUMANS)
    fake.state.add_channel("left", id="C0BOTLEFT1", members=HUMANS)
    ours = await message_remark(db, fake, SUPPORT, "Invoice came twice")
    connect = await message_remark(db, fake, "C0EXTACME1", "We were billed twice again", capturers=(CARLA,))
    archived = await message_remark(db, fake, "C0OLDBILL1", "Double charge on the card")
    left = await message_remark(db, fake, "C0BOTLEFT1", "Two invoices for one order")
    gone = await ds.remark(db, process_id=billing, sentiment="complaint", at=utcnow(),
                           text="Deleted while Earshot was not looking")  # no such message in Slack
    fake.state.channel("C0OLDBILL1").is_archived = True
    fake.state.channel("C0BOTLEFT1").members.remove(fake.state.bot_user_id)
    imp_id = await shipped(db, billing, [ours, connect, archived, left, gone])

    listing = (await slack.slash(BOB, SUPPORT, "improvements")).json()
    assert "improvement_reply" in str(listing["blocks"])

    # Someone who is neither owner nor admin is told privately; nothing opens.
    await slack.click_ephemeral(CARLA, listing["blocks"], "improvement_reply", channel=SUPPORT)
    [refused] = await fake.wait_for("response_url")
    assert "Only the improvement's owner" in refused.params["text"]
    assert not fake.calls_to("views.open")

    # The owner gets a preview: nothing is posted by the click.
    await slack.click_ephemeral(BOB, listing["blocks"], "improvement_reply", channel=SUPPORT)
    [opened] = await fake.wait_for("views.open")
    preview = dump(opened.params["view"])
    assert "This was fixed: One invoice per order." in preview
    assert "Slack Connect" in preview and "customer will read this reply" in preview
    assert "the channel is archived" in preview
    assert not thread_posts(fake)

    # An empty reply is refused inline.
    bad = await slack.submit_view(BOB, {"reply_text": "  "})
    assert json.loads(bad.body)["errors"]["reply_text"]
    ok = await slack.submit_view(BOB, {"reply_text": "This was fixed: one invoice per order, from today."})
    assert ok.status == 200 and not ok.body
    await settled(bot)
    await fake.wait_for("chat.postMessage", count=2)
    posts = thread_posts(fake)
    assert sorted(p.params["channel"] for p in posts) == sorted([SUPPORT, "C0EXTACME1"])
    for p in posts:
        assert p.params["text"] == "This was fixed: one invoice per order, from today."
    support_root = next(p.params["thread_ts"] for p in posts if p.params["channel"] == SUPPORT)
    assert [m["text"] for m in fake.state.thread(SUPPORT, support_root)][-1].startswith("This was fixed")

    # The owner is told which were skipped and why.
    [told] = [c for c in dms_to(fake, BOB) if "replied in 2 threads" in c.params["text"]]
    body = dump(told.params["blocks"])
    assert "Skipped 3" in body
    assert "the channel is archived" in body and "Earshot is no longer in the channel" in body
    assert "the message was deleted" in body

    # A second click, Slack's retry, two processes: nothing more is posted.
    await slack.click_ephemeral(BOB, listing["blocks"], "improvement_reply", channel=SUPPORT)
    await fake.wait_for("views.open", count=2)
    await slack.submit_view(BOB, {"reply_text": "Fixed!"})
    await settled(bot)
    results = await asyncio.gather(*(thread_replies.post(
        services, build_digest_client(services), ds.TEAM, imp_id, by=BOB, text="Fixed!") for _ in range(3)))
    assert all(not r.posted and not r.queued for r in results)
    assert all({ours, connect} <= {x.id for x in r.already} for r in results)
    assert len(thread_posts(fake)) == 2
    async with db() as s:
        claims = (await s.scalars(select(LoopClaim).where(LoopClaim.kind == "reply"))).all()
    assert sorted(c.claim_key for c in claims) == sorted([f"{imp_id}:{ours}", f"{imp_id}:{connect}"])
    assert all(c.sent_at is not None for c in claims)


async def test_reply_button_refuses_an_improvement_not_shipped(fake, slack, bot, db):
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    rid = await message_remark(db, fake, SUPPORT, "Invoice came twice")
    async with transaction(db) as s:
        imp = await ImprovementRepository(s).create(
            ds.TEAM, process_id=billing, title="Later", description="", owner_user_id=BOB, proposed_by=BOB,
            link=None, remark_ids=[rid], at=utcnow())
    # A button from an older card, clicked once the improvement is no longer shipped.
    blocks = [{"type": "actions", "block_id": "x", "elements": [
        {"type": "button", "action_id": "improvement_reply", "text": {"type": "plain_text", "text": "Reply"},
         "value": str(imp.id)}]}]
    await slack.click_ephemeral(BOB, blocks, "improvement_reply", channel=SUPPORT)
    [said] = await fake.wait_for("response_url")
    assert "mark it shipped first" in said.params["text"]
    assert not fake.calls_to("views.open") and not thread_posts(fake)


async def test_the_sweep_tells_owner_and_raisers_once_when_it_worked(fake, slack, bot, db):
    """Billing complaints really fall after the ship (improved); Support's stay level (no DM)."""
    services = bot.runtime.services
    now = dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC)
    ship = now - dt.timedelta(days=28)
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    support = await ds.process(db, "Support", owner=CARLA)
    addressed: list[int] = []
    async with transaction(db) as s:
        for week in range(8):
            start = ship + dt.timedelta(days=7 * (week - 4))
            after = week >= 4
            plan = [(billing, "complaint", 1 if after else 10), (support, "complaint", 3 if after else 6),
                    (None, "neutral", 16 if after else 24)]
            i = 0
            for pid, sentiment, n in plan:
                for _ in range(n):
                    at = start + dt.timedelta(hours=3 + 4 * i)
                    i += 1
                    # Alice and Bob captured the first billing complaints, Alice+Bob+Carla one of them.
                    captures = 3 if (pid == billing and week == 3 and i == 1) else 2 if pid == billing else 1
                    rid = await ds.remark(s, process_id=pid, sentiment=sentiment, at=at, captures=captures)
                    if pid == billing and week == 3 and i <= 2:
                        addressed.append(rid)
    dan_remark = await ds.remark(db, process_id=billing, sentiment="complaint", at=ship - dt.timedelta(days=2),
                                 captures=4)
    billing_imp = await shipped(db, billing, [*addressed, dan_remark], at=ship, owner=ALICE)
    support_imp = await shipped(db, support, [], title="Faster first reply", at=ship, owner=CARLA)
    await slack.slash(DAN, SUPPORT, "updates off")

    client = build_digest_client(services)
    for _ in range(2):  # two sweeps, then a restart
        await DigestScheduler(services, client, now=lambda: now).owner_alerts()
    worked = [c for c in fake.calls_to("chat.postMessage") if c.ok and " worked:" in c.params["text"]]
    assert sorted(c.params["channel"] for c in worked) == sorted([ALICE, BOB, CARLA])
    alice = dump(next(c for c in worked if c.params["channel"] == ALICE).params["blocks"])
    assert "One invoice per order" in alice and "25.5 % to 5.0 %" in alice
    assert "41/161 (25.5 %) → 4/80 (5.0 %)" in alice
    assert "you captured" in dump(next(c for c in worked if c.params["channel"] == CARLA).params["blocks"])
    async with db() as s:
        notices = (await s.scalars(select(ImprovementNotice).where(ImprovementNotice.status == "improved"))).all()
    assert {n.improvement_id for n in notices} == {billing_imp} and support_imp not in {n.improvement_id for n in notices}
    assert sorted(n.user_id for n in notices) == sorted([ALICE, BOB, CARLA])


async def test_weekly_praise_note_once_with_quotes_and_an_opt_out(fake, slack, bot, db):
    services = bot.runtime.services
    wednesday = dt.datetime(2025, 3, 12, 9, 0, tzinfo=dt.UTC)
    last_week = dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC)
    await ds.workspace(db)
    onboarding = await ds.process(db, "Onboarding", owner=DAN)
    billing = await ds.process(db, "Billing", owner=BOB)
    for i in range(3):
        await ds.remark(db, process_id=onboarding, sentiment="praise", at=last_week + dt.timedelta(days=i),
                        text=f"Kickoff call was great #{i}", customer="Acme")
    await ds.remark(db, process_id=billing, sentiment="praise", at=last_week, text="Refund was quick")
    await ds.remark(db, process_id=onboarding, sentiment="praise", at=wednesday - dt.timedelta(hours=1),
                    text="This week's praise waits for next week")
    out = (await slack.slash(BOB, SUPPORT, "praise off")).json()
    assert "turned off" in out["text"]

    client = build_digest_client(services)
    for _ in range(2):
        await DigestScheduler(services, client, now=lambda: wednesday).owner_alerts()
    notes = [c for c in fake.calls_to("chat.postMessage") if c.ok and "customers praised" in c.params["text"]]
    assert [c.params["channel"] for c in notes] == [DAN]
    body = dump(notes[0].params["blocks"])
    assert "Kickoff call was great #0" in body and "Acme" in body and "2025-W10" in body
    assert "waits for next week" not in body and "praise_thank:" in body

    # The note's button turns them off, like the complaint alerts.
    await slack.click(DAN, "praise_notes_off", channel=notes[0].response["channel"], ts=notes[0].response["ts"])
    [said] = await fake.wait_for("response_url")
    assert "turned off" in said.params["text"]
    async with db() as s:
        prefs = {p.user_id: p.praise_notes for p in (await s.scalars(select(UserPrefs))).all()}
    assert prefs[DAN] is False and prefs[BOB] is False
    await DigestScheduler(services, client, now=lambda: wednesday + dt.timedelta(days=7)).owner_alerts()
    assert len([c for c in fake.calls_to("chat.postMessage") if "customers praised" in c.params["text"]]) == 1


async def test_thank_the_team_from_the_digest_posts_once(fake, slack, bot, db):
    services = bot.runtime.services
    period_start = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
    await ds.workspace(db, timezone="Europe/Berlin", digest_channel_id=FEEDBACK, installer_user_id=ALICE)
    planted = await ds.plant(db, period_start)
    now = dt.datetime(2025, 3, 10, 8, 1, tzinfo=dt.UTC)
    services.clock = lambda: now
    poster = DigestPoster(services, build_digest_client(services), worker="t", now=lambda: now, backoff_base=0.01)
    await poster.post(ds.TEAM)
    [post] = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == FEEDBACK]
    thanks = [b["accessory"]["action_id"] for b in post.params["blocks"]
              if b.get("accessory", {}).get("action_id", "").startswith("praise_thank:")]
    assert thanks == [f"praise_thank:{planted.praised}"]
    action = f"praise_thank:{planted.praised}"

    await slack.click(CARLA, action, channel=FEEDBACK, ts=post.response["ts"])
    [refused] = await fake.wait_for("response_url")
    assert "Only the process owner" in refused.params["text"]

    await slack.click(DAN, action, channel=FEEDBACK, ts=post.response["ts"])
    [opened] = await fake.wait_for("views.open")
    view = dump(opened.params["view"])
    assert "Kickoff was great" in view and "conversations_select" in view and "users_select" in view
    neither = await slack.submit_view(DAN, {"thank_text": "Thanks!"})
    assert "one of them" in json.loads(neither.body)["errors"]["thank_channel"]
    # A channel Earshot is not in: said so, nothing sent, and it can be tried again.
    fake.state.add_channel("onboarding-team", id="C0ONBOARD1", members=HUMANS, bot_member=False)
    await slack.submit_view(DAN, {"thank_channel": "C0ONBOARD1", "thank_text": "Thank you all!"})
    await settled(bot)
    assert not [c for c in fake.calls_to("chat.postMessage") if c.ok and c.params["channel"] == "C0ONBOARD1"]
    assert len([c for c in dms_to(fake, DAN) if "invite" in c.params["text"]]) == 1

    await slack.click(DAN, action, channel=FEEDBACK, ts=post.response["ts"])
    await fake.wait_for("views.open", count=2)
    ok = await slack.submit_view(DAN, {"thank_channel": GENERAL, "thank_text": "Thank you all!"})
    assert ok.status == 200 and not ok.body
    await settled(bot)
    sent = [c for c in fake.calls_to("chat.postMessage") if c.ok and c.params["channel"] == GENERAL]
    assert len(sent) == 1
    assert "Thank you all!" in dump(sent[0].params["blocks"]) and "Kickoff was great" in dump(
        sent[0].params["blocks"])
    assert any("sent to" in c.params["text"] for c in dms_to(fake, DAN))

    # A second click says it was sent already; nothing opens, nothing more is posted.
    await slack.click(DAN, action, channel=FEEDBACK, ts=post.response["ts"])
    said = await fake.wait_for("response_url", count=2)
    assert "sent already" in said[-1].params["text"]
    assert len(fake.calls_to("views.open")) == 2
    assert len([c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == GENERAL]) == 1



async def test_a_watched_channel_is_never_sent_the_shipped_or_worked_dm(fake, slack, bot, db):
    """Watched captures are recorded under the channel: the channel is not a person to DM."""
    services = bot.runtime.services
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    fake.state.add_channel("ext-acme", id="C0EXTACME1", members=HUMANS, is_ext_shared=True)
    msg = fake.state.post_message("C0EXTACME1", CARLA, "Invoice came twice")
    async with transaction(db) as s:
        repo = RemarkRepository(s)
        r, _ = await repo.upsert(ds.TEAM, source_key=f"C0EXTACME1:{msg['ts']}", process_id=billing,
                                 sentiment="complaint", text="Invoice came twice", channel_id="C0EXTACME1",
                                 message_ts=msg["ts"], watched=True)
        await repo.add_capture(ds.TEAM, remark_id=r.id, user_id="C0EXTACME1", route="watch", at=utcnow())
        await repo.add_capture(ds.TEAM, remark_id=r.id, user_id=ALICE, route="reaction", at=utcnow())
    imp_id = await shipped(db, billing, [r.id], owner=BOB)
    from bot.domain.loop import improvements

    told = await improvements.tell_raisers(services, build_digest_client(services), ds.TEAM, imp_id, by=BOB)
    assert told == {ALICE: 1}
    assert not [c for c in fake.calls_to("chat.postMessage") if c.params.get("channel") == "C0EXTACME1"]


async def test_a_slack_5xx_on_a_thread_reply_leaves_it_owed_and_it_is_posted_once_later(fake, slack, bot, db):
    """The reply is owed in the outbox with its claim: a 5xx beyond the client's own retries is
    posted by the outbox later, once; the owner is told it will go out."""
    from storage.models import OwedEffect
    from tests.conftest import eventually

    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    rid = await message_remark(db, fake, SUPPORT, "Invoice came twice")
    await shipped(db, billing, [rid])
    listing = (await slack.slash(BOB, SUPPORT, "improvements")).json()
    await slack.click_ephemeral(BOB, listing["blocks"], "improvement_reply", channel=SUPPORT)
    await fake.wait_for("views.open")
    fake.fail_next("chat.postMessage", "internal_error", status=500, times=3)
    await slack.submit_view(BOB, {"reply_text": "This was fixed."})
    await settled(bot)
    told = await eventually(lambda: [c for c in dms_to(fake, BOB) if "replied in 0 threads" in c.params["text"]])
    assert "1 more will go out" in dump(told[0].params["blocks"])
    await eventually(lambda: thread_posts(fake), timeout=20)

    async def nothing_owed() -> bool:
        async with db() as s:
            return not (await s.scalars(select(OwedEffect))).all()

    await eventually(nothing_owed, timeout=5)
    assert len(thread_posts(fake)) == 1 and thread_posts(fake)[0].params["text"] == "This was fixed."
