"""Digest settings, preview, triage and owner alerts through signed Slack payloads."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.digest.periods import Schedule, due_period
from bot.digest.post import DigestPoster
from bot.domain.alerts.owners import send_owner_alerts
from bot.server.scheduler import build_digest_client
from storage.models import Remark, Workspace, utcnow
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, FEEDBACK, SUPPORT


async def say(slack, user: str, text: str) -> dict:
    delivery = await slack.slash(user, SUPPORT, text)
    assert delivery.status == 200, delivery.body
    body = delivery.json()
    assert body and body.get("response_type") == "ephemeral"
    return body


def texts(body: dict) -> str:
    parts = [body.get("text", "")]
    for b in body.get("blocks", []):
        if b["type"] in ("section", "header"):
            parts.append(b["text"]["text"])
        elif b["type"] == "context":
            parts.extend(e["text"] for e in b["elements"])
    return "\n".join(parts)


async def ws(db) -> Workspace:
    async with db() as s:
        return await s.get(Workspace, ds.TEAM, populate_existing=True)


async def test_admin_sets_channel_and_becomes_contact_with_their_time_zone(slack, db):
    out = texts(await say(slack, ALICE, f"digest channel <#{FEEDBACK}|customer-feedback>"))
    assert "posted to <#C0FEEDBAK1>" in out
    w = await ws(db)
    assert (w.digest_channel_id, w.installer_user_id, w.timezone) == (FEEDBACK, ALICE, "Europe/Berlin")
    assert "every Monday at 09:00 (Europe/Berlin)" in out


async def test_channel_by_plain_name_is_resolved(slack, db):
    texts(await say(slack, ALICE, "digest channel #support"))
    assert (await ws(db)).digest_channel_id == SUPPORT


async def test_channel_the_bot_is_not_in_says_how_to_invite(fake, slack, db):
    ch = fake.state.add_channel("product", members=[ALICE], bot_member=False)
    out = texts(await say(slack, ALICE, f"digest channel <#{ch.id}|product>"))
    assert "/invite @Earshot" in out
    w = await ws(db)
    assert w is None or w.digest_channel_id is None


async def test_archived_or_unknown_channel_is_refused(fake, slack, db):
    ch = fake.state.add_channel("old", members=[ALICE], is_archived=True)
    assert "archived" in texts(await say(slack, ALICE, f"digest channel <#{ch.id}|old>"))
    assert "can't find the channel" in texts(await say(slack, ALICE, "digest channel #nope"))


async def test_schedule_timezone_and_switches(slack, db):
    out = texts(await say(slack, ALICE, "digest schedule fri 16:30"))
    assert "Friday 16:30" in out
    out = texts(await say(slack, ALICE, "digest timezone America/New_York"))
    assert "America/New_York" in out
    texts(await say(slack, ALICE, "digest chart off"))
    texts(await say(slack, ALICE, "digest off"))
    w = await ws(db)
    assert (w.digest_weekday, w.digest_time, w.timezone) == (4, "16:30", "America/New_York")
    assert (w.digest_chart, w.digest_enabled) == (False, False)
    assert "is *off*" in texts(await say(slack, BOB, "digest status"))


@pytest.mark.parametrize("text, expected", [
    ("digest schedule funday 09:00", "is not a weekday"),
    ("digest schedule monday 25:00", "is not a time"),
    ("digest schedule monday", "Use `/feedback digest schedule"),
    ("digest timezone Mars/Olympus_Mons", "is not a time zone I know"),
    ("digest chart maybe", "chart on"),
    ("digest frobnicate", "I don't know `digest frobnicate`"),
])
async def test_bad_settings_get_a_clear_message(slack, db, text, expected):
    assert expected in texts(await say(slack, ALICE, text))


async def test_only_admins_change_settings(slack, db):
    out = texts(await say(slack, BOB, "digest schedule monday 10:00"))
    assert "Only workspace admins" in out
    assert (await ws(db)) is None or (await ws(db)).digest_time == "09:00"


async def test_anyone_previews_the_current_period_privately(fake, slack, db):
    await ds.workspace(db, digest_channel_id=FEEDBACK)
    billing = await ds.process(db, "Billing", owner=BOB)
    await ds.remark(db, process_id=billing, sentiment="complaint", at=utcnow() - dt.timedelta(minutes=5),
                    text="Charged twice for March", customer="Acme")
    body = await say(slack, CARLA, "digest")
    out = texts(body)
    assert "Private preview" in out and "so far this period" in out
    assert "*1. Billing*" in out and "Charged twice for March" in out
    assert len(body["blocks"]) <= 50
    assert posted(fake) == []  # a preview posts nothing


def posted(fake) -> list:
    return [c for c in fake.calls_to("chat.postMessage") if c.params.get("channel") == FEEDBACK]


async def test_unfiled_button_opens_triage_and_selecting_files_the_remark(fake, slack, bot, db):
    await ds.workspace(db, digest_channel_id=FEEDBACK, timezone="UTC")
    billing = await ds.process(db, "Billing")
    now = utcnow()
    period = due_period(Schedule(0, "09:00", ZoneInfo("UTC")), now)
    rid = await ds.remark(db, process_id=None, sentiment="complaint", at=period.start_at + dt.timedelta(hours=30),
                          text="Where is my refund?", customer="Acme")
    poster = DigestPoster(bot.runtime.services, build_digest_client(bot.runtime.services),
                          now=lambda: now)
    outcome = await poster.post(ds.TEAM, force=True)
    assert outcome.status == "posted"
    [post] = posted(fake)
    await slack.click(CARLA, "digest_triage", channel=FEEDBACK, ts=post.response["ts"])
    [opened] = await fake.wait_for("views.open")
    modal = opened.params["view"]
    assert "Where is my refund?" in str(modal["blocks"])
    await slack.click(CARLA, f"triage_file:{rid}", value=str(billing))
    [updated] = await fake.wait_for("views.update")
    assert "Filed under *Billing*" in str(updated.params["view"]["blocks"])
    assert "Nothing to triage" in str(updated.params["view"]["blocks"])
    async with db() as s:
        r = await s.get(Remark, rid, populate_existing=True)
    assert (r.process_id, r.process_decided_by) == (billing, CARLA)


async def test_owner_gets_at_most_one_dm_an_hour_and_can_turn_it_off(fake, slack, bot, db):
    services = bot.runtime.services
    client = build_digest_client(services)
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    praised = await ds.process(db, "Onboarding", owner=BOB)
    t0 = utcnow()
    await ds.remark(db, process_id=billing, sentiment="complaint", at=t0, text="Invoice is wrong",
                    customer="Acme")
    await ds.remark(db, process_id=billing, sentiment="complaint", at=t0, text="Refund is late")
    await ds.remark(db, process_id=praised, sentiment="praise", at=t0, text="Lovely kickoff")
    run = await send_owner_alerts(services, client, now=lambda: t0 + dt.timedelta(minutes=1))
    assert run.sent == {f"{ds.TEAM}:{BOB}": 2}
    [dm] = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == BOB]
    assert "2 new complaints" in dm.params["text"]
    assert "Invoice is wrong" in str(dm.params["blocks"]) and "Lovely kickoff" not in str(dm.params["blocks"])

    # A new complaint within the hour waits; after the hour it comes alone.
    await ds.remark(db, process_id=billing, sentiment="complaint", at=t0 + dt.timedelta(minutes=10),
                    text="Card declined for no reason")
    run = await send_owner_alerts(services, client, now=lambda: t0 + dt.timedelta(minutes=20))
    assert run.sent == {}
    run = await send_owner_alerts(services, client, now=lambda: t0 + dt.timedelta(minutes=62))
    assert run.sent == {f"{ds.TEAM}:{BOB}": 1}
    dms = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == BOB]
    assert len(dms) == 2 and "Card declined" in str(dms[1].params["blocks"])

    # Turned off from Slack: nothing more.
    assert "turned off" in texts(await say(slack, BOB, "alerts off"))
    await ds.remark(db, process_id=billing, sentiment="complaint", at=t0 + dt.timedelta(minutes=70),
                    text="Still wrong")
    run = await send_owner_alerts(services, client, now=lambda: t0 + dt.timedelta(hours=3))
    assert run.sent == {}
    assert "turned on" in texts(await say(slack, BOB, "alerts on"))


async def test_turn_off_button_in_the_dm(fake, slack, bot, db):
    services = bot.runtime.services
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    t0 = utcnow()
    await ds.remark(db, process_id=billing, sentiment="complaint", at=t0, text="Invoice is wrong")
    await send_owner_alerts(services, build_digest_client(services), now=lambda: t0)
    [dm] = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == BOB]
    await slack.click(BOB, "owner_alerts_off", channel=dm.response["channel"], ts=dm.response["ts"])
    await fake.wait_for("response_url")
    from storage.models import UserPrefs

    async with db() as s:
        prefs = (await s.scalars(select(UserPrefs))).one()
    assert prefs.owner_alerts is False
