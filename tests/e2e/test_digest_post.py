"""Posting the weekly digest through the Slack stand-in: content, chart in the thread,
exactly once under races and failures, admin told about channel problems, catch-up."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select

from bot.digest.post import DigestPoster
from bot.digest.render import METADATA_EVENT
from bot.domain.services import Services
from bot.server.scheduler import DigestScheduler, build_digest_client
from storage.models import DigestRun
from tests.conftest import eventually
from tests.e2e import digest_support as ds
from tests.e2e.queries import FEEDBACK

# Monday 10 March 2025, 09:00 in Berlin is 08:00 UTC: the slot of the period 3-9 March.
SLOT = dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC)
PERIOD_START = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)


@pytest.fixture
async def services(settings):
    s = Services.create(settings)
    yield s
    await s.close()


def poster(services: Services, now: dt.datetime, worker: str = "test-1", **kw) -> DigestPoster:
    return DigestPoster(services, build_digest_client(services), worker=worker, now=lambda: now,
                        backoff_base=0.01, **kw)


def scheduler_at(services: Services, now: dt.datetime) -> DigestScheduler:
    """A scheduler whose clock, and its poster's, stand at ``now``."""
    scheduler = DigestScheduler(services, build_digest_client(services), now=lambda: now)
    scheduler.poster = poster(services, now)
    return scheduler


async def runs(db) -> list[DigestRun]:
    async with db() as s:
        return list((await s.scalars(select(DigestRun).order_by(DigestRun.id))).all())


async def prepare(db, *, channel: str = FEEDBACK, plant: bool = True, **kw) -> ds.Planted | None:
    await ds.workspace(db, timezone="Europe/Berlin", digest_channel_id=channel,
                       installer_user_id=ds.ALICE, **kw)
    return await ds.plant(db, PERIOD_START) if plant else None


def posted_digests(fake) -> list:
    return [c for c in fake.calls_to("chat.postMessage")
            if c.ok and (c.params.get("metadata") or {}).get("event_type") == METADATA_EVENT]


def section_texts(blocks: list[dict]) -> str:
    out = []
    for b in blocks:
        if b["type"] == "section":
            out.append(b["text"]["text"])
        elif b["type"] == "header":
            out.append(b["text"]["text"])
        elif b["type"] == "context":
            out.extend(e["text"] for e in b["elements"])
    return "\n".join(out)


async def test_digest_posts_ranked_evidence_and_chart_in_thread(fake, services, db):
    await prepare(db)
    outcome = await poster(services, SLOT + dt.timedelta(minutes=1)).post(ds.TEAM)
    assert outcome.status == "posted" and not outcome.late

    [post] = posted_digests(fake)
    assert post.params["channel"] == FEEDBACK
    text = section_texts(post.params["blocks"])
    assert "3–9 Mar 2025" in text
    assert "*12 remarks*" in text and "8 complaints" in text and "4 praise" in text
    improve = text.split("*Improve*")[1].split("*Consolidate*")[0]
    assert improve.index("*1. Billing*") < improve.index("Exports")
    assert "owner <@U0BOB00001>" in improve and "Invoice wrong again" in improve
    assert "*Acme*" in improve and "|view>" in improve
    consolidate = text.split("*Consolidate*")[1]
    assert "*Onboarding*" in consolidate.split("*Changed")[0]
    assert "Gone quiet" in text and "*Delivery*" in text
    assert "1 remark still needs a process" in text
    triage = [b for b in post.params["blocks"] if b.get("accessory", {}).get("action_id") == "digest_triage"]
    assert triage, "the Unfiled section has a Triage button"

    # The chart goes into the digest's thread via files upload v2.
    [complete] = await fake.wait_for("files.completeUploadExternal")
    assert complete.params["channel_id"] == FEEDBACK
    assert complete.params["thread_ts"] == post.response["ts"]
    [upload] = fake.calls_to("upload")
    assert upload.params["bytes"] > 1000
    [run] = await runs(db)
    assert (run.status, run.message_ts, run.late) == ("posted", post.response["ts"], False)


async def test_chart_can_be_turned_off(fake, services, db):
    await prepare(db, digest_chart=False)
    await poster(services, SLOT + dt.timedelta(minutes=1)).post(ds.TEAM)
    assert len(posted_digests(fake)) == 1
    assert fake.calls_to("files.getUploadURLExternal") == []


async def test_empty_week_posts_one_friendly_line(fake, services, db):
    await prepare(db, plant=False)
    outcome = await poster(services, SLOT + dt.timedelta(minutes=1)).post(ds.TEAM)
    assert outcome.status == "posted" and outcome.empty
    [post] = posted_digests(fake)
    assert len(post.params["blocks"]) == 1
    assert "Quiet week" in post.params["text"]
    assert fake.calls_to("files.getUploadURLExternal") == []


async def test_racing_posters_post_once(fake, services, db):
    await prepare(db)
    now = SLOT + dt.timedelta(minutes=1)
    results = await asyncio.gather(*(poster(services, now, worker=f"w{i}").post(ds.TEAM) for i in range(4)))
    assert sorted(r.status for r in results) == ["busy", "busy", "busy", "posted"]
    assert len(posted_digests(fake)) == 1
    again = await poster(services, now + dt.timedelta(hours=1), worker="w9").post(ds.TEAM)
    assert again.status == "busy" and len(posted_digests(fake)) == 1


async def test_rate_limited_first_post_is_retried_and_posted_once(fake, services, db):
    await prepare(db)
    fake.fail_next("chat.postMessage", "ratelimited", retry_after=0)
    outcome = await poster(services, SLOT + dt.timedelta(minutes=1)).post(ds.TEAM)
    assert outcome.status == "posted"
    calls = fake.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    # Before retrying it checked the channel for a copy that might have gone through.
    assert fake.calls_to("conversations.history")
    assert len(posted_digests(fake)) == 1


async def test_server_errors_back_off_then_release_the_claim_for_later(fake, services, db):
    await prepare(db)
    fake.fail_next("chat.postMessage", "internal_error", status=500, times=3)
    now = SLOT + dt.timedelta(minutes=1)
    first = await poster(services, now, max_attempts=2).post(ds.TEAM)
    assert first.status == "retry" and posted_digests(fake) == []
    [run] = await runs(db)
    assert run.status == "retry" and run.error == "internal_error"
    # Too early for another pass; after the retry delay another process takes it over.
    assert (await poster(services, now, worker="other").post(ds.TEAM)).status == "busy"
    later = await poster(services, now + dt.timedelta(minutes=6), worker="other").post(ds.TEAM)
    assert later.status == "posted" and len(posted_digests(fake)) == 1


async def test_takeover_finds_a_post_that_reached_slack_and_does_not_repeat_it(fake, services, db):
    await prepare(db)
    now = SLOT + dt.timedelta(minutes=1)
    # A worker claimed the period, posted, and died before recording it.
    async with services.sessions() as s, s.begin():
        s.add(DigestRun(team_id=ds.TEAM, period_start=PERIOD_START, period_end=SLOT.replace(hour=0),
                        status="claimed", claimed_by="dead", lease_until=now, attempts=1,
                        created_at=now))
    msg = fake.state.post_message(FEEDBACK, None, "digest", bot=True, extra={"metadata": {
        "event_type": METADATA_EVENT, "event_payload": {"team_id": ds.TEAM, "period": "2025-03-03"}}})
    outcome = await poster(services, now + dt.timedelta(minutes=3), worker="heir").post(ds.TEAM)
    assert outcome.status == "posted" and outcome.message_ts == msg["ts"]
    assert fake.calls_to("chat.postMessage") == []
    [run] = await runs(db)
    assert (run.status, run.message_ts, run.attempts) == ("posted", msg["ts"], 2)


@pytest.mark.parametrize("problem", ["not_in_channel", "is_archived"])
async def test_channel_problem_fails_the_run_and_dms_the_admin_once(fake, services, db, problem):
    ch = fake.state.add_channel("old-digest", members=[ds.ALICE], bot_member=problem == "is_archived")
    if problem == "is_archived":
        ch.is_archived = True
    await prepare(db, channel=ch.id)
    scheduler = scheduler_at(services, SLOT + dt.timedelta(minutes=1))
    await scheduler.poll()
    await scheduler.poll()  # no crash loop: a failed period is not retried
    [run] = await runs(db)
    assert (run.status, run.error) == ("failed", problem)
    attempts = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == ch.id]
    assert len(attempts) == 1 and attempts[0].response["error"] == problem
    [dm] = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == ds.ALICE]
    assert "couldn't post the weekly feedback digest" in dm.params["text"]
    assert ("/invite @Earshot" in dm.params["text"]) == (problem == "not_in_channel")


async def test_missed_slot_is_caught_up_within_grace_and_marked_late(fake, services, db):
    await prepare(db)
    later = SLOT + dt.timedelta(hours=5)
    scheduler = scheduler_at(services, later)
    await scheduler.poll()
    [post] = posted_digests(fake)
    assert "Posted late" in section_texts(post.params["blocks"])
    [run] = await runs(db)
    assert run.late and run.status == "posted"
    await scheduler.poll()
    assert len(posted_digests(fake)) == 1


async def test_missed_slot_beyond_grace_is_not_posted(fake, services, db):
    await prepare(db)
    too_late = SLOT + dt.timedelta(hours=25)
    scheduler = scheduler_at(services, too_late)
    await scheduler.poll()
    assert posted_digests(fake) == [] and await runs(db) == []


async def test_disabled_or_channel_less_workspaces_are_not_posted(fake, services, db):
    await prepare(db, digest_enabled=False)
    await ds.workspace(db, "T0OTHER01")  # no channel
    scheduler = DigestScheduler(services, build_digest_client(services),
                                now=lambda: SLOT + dt.timedelta(minutes=1))
    await scheduler.poll()
    assert posted_digests(fake) == [] and await runs(db) == []


async def test_schedule_changes_are_picked_up_without_restart(services, db):
    await prepare(db, plant=False)
    scheduler = DigestScheduler(services, build_digest_client(services), now=lambda: SLOT)
    await scheduler.start()
    try:
        await scheduler.poll()
        job = scheduler.scheduler.get_job(f"digest:{ds.TEAM}")
        nxt = job.trigger.get_next_fire_time(None, SLOT)
        assert nxt.isoformat() == "2025-03-10T09:00:00+01:00"
        await ds.workspace(db, digest_weekday=4, digest_time="16:30", timezone="America/New_York")
        await scheduler.poll()
        job = scheduler.scheduler.get_job(f"digest:{ds.TEAM}")
        # DST starts in New York on 9 March 2025: the Friday slot is 16:30 EDT.
        assert job.trigger.get_next_fire_time(None, SLOT).isoformat() == "2025-03-14T16:30:00-04:00"
        await ds.workspace(db, digest_enabled=False)
        await scheduler.poll()
        assert scheduler.scheduler.get_job(f"digest:{ds.TEAM}") is None
    finally:
        await scheduler.stop()


def admin_dms(fake) -> list:
    return [c for c in fake.calls_to("chat.postMessage") if c.ok and c.params.get("channel") == ds.ALICE]


async def test_a_chart_that_cannot_be_uploaded_is_told_to_the_admin_once(fake, services, db):
    planted = await prepare(db)
    assert planted is not None
    for week in (1, 2, 3):  # a remark in each following week, so each digest has a chart
        await ds.remark(db, process_id=None, sentiment="complaint",
                        at=PERIOD_START + dt.timedelta(days=7 * week + 1))
    fake.fail_always("files.getUploadURLExternal", "missing_scope")
    outcome = await poster(services, SLOT + dt.timedelta(minutes=1)).post(ds.TEAM)
    assert outcome.status == "posted"
    [dm] = admin_dms(fake)
    assert "`missing_scope`" in dm.params["text"] and "files:write" in dm.params["text"]
    # The next week the same problem says nothing new.
    await poster(services, SLOT + dt.timedelta(days=7, minutes=1)).post(ds.TEAM)
    assert len(posted_digests(fake)) == 2 and len(admin_dms(fake)) == 1
    # Fixed, then broken again: that is news.
    fake.reset_failures()
    await poster(services, SLOT + dt.timedelta(days=14, minutes=1)).post(ds.TEAM)
    fake.fail_always("files.getUploadURLExternal", "missing_scope")
    await poster(services, SLOT + dt.timedelta(days=21, minutes=1)).post(ds.TEAM)
    assert len(admin_dms(fake)) == 2


async def test_stopping_the_clock_lets_a_digest_being_posted_finish(fake, services, db):
    """`earshot clock` on SIGTERM: the job posting a digest finishes and records it, rather
    than being cancelled with the post on its way (docs/durability.md)."""
    await prepare(db)
    scheduler = scheduler_at(services, SLOT + dt.timedelta(minutes=5))
    fake.slow_down("chat.postMessage", 1.0)
    try:
        await scheduler.start()  # its first poll finds the slot due and posts

        async def posting() -> bool:
            return any(r.status == "claimed" for r in await runs(db))

        await eventually(posting, timeout=10)
        await scheduler.stop()
    finally:
        fake.slow_down("chat.postMessage", 0)
    [run] = await runs(db)
    assert run.status == "posted"
    assert len(posted_digests(fake)) == 1
