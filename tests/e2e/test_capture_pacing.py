"""A capture's read of the message it is about (``conversations.history``) when Slack's rate
limit leaves it no slot now (bot.domain.workspace.pacing, bot.server.deferral), end
to end: signed ``reaction_added`` events (shape: the stand-in's payloads.reaction_added,
after api.slack.com/events/reaction_added) to the running bot, the stand-in answering 429
with Retry-After (as docs.slack.dev/apis/web-api/rate-limits describes) or enforcing one
call per window."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.workspace.pacing import CAPTURE_TRIES
from bot.server.worker import MAX_ATTEMPTS
from storage.models import Delivery, Remark
from tests.conftest import eventually, settled, start_bot
from tests.e2e.queries import ALICE, BOB, CARLA, DAN, GENERAL, SUPPORT, captures, remarks

HISTORY = "conversations.history"


async def deliveries(db) -> list[Delivery]:
    async with db() as session:
        return list((await session.scalars(select(Delivery).order_by(Delivery.id))).all())


async def filed(db, ts: str) -> list[Remark]:
    return [r for r in await remarks(db) if r.message_ts == ts]


def confirmations(fake, user: str) -> list:
    return [c for c in fake.calls_to("chat.postEphemeral") if c.params.get("user") == user]


async def test_a_read_refused_with_429_past_every_attempt_is_handed_back_and_filed_once(fake, slack, bot, db):
    # More 429s than a delivery's attempts could absorb: a run that ends in RateLimited used
    # to count as a failed attempt (retried 5 s, 15 s, 45 s... later, then given up after
    # MAX_ATTEMPTS, the capture lost though Slack had its 2xx). Now each run hands the
    # delivery back to be run again at the Retry-After, without counting an attempt.
    refusals = CAPTURE_TRIES * MAX_ATTEMPTS + 1
    fake.fail_next(HISTORY, "ratelimited", retry_after=1, times=refusals)
    msg = fake.state.post_message(SUPPORT, CARLA, "Refunds take three weeks to reach the card")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    [remark] = await eventually(lambda: filed(db, msg["ts"]), timeout=90)
    await settled(bot)
    calls = fake.calls_to(HISTORY)
    assert [c.status for c in calls] == [429] * refusals + [200]
    # Each call waited out the Retry-After before it (the pacer holds every caller back).
    assert all(b.at - a.at >= 1.0 for a, b in zip(calls, calls[1:], strict=False))
    assert "Refunds take three weeks" in remark.text
    assert [(c.user_id, c.route) for c in await captures(db)] == [(ALICE, "reaction")]
    assert len(confirmations(fake, ALICE)) == 1
    assert len(fake.calls_to("reactions.add")) == 1
    [row] = await deliveries(db)
    assert row.done_at is not None and row.last_error is None
    assert row.attempts == 1  # waiting for a slot is not a failed attempt


@pytest.fixture
async def limited_bot(settings):
    # The limited mode with its minute shortened: one history call every 20 s (3 a minute),
    # far longer than a capture waits for its slot in a worker (INLINE_WAIT, 2 s).
    running, stop = await start_bot(settings.model_copy(update={
        "slack_history_tier": "limited", "backfill_calls_per_minute": 3.0}))
    yield running
    await stop()


async def warm_up(slack) -> None:
    """A typed remark first (no read): the process's first filing loads the classifier,
    seconds on a busy machine, which must not eat into the slots the test counts on."""
    answer = await slack.slash(DAN, GENERAL, "The invoice page takes ages to load")
    assert answer.status == 200


async def second_handed_back(fake, db, slack) -> tuple[dict, dict]:
    """Two messages captured by reaction in a row: the first takes the workspace's slot, the
    second's is 20 s away, so its delivery is handed back to wait for it."""
    first = fake.state.post_message(SUPPORT, CARLA, "The export to CSV drops the currency column")
    second = fake.state.post_message(SUPPORT, CARLA, "Password reset emails arrive an hour late")
    await warm_up(slack)
    await slack.react(ALICE, SUPPORT, first["ts"], "memo")
    await fake.wait_for(HISTORY, 1, timeout=20)  # the first capture took the workspace's slot
    await slack.react(ALICE, SUPPORT, second["ts"], "memo")

    async def handed_back() -> bool:
        rows = await deliveries(db)
        return any((r.last_error or "").startswith("waiting for a Slack rate slot") for r in rows)

    await eventually(handed_back, timeout=10)
    return first, second


async def test_a_capture_waiting_for_its_slot_holds_no_worker_and_is_filed_at_its_slot(fake, db, limited_bot):
    # In the limited mode a capture used to sleep in the worker until its slot (up to a
    # minute): the batch it came in did not finish, so nothing received after it ran, not
    # even an event that reads nothing from Slack.
    # Slack's limit, enforced by the stand-in (a little shorter than the pace: Slack's minute
    # starts when a call arrives, a moment after its slot; as in test_backfill_budget.py).
    fake.api.rate_limit(HISTORY, 1, window=16.0)
    slack = fake.simulator(limited_bot.url)
    try:
        first, second = await second_handed_back(fake, db, slack)
        await eventually(lambda: filed(db, first["ts"]), timeout=10)
        # Meanwhile another teammate files the first message too: an endorsement, no read.
        await slack.react(BOB, SUPPORT, first["ts"], "memo")
        await eventually(lambda: confirmations(fake, BOB), timeout=10)
        assert await filed(db, second["ts"]) == []  # still waiting for its slot, in no worker
        [remark] = await eventually(lambda: filed(db, second["ts"]), timeout=50)
        await settled(limited_bot)
    finally:
        await slack.close()
    assert "Password reset emails" in remark.text
    calls = fake.calls_to(HISTORY)
    assert [c.status for c in calls] == [200, 200]  # the stand-in never had to refuse one
    assert calls[1].params.get("latest") == second["ts"]
    # At its slot, 20 s after the first's (taken a moment before that call went out).
    assert calls[1].at - calls[0].at >= 19.0
    mine = [c for c in await captures(db) if c.remark_id == remark.id]
    assert [(c.user_id, c.route) for c in mine] == [(ALICE, "reaction")]
    assert len(confirmations(fake, ALICE)) == 2 and len(confirmations(fake, BOB)) == 1
    rows = await deliveries(db)
    assert all(r.done_at is not None and r.last_error is None and r.attempts == 1 for r in rows)


async def test_a_reaction_removed_while_its_capture_waits_for_its_slot_files_nothing(fake, db, limited_bot):
    # The removal (reaction_removed, payloads.reaction_removed after
    # api.slack.com/events/reaction_removed) runs while the capture is handed back, and finds
    # nothing to withdraw; run at its slot, the capture reads the message and sees the
    # reaction gone (conversations.history lists a message's reactions, none when it has none).
    fake.api.rate_limit(HISTORY, 1, window=16.0)
    slack = fake.simulator(limited_bot.url)
    try:
        first, second = await second_handed_back(fake, db, slack)
        await slack.unreact(ALICE, SUPPORT, second["ts"], "memo")
        await fake.wait_for(HISTORY, 2, timeout=50)  # read at its slot
        await settled(limited_bot)
    finally:
        await slack.close()
    assert await filed(db, second["ts"]) == []
    assert len(confirmations(fake, ALICE)) == 1  # the first message's only
    assert [c.params.get("timestamp") for c in fake.calls_to("reactions.add")] == [first["ts"]]


async def test_tier3_a_reaction_removed_while_its_capture_waits_out_a_retry_after_files_nothing(
    fake, slack, bot, db
):
    # Tier 3 (the default bot): Slack's 429 asks for 3 s, longer than a capture waits in a
    # worker, so its delivery is handed back to be run after it. Tier 3 keeps no queue of
    # slots, and the run handed back used to skip the check the limited mode makes (is the
    # capturer's reaction still on the message?): the removal, run first, found nothing to
    # withdraw and the capture filed the message anyway. Now the turn is marked kept in
    # Tier 3 too, and the run that comes back reads the reactions and files nothing.
    await warm_up(slack)
    fake.fail_next(HISTORY, "ratelimited", retry_after=3, times=1)
    msg = fake.state.post_message(SUPPORT, CARLA, "Password reset emails arrive an hour late")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")

    async def handed_back() -> bool:
        rows = await deliveries(db)
        return any((r.last_error or "").startswith("waiting for a Slack rate slot") for r in rows)

    await eventually(handed_back, timeout=10)
    await slack.unreact(ALICE, SUPPORT, msg["ts"], "memo")
    await fake.wait_for(HISTORY, 2, timeout=20)  # read again after the Retry-After
    await settled(bot)
    assert [c.status for c in fake.calls_to(HISTORY)] == [429, 200]
    assert await filed(db, msg["ts"]) == []
    assert confirmations(fake, ALICE) == []
    assert fake.calls_to("reactions.add") == []
