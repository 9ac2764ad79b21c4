"""Issue 21 item 5, each kind of noise the issue names, end to end: said live in a watched
channel (and a join), then read from the channel's history. Each is skipped and counted in
(a join live too: it used to be skipped uncounted live, while a backfill counted it)
``/feedback watch status #channel`` with its reason, the three latest of each kind shown;
the one feedback message among them is filed; a skipped message can still be filed by
reaction. Events as Slack delivers them (``message``, ``message``/``channel_join``:
docs.slack.dev/reference/events/message/channel_join)."""

from __future__ import annotations

from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, CARLA, DAN, FEEDBACK, GENERAL, remarks
from tests.e2e.test_backfill import ago, answer, done
from tests.e2e.test_backfill import bot as bot  # noqa: F401  (the backfill's fast settings)
from tests.e2e.test_backfill import fast_settings as fast_settings  # noqa: F401

NOISE = [
    ("Good morning team!", "greeting"),
    ("Thanks a lot!", "thanks"),
    ("+1", "acknowledgement"),
    ("resolved", "acknowledgement"),
    ("I'm out of the office until Monday with limited access to email.", "out of office"),
    ("Ticket #4821 was closed", "status line"),
    # Said the ways the first rules let through (a name after thanks, a short out-of-office,
    # a holiday wish, a helpdesk status line in mrkdwn or in the customer's own notification).
    ("*Ticket #4821* was closed :white_check_mark:", "status line"),
    ("Your request #4821 has been solved", "status line"),
    ("Thanks Carla!", "thanks"),
    ("Happy holidays!", "greeting"),
    ("I am OOO today", "out of office"),
]
FEEDBACK_TEXT = "The invoice export drops the totals column every month"


async def status(slack) -> str:
    return answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))


async def test_each_kind_of_noise_said_live_is_skipped_counted_and_fileable(fake, slack, bot, db):
    assert "Now watching" in answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}>"))
    said = [await slack.say(CARLA, FEEDBACK, text) for text, _ in NOISE]
    await slack.join(DAN, FEEDBACK)
    await slack.say(BOB, FEEDBACK, FEEDBACK_TEXT)
    await settled(bot, timeout=60)  # the first filing loads the classifier: slow on a loaded machine
    assert [r.text for r in await remarks(db)] == [FEEDBACK_TEXT]
    shown = await status(slack)
    # The join is skipped and counted too (as a backfill counts it), with no example of its own.
    assert f"*1* filed, *{len(NOISE) + 1}* skipped as noise" in shown, shown
    lines = shown.splitlines()
    skipped = lines[lines.index("*Skipped, latest:*") + 1:][:3]
    # The latest three, newest first, each with its reason.
    for (text, reason), line in zip(reversed(NOISE[-3:]), skipped, strict=True):
        assert line.startswith(f"• {text[:40]}") and line.endswith(f"_({reason})_"), line
    filed = lines[lines.index("*Filed, latest:*") + 1]
    assert filed == f"• {FEEDBACK_TEXT}"
    # A person can still file what the rules skipped ("resolved" is a customer's word here).
    await slack.react(ALICE, FEEDBACK, said[3]["ts"], "memo")
    await settled(bot, timeout=60)  # the first filing loads the classifier: slow on a loaded machine
    assert sorted(r.text for r in await remarks(db)) == sorted([FEEDBACK_TEXT, "resolved"])


async def test_each_kind_of_noise_in_the_history_is_skipped_and_counted(fake, slack, bot, db):
    for i, (text, _) in enumerate(NOISE):
        fake.state.post_message(FEEDBACK, CARLA, text, ts=ago(fake, 9 - i * 0.05))
    fake.state.post_message(FEEDBACK, DAN, f"<@{DAN}> has joined the channel", subtype="channel_join",
                            ts=ago(fake, 8))
    fake.state.post_message(FEEDBACK, BOB, FEEDBACK_TEXT, ts=ago(fake, 7))
    assert "Bringing in" in answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> since 30d"))
    job = await done(db)
    await settled(bot, timeout=60)  # the first filing loads the classifier: slow on a loaded machine
    assert job.status == "done" and job.captured == 1
    assert job.skipped == len(NOISE) + 1 and job.other == 0  # the join is counted as skipped, as live
    assert [r.text for r in await remarks(db)] == [FEEDBACK_TEXT]
    history = (await status(slack)).split("*History*")[1]
    assert NOISE[-1][0] in history and FEEDBACK_TEXT in history  # the latest skipped is shown
