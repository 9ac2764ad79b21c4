"""Near-duplicates end to end: the same complaint captured twice from two Slack messages is
offered for a merge in the second capturer's confirmation; *Same as this one* makes it an
endorsement of the first (counts exact, roll-up right, Undo works); a second click changes
nothing; the earlier remark deleted meanwhile is said plainly."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Capture, Remark, RemarkDaily
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, CARLA, DAN, SUPPORT

FIRST = "The invoice is missing our VAT number again, finance rejected it"
AGAIN = "the invoice is missing our VAT number again!! finance rejected it"
OTHER = "Our refund for the cancelled order took three weeks to arrive"


async def capture(fake, slack, bot, user: str, text: str) -> tuple[dict, list]:
    msg = fake.state.post_message(SUPPORT, DAN, text)
    before = len(fake.calls_to("chat.postEphemeral"))
    await slack.react(user, SUPPORT, msg["ts"], "memo")
    await fake.wait_for("chat.postEphemeral", count=before + 1, timeout=30)  # first: the model builds
    await settled(bot)
    return msg, fake.calls_to("chat.postEphemeral")[-1].params["blocks"]


async def totals(db) -> tuple[int, int, int, int]:
    async with db() as s:
        remarks = await s.scalar(select(func.count()).select_from(Remark))
        captures = await s.scalar(select(func.count()).select_from(Capture))
        rolled = (await s.execute(select(func.sum(RemarkDaily.remarks),
                                         func.sum(RemarkDaily.endorsements)))).one()
    return remarks, captures, int(rolled[0] or 0), int(rolled[1] or 0)


def last_response(fake) -> str:
    return str(fake.calls_to("response_url")[-1].params)


async def test_a_repeat_is_offered_and_merged_only_on_a_click(fake, slack, bot, db):
    _, first_blocks = await capture(fake, slack, bot, ALICE, FIRST)
    assert "Same as this one" not in str(first_blocks)
    again_msg, blocks = await capture(fake, slack, bot, BOB, AGAIN)
    assert "Looks like the same remark" in str(blocks) and "finance rejected it" in str(blocks)
    _, other_blocks = await capture(fake, slack, bot, CARLA, OTHER)
    assert "Same as this one" not in str(other_blocks)
    assert await totals(db) == (3, 3, 3, 3)  # never merged without a click

    delivery = await slack.click_ephemeral(BOB, blocks, "remark_same", channel=SUPPORT)
    assert delivery.status == 200
    await fake.wait_for("response_url")
    assert "Merged" in last_response(fake)
    assert await totals(db) == (2, 3, 2, 3)
    async with db() as s:
        first = await s.scalar(select(Remark).where(Remark.text == FIRST))
    assert first.endorsements == 2

    # A second click: a no-op with a message.
    await slack.click_ephemeral(BOB, blocks, "remark_same", channel=SUPPORT)
    await fake.wait_for("response_url", count=2)
    assert "Already merged" in last_response(fake)
    assert await totals(db) == (2, 3, 2, 3)

    # The merged message captured again by someone else endorses the earlier remark.
    await slack.react(CARLA, SUPPORT, again_msg["ts"], "memo")
    await settled(bot)
    assert await totals(db) == (2, 4, 2, 4)

    # Undo on the merged confirmation withdraws Bob's capture from the earlier remark.
    merged_blocks = fake.calls_to("response_url")[0].params["blocks"]
    await slack.click_ephemeral(BOB, merged_blocks, "remark_undo", channel=SUPPORT)
    await fake.wait_for("response_url", count=3)
    assert await totals(db) == (2, 3, 2, 3)


async def test_merging_into_a_remark_deleted_meanwhile_says_so_and_keeps_the_new_one(fake, slack, bot, db):
    _, first_blocks = await capture(fake, slack, bot, ALICE, FIRST)
    _, blocks = await capture(fake, slack, bot, BOB, AGAIN)
    await slack.click_ephemeral(ALICE, first_blocks, "remark_undo", channel=SUPPORT)
    await fake.wait_for("response_url")
    assert await totals(db) == (1, 1, 1, 1)
    await slack.click_ephemeral(BOB, blocks, "remark_same", channel=SUPPORT)
    await fake.wait_for("response_url", count=2)
    assert "deleted meanwhile" in last_response(fake)
    assert await totals(db) == (1, 1, 1, 1)
