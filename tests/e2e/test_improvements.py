"""Closing the loop: improvements started from the owner's alert, the digest and /feedback,
their statuses (owner and admins only), and the one DM to the people who raised the remarks."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

from sqlalchemy import select

from bot.digest.post import DigestPoster
from bot.domain.alerts.owners import send_owner_alerts
from bot.domain.loop import improvements
from bot.server.scheduler import build_digest_client
from storage.db import transaction
from storage.models import (
    Improvement,
    ImprovementNotice,
    ImprovementRemark,
    ImprovementStatusChange,
    utcnow,
)
from storage.repositories.improvements import ImprovementRepository
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, DAN, FEEDBACK, SUPPORT


async def the_improvement(db) -> Improvement:
    async with db() as s:
        return (await s.scalars(select(Improvement).execution_options(populate_existing=True))).one()


async def linked(db, improvement_id: int) -> set[int]:
    async with db() as s:
        rows = await s.scalars(select(ImprovementRemark.remark_id)
                               .where(ImprovementRemark.improvement_id == improvement_id))
        return set(rows.all())


def dms_to(fake, user: str) -> list:
    return [c for c in fake.calls_to("chat.postMessage") if c.ok and c.params["channel"] == user]


async def billing_with_complaints(db) -> tuple[int, list[int]]:
    """Billing (owned by Bob) with three complaints: captured by 1, 3 and 2 teammates."""
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    t0 = utcnow() - dt.timedelta(days=2)
    ids = [
        await ds.remark(db, process_id=billing, sentiment="complaint", at=t0, text="Invoice came twice"),
        await ds.remark(db, process_id=billing, sentiment="complaint", at=t0 - dt.timedelta(hours=1),
                        text="Refund is three weeks late", customer="Acme", captures=3),
        await ds.remark(db, process_id=billing, sentiment="complaint", at=t0 + dt.timedelta(hours=1),
                        text="Card declined for no reason", captures=2),
    ]
    return billing, ids


async def test_started_from_the_owner_alert_with_its_complaints_then_shipped_and_told_once(fake, slack, bot, db):
    services = bot.runtime.services
    billing, (single, loud, double) = await billing_with_complaints(db)
    await send_owner_alerts(services, build_digest_client(services), now=utcnow)
    [alert] = dms_to(fake, BOB)
    # The owner's alert offers the form for that process.
    await slack.click(BOB, f"improvement_start:{billing}", channel=alert.response["channel"],
                      ts=alert.response["ts"])
    [opened] = await fake.wait_for("views.open")
    modal = opened.params["view"]
    boxes = [b for b in modal["blocks"] if b.get("element", {}).get("type") == "checkboxes"]
    assert len(boxes) == 1 and len(boxes[0]["element"]["options"]) <= 10
    proposed = [int(o["value"]) for o in boxes[0]["element"]["options"]]
    assert proposed == [loud, double, single]  # most captured first
    assert {int(o["value"]) for o in boxes[0]["element"]["initial_options"]} == {loud, double, single}

    # Invalid title and link are shown inline; nothing is stored.
    bad = await slack.submit_view(BOB, {"imp_title": "x" * 151, "imp_link": "not a url",
                                        "imp_remarks_0": [loud, double]})
    errors = json.loads(bad.body)["errors"]
    assert "150" in errors["imp_title"] and "https://" in errors["imp_link"]
    async with db() as s:
        assert (await s.scalars(select(Improvement))).first() is None

    # The owner unticks the single-capture complaint and saves.
    ok = await slack.submit_view(BOB, {
        "imp_process": str(billing), "imp_title": "One invoice per order, never two", "imp_description": "Dedupe invoice emails",
        "imp_link": "https://github.com/acme/billing/issues/42", "imp_remarks_0": [loud, double]})
    assert ok.status == 200, ok.body
    assert not ok.body, ok.body
    await settled(bot)
    imp = await the_improvement(db)
    assert (imp.process_id, imp.status, imp.owner_user_id, imp.proposed_by) == (billing, "planned", BOB, BOB)
    assert imp.link == "https://github.com/acme/billing/issues/42"
    assert await linked(db, imp.id) == {loud, double}
    card = dms_to(fake, BOB)[-1]
    assert "One invoice per order" in str(card.params["blocks"]) and "addresses 2 remarks" in str(card.params["blocks"])

    # Listed with its status; Carla (neither owner nor admin) sees no buttons, and a click
    # crafted from the owner's card is refused.
    listing = (await slack.slash(CARLA, SUPPORT, "improvements")).json()
    assert "One invoice per order" in str(listing["blocks"]) and "Planned" in str(listing["blocks"])
    assert "improvement_status:" not in str(listing["blocks"]) and "improvement_edit" not in str(listing["blocks"])
    listing = (await slack.slash(BOB, SUPPORT, "improvements")).json()
    await slack.click_ephemeral(CARLA, listing["blocks"], "improvement_status:shipped", channel=SUPPORT)
    [refused] = await fake.wait_for("response_url")
    assert "Only the process owner" in refused.params["text"] and "<@U0BOB00001>" in refused.params["text"]
    assert (await the_improvement(db)).status == "planned"

    # Dan turns the updates off; the owner starts work, then ships.
    await slack.slash(DAN, SUPPORT, "updates off")
    await slack.click_ephemeral(BOB, listing["blocks"], "improvement_status:in_progress", channel=SUPPORT)
    await fake.wait_for("response_url", count=2)
    assert (await the_improvement(db)).status == "in_progress"
    listing = (await slack.slash(BOB, SUPPORT, "improvements")).json()
    before_ship = len(fake.calls_to("chat.postMessage"))
    await slack.click_ephemeral(BOB, listing["blocks"], "improvement_status:shipped", channel=SUPPORT)
    await fake.wait_for("response_url", count=3)
    await settled(bot)
    imp = await the_improvement(db)
    assert imp.status == "shipped" and imp.shipped_at is not None
    async with db() as s:
        history = [h.status for h in (await s.scalars(
            select(ImprovementStatusChange).order_by(ImprovementStatusChange.id))).all()]
    assert history == ["planned", "in_progress", "shipped"]

    # Alice captured both addressed remarks: one DM naming both. Carla captured one. Bob
    # shipped it (no DM to himself); Dan opted out; the single-capture remark was unticked.
    new = fake.calls_to("chat.postMessage")[before_ship:]
    by_user = {c.params["channel"]: c for c in new if c.ok}
    assert set(by_user) == {ALICE, CARLA}
    alice = str(by_user[ALICE].params["blocks"])
    assert "Refund is three weeks late" in alice and "Card declined" in alice
    assert "Invoice came twice" not in alice and "<@U0BOB00001>" in alice
    assert "github.com/acme/billing/issues/42" in alice and "Dedupe invoice emails" in alice
    carla = str(by_user[CARLA].params["blocks"])
    assert "Refund is three weeks late" in carla and "Card declined" not in carla

    # A retry, another process, a restart: claims stop any second message.
    again = await asyncio.gather(*(improvements.tell_raisers(
        services, build_digest_client(services), ds.TEAM, imp.id, by=BOB) for _ in range(3)))
    assert again == [{}, {}, {}]
    assert len(fake.calls_to("chat.postMessage")) == before_ship + 2
    async with db() as s:
        notices = (await s.scalars(select(ImprovementNotice))).all()
    assert sorted((n.user_id, n.status, n.sent_at is not None) for n in notices) == [
        (ALICE, "shipped", True), (CARLA, "shipped", True)]

    # Shipped is final.
    await slack.click_ephemeral(BOB, listing["blocks"], "improvement_status:dropped", channel=SUPPORT)
    last = await fake.wait_for("response_url", count=4)
    assert "cannot change" in last[-1].params["text"]


async def test_racing_senders_tell_each_person_once(fake, bot, db):
    services = bot.runtime.services
    billing, ids = await billing_with_complaints(db)
    async with transaction(db) as s:
        repo = ImprovementRepository(s)
        imp = await repo.create(ds.TEAM, process_id=billing, title="Fix refunds", description="",
                                owner_user_id=BOB, proposed_by=BOB, link=None, remark_ids=ids, at=utcnow())
        await repo.set_status(ds.TEAM, imp.id, "shipped", by=BOB, at=utcnow())
    client = build_digest_client(services)
    results = await asyncio.gather(*(improvements.tell_raisers(services, client, ds.TEAM, imp.id, by=DAN)
                                     for _ in range(4)))
    told = [u for r in results for u in r]
    assert sorted(told) == sorted([ALICE, BOB, CARLA])
    assert len(dms_to(fake, ALICE)) == 1 and len(dms_to(fake, BOB)) == 1 and len(dms_to(fake, CARLA)) == 1


async def test_improve_command_creates_directly_or_explains(fake, slack, bot, db):
    billing, _ = await billing_with_complaints(db)
    out = (await slack.slash(CARLA, SUPPORT, "improve [billing] Send one invoice per order")).json()
    assert out["response_type"] == "ephemeral"
    assert "Improvement started" in str(out["blocks"]) and "3 recent complaints" in str(out["blocks"])
    imp = await the_improvement(db)
    # Anyone may propose; the process owner owns it by default.
    assert (imp.title, imp.process_id, imp.proposed_by, imp.owner_user_id) == (
        "Send one invoice per order", billing, CARLA, BOB)
    assert await linked(db, imp.id) == set()

    unknown = (await slack.slash(CARLA, SUPPORT, "improve [Billling] fix it")).json()
    assert "don't know the process" in unknown["text"] and "[Billing]" in unknown["text"]
    long = (await slack.slash(CARLA, SUPPORT, "improve [Billing] " + "y" * 151)).json()
    assert "at most 150" in long["text"]

    # With only a process: the form opens prefilled with it.
    await slack.slash(CARLA, SUPPORT, "improve [Billing]")
    [opened] = await fake.wait_for("views.open")
    process_block = next(b for b in opened.params["view"]["blocks"] if b.get("block_id") == "imp_process")
    assert process_block["element"]["initial_option"]["value"] == str(billing)


async def test_edit_adds_and_removes_remarks(fake, slack, bot, db):
    billing, (single, loud, double) = await billing_with_complaints(db)
    await slack.slash(BOB, SUPPORT, "improve [Billing] Fix refunds")
    imp = await the_improvement(db)
    listing = (await slack.slash(BOB, SUPPORT, "improvements")).json()
    await slack.click_ephemeral(BOB, listing["blocks"], "improvement_edit", channel=SUPPORT)
    [opened] = await fake.wait_for("views.open")
    assert "initial_options" not in str(opened.params["view"]["blocks"])  # none attached yet
    await slack.submit_view(BOB, {"imp_process": str(billing), "imp_title": "Fix refunds", "imp_remarks_0": [single, loud],
                                  "imp_owner": CARLA})
    await settled(bot)
    assert await linked(db, imp.id) == {single, loud}
    assert (await the_improvement(db)).owner_user_id == CARLA
    await slack.click_ephemeral(BOB, listing["blocks"], "improvement_edit", channel=SUPPORT)
    await fake.wait_for("views.open", count=2)
    await slack.submit_view(BOB, {"imp_process": str(billing), "imp_title": "Fix refunds",
                                  "imp_remarks_0": [double]})
    await settled(bot)
    assert await linked(db, imp.id) == {double}


async def test_digest_improve_items_have_a_start_button_that_opens_the_form(fake, slack, bot, db):
    services = bot.runtime.services
    period_start = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
    await ds.workspace(db, timezone="Europe/Berlin", digest_channel_id=FEEDBACK, installer_user_id=ALICE)
    planted = await ds.plant(db, period_start)
    poster = DigestPoster(services, build_digest_client(services), worker="t",
                          now=lambda: dt.datetime(2025, 3, 10, 8, 1, tzinfo=dt.UTC), backoff_base=0.01)
    await poster.post(ds.TEAM)
    [post] = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == FEEDBACK]
    starts = [b["accessory"]["action_id"] for b in post.params["blocks"]
              if b.get("accessory", {}).get("action_id", "").startswith("improvement_start:")]
    assert f"improvement_start:{planted.worse}" in starts
    await slack.click(DAN, f"improvement_start:{planted.worse}", channel=FEEDBACK, ts=post.response["ts"])
    [opened] = await fake.wait_for("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "improvement_modal"
    owner = next(b for b in view["blocks"] if b.get("block_id") == "imp_owner")
    assert owner["element"]["initial_user"] == BOB


async def test_app_home_shows_the_owner_their_improvements(fake, slack, bot, db):
    await billing_with_complaints(db)
    await slack.slash(CARLA, SUPPORT, "improve [Billing] Fix refunds")
    await slack.open_home(BOB)
    await fake.wait_for("views.publish")
    home = str(fake.calls_to("views.publish")[-1].params["view"])
    assert "Your improvements" in home and "Fix refunds" in home
    await slack.click(BOB, "improvement_status:in_progress")
    await fake.wait_for("views.publish", count=2)
    assert (await the_improvement(db)).status == "in_progress"
    assert "In progress" in str(fake.calls_to("views.publish")[-1].params["view"])
    await slack.open_home(DAN)
    await fake.wait_for("views.publish", count=3)
    assert "Your improvements" not in str(fake.calls_to("views.publish")[-1].params["view"])


async def test_did_it_work_in_the_digest_and_the_list(fake, slack, bot, db):
    """Three shipped improvements: a real drop in complaint share (improved), a drop in counts
    only because the whole workspace went quiet (no clear change), one shipped 5 days ago."""
    services = bot.runtime.services
    slot = dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC)  # the digest of 3-9 March (Berlin)
    period_end = dt.datetime(2025, 3, 9, 23, 0, tzinfo=dt.UTC)
    ship = period_end - dt.timedelta(days=28)
    await ds.workspace(db, timezone="Europe/Berlin", digest_channel_id=FEEDBACK, installer_user_id=ALICE)
    billing = await ds.process(db, "Billing", owner=BOB)
    support = await ds.process(db, "Support", owner=CARLA)
    exports = await ds.process(db, "Exports", owner=DAN)
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
                    await ds.remark(s, process_id=pid, sentiment=sentiment, at=at)
        repo = ImprovementRepository(s)
        made = {}
        for pid, title, at in ((billing, "One invoice per order", ship),
                               (support, "Faster first reply", ship),
                               (exports, "CSV export in one click", period_end - dt.timedelta(days=5))):
            imp = await repo.create(ds.TEAM, process_id=pid, title=title, description="", owner_user_id=None,
                                    proposed_by=ALICE, link=None, remark_ids=[], at=at - dt.timedelta(days=3))
            await repo.set_status(ds.TEAM, imp.id, "shipped", by=ALICE, at=at)
            made[title] = imp.id

    poster = DigestPoster(services, build_digest_client(services), worker="t",
                          now=lambda: slot + dt.timedelta(minutes=1), backoff_base=0.01)
    await poster.post(ds.TEAM)
    [post] = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == FEEDBACK]
    [section] = [b["text"]["text"] for b in post.params["blocks"]
                 if b["type"] == "section" and "*Did it work?*" in b["text"]["text"]]
    parts = {t: section.split(f"*{t}*")[1].split("\n*")[0] for t in made}
    assert "*Improved*" in parts["One invoice per order"]
    assert "40/160 (25.0 %) → 4/80 (5.0 %)" in parts["One invoice per order"]
    assert "*No clear change*" in parts["Faster first reply"]
    assert "24/160 (15.0 %) → 12/80 (15.0 %)" in parts["Faster first reply"]
    assert "*Too early to tell*" in parts["CSV export in one click"]

    services.clock = lambda: slot  # the list shows what shipped in the last 12 weeks
    listing = (await slack.slash(BOB, SUPPORT, "improvements")).json()
    card = next(b["text"]["text"] for b in listing["blocks"]
                if b["type"] == "section" and "One invoice per order" in b["text"]["text"])
    assert "Did it work?" in card and "*Improved*" in card and "Shipped" in card


async def test_the_scheduler_sweep_finishes_telling_after_a_crash(fake, bot, db):
    """Shipped, then the process died before any DM: the sweep tells everyone, once."""
    services = bot.runtime.services
    billing, ids = await billing_with_complaints(db)
    async with transaction(db) as s:
        repo = ImprovementRepository(s)
        imp = await repo.create(ds.TEAM, process_id=billing, title="Fix refunds", description="",
                                owner_user_id=BOB, proposed_by=BOB, link=None, remark_ids=ids[1:2], at=utcnow())
        await repo.set_status(ds.TEAM, imp.id, "shipped", by=BOB, at=utcnow())
        # Alice was told before the crash.
        assert await repo.claim_notice(ds.TEAM, imp.id, ALICE, "shipped", at=utcnow())
    from bot.server.scheduler import DigestScheduler

    scheduler = DigestScheduler(services, build_digest_client(services))
    await scheduler.owner_alerts()
    await scheduler.owner_alerts()
    shipped = [c.params["channel"] for c in fake.calls_to("chat.postMessage") if "has shipped" in c.params["text"]]
    assert shipped == [CARLA]  # Alice was told already; Bob shipped it himself


async def test_choosing_a_process_in_the_form_proposes_its_complaints(fake, slack, bot, db):
    billing, (single, loud, double) = await billing_with_complaints(db)
    await slack.slash(CARLA, SUPPORT, "improve")
    [opened] = await fake.wait_for("views.open")
    assert "checkboxes" not in str(opened.params["view"]["blocks"])
    await slack.click(CARLA, "imp_process_choice", value=str(billing))
    [updated] = await fake.wait_for("views.update")
    view = updated.params["view"]
    [boxes] = [b for b in view["blocks"] if b.get("element", {}).get("type") == "checkboxes"]
    assert [int(o["value"]) for o in boxes["element"]["options"]] == [loud, double, single]
    owner = next(b for b in view["blocks"] if b.get("block_id") == "imp_owner")
    assert owner["element"]["initial_user"] == BOB
    await slack.submit_view(CARLA, {"imp_process": str(billing), "imp_title": "Refunds in a week",
                                    "imp_remarks_0": [loud]})
    await settled(bot)
    imp = await the_improvement(db)
    assert (imp.proposed_by, imp.owner_user_id) == (CARLA, BOB) and await linked(db, imp.id) == {loud}


async def test_concurrent_ship_and_drop_only_one_wins(fake, bot, db):
    services = bot.runtime.services
    billing, ids = await billing_with_complaints(db)
    async with transaction(db) as s:
        imp = await ImprovementRepository(s).create(
            ds.TEAM, process_id=billing, title="Fix refunds", description="", owner_user_id=BOB,
            proposed_by=BOB, link=None, remark_ids=ids, at=utcnow())
    client = build_digest_client(services)
    results = await asyncio.gather(
        *(improvements.change_status(services, client, ds.TEAM, imp.id, status, by=BOB)
          for status in ("shipped", "dropped", "shipped", "dropped")), return_exceptions=True)
    changed = [r for r in results if isinstance(r, tuple) and r[1]]
    assert len(changed) == 1
    final = (await the_improvement(db)).status
    async with db() as s:
        history = [h.status for h in (await s.scalars(
            select(ImprovementStatusChange).order_by(ImprovementStatusChange.id))).all()]
    assert history == ["planned", final]
    shipped_dms = [c for c in fake.calls_to("chat.postMessage") if "has shipped" in c.params["text"]]
    assert len(shipped_dms) == (2 if final == "shipped" else 0)  # Alice and Carla; Bob shipped it
