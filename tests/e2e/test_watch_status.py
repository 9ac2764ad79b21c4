"""Noise in watched channels and ``/feedback watch status``: what is skipped is counted with
its latest examples, a person can still file it by reaction, and skipped text does not
outlive its message or two weeks."""

from __future__ import annotations

import datetime as dt

from bot.domain.capture import hearing
from storage.models import WatchExample
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, CARLA, FEEDBACK, GENERAL, count, remarks
from tests.unit.apps import posts


def answer(delivery) -> str:
    return (delivery.json() or {}).get("text", "")


async def watch(slack) -> None:
    assert "Now watching" in answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}|customer-feedback>"))


async def test_noise_is_skipped_counted_and_still_fileable_by_reaction(fake, slack, bot, db):
    await watch(slack)
    thanks = await slack.say(CARLA, FEEDBACK, "Thanks a lot!")
    await slack.say(BOB, FEEDBACK, "+1")
    await slack.say(CARLA, FEEDBACK, "I'm out of the office until Monday, back on the 12th.")
    await slack.say(CARLA, FEEDBACK, "thanks for nothing, the refund is still missing")
    await settled(bot)
    assert [r.text for r in await remarks(db)] == ["thanks for nothing, the refund is still missing"]
    assert len(fake.calls_to("reactions.add")) == 1  # only the remark is marked
    status = answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))
    assert "*1* filed, *3* skipped as noise" in status
    assert "(thanks)" in status and "(acknowledgement)" in status and "(out of office)" in status
    assert "thanks for nothing" in status
    # A person can still file what the rules skipped.
    await slack.react(ALICE, FEEDBACK, thanks["ts"], "memo")
    await settled(bot)
    assert len(await remarks(db)) == 2


async def test_only_the_latest_three_examples_are_kept_and_deletion_removes_one(fake, slack, bot, db):
    await watch(slack)
    said = [await slack.say(CARLA, FEEDBACK, text) for text in ("hi", "hello team", "thanks", "ok", "+1")]
    await settled(bot)
    status = answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))
    assert "*5* skipped" in status and "hello team" not in status and "• ok" in status
    assert await count(db, WatchExample) == 3
    await slack.delete(CARLA, FEEDBACK, said[-1]["ts"])
    await settled(bot)
    assert await count(db, WatchExample) == 2
    assert "• +1" not in answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))


async def test_skipped_text_is_dropped_after_two_weeks(fake, slack, bot, db):
    await watch(slack)
    await slack.say(CARLA, FEEDBACK, "good morning everyone")
    await settled(bot)
    services = bot.runtime.services
    assert await hearing.drop_old_examples(services, now=services.clock()) == 0
    later = services.clock() + dt.timedelta(days=hearing.SKIPPED_EXAMPLE_DAYS, minutes=1)
    assert await hearing.drop_old_examples(services, now=later) == 1
    assert await count(db, WatchExample) == 0


async def test_status_needs_an_admin_and_a_channel(fake, slack, bot, db):
    assert "Only workspace admins" in answer(await slack.slash(BOB, GENERAL, f"watch status <#{FEEDBACK}>"))
    assert "Usage" in answer(await slack.slash(ALICE, GENERAL, "watch status"))
    assert "is not watched" in answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))


async def test_outside_text_in_examples_cannot_ping_or_disguise_links(fake, slack, bot, db):
    await watch(slack)
    await slack.say(CARLA, FEEDBACK, "<!channel> <https://evil.example|thanks>")
    await slack.say(CARLA, FEEDBACK, "The <https://evil.example|login page> hangs for <!here>")
    await settled(bot)
    status = answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))
    assert "<!channel>" not in status and "<!here>" not in status and "<https://evil" not in status
    assert "login page (https://evil.example)" in status


async def test_an_app_posts_example_stays_on_its_bullets_line(fake, slack, bot, db):
    # Zendesk's posts have several lines (title, body, Status, Assignee): each example used to
    # spill over lines of its own, so "Status: Solved" read like an example or a setting.
    assert "Now watching" in answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> bots"))
    await slack.app_post(FEEDBACK, name="Zendesk", text=posts.ZENDESK_NEW["text"],
                         attachments=posts.ZENDESK_NEW["attachments"])
    await slack.app_post(FEEDBACK, name="Zendesk", attachments=posts.ZENDESK_SOLVED["attachments"])
    await settled(bot)
    status = answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))
    lines = status.splitlines()
    filed = lines[lines.index("*Filed, latest:*") + 1]
    assert filed.startswith("• Export to CSV drops the last column Every export since") and filed.endswith("…")
    skipped = lines[lines.index("*Skipped, latest:*") + 1]
    assert skipped.startswith("• Ticket #4821 was solved") and "Status: Solved" in skipped
    assert skipped.endswith("_(status notice)_")
