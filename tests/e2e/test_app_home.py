"""The App Home tab: triage unfiled remarks in one click, see your recent captures."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Process, Remark
from tests.conftest import settled
from tests.e2e.queries import ALICE, CARLA, SUPPORT


async def test_home_lists_unfiled_remarks_and_files_one_in_a_click(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "hmm, interesting, not sure what to make of it")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    async with db() as s:
        remark = (await s.scalars(select(Remark))).one()
        if remark.process_id is not None:  # make sure it needs triage, whatever the classifier thought
            remark.process_id = None
            await s.commit()
        billing = (await s.scalars(select(Process).where(Process.name == "Billing"))).one()

    await slack.open_home(ALICE)
    await fake.wait_for("views.publish")
    published = fake.calls_to("views.publish")[-1].params
    assert published["user_id"] == ALICE
    text = str(published["view"])
    assert "Needs a process" in text and "not sure what to make of it" in text
    assert "Your recent captures" in text

    await slack.click(ALICE, "remark_process", value=str(billing.id))
    await fake.wait_for("views.publish", count=2)
    async with db() as s:
        remark = (await s.scalars(select(Remark))).one()
    assert remark.process_id == billing.id and remark.process_decided_by == ALICE
    assert "Nothing to triage" in str(fake.calls_to("views.publish")[-1].params["view"])


async def test_home_for_a_new_user_is_friendly(fake, slack, bot, db):
    await slack.open_home("U0DAN00001")
    await fake.wait_for("views.publish")
    text = str(fake.calls_to("views.publish")[-1].params["view"])
    assert "haven't captured anything yet" in text and "/feedback" in text
