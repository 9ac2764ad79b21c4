"""What a capture owes Slack (the private confirmation, the captured-emoji mark) goes out
exactly once: not lost when the process dies after the capture was committed, not sent
twice by the redo, and retried when Slack answers 5xx."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal

from sqlalchemy import select, update

from storage.models import Capture, OwedEffect, utcnow
from tests.conftest import eventually, settled, start_bot
from tests.e2e.queries import ALICE, CARLA, SUPPORT, TEAM, count, remarks
from tests.e2e.test_durability import free_port, healthy, start_serve


def marks(fake, ts: str) -> list[str]:
    """Who put the captured emoji on the message, as Slack shows it."""
    msg = fake.state.get_message(SUPPORT, ts)
    return [u for r in msg.get("reactions", []) if r["name"] == "inbox_tray" for u in r["users"]]


async def nothing_owed(db) -> bool:
    async with db() as session:
        return (await session.scalars(select(OwedEffect))).all() == []


def accepted(fake, method: str) -> list:
    return [c for c in fake.calls_to(method) if c.ok]


async def test_killed_after_the_capture_before_its_confirmation_confirms_and_marks_once(
        fake, settings, db, tmp_path):
    port = free_port()
    proc = start_serve(fake, settings.database_url, port, tmp_path)
    try:
        await eventually(lambda: healthy(port), timeout=30)
        # Slack is slow to take the confirmation: the capture is committed long before.
        fake.slow_down("chat.postEphemeral", 30)
        msg = fake.state.post_message(SUPPORT, CARLA, "The export to CSV drops every other row.")
        sim = fake.simulator(f"http://127.0.0.1:{port}/slack/events")
        assert (await sim.react(ALICE, SUPPORT, msg["ts"], "memo")).status == 200
        await eventually(lambda: count(db, Capture), timeout=10)
        await asyncio.sleep(1.0)  # the confirmation is on its way to the slowed Slack
        proc.send_signal(signal.SIGKILL)  # mid-confirmation: nothing told Earshot it went out
        proc.wait(timeout=10)
        fake.slow_down("chat.postEphemeral", 0)
        fake.clear_calls()

        proc = start_serve(fake, settings.database_url, port, tmp_path)
        await eventually(lambda: healthy(port), timeout=30)
        await eventually(lambda: accepted(fake, "chat.postEphemeral"), timeout=20)
        await eventually(lambda: marks(fake, msg["ts"]), timeout=20)
        # The mark may have gone out before the kill, its row not yet cleared: the new
        # process redoes it once its lease lapses (Slack answers already_reacted).
        await eventually(lambda: nothing_owed(db), timeout=20)
        await asyncio.sleep(3)  # longer than the lease: a second send would show by now
        await sim.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    assert len(accepted(fake, "chat.postEphemeral")) == 1
    # Marked once: before the kill, or after it (a repeat answers already_reacted).
    assert marks(fake, msg["ts"]) == [fake.state.bot_user_id]
    [remark] = await remarks(db)
    assert remark.endorsements == 1
    async with db() as session:
        assert (await session.scalars(select(OwedEffect))).all() == []


async def test_a_slack_5xx_on_the_confirmation_is_retried_until_slack_takes_it(fake, slack, bot, db):
    # Beyond what the Web API client retries by itself: the outbox tries again later.
    fake.fail_next("chat.postEphemeral", "internal_error", status=500, times=3)
    msg = fake.state.post_message(SUPPORT, CARLA, "Invoices keep arriving twice.")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    async with db() as session:
        [owed] = (await session.scalars(select(OwedEffect))).all()
    assert owed.effect_key.startswith("confirm:") and owed.last_error
    await eventually(lambda: accepted(fake, "chat.postEphemeral"), timeout=20)
    await eventually(lambda: nothing_owed(db), timeout=5)
    assert len(accepted(fake, "chat.postEphemeral")) == 1
    assert len(accepted(fake, "reactions.add")) == 1


async def test_an_error_that_a_retry_cannot_fix_is_dropped_not_retried(fake, slack, bot, db):
    fake.fail_next("chat.postEphemeral", "user_not_in_channel")
    msg = fake.state.post_message(SUPPORT, CARLA, "Invoices keep arriving twice.")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    await eventually(lambda: accepted(fake, "reactions.add"), timeout=5)
    await eventually(lambda: nothing_owed(db), timeout=5)
    assert len(fake.calls_to("chat.postEphemeral")) == 1


async def test_a_confirmation_slower_than_its_claim_is_not_taken_over_and_sent_again(fake, settings, db):
    # Slack takes longer than a claim lasts (1 s here): the sender keeps its claim while the
    # call is in flight, so the outbox's timer (or another process) finds nothing to take over.
    quick = settings.model_copy(update={"inbox_lease_seconds": 1.0})
    running, stop_running = await start_bot(quick, lease_seconds=1.0)
    sim = fake.simulator(running.url)
    try:
        fake.slow_down("chat.postEphemeral", 3)
        msg = fake.state.post_message(SUPPORT, CARLA, "The invoice PDF is blank.")
        await sim.react(ALICE, SUPPORT, msg["ts"], "memo")

        async def renewed() -> bool:
            """Held past its first deadline by its sender, never claimed by another."""
            async with db() as session:
                owed = (await session.scalars(select(OwedEffect))).all()
            return bool(owed) and all(
                o.attempts == 1 and o.lease_until > o.created_at + dt.timedelta(seconds=1.5) for o in owed)

        await eventually(renewed, timeout=5)
        assert await running.runtime.owed.run_once() == 0
        await eventually(lambda: nothing_owed(db), timeout=10)
    finally:
        fake.slow_down("chat.postEphemeral", 0)
        await sim.close()
        await stop_running()
    assert len(fake.calls_to("chat.postEphemeral")) == 1


async def test_what_a_killed_process_left_and_slack_then_refuses_is_retried_from_the_first_step(
        fake, settings, db):
    """A claim that lapsed because its process died is no failure: the next process's first
    failure waits the first step of the backoff (5 s), the one after it the second (15 s)."""
    running, stop_running = await start_bot(settings, lease_seconds=1.0)
    try:
        now = utcnow()
        # As a process killed mid-call leaves it (outbox.owe, then nothing recorded): owed,
        # attempts 1, its claim lapsed, no error.
        async with db() as s, s.begin():
            s.add(OwedEffect(team_id=TEAM, effect_key="confirm:left-by-a-killed-process",
                             method="chat.postEphemeral", created_at=now, next_attempt_at=now,
                             lease_until=now - dt.timedelta(seconds=1), attempts=1,
                             args=json.dumps({"channel": SUPPORT, "user": ALICE, "text": "Captured."})))
        # Slack answers HTTP 500 (docs.slack.dev/apis/web-api: a 5xx is worth retrying).
        fake.fail_always("chat.postEphemeral", "internal_error", status=500)
        for step in (5, 15):
            async with db() as s, s.begin():  # due now (time passes)
                await s.execute(update(OwedEffect).values(next_attempt_at=utcnow()))
            before = utcnow()
            assert await running.runtime.owed.run_once() == 1
            after = utcnow()
            async with db() as s:
                owed = (await s.scalars(select(OwedEffect))).one()
            assert owed.last_error and owed.lease_until is None
            wait = dt.timedelta(seconds=step)
            assert before + wait <= owed.next_attempt_at <= after + wait, (step, owed.attempts)
    finally:
        fake.reset_failures()
        await stop_running()
