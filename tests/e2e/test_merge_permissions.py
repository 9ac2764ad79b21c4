"""*Same as this one* merges only what Earshot offered, for someone who may (issue 20, item 2).

The offer is recorded when the confirmation is drawn; a click naming any other pair (a crafted
value: any two remark ids) merges nothing, nor does a click by someone who is neither the
capturer of the new remark, the owner of its process, nor an admin. Clicks are the stand-in's
block_actions payloads (api.slack.com/reference/interaction-payloads/block-actions), signed
and delivered over HTTP; a refusal is an ephemeral reply through the click's response_url."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import MergeOffer, Remark, RemarkMerge
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, CARLA, DAN, SUPPORT
from tests.e2e.test_duplicates import AGAIN, FIRST, OTHER, capture, last_response, totals


async def by_text(db, text: str) -> Remark:
    async with db() as s:
        return (await s.scalars(select(Remark).where(Remark.text == text)
                                .execution_options(populate_existing=True))).one()


async def offered(fake, slack, bot, db) -> tuple[list[dict[str, Any]], Remark, Remark, Remark]:
    """Alice captures a complaint, Bob its near-repeat (offered to him), Carla another one."""
    await capture(fake, slack, bot, ALICE, FIRST)
    _, blocks = await capture(fake, slack, bot, BOB, AGAIN)
    assert "Same as this one" in str(blocks)
    await capture(fake, slack, bot, CARLA, OTHER)
    return blocks, await by_text(db, FIRST), await by_text(db, AGAIN), await by_text(db, OTHER)


async def test_a_crafted_click_naming_a_pair_never_offered_merges_nothing(fake, slack, bot, db):
    blocks, first, again, other = await offered(fake, slack, bot, db)
    async with db() as s:
        offers = [(o.remark_id, o.into_remark_id, o.offered_to) for o in (await s.scalars(select(MergeOffer))).all()]
    assert offers == [(again.id, first.id, BOB)]
    before = await totals(db)
    # Carla captured `other`: she "merges" it into Alice's remark, and Bob's into hers.
    for user, value in ((CARLA, f"{other.id}:{first.id}:{other.fingerprint}"),
                        (BOB, f"{again.id}:{other.id}:{again.fingerprint}"),
                        (BOB, f"{first.id}:{again.id}:{first.fingerprint}")):
        await slack.click_ephemeral(user, blocks, "remark_same", channel=SUPPORT, value=value)
    refusals = await fake.wait_for("response_url", count=3)
    for r in refusals:
        assert r.params["response_type"] == "ephemeral" and r.params["replace_original"] is False
        assert "did not offer to merge" in r.params["text"]
    await settled(bot)
    assert await totals(db) == before
    async with db() as s:
        assert (await s.scalars(select(RemarkMerge))).all() == []


async def test_only_the_capturer_the_process_owner_or_an_admin_may_merge(fake, slack, bot, db):
    blocks, first, again, _ = await offered(fake, slack, bot, db)
    before = await totals(db)
    await slack.click_ephemeral(DAN, blocks, "remark_same", channel=SUPPORT)  # the button Bob was shown
    [refused] = await fake.wait_for("response_url")
    assert "Only the teammate who captured the new remark" in refused.params["text"]
    assert refused.params["response_type"] == "ephemeral"
    assert await totals(db) == before
    # Alice is an admin: she may.
    await slack.click_ephemeral(ALICE, blocks, "remark_same", channel=SUPPORT)
    await fake.wait_for("response_url", count=2)
    assert "Merged" in last_response(fake)
    assert (await by_text(db, FIRST)).endorsements == 2
    async with db() as s:
        assert await s.get(Remark, again.id) is None
        [merge] = (await s.scalars(select(RemarkMerge))).all()
    assert (merge.merged_remark_id, merge.into_remark_id, merge.merged_by) == (again.id, first.id, ALICE)


async def test_a_stale_same_button_is_refused(fake, slack, bot, db):
    blocks, first, again, other = await offered(fake, slack, bot, db)
    before = await totals(db)
    # The id of another remark with the fingerprint the button was drawn with: not that remark.
    await slack.click_ephemeral(BOB, blocks, "remark_same", channel=SUPPORT,
                                value=f"{other.id}:{first.id}:{again.fingerprint}")
    # And a button drawn before buttons carried fingerprints.
    await slack.click_ephemeral(BOB, blocks, "remark_same", channel=SUPPORT, value=f"{again.id}:{first.id}")
    answers = await fake.wait_for("response_url", count=2)
    assert all("Merged" not in str(a.params) for a in answers)
    await settled(bot)
    assert await totals(db) == before
