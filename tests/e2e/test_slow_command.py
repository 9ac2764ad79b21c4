"""A command slower than Slack's 3 seconds still answers: through its response_url, once."""

from __future__ import annotations

import asyncio

import pytest

from bot.server.runtime import INLINE_BUDGET_SECONDS
from handlers.commands.router import SUBCOMMANDS, subcommand
from storage.models import Workspace
from tests.conftest import eventually, start_bot
from tests.e2e.queries import ALICE, FEEDBACK, SUPPORT, count


async def test_a_command_past_the_inline_budget_answers_through_response_url_once(fake, slack, bot, db):
    # The digest channel check asks Slack about the channel; a slow Slack makes it late.
    fake.slow_down("conversations.info", INLINE_BUDGET_SECONDS + 1.0)
    delivery = await slack.slash(ALICE, SUPPORT, f"digest channel <#{FEEDBACK}|customer-feedback>")
    assert delivery.status == 200 and delivery.body == ""  # acknowledged in time, empty

    await fake.wait_for("response_url", timeout=15)
    await eventually(lambda: count(db, Workspace, Workspace.digest_channel_id == FEEDBACK), timeout=10)
    await asyncio.sleep(0.5)  # room for a (wrong) second answer to arrive
    [answer] = fake.calls_to("response_url")
    assert "posted to <#C0FEEDBAK1>" in str(answer.params)
    assert answer.params.get("response_type", "ephemeral") == "ephemeral"


@pytest.fixture
def slow_failing_subcommand():
    @subcommand("slowfail", usage="/feedback slowfail", summary="test only", order=97)
    async def slowfail(call):
        if call.live:
            await asyncio.sleep(INLINE_BUDGET_SECONDS + 0.5)
            raise RuntimeError("boom after the budget")
        return {"text": "answered on the retry", "response_type": "ephemeral"}

    yield
    SUBCOMMANDS.pop("slowfail", None)


async def test_a_late_failure_tells_the_person_through_response_url_then_the_retry_answers(
        fake, settings, slow_failing_subcommand):
    # A lease longer than the slow listener, as in production (30 s): no early replay.
    bot, stop = await start_bot(settings, lease_seconds=10)
    slack = fake.simulator(bot.url)
    try:
        await _late_failure(fake, slack)
    finally:
        await slack.close()
        await stop()


async def _late_failure(fake, slack) -> None:
    delivery = await slack.slash(ALICE, SUPPORT, "slowfail")
    assert delivery.status == 200 and delivery.body == ""
    await fake.wait_for("response_url", count=2, timeout=20)
    first, second = (str(c.params) for c in fake.calls_to("response_url"))
    assert "saved and will be retried" in first
    assert "answered on the retry" in second
