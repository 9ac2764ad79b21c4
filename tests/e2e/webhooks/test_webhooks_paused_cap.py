"""A paused webhook's events wait for `resume`, but not without end: at most
WEBHOOKS_PAUSED_KEEP (the oldest beyond it dropped and counted) and none older than the give-up
window. `hooks out list` and `resume` say how many wait and how many were dropped; `resume`
sends what was kept, in order. Over HTTP: Slack-signed captures and slash commands, and our own
Standard Webhooks receiver (tests/e2e/webhooks/hook_receiver.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from bot.config import Settings
from storage.db import transaction
from storage.models import WebhookDelivery, utcnow
from tests.conftest import eventually, settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, CARLA, SUPPORT
from tests.e2e.webhooks.hook_receiver import verify
from tests.e2e.webhooks.support import add, deliveries, subscription


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # On top of the folder's quick settings (conftest.py).
    return settings.model_copy(update={"webhooks_paused_keep": 3})


async def capture(fake, slack, bot, text: str) -> None:
    msg = fake.state.post_message(SUPPORT, CARLA, text)
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)


async def test_a_paused_webhook_keeps_the_newest_events_and_resume_sends_them_in_order(
    fake, slack, bot, db, receiver
):
    await ds.workspace(db)
    sub_id, secret = await add(slack, receiver, "/held")  # 503 until opened
    await capture(fake, slack, bot, "Complaint one: the invoice came twice.")
    await eventually(lambda: _paused(db, sub_id), timeout=15)
    for n in ("two", "three", "four", "five", "six"):
        await capture(fake, slack, bot, f"Complaint {n}: the invoice came twice.")

    kept = await deliveries(db)
    assert [_text(d) for d in kept] == ["four", "five", "six"]  # the newest three
    assert (await subscription(db, sub_id)).dropped == 3
    listed = (await slack.slash(ALICE, SUPPORT, "hooks out list")).json()["text"]
    assert "3 waiting (3 dropped while paused)" in listed

    # One kept event outlives the give-up window while paused: dropped at resume, not sent.
    async with transaction(db) as s:
        await s.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == kept[0].id)
            .values(give_up_at=utcnow() - dt.timedelta(minutes=1))
        )
    before = len(receiver.at("/held"))
    receiver.open.set()
    resumed = (await slack.slash(ALICE, SUPPORT, f"hooks out resume {sub_id}")).json()["text"]
    assert "the 2 events that waited are being sent" in resumed
    assert "4 older ones were dropped" in resumed
    got = await eventually(
        lambda: len(receiver.at("/held")[before:]) >= 2 and receiver.at("/held")[before:]
    )
    await eventually(lambda: _none_left(db))
    assert [g.json["data"]["remark"]["text"].split(":")[0] for g in got] == [
        "Complaint five",
        "Complaint six",
    ]
    assert all(verify(secret, g.headers, g.body) for g in got)
    # Live again: nothing is dropped, whatever the cap.
    for n in ("seven", "eight", "nine", "ten"):
        await capture(fake, slack, bot, f"Complaint {n}: the invoice came twice.")
    await eventually(lambda: len(receiver.at("/held")[before:]) == 6, timeout=10)


def _text(d: WebhookDelivery) -> str:
    return (d.text or "").split(":")[0].removeprefix("Complaint ")


async def _none_left(db) -> bool:
    return not await deliveries(db)


async def _paused(db, sub_id: int) -> bool:
    return (await subscription(db, sub_id)).paused_at is not None
