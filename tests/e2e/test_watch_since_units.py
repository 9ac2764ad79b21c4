"""``/feedback watch #channel since N`` in a unit it does not take (months, hours, years):
refused with the units it does take, nothing watched and no history read. "since 3 months"
used to be read as three days (the unit was ignored) and "since 1 month" as one day."""

from __future__ import annotations

import pytest

from storage.models import Backfill, WatchedChannel
from tests.conftest import settled
from tests.e2e.queries import ALICE, FEEDBACK, GENERAL, count
from tests.e2e.test_app_posts import answer


@pytest.mark.parametrize("since", ["since 3 months", "since 1 month", "since 2 mo", "since 12 hours", "since 1y"])
async def test_a_unit_other_than_days_or_weeks_is_refused_and_changes_nothing(fake, slack, bot, db, since):
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> {since}"))
    assert "days or weeks" in text and "since 30d" in text, text
    await settled(bot)
    assert await count(db, Backfill) == 0 and await count(db, WatchedChannel) == 0
    assert fake.calls_to("conversations.history") == []

