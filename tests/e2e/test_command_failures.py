"""A bug of ours while answering a command loses nothing: the person is told, and the stored
delivery is retried, answering through response_url."""

from __future__ import annotations

import pytest

from handlers.commands.router import SUBCOMMANDS, reply, subcommand
from tests.e2e.queries import ALICE, SUPPORT


@pytest.fixture
def flaky_subcommand():
    calls: list[bool] = []

    @subcommand("flaky", usage="/feedback flaky", summary="test only", order=98)
    async def flaky(call):
        calls.append(call.live)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return reply("worked on the retry")

    yield calls
    SUBCOMMANDS.pop("flaky", None)


async def test_a_failing_command_is_saved_retried_and_answered(fake, slack, bot, flaky_subcommand):
    delivery = await slack.slash(ALICE, SUPPORT, "flaky")
    assert delivery.status == 200
    assert "saved and will be retried" in delivery.json()["text"]
    # The worker picks the stored delivery up again and answers through response_url.
    await fake.wait_for("response_url", timeout=15)
    assert "worked on the retry" in str(fake.calls_to("response_url")[-1].params)
    assert flaky_subcommand == [True, False]
