"""Stale controls never act on another remark (issue 20, item 9).

The incident: one teammate's capture was withdrawn, its confirmation kept working controls, a
new remark took the freed id (SQLite reuses the id of the last deleted row), and a click on
the old confirmation turned another teammate's complaint into praise. Now ids that left the
database are never given again (AUTOINCREMENT, migration 0009), and every control names its
remark by id and fingerprint, so a control drawn for a remark that is gone is refused
privately and changes nothing, even where an id *was* reused (an old SQLite database). The
clicks are the stand-in's block_actions payloads (api.slack.com/reference/interaction-payloads/
block-actions): menus name their remark in ``block_id``, buttons in ``value``."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.digest.periods import Schedule, due_period
from bot.digest.post import DigestPoster
from bot.server.scheduler import build_digest_client
from storage.db import transaction
from storage.models import Capture, Remark, Workspace, utcnow
from storage.repositories import RemarkRepository
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, FEEDBACK, SUPPORT

STALE = "out of date"


async def confirmed(fake, slack, bot, user: str, text: str) -> tuple[dict, list[dict[str, Any]]]:
    msg = fake.state.post_message(SUPPORT, CARLA, text)
    before = len(fake.calls_to("chat.postEphemeral"))
    await slack.react(user, SUPPORT, msg["ts"], "memo")
    await fake.wait_for("chat.postEphemeral", count=before + 1, timeout=30)
    await settled(bot)
    return msg, fake.calls_to("chat.postEphemeral")[-1].params["blocks"]


async def remark_of(db, ts: str) -> Remark | None:
    async with db() as s:
        return await s.scalar(select(Remark).where(Remark.message_ts == ts)
                              .execution_options(populate_existing=True))


async def model_version(db) -> int:
    async with db() as s:
        return (await s.get(Workspace, ds.TEAM, populate_existing=True)).model_version


def naming(blocks: list[dict[str, Any]], old: str, new: str) -> list[dict[str, Any]]:
    """The same controls, naming another remark id (as if the old id had been given to it)."""
    return json.loads(json.dumps(copy.deepcopy(blocks)).replace(old, new))


async def test_an_old_confirmation_cannot_change_a_new_remark(fake, slack, bot, db):
    first, old_blocks = await confirmed(fake, slack, bot, ALICE, "Love how fast the new export is")
    withdrawn = await remark_of(db, first["ts"])
    assert withdrawn is not None
    await slack.unreact(ALICE, SUPPORT, first["ts"], "memo")  # her capture, and so the remark, goes
    await settled(bot)
    assert await remark_of(db, first["ts"]) is None
    second, _ = await confirmed(fake, slack, bot, BOB, "The refund never arrived, three weeks now")
    victim = await remark_of(db, second["ts"])
    assert victim is not None and victim.id > withdrawn.id  # the freed id is never given again
    assert victim.sentiment == "complaint"
    version = await model_version(db)

    # Alice's old confirmation as Slack still shows it: its remark is gone, nothing changes.
    await slack.click_ephemeral(ALICE, old_blocks, "remark_sentiment", value="praise", channel=SUPPORT)
    [gone] = await fake.wait_for("response_url")
    assert "no longer in Earshot" in gone.params["text"]

    # The same controls as they would be had the id been reused (an old SQLite database):
    # each is refused as out of date; Bob's remark stays his complaint.
    reused = naming(old_blocks, f"remark:{withdrawn.id}:", f"remark:{victim.id}:")
    reused = naming(reused, f'"{withdrawn.id}:', f'"{victim.id}:')
    await slack.click_ephemeral(ALICE, reused, "remark_sentiment", value="praise", channel=SUPPORT)
    await slack.click_ephemeral(ALICE, reused, "remark_process", value="unfiled", channel=SUPPORT)
    await slack.click_ephemeral(ALICE, reused, "remark_undo", channel=SUPPORT)
    await slack.click_ephemeral(BOB, reused, "remark_undo", channel=SUPPORT)
    await slack.click_ephemeral(ALICE, reused, "remark_customer", channel=SUPPORT)
    answers = (await fake.wait_for("response_url", count=6))[1:]
    for a in answers:
        assert STALE in a.params["text"], a.params
    await settled(bot)
    after = await remark_of(db, second["ts"])
    assert (after.sentiment, after.sentiment_decided_by, after.process_id, after.endorsements) == (
        victim.sentiment, None, victim.process_id, 1)
    async with db() as s:
        assert [c.user_id for c in (await s.scalars(select(Capture))).all()] == [BOB]
    assert await model_version(db) == version  # the classifier learnt nothing from it
    assert not fake.calls_to("views.open")


async def test_a_control_drawn_without_a_fingerprint_is_refused(fake, slack, bot, db):
    msg, blocks = await confirmed(fake, slack, bot, ALICE, "Support answered in two minutes, great")
    remark = await remark_of(db, msg["ts"])
    legacy = naming(blocks, f"remark:{remark.id}:{remark.fingerprint}", f"remark:{remark.id}")
    await slack.click_ephemeral(ALICE, legacy, "remark_sentiment", value="complaint", channel=SUPPORT)
    [refused] = await fake.wait_for("response_url")
    assert STALE in refused.params["text"]
    assert (await remark_of(db, msg["ts"])).sentiment_decided_by is None


async def replaced_by_another(db, remark_id: int) -> tuple[str, int]:
    """Delete ``remark_id`` (its fingerprint is returned) and file another unfiled remark."""
    async with transaction(db) as s:
        repo = RemarkRepository(s)
        fingerprint = (await repo.get(ds.TEAM, remark_id)).fingerprint
        await repo.delete(ds.TEAM, remark_id)
    other = await ds.remark(db, process_id=None, sentiment="complaint", at=utcnow(), text="The invoice is wrong")
    assert other > remark_id
    return fingerprint, other


def rename(view: dict[str, Any], names: dict[str, str]) -> None:
    """Make the view Slack holds name other block and action ids (``names``: old -> new)."""
    for b in view["blocks"]:
        b["block_id"] = names.get(b.get("block_id", ""), b.get("block_id", ""))
        for el in [b.get("accessory") or {}, *(b.get("elements") or [])]:
            if isinstance(el, dict) and el.get("action_id") in names:
                el["action_id"] = names[el["action_id"]]


async def test_app_home_triage_menu_of_a_remark_gone_is_refused_in_the_home(fake, slack, bot, db):
    await ds.workspace(db)
    billing = await ds.process(db, "Billing")
    gone = await ds.remark(db, process_id=None, sentiment="complaint", at=utcnow(), text="Where is my refund?")
    await slack.open_home(ALICE)
    [home] = await fake.wait_for("views.publish")
    view_id = home.response["view"]["id"]
    fingerprint, other = await replaced_by_another(db, gone)
    rename(fake.state.views[view_id], {f"remark:{gone}:{fingerprint}": f"remark:{other}:{fingerprint}"})
    await slack.click(ALICE, "remark_process", view_id=view_id, value=str(billing))
    [_, again] = await fake.wait_for("views.publish", count=2)
    assert STALE in json.dumps(again.params["view"]["blocks"])
    await settled(bot)
    async with db() as s:
        assert (await s.get(Remark, other, populate_existing=True)).process_id is None


async def test_digest_triage_menu_of_a_remark_gone_is_refused_in_the_modal(fake, slack, bot, db):
    await ds.workspace(db, digest_channel_id=FEEDBACK, timezone="UTC")
    billing = await ds.process(db, "Billing")
    now = utcnow()
    period = due_period(Schedule(0, "09:00", ZoneInfo("UTC")), now)
    gone = await ds.remark(db, process_id=None, sentiment="complaint", at=period.start_at + dt.timedelta(hours=30),
                           text="Where is my refund?")
    poster = DigestPoster(bot.runtime.services, build_digest_client(bot.runtime.services), now=lambda: now)
    assert (await poster.post(ds.TEAM, force=True)).status == "posted"
    [post] = [c for c in fake.calls_to("chat.postMessage") if c.params.get("channel") == FEEDBACK]
    await slack.click(CARLA, "digest_triage", channel=FEEDBACK, ts=post.response["ts"])
    [opened] = await fake.wait_for("views.open")
    view_id = opened.response["view"]["id"]
    fingerprint, other = await replaced_by_another(db, gone)
    rename(fake.state.views[view_id], {f"triage:{gone}:{fingerprint}": f"triage:{other}:{fingerprint}",
                                       f"triage_file:{gone}": f"triage_file:{other}"})
    await slack.click(CARLA, f"triage_file:{other}", view_id=view_id, value=str(billing))
    [updated] = await fake.wait_for("views.update")
    assert STALE in json.dumps(updated.params["view"]["blocks"])
    await settled(bot)
    async with db() as s:
        assert (await s.get(Remark, other, populate_existing=True)).process_id is None
