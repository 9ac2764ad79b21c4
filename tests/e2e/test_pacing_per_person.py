"""One person's reads waiting for Slack's limit are capped in the limited mode
(bot.domain.workspace.pacing.WAITING_PER_PERSON, docs/sources-slack.md "Pacing"), end to
end: signed ``reaction_added`` events (the stand-in's payloads.reaction_added, after
api.slack.com/events/reaction_added) and repeated ``message_action`` + ``view_submission``
payloads (payloads.message_action / view_submission, after
api.slack.com/reference/interaction-payloads) to the running bot. The slots are 2 minutes
apart, so nothing here waits for one: each capture past the first is kept waiting."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.domain.workspace.pacing import WAITING_PER_PERSON
from bot.slack import modals
from storage.models import Delivery, RateReservation
from tests.conftest import eventually, start_bot
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, remarks
from tests.e2e.test_capture_pacing import warm_up

HISTORY = "conversations.history"
INTERVAL = dt.timedelta(minutes=2)  # the limited mode's minute, made longer than any test


@pytest.fixture
async def slow_bot(settings):
    running, stop = await start_bot(settings.model_copy(update={
        "slack_history_tier": "limited", "backfill_calls_per_minute": 0.5}))
    yield running
    await stop()


async def kept(db) -> list[RateReservation]:
    async with db() as session:
        return list((await session.scalars(select(RateReservation).order_by(RateReservation.at))).all())


async def handed_back(db, n: int) -> None:
    async def enough() -> bool:
        async with db() as session:
            rows = (await session.scalars(select(Delivery))).all()
        return sum((r.last_error or "").startswith("waiting for a Slack rate slot") for r in rows) >= n
    await eventually(enough, timeout=15)


def notes_to(fake, user: str) -> list[str]:
    return [str(c.params.get("text") or c.params.get("blocks") or "")
            for c in fake.calls_to("chat.postEphemeral") if c.params.get("user") == user]


async def test_a_person_past_the_cap_of_waiting_reactions_is_told_and_takes_no_slot(fake, db, slow_bot):
    # Before the cap, every reaction kept one more slot: a person reacting to ten messages
    # held the workspace's reads for ten minutes, everybody else's captures behind them.
    slack = fake.simulator(slow_bot.url)
    try:
        await warm_up(slack)
        msgs = [fake.state.post_message(SUPPORT, CARLA, f"The export drops column {i} of the invoice")
                for i in range(WAITING_PER_PERSON + 3)]
        await slack.react(ALICE, SUPPORT, msgs[0]["ts"], "memo")  # the slot free now: read at once
        await fake.wait_for(HISTORY, 1, timeout=20)  # its slot taken
        for i in range(1, WAITING_PER_PERSON + 1):
            await slack.react(ALICE, SUPPORT, msgs[i]["ts"], "memo")
            await handed_back(db, i)  # kept waiting for its slot, INTERVAL after the one before
        over = msgs[WAITING_PER_PERSON + 1]
        await slack.react(ALICE, SUPPORT, over["ts"], "memo")
        [note] = await eventually(lambda: [n for n in notes_to(fake, ALICE) if "waiting" in n], timeout=15)
        # Another person is not held to Alice's count: Bob's capture keeps the next slot.
        await slack.react(BOB, SUPPORT, msgs[-1]["ts"], "memo")
        await handed_back(db, WAITING_PER_PERSON + 1)
    finally:
        await slack.close()
    assert f"{WAITING_PER_PERSON} of yours are already waiting" in note, note
    assert "about 2 minutes" in note and "I didn't file this one" in note, note
    rows = await kept(db)
    assert len(rows) == WAITING_PER_PERSON + 1
    assert [r.holder.split(":")[0] for r in rows] == [f"@{ALICE}"] * WAITING_PER_PERSON + [f"@{BOB}"]
    # The refused capture took no slot: Bob's is the very next one after Alice's last.
    assert rows[-1].at - rows[-2].at == INTERVAL
    assert len(fake.calls_to(HISTORY)) == 1
    async def filed() -> list[str]:
        return [r.message_ts for r in await remarks(db) if r.message_ts]
    assert await eventually(filed, timeout=15) == [msgs[0]["ts"]]


async def test_repeated_shortcut_forms_past_the_cap_are_asked_to_wait_and_take_no_slot(fake, db, slow_bot):
    # A message too long for the form's metadata is read again when the form is submitted;
    # each submission of a new form (a new view id: the shortcut used again, or a crafted id)
    # kept a slot of its own. Reactions and forms count together: the cap is the person's.
    slack = fake.simulator(slow_bot.url)
    long_text = "The mobile app logs me out whenever I switch to another app. " * 60  # ~3,700 chars
    answers = []
    try:
        await warm_up(slack)
        first = fake.state.post_message(SUPPORT, CARLA, "The export to CSV drops the currency column")
        await slack.react(ALICE, SUPPORT, first["ts"], "memo")
        await fake.wait_for(HISTORY, 1, timeout=20)  # the workspace's slot is taken
        msg = fake.state.post_message(SUPPORT, CARLA, long_text)
        other = fake.state.post_message(SUPPORT, CARLA, "Search ignores accents in customer names")
        await slack.react(BOB, SUPPORT, other["ts"], "memo")
        await handed_back(db, 1)  # Bob's first waiting read
        for i in range(WAITING_PER_PERSON):
            await slack.shortcut(BOB, SUPPORT, msg["ts"], "file_feedback")
            await fake.wait_for("views.open", i + 1)
            answers.append((await slack.submit_view(BOB, {"process": "unfiled", "sentiment": "complaint"})).json())
    finally:
        await slack.close()
    notes = [a["errors"][modals.BLOCK_NOTE] for a in answers]
    assert all(a["response_action"] == "errors" for a in answers), answers
    assert ["kept for you" in n for n in notes] == [True] * (WAITING_PER_PERSON - 1) + [False], notes
    assert f"{WAITING_PER_PERSON} of yours are already waiting" in notes[-1], notes[-1]
    assert "submit again once that one is filed" in notes[-1], notes[-1]
    rows = await kept(db)
    assert [r.holder.split(":")[0] for r in rows] == [f"@{BOB}"] * WAITING_PER_PERSON
    assert len(fake.calls_to(HISTORY)) == 1
