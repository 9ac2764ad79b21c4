"""Account owners hear when an improvement answering their customers' remarks ships (through
the real *Shipped* button) and when *Did it work?* says it worked: one DM per owner and
event, naming every one of their customers, once however often it is retried or swept, and
never to an owner who turned customer alerts off. Interaction payloads are shaped as Slack's
block_actions reference shows them (https://api.slack.com/reference/interaction-payloads/block-actions),
built by the stand-in (bot/fakeslack/payloads.py); a retry carries ``X-Slack-Retry-Num``."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

from sqlalchemy import select

from bot.domain.customers import registry as reg
from bot.domain.customers import rules
from bot.domain.loop import account_owners, trackers
from bot.fakeslack.signing import FORM
from bot.server.scheduler import DigestScheduler, build_digest_client
from storage.db import transaction
from storage.models import Customer, Improvement, LoopClaim, OwedEffect, utcnow
from storage.repositories.customers import customer_key
from storage.repositories.improvements import ImprovementRepository
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, DAN, SUPPORT
from tests.e2e.test_trackers import closed_issue, github, post

MARK = "improvement answering your customers"  # the notes' own footer, and no other DM's


def notes(fake, user: str) -> list:
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c.ok and c.params["channel"] == user and MARK in json.dumps(c.params.get("blocks"))
    ]


async def planned(db, process_id: int, remark_ids: list[int], *, owner: str = BOB) -> int:
    async with transaction(db) as s:
        imp = await ImprovementRepository(s).create(
            ds.TEAM,
            process_id=process_id,
            title="One invoice per order",
            description="Deduplicated.",
            owner_user_id=owner,
            proposed_by=owner,
            link="https://github.com/acme/billing/issues/42",
            remark_ids=remark_ids,
            at=utcnow() - dt.timedelta(days=3),
        )
        return imp.id


async def ship_by_button(slack, fake, user: str, blocks: list | None = None) -> tuple[list, object]:
    """The owner lists the improvements and clicks *Shipped* on its card (or on ``blocks``,
    a card they saw before)."""
    blocks = blocks or (await slack.slash(user, SUPPORT, "improvements")).json()["blocks"]
    answered = len(fake.calls_to("response_url"))
    click = await slack.click_ephemeral(user, blocks, "improvement_status:shipped", channel=SUPPORT)
    assert click.status == 200
    await fake.wait_for("response_url", count=answered + 1)
    return blocks, click


async def shipped_at(db, improvement_id: int) -> dt.datetime:
    async with db() as s:
        imp = await s.get(Improvement, improvement_id)
        assert imp is not None and imp.status == "shipped" and imp.shipped_at is not None
        return imp.shipped_at


async def test_account_owners_hear_once_per_event_naming_all_their_customers(fake, slack, bot, db):
    services = bot.runtime.services
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    for name, owner in (
        ("Acme Corp", ALICE),
        ("Globex", ALICE),
        ("Initech", CARLA),
        ("Umbrella", DAN),
        ("Hooli", CARLA),
    ):
        await reg.change(db, ds.TEAM, None, reg.Add(rules.Entry(name=name, owner=owner)))
    t0 = utcnow() - dt.timedelta(days=2)
    addressed = [
        await ds.remark(
            db,
            process_id=billing,
            sentiment="complaint",
            at=t0 + dt.timedelta(minutes=i),
            text=f"Invoice came twice ({name})",
            customer=name,
            captures=0,
        )
        for i, name in enumerate(("Acme Corp", "Globex", "Acme Corp", "Initech", "Umbrella"))
    ]
    addressed.append(
        await ds.remark(
            db, process_id=billing, sentiment="complaint", at=t0, text="No customer", captures=0
        )
    )
    # Hooli's remark is not among those the improvement answers: Carla hears of Initech only.
    await ds.remark(
        db, process_id=billing, sentiment="complaint", at=t0, customer="Hooli", captures=0
    )
    imp_id = await planned(db, billing, addressed)

    # Dan, Umbrella's owner, turned customer alerts off (the same switch as the daily note).
    off = await slack.slash(DAN, SUPPORT, "customer alerts off")
    assert "improvements answering them" in off.json()["text"]

    card, click = await ship_by_button(slack, fake, BOB)
    await settled(bot)
    ship = await shipped_at(db, imp_id)
    [alice] = notes(fake, ALICE)
    body = json.dumps(alice.params["blocks"])
    assert "*One invoice per order* shipped on *Billing*" in body
    assert "*Acme Corp*, *Globex*, whose account you own" in body
    assert "github.com/acme/billing/issues/42" in body and "Deduplicated." in body
    assert body.count("archives/C0SUPPORT1/p") == 3  # a link to each of her customers' remarks
    assert "Acme Corp" in alice.params["text"] and "Globex" in alice.params["text"]
    [carla] = notes(fake, CARLA)
    assert "*Initech*" in json.dumps(carla.params["blocks"]) and "Hooli" not in json.dumps(
        carla.params["blocks"]
    )
    assert notes(fake, DAN) == [] and notes(fake, BOB) == []

    # Slack's retry of the same click, a second click, the scheduler's sweeps (twice: a
    # restart), and three processes at once: still one DM each.
    retry = await slack.deliverer.send_signed(
        click.request_body, FORM, retry_num=1, retry_reason="http_timeout"
    )
    assert retry.status == 200
    await ship_by_button(slack, fake, BOB, card)  # the card as it was before the ship
    scheduler = DigestScheduler(services, build_digest_client(services))
    await scheduler.owner_alerts()
    await scheduler.owner_alerts()
    again = await asyncio.gather(
        *(
            account_owners.tell(
                services, build_digest_client(services), ds.TEAM, imp_id, account_owners.SHIPPED
            )
            for _ in range(3)
        )
    )
    await settled(bot)
    assert again == [[], [], []]
    assert len(notes(fake, ALICE)) == 1 and len(notes(fake, CARLA)) == 1 and notes(fake, DAN) == []

    # Four weeks on, complaints about Billing have fallen: *Did it work?* says improved, and
    # each owner hears that once more, however many sweeps run.
    await plant_a_fall(db, billing, ship)
    later = DigestScheduler(
        services, build_digest_client(services), now=lambda: ship + dt.timedelta(days=28)
    )
    for _ in range(2):
        await later.owner_alerts()
    assert len(notes(fake, ALICE)) == 2 and len(notes(fake, CARLA)) == 2 and notes(fake, DAN) == []
    worked = json.dumps(notes(fake, ALICE)[-1].params["blocks"])
    assert "*One invoice per order* worked: complaints about *Billing* fell" in worked
    assert "*Acme Corp*, *Globex*, whose account you own" in worked
    async with db() as s:
        claims = (
            await s.scalars(select(LoopClaim).where(LoopClaim.kind == account_owners.KIND))
        ).all()
        owed = (await s.scalars(select(OwedEffect))).all()
    assert sorted(c.claim_key for c in claims) == sorted(
        account_owners.claim_key(imp_id, event, owner)
        for event in (account_owners.SHIPPED, account_owners.VERIFIED)
        for owner in (ALICE, CARLA)
    )
    assert all(c.sent_at is not None for c in claims)
    assert owed == []  # Slack accepted every one: nothing left owed


async def plant_a_fall(db, billing: int, ship: dt.datetime) -> None:
    """Eight weeks around the ship: Billing's complaints fall from 10 a week to 1, among
    remarks about everything else (as in tests/e2e/test_loop.py)."""
    async with transaction(db) as s:
        for week in range(8):
            start = ship + dt.timedelta(days=7 * (week - 4))
            after = week >= 4
            i = 0
            for pid, sentiment, n in (
                (billing, "complaint", 1 if after else 10),
                (None, "neutral", 16 if after else 24),
            ):
                for _ in range(n):
                    await ds.remark(
                        s,
                        process_id=pid,
                        sentiment=sentiment,
                        at=start + dt.timedelta(hours=3 + 4 * i),
                        captures=0,
                    )
                    i += 1


async def test_a_customer_name_with_slack_markup_is_shown_as_text(fake, slack, bot, db):
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    # The registry refuses < and > today; a name stored before, or by an import, may hold them.
    name = "Acme <!channel> <https://evil.example|Portal> & Co"
    async with transaction(db) as s:
        s.add(
            Customer(team_id=ds.TEAM, name=name, name_key=customer_key(name), owner_user_id=ALICE)
        )
    remark = await ds.remark(
        db, process_id=billing, sentiment="complaint", at=utcnow(), customer=name, captures=0
    )
    await planned(db, billing, [remark])
    await ship_by_button(slack, fake, BOB)
    await settled(bot)
    [dm] = notes(fake, ALICE)
    shown = json.dumps([dm.params["text"], dm.params["blocks"]])
    assert "<!channel>" not in shown and "evil.example|" not in shown
    assert "Acme @channel" in shown and "&amp; Co" in shown


async def test_a_tracker_webhook_ship_tells_the_account_owner_once(fake, bot, db):
    """GitHub's ``issues`` close (shapes and signature as tests/e2e/test_trackers.py builds
    them from GitHub's "Webhook events and payloads") ships it: the owner hears once, and
    GitHub's redelivery tells nobody again."""
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    await reg.change(db, ds.TEAM, None, reg.Add(rules.Entry(name="Acme Corp", owner=CARLA)))
    remark = await ds.remark(
        db, process_id=billing, sentiment="complaint", at=utcnow(), customer="Acme Corp", captures=0
    )
    await planned(db, billing, [remark])
    secret = await trackers.ensure_secret(bot.runtime.services, ds.TEAM)
    body, headers = github(
        secret, "issues", closed_issue("https://github.com/acme/billing/issues/42")
    )
    for _ in range(2):
        assert (await post(bot, "/hooks/github?team=T0001", body, headers))[0] == 200
    [dm] = notes(fake, CARLA)
    assert "*Acme Corp*, whose account you own" in json.dumps(dm.params["blocks"])
