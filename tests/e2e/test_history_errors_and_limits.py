"""Issue 21 item 4, the clauses test_backfill.py leaves to others: Slack's ``ok: false``
answers to ``conversations.history`` (docs.slack.dev/reference/methods/conversations.history,
"Errors": ``channel_not_found``, ``not_in_channel``, ``missing_scope``) told to the admin in
the summary that replaces the progress message, and the window's edge (90 days taken, 91
refused, nothing read)."""

from __future__ import annotations

import pytest

from storage.models import Backfill, WatchedChannel
from tests.conftest import eventually
from tests.e2e.queries import ALICE, CARLA, FEEDBACK, GENERAL, count
from tests.e2e.test_backfill import FAST, ago, answer, done  # noqa: F401  (the fast bot fixture below)
from tests.e2e.test_backfill import bot as bot  # noqa: F401
from tests.e2e.test_backfill import fast_settings as fast_settings  # noqa: F401


def dm_texts(fake) -> list[str]:
    """What the admin's DM shows of the backfill: the progress message and its updates."""
    posted = [c for c in fake.calls_to("chat.postMessage") if c.params.get("channel", "").startswith("D")
              or c.params.get("channel") == ALICE]
    updated = fake.calls_to("chat.update")
    return [str(c.params.get("text", "")) + str(c.params.get("blocks", "")) for c in [*posted, *updated]]


@pytest.mark.parametrize(("error", "told"), [
    ("not_in_channel", "I'm no longer in the channel (invite me back, then ask again)."),
    ("channel_not_found", "the channel is gone or out of my reach."),
    ("missing_scope", "my installation lacks a history scope; reinstall me."),
])
async def test_slacks_refusal_is_told_to_the_admin_in_the_summary(fake, slack, bot, db, error, told):
    fake.state.post_message(FEEDBACK, CARLA, "The invoice export misses a column", ts=ago(fake, 3))
    fake.fail_always("conversations.history", error, status=200)
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))
    assert "Bringing in the last 30 days" in text
    job = await done(db)
    assert job.status == "failed" and told in (job.error or "")
    # One try: a refusal that cannot change is not retried.
    assert len(fake.calls_to("conversations.history")) == 1
    # The summary follows the job's end: it replaces the progress message in the DM.
    stopped = f":warning: I stopped bringing in <#{FEEDBACK}>'s history: {told}"
    await eventually(lambda: any(stopped in t for t in dm_texts(fake)))


async def test_ninety_days_is_taken_and_ninety_one_refused(fake, slack, bot, db):
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 91d"))
    assert "up to 90 days" in text
    assert await count(db, Backfill) == 0 and await count(db, WatchedChannel) == 0
    assert fake.calls_to("conversations.history") == []
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 90d"))
    assert "Bringing in the last 90 days" in text
    assert (await done(db)).status == "done"


async def test_a_missing_scope_when_watching_says_reinstall_not_invite(fake, slack, bot, db):
    # conversations.info answers missing_scope when the installation lacks channels:read or
    # groups:read: inviting Earshot changes nothing, so "invite me first" was the wrong advice.
    fake.fail_next("conversations.info", "missing_scope")
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))
    assert "lacks the permission to read" in text and "reinstall me" in text, text
    assert "invite me" not in text
    assert await count(db, Backfill) == 0 and await count(db, WatchedChannel) == 0
    fake.fail_next("conversations.info", "channel_not_found")
    text = answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))
    assert "I can't see" in text and "invite me first" in text
