"""``earshot doctor`` on outbound webhooks: paused subscriptions, deliveries owed for over an
hour, and the test-only switches that lift the URL rules. All warnings (exit 0): events wait
for a receiver, nothing is lost."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from storage.db import transaction
from storage.models import WebhookSubscription, utcnow
from storage.repositories.webhooks import WebhookRepository
from tests.e2e.queries import TEAM
from tests.e2e.test_doctor import doctor, healthy

SECRET = "whsec_" + "A" * 44


async def subscribe(db, url: str) -> int:
    async with transaction(db) as s:
        sub = await WebhookRepository(s).add(
            TEAM, url=url, events=["*"], secret=SECRET, by="cli", at=utcnow()
        )
    assert sub is not None
    return sub.id


async def owe(db, sub_id: int, n: int, *, ago: dt.timedelta) -> None:
    at = utcnow() - ago
    async with transaction(db) as s:
        await WebhookRepository(s).enqueue(
            [
                {
                    "team_id": TEAM,
                    "subscription_id": sub_id,
                    "msg_id": f"msg_{sub_id}_{i}_{ago.seconds}",
                    "event_type": "remark.created",
                    "event_key": f"remark.created:{sub_id}:{i}:{ago.seconds}",
                    "order_key": f"remark:{i}",
                    "data": "{}",
                    "created_at": at,
                    "attempts": 3,
                    "next_at": at,
                    "give_up_at": at + dt.timedelta(hours=24),
                }
                for i in range(n)
            ]
        )


async def test_working_webhooks_are_ok(fake, database_url, db):
    await healthy(db)
    sub = await subscribe(db, "https://hooks.example.com/earshot")
    await owe(db, sub, 2, ago=dt.timedelta(minutes=5))  # a retry or two is no news
    res = await doctor(fake, database_url)
    assert res.exit_code == 0, res.output
    assert "[ok  ] T0001: 1 outbound webhook(s), none paused or behind" in res.output
    assert "[warn]" not in res.output and "WEBHOOKS_ALLOW" not in res.output


async def test_paused_and_late_webhooks_are_warnings(fake, database_url, db):
    await healthy(db)
    paused = await subscribe(db, "https://hooks.example.com:8443/in/sekret-path-token?key=zzz")
    late = await subscribe(db, "https://crm.example.org/hook")
    fine = await subscribe(db, "https://ok.example.net/hook")
    async with transaction(db) as s:
        await s.execute(
            update(WebhookSubscription)
            .where(WebhookSubscription.id == paused)
            .values(
                paused_at=dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC),
                pause_reason="30 failed attempts in a row; last: HTTP 503",
                last_error="HTTP 503",
                failures=30,
                dropped=5,  # past the paused cap
            )
        )
        await s.execute(
            update(WebhookSubscription)
            .where(WebhookSubscription.id == late)
            .values(last_error="no answer within 10s", failures=4)
        )
    await owe(db, paused, 3, ago=dt.timedelta(hours=2))
    await owe(db, paused, 1, ago=dt.timedelta(minutes=3))
    await owe(db, late, 2, ago=dt.timedelta(hours=1, minutes=5))
    await owe(db, late, 4, ago=dt.timedelta(minutes=10))  # recent: not counted
    await owe(db, fine, 1, ago=dt.timedelta(minutes=1))
    res = await doctor(fake, database_url)
    out = res.output
    assert res.exit_code == 0, out  # warnings only
    assert (
        f"[warn] T0001: the webhook to hooks.example.com:8443 (#{paused}) is paused since "
        "2026-12-05 09:30 UTC (last error: HTTP 503); 4 events wait for it (3 for over an hour), "
        "5 older ones were dropped while paused"
    ) in out
    assert f"earshot hooks out resume {paused} --team T0001" in out
    assert "sekret" not in out and "zzz" not in out  # the host only: a path may hold a token
    assert (
        f"[warn] T0001: the webhook to crm.example.org (#{late}) has 2 deliveries owed for over "
        "an hour (last error: no answer within 10s)"
    ) in out
    assert "ok.example.net" not in out and "none paused or behind" not in out
    assert "2 warning(s)" in out


async def test_the_test_only_switches_are_warnings(fake, database_url, db):
    await healthy(db)
    res = await doctor(
        fake, database_url, WEBHOOKS_ALLOW_HTTP="true", WEBHOOKS_ALLOW_PRIVATE="true"
    )
    assert res.exit_code == 0, res.output
    assert "[warn] WEBHOOKS_ALLOW_HTTP is on: plain http:// webhook URLs are allowed" in res.output
    assert "[warn] WEBHOOKS_ALLOW_PRIVATE is on: webhooks may go to private" in res.output
    assert "in production unset WEBHOOKS_ALLOW_PRIVATE" in res.output
    res = await doctor(fake, database_url, WEBHOOKS_ALLOW_HTTP="false")
    assert "WEBHOOKS_ALLOW" not in res.output and "[warn]" not in res.output


async def test_the_switches_are_checked_when_other_settings_are_not_valid(fake, database_url, db):
    res = await doctor(fake, database_url, SLACK_SIGNING_SECRET=None, WEBHOOKS_ALLOW_PRIVATE="1")
    assert res.exit_code == 1
    assert "settings are not valid" in res.output
    assert "[warn] WEBHOOKS_ALLOW_PRIVATE is on" in res.output
