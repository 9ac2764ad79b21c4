"""Learning from corrections, end to end: remarks captured through signed Slack deliveries,
corrected the way the confirmation's correction control does it, then similar new remarks
filed by the running bot, by a restarted bot, and by another workspace."""

from __future__ import annotations

import copy
import time

from sqlalchemy import select

from bot.domain.filing.corrections import correct_process
from bot.fakeslack import SlackDeliverer, SlackSimulator
from bot.fakeslack.state import Team
from storage.models import Process, Remark
from tests.conftest import SECRET, eventually, settled, start_bot
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT

FIRST = "The security questionnaire took weeks to get answered"
SIMILAR = "Nobody answered our security questionnaire for weeks"
ALSO_SIMILAR = "Still waiting on the security questionnaire answers, weeks later"


async def capture(fake, slack, bot, db, text: str, *, channel: str = SUPPORT, team: str = "T0001",
                  state=None) -> Remark:
    """Carla says ``text``; Alice reacts with the capture emoji; the remark the bot filed."""
    state = state or fake.state
    msg = state.post_message(channel, CARLA, text)
    await slack.react(ALICE, channel, msg["ts"], "memo")

    async def stored() -> Remark | None:
        async with db() as s:
            return await s.scalar(select(Remark).where(
                Remark.team_id == team, Remark.source_key == f"{channel}:{msg['ts']}"))

    remark = await eventually(stored)
    await settled(bot)
    return remark


async def process_id(db, team: str, name: str) -> int:
    async with db() as s:
        return await s.scalar(select(Process.id).where(Process.team_id == team, Process.name == name))


async def process_name(db, remark: Remark) -> str | None:
    if remark.process_id is None:
        return None
    async with db() as s:
        return (await s.get(Process, remark.process_id)).name


async def test_a_correction_teaches_the_workspace_within_seconds_without_restart(fake, slack, bot, db):
    first = await capture(fake, slack, bot, db, FIRST)
    assert await process_name(db, first) != "Onboarding"  # the classifier's own guess differs
    onboarding = await process_id(db, "T0001", "Onboarding")

    started = time.monotonic()
    await correct_process(bot.runtime.services, team_id="T0001", remark_id=first.id,
                          process_id=onboarding, by=ALICE)
    similar = await capture(fake, slack, bot, db, SIMILAR)
    elapsed = time.monotonic() - started
    assert similar.process_id == onboarding and similar.process_decided_by is None
    assert elapsed < 5, f"took {elapsed:.2f}s"
    # The capturer is told where it went.
    assert "Onboarding" in str(fake.calls_to("chat.postEphemeral")[-1].params["blocks"])


async def test_lessons_survive_a_restart(fake, slack, bot, db, settings):
    first = await capture(fake, slack, bot, db, FIRST)
    onboarding = await process_id(db, "T0001", "Onboarding")
    await correct_process(bot.runtime.services, team_id="T0001", remark_id=first.id,
                          process_id=onboarding, by=ALICE)

    restarted, stop = await start_bot(settings)  # a new Runtime: nothing cached in memory
    sim = fake.simulator(restarted.url)
    try:
        similar = await capture(fake, sim, restarted, db, SIMILAR)
    finally:
        await sim.close()
        await stop()
    assert similar.process_id == onboarding


async def test_an_explicit_process_when_filing_is_a_lesson_too(fake, slack, bot, db):
    # `/feedback [Process] text`: a person's choice at filing time, like the filing modal's.
    reply = await slack.slash(BOB, SUPPORT, f"[onboarding] {FIRST}")
    assert reply.status == 200
    await settled(bot)
    onboarding = await process_id(db, "T0001", "Onboarding")
    async with db() as s:
        typed = await s.scalar(select(Remark).where(Remark.text == FIRST))
    assert typed.process_id == onboarding and typed.process_decided_by == BOB
    similar = await capture(fake, slack, bot, db, SIMILAR)
    assert similar.process_id == onboarding


async def test_a_choice_stored_with_the_remark_is_a_lesson(fake, slack, bot, db):
    await capture(fake, slack, bot, db, "Warm-up remark so the workspace exists")
    onboarding = await process_id(db, "T0001", "Onboarding")
    # A person's choice made while filing (here `/feedback [Process] ...`).
    reply = await slack.slash(BOB, SUPPORT, f"[Onboarding] {FIRST}")
    assert reply.status == 200
    similar = await capture(fake, slack, bot, db, SIMILAR)
    assert similar.process_id == onboarding


async def test_a_registry_change_applies_without_restart(fake, slack, bot, db):
    before = await capture(fake, slack, bot, db, FIRST)
    assert await process_name(db, before) != "Security reviews"
    reply = await slack.slash(ALICE, SUPPORT, 'process add "Security reviews" security questionnaire, '
                                              "security review, pen test")
    assert "Added *Security reviews*" in reply.json()["text"]
    after = await capture(fake, slack, bot, db, SIMILAR)
    assert await process_name(db, after) == "Security reviews"

    await slack.slash(ALICE, SUPPORT, "process archive Security reviews")
    archived = await capture(fake, slack, bot, db, ALSO_SIMILAR)
    assert await process_name(db, archived) != "Security reviews"


def second_workspace(fake, app_url: str) -> SlackSimulator:
    """Another Slack team (T0002) delivering to the same bot.

    The fake serves one Web API, so the second team shares its channels and messages
    (a channel of its own avoids ts clashes); every delivery carries team_id T0002, which
    is all the bot keys its data on.
    """
    humans = [ALICE, BOB, CARLA, "U0DAN00001"]
    fake.state.add_channel("globex-support", id="C2SUPPORT1", members=humans)
    other = copy.copy(fake.state)
    other.team = Team("T0002", "Globex", "globex")
    return SlackSimulator(other, SlackDeliverer(app_url, SECRET, other))


async def test_two_workspaces_with_conflicting_corrections_stay_apart(fake, slack, bot, db):
    globex = second_workspace(fake, bot.url)
    try:
        acme_first = await capture(fake, slack, bot, db, FIRST)
        globex_first = await capture(fake, globex, bot, db, FIRST, channel="C2SUPPORT1", team="T0002",
                                     state=globex.state)
        assert acme_first.team_id == "T0001" and globex_first.team_id == "T0002"
        services = bot.runtime.services
        await correct_process(services, team_id="T0001", remark_id=acme_first.id,
                              process_id=await process_id(db, "T0001", "Onboarding"), by=ALICE)
        await correct_process(services, team_id="T0002", remark_id=globex_first.id,
                              process_id=await process_id(db, "T0002", "Billing"), by=ALICE)

        acme = await capture(fake, slack, bot, db, SIMILAR)
        globex_remark = await capture(fake, globex, bot, db, SIMILAR, channel="C2SUPPORT1", team="T0002",
                                      state=globex.state)
        assert await process_name(db, acme) == "Onboarding"
        assert await process_name(db, globex_remark) == "Billing"
        # Each is filed under its own workspace's process, never the other's.
        async with db() as s:
            assert (await s.get(Process, acme.process_id)).team_id == "T0001"
            assert (await s.get(Process, globex_remark.process_id)).team_id == "T0002"
    finally:
        await globex.close()
