"""A capture's read of the message it is about, paced and retried on 429
(bot.domain.capture.slack_reads.fetch_message with a Pacer), against the stand-in."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.capture.slack_reads import fetch_message
from bot.domain.workspace.pacing import CAPTURE_TRIES, HISTORY, Pace, Pacer, RateLimited
from storage.models import utcnow
from tests.e2e.queries import CARLA, SUPPORT


class Turns(Pacer):
    """The pacer's turns and holds, recorded instead of written to a database."""

    def __init__(self) -> None:
        super().__init__(None, team_id="T1", pace=Pace(per_minute=1.0, page_size=1, limited=True))  # type: ignore[arg-type]
        self.log: list[tuple[str, str, float]] = []

    async def turn(self, method: str) -> None:
        self.log.append(("turn", method, 0.0))

    async def hold(self, method: str, retry_after: float) -> dt.datetime:
        self.log.append(("hold", method, retry_after))
        return utcnow() + dt.timedelta(seconds=retry_after)


async def test_a_429_that_keeps_coming_raises_instead_of_reading_as_unreadable(fake):
    # Taken for an unreadable message, the capture used to be dropped though Slack had its 2xx.
    msg = fake.state.post_message(SUPPORT, CARLA, "The app forgets my language setting")
    fake.fail_always(HISTORY, "ratelimited", retry_after=7)
    pacer = Turns()
    with pytest.raises(RateLimited) as raised:
        await fetch_message(fake.client(), SUPPORT, msg["ts"], pacer=pacer)
    assert raised.value.until > utcnow() + dt.timedelta(seconds=6)  # the last Retry-After
    assert pacer.log == [("turn", HISTORY, 0.0), ("hold", HISTORY, 7.0)] * CAPTURE_TRIES
    assert len(fake.calls_to(HISTORY)) == CAPTURE_TRIES


async def test_a_single_429_is_waited_out_and_the_message_read(fake):
    msg = fake.state.post_message(SUPPORT, CARLA, "The app forgets my language setting")
    fake.fail_next(HISTORY, "ratelimited", retry_after=3)
    pacer = Turns()
    got = await fetch_message(fake.client(), SUPPORT, msg["ts"], pacer=pacer)
    assert got is not None and got["text"] == "The app forgets my language setting"
    assert pacer.log == [("turn", HISTORY, 0.0), ("hold", HISTORY, 3.0), ("turn", HISTORY, 0.0)]
