"""The message shortcut and its filing form share the workspace's paced budget for
``conversations.history`` (bot.domain.workspace.pacing) with every capture, end to end:
signed ``message_action`` and ``view_submission`` payloads (shapes: the stand-in's
payloads.message_action / view_submission, after api.slack.com/reference/interaction-payloads)
to the running bot in the limited mode, the stand-in enforcing one history call per window."""

from __future__ import annotations

import json

import pytest

from bot.slack import modals
from tests.conftest import eventually, settled, start_bot
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, captures, remarks
from tests.e2e.test_capture_pacing import warm_up

HISTORY = "conversations.history"
WINDOW = 20.0  # the limited mode's minute, shortened: 3 calls a minute
# The stand-in's window: a little shorter, as Slack's own minute starts when a call arrives,
# a moment after the slot it went out in (tests/e2e/test_backfill_budget.py does the same).
ENFORCED = 16.0


@pytest.fixture
async def limited_bot(settings):
    running, stop = await start_bot(settings.model_copy(update={
        "slack_history_tier": "limited", "backfill_calls_per_minute": 60.0 / WINDOW}))
    yield running
    await stop()


async def test_the_shortcut_opens_its_form_from_the_payload_when_no_read_is_free(fake, db, limited_bot):
    # A message_action carries the message: opening the form reads nothing from Slack, so
    # the 3 s trigger_id is never spent waiting for a slot the limited mode may not have.
    fake.api.rate_limit(HISTORY, 1, window=ENFORCED)
    slack = fake.simulator(limited_bot.url)
    try:
        first = fake.state.post_message(SUPPORT, CARLA, "The export to CSV drops the currency column")
        await warm_up(slack)
        await slack.react(ALICE, SUPPORT, first["ts"], "memo")
        await fake.wait_for(HISTORY, 1, timeout=20)  # the workspace's slot is taken
        msg = fake.state.post_message(SUPPORT, CARLA, "Search ignores accents in customer names")
        answer = await slack.shortcut(BOB, SUPPORT, msg["ts"], "file_feedback")
        assert answer.status == 200
        [opened] = await fake.wait_for("views.open")
    finally:
        await slack.close()
    view = opened.params["view"]
    view = view if isinstance(view, dict) else json.loads(view)
    assert "Search ignores accents" in str(view["blocks"])
    assert len(fake.calls_to(HISTORY)) == 1  # only the reaction's read


async def test_a_long_message_submitted_with_no_slot_free_is_asked_again_and_keeps_its_turn(fake, db, limited_bot):
    # The form cannot carry a message this long, so its submission reads it again. That
    # read used to go out unpaced: in the limited mode Slack answered 429 and the form said
    # the message could not be read any more ("deleted, or I'm not in that channel").
    fake.api.rate_limit(HISTORY, 1, window=ENFORCED)
    slack = fake.simulator(limited_bot.url)
    long_text = "The mobile app logs me out whenever I switch to another app. " * 60  # ~3,700 chars
    try:
        first = fake.state.post_message(SUPPORT, CARLA, "The export to CSV drops the currency column")
        await warm_up(slack)
        await slack.react(ALICE, SUPPORT, first["ts"], "memo")
        await fake.wait_for(HISTORY, 1, timeout=20)  # the workspace's slot is taken
        msg = fake.state.post_message(SUPPORT, CARLA, long_text)
        await slack.shortcut(BOB, SUPPORT, msg["ts"], "file_feedback")
        await fake.wait_for("views.open")
        answer = (await slack.submit_view(BOB, {"process": "unfiled", "sentiment": "complaint"})).json()
        assert answer["response_action"] == "errors", answer
        assert "submit again" in answer["errors"].get(modals.BLOCK_NOTE, ""), answer
        assert len(fake.calls_to(HISTORY)) == 1  # it waited for no slot in the request
        asked_again = 1

        async def accepted() -> bool:
            nonlocal asked_again
            reply = await slack.submit_view(BOB, {"process": "unfiled", "sentiment": "complaint"})
            if reply.body:  # asked again: its turn is still ahead
                assert "submit again" in reply.json()["errors"][modals.BLOCK_NOTE]
                asked_again += 1
                return False
            return True

        await eventually(accepted, timeout=WINDOW + 15, interval=1.0)
        await settled(limited_bot)
    finally:
        await slack.close()
    calls = fake.calls_to(HISTORY)
    assert [c.status for c in calls] == [200, 200]  # never refused: no submission took a second slot
    # At its slot, WINDOW after the first's (taken a moment before that call went out).
    assert calls[1].at - calls[0].at >= WINDOW - 1.0
    [remark] = [r for r in await remarks(db) if r.message_ts == msg["ts"]]
    assert remark.text == long_text.strip() or remark.text == long_text
    assert [(c.user_id, c.route) for c in await captures(db) if c.remark_id == remark.id] == [(BOB, "shortcut")]
    assert len([c for c in fake.calls_to("chat.postEphemeral") if c.params.get("user") == BOB]) == 1
    assert asked_again >= 2
