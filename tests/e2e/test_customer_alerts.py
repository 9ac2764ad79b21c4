"""Account owners hear (at most daily) when their customers' remarks are captured; claimed
before posted so nobody is told twice; `/feedback customer alerts off` stops it."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.domain.alerts.customers import send_customer_alerts
from bot.domain.customers import registry as reg
from bot.domain.customers import rules
from bot.server.scheduler import build_digest_client
from storage.models import Workspace, utcnow
from tests.conftest import eventually
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, GENERAL


def dms(fake, user: str) -> list:
    return [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == user]


async def test_owner_is_told_at_most_daily_once_and_can_opt_out(fake, slack, bot, db):
    services = bot.runtime.services
    client = build_digest_client(services)
    await ds.workspace(db)
    await reg.change(db, ds.TEAM, None, reg.Add(rules.Entry(name="Acme Corp", tier="Enterprise", owner=BOB)))
    await reg.change(db, ds.TEAM, None, reg.Add(rules.Entry(name="Initech", owner=ALICE)))
    await reg.change(db, ds.TEAM, None, reg.Add(rules.Entry(name="Umbrella")))  # nobody owns it
    billing = await ds.process(db, "Billing")
    t0 = utcnow()
    await ds.remark(db, process_id=billing, sentiment="complaint", at=t0, text="Invoice twice", customer="Acme Corp")
    await ds.remark(db, process_id=billing, sentiment="praise", at=t0, text="Quick refund", customer="Acme Corp")
    await ds.remark(db, process_id=billing, sentiment="complaint", at=t0, text="Slow", customer="Umbrella")
    await ds.remark(db, process_id=billing, sentiment="complaint", at=t0, text="Who?", customer="Globex")

    # Two clock processes at once: one DM per owner, not two.
    runs = await asyncio.gather(send_customer_alerts(services, client, now=lambda: t0),
                                send_customer_alerts(services, client, now=lambda: t0))
    assert sum(len(r.sent) for r in runs) == 1
    [dm] = dms(fake, BOB)
    text = str(dm.params["blocks"])
    assert "2 new remarks from *Acme Corp*" in text and "Invoice twice" in text and "Quick refund" in text
    assert "Slow" not in text and "Who?" not in text
    assert dms(fake, ALICE) == []  # nothing from Initech

    # Within the day: queued, not sent. After a day: sent, once.
    await ds.remark(db, process_id=billing, sentiment="complaint", at=t0 + dt.timedelta(hours=1),
                    text="Still twice", customer="Acme Corp")
    assert (await send_customer_alerts(services, client, now=lambda: t0 + dt.timedelta(hours=2))).sent == {}
    later = await send_customer_alerts(services, client, now=lambda: t0 + dt.timedelta(hours=25))
    assert later.sent == {f"{ds.TEAM}:{BOB}": 1}
    assert "Still twice" in str(dms(fake, BOB)[-1].params["blocks"])
    assert (await send_customer_alerts(services, client, now=lambda: t0 + dt.timedelta(hours=50))).sent == {}

    # Opted out: nothing more, and what was pending is not sent later either.
    delivery = await slack.slash(BOB, GENERAL, "customer alerts off")
    assert "no longer hear" in delivery.json()["text"]
    await ds.remark(db, process_id=billing, sentiment="complaint", at=t0 + dt.timedelta(hours=51),
                    text="Again", customer="Acme Corp")
    assert (await send_customer_alerts(services, client, now=lambda: t0 + dt.timedelta(hours=52))).sent == {}
    await slack.slash(BOB, GENERAL, "customer alerts on")
    assert (await send_customer_alerts(services, client, now=lambda: t0 + dt.timedelta(hours=80))).sent == {}
    assert len(dms(fake, BOB)) == 2


async def test_an_uninstalled_workspace_tells_no_account_owner(fake, slack, bot, db):
    services = bot.runtime.services
    client = build_digest_client(services)
    await ds.workspace(db)
    await reg.change(db, ds.TEAM, None, reg.Add(rules.Entry(name="Acme Corp", owner=BOB)))
    billing = await ds.process(db, "Billing")
    t0 = utcnow()
    await ds.remark(db, process_id=billing, sentiment="complaint", at=t0, text="Invoice twice",
                    customer="Acme Corp")
    assert (await slack.uninstall()).status == 200
    await eventually(lambda: uninstalled(db), timeout=5)
    assert (await send_customer_alerts(services, client, now=lambda: t0)).sent == {}
    assert dms(fake, BOB) == []


async def uninstalled(db) -> bool:
    async with db() as session:
        ws = await session.get(Workspace, ds.TEAM)
        return ws is not None and ws.uninstalled_at is not None
