"""Tracker webhooks under attack, over HTTP: correctly signed bodies of odd shapes get a 400
naming the field (never a 500); a replayed delivery ships nothing, not even an improvement made
after the event; an unknown workspace is answered exactly like a wrong signature; Linear's
hook never takes GitHub's secret.

Shapes: GitHub "Webhook events and payloads" (https://docs.github.com/en/webhooks/webhook-events-and-payloads,
``issues`` and ``pull_request``; delivery headers X-GitHub-Event, X-GitHub-Delivery,
X-Hub-Signature-256); Linear "Webhooks" (https://linear.app/developers/webhooks: Linear-Signature,
Linear-Delivery, ``webhookTimestamp`` within a minute) and its schema's EntityWebhookPayload.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

from sqlalchemy import select, update

from bot.domain.loop import trackers
from bot.server.scheduler import DigestScheduler
from storage.db import transaction
from storage.models import Improvement, TrackerDelivery, utcnow
from storage.repositories.improvements import ImprovementRepository
from tests.e2e import digest_support as ds
from tests.e2e import test_oauth_installs
from tests.e2e.queries import BOB
from tests.e2e.test_trackers import (
    ISSUE,
    LINEAR,
    LINEAR_SECRET,
    PR,
    closed_issue,
    github,
    linear,
    linear_issue,
    merged_pr,
    post,
    setup,
    statuses,
)

two = test_oauth_installs.two  # Earshot in OAuth mode, a second workspace in the stand-in
HOOK = "/hooks/github?team=T0001"


def signed(secret: str, event: str, raw: bytes) -> tuple[bytes, dict[str, str]]:
    sig = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"X-Hub-Signature-256": sig, "X-GitHub-Event": event,
                 "X-GitHub-Delivery": str(uuid.uuid4())}


def nested(depth: int) -> bytes:
    return b'{"action":"closed","issue":' + b'{"a":' * depth + b"1" + b"}" * depth + b"}"


# (event, body, what the 400 names)
GITHUB_ODD = [
    ("issues", {"action": "closed", "issue": "x"}, "issue: Input should be an object"),
    ("issues", {"action": "closed", "issue": None}, "issue: Input should be an object"),
    ("issues", {"action": "closed", "issue": []}, "issue: Input should be an object"),
    ("issues", {"issue": {"html_url": ISSUE}}, "action: Field required"),
    ("issues", {"action": None, "issue": {"html_url": ISSUE}}, "action: Input should be a valid string"),
    ("issues", {"action": ["closed"], "issue": {"html_url": ISSUE}}, "action: Input should be a valid string"),
    ("issues", {"action": "closed", "issue": {"html_url": 42}}, "issue.html_url: Input should be a valid string"),
    ("issues", {"action": "closed", "issue": {"closed_at": "2026-01-01T00:00:00Z"}}, "issue.html_url: Field required"),
    ("issues", {"action": "closed", "issue": {"html_url": ISSUE, "closed_at": 1767225600}},
     "issue.closed_at: Input should be a valid datetime"),
    ("issues", {"action": "closed", "issue": {"html_url": ISSUE, "closed_at": "yesterday"}},
     "issue.closed_at: Input should be a valid datetime"),
    ("issues", {"action": "closed", "issue": {"html_url": ISSUE, "closed_at": "2026-01-01T00:00:00"}},
     "issue.closed_at: Input should have timezone info"),
    ("issues", {"action": "closed", "issue": {"html_url": ISSUE, "closed_at": None}}, "issue.closed_at: a closed issue"),
    ("issues", {"action": "closed", "issue": {"html_url": ISSUE}}, "issue.closed_at: a closed issue"),
    ("issues", {"action": "closed", "issue": {"html_url": "x" * 5000, "closed_at": "2026-01-01T00:00:00Z"}},
     "issue.html_url: String should have at most"),
    ("pull_request", {"action": "closed", "pull_request": "x"}, "pull_request: Input should be an object"),
    ("pull_request", {"action": "closed", "pull_request": {"html_url": PR, "merged": "true"}},
     "pull_request.merged: Input should be a valid boolean"),
    ("pull_request", {"action": "closed", "pull_request": {"html_url": PR, "merged": 1}},
     "pull_request.merged: Input should be a valid boolean"),
    ("pull_request", {"action": "closed", "pull_request": {"html_url": PR, "merged": True}},
     "pull_request.merged_at: a merged pull request"),
    ("ping", [], "body: Input should be an object"),
    ("ping", "zen", "body: Input should be an object"),
]
GITHUB_ODD_RAW = [
    ("issues", b"", "body is not valid JSON"),
    ("issues", b"not json", "body is not valid JSON"),
    ("issues", b"\xff\xfe{}", "body is not valid JSON"),
    ("issues", b'{"action": "closed", "issue": {"number": ' + b"9" * 5000 + b"}}", "body is not valid JSON"),
    ("issues", b'{"action": "closed", "issue": {"number": 1e999999}}', "issue.html_url: Field required"),
    ("issues", nested(100_000), "body is not valid JSON"),
    ("issues", b'{"action": "closed", "issue": {"html_url": "\\ud800"}}', "body is not valid JSON"),
    ("issues", b'{"action": "closed", "issue": {"html_url": "https://x/\\u0000", "closed_at": "2026-01-01T00:00:00Z"}}',
     "issue.html_url: String should match pattern"),
    ("issues", b'{"action": "closed", "issue": {"html_url": "javascript:alert(1)", "closed_at": "2026-01-01T00:00:00Z"}}',
     "issue.html_url: String should match pattern"),
]


async def test_odd_github_shapes_get_a_400_naming_the_field(bot, db):
    await setup(db)
    secret = await trackers.ensure_secret(bot.runtime.services, ds.TEAM)
    cases = [(e, json.dumps(b).encode(), why) for e, b, why in GITHUB_ODD] + GITHUB_ODD_RAW
    for event, raw, why in cases:
        status, out = await post(bot, HOOK, *signed(secret, event, raw))
        assert (status, out["ok"]) == (400, False), (raw[:80], status, out)
        assert why in out["error"], (raw[:80], out)
    # Headers GitHub always sends.
    body, headers = github(secret, "issues", closed_issue(ISSUE))
    for missing in ("X-GitHub-Event", "X-GitHub-Delivery"):
        h = {k: v for k, v in headers.items() if k != missing}
        assert (await post(bot, HOOK, body, h))[0] == 400
    assert (await post(bot, HOOK, body, {**headers, "X-GitHub-Delivery": "x" * 200}))[0] == 400
    assert set((await statuses(db)).values()) == {"planned"}
    async with db() as s:
        assert (await s.scalars(select(TrackerDelivery))).all() == []


async def test_odd_linear_shapes_get_a_400_naming_the_field(bot, db):
    await setup(db)
    await trackers.set_linear_secret(bot.runtime.services, ds.TEAM, LINEAR_SECRET)
    now = int(time.time() * 1000)
    good = linear_issue(LINEAR)
    cases: list[tuple[Any, str]] = [
        ({**good, "data": {**good["data"], "state": "completed"}}, "data.state: Input should be an object"),
        ({**good, "data": {**good["data"], "state": None}}, "data.state: Input should be an object"),
        ({**good, "data": {**good["data"], "state": {"type": 3}}}, "data.state.type: Input should be a valid string"),
        ({**good, "data": {**good["data"], "url": None}}, "data.url: Input should be a valid string"),
        ({**good, "data": "x"}, "data: Input should be an object"),
        ({**good, "data": [good["data"]]}, "data: Input should be an object"),
        ({k: v for k, v in good.items() if k != "action"}, "action: Field required"),
        ({**good, "type": ["Issue"]}, "type: Input should be a valid string"),
        ({**good, "webhookTimestamp": str(now)}, "webhookTimestamp: Input should be a valid number"),
        ({**good, "webhookTimestamp": True}, "webhookTimestamp: Input should be a valid number"),
        ({**good, "webhookTimestamp": 10**30}, "webhookTimestamp: Input should be less than"),
        ({**good, "webhookTimestamp": -1}, "webhookTimestamp: Input should be greater than 0"),
        ({k: v for k, v in good.items() if k != "webhookId"}, "webhookId: Field required"),
        ({**good, "webhookId": "a\u0000b"}, "webhookId: String should match pattern"),
        ({**good, "data": {**good["data"], "url": "https://linear.app/\u0000"}}, "data.url: String should match pattern"),
        ([good], "body: Input should be an object"),
    ]
    for payload, why in cases:
        status, out = await post(bot, "/hooks/linear?team=T0001", *linear(LINEAR_SECRET, payload))
        assert (status, out["ok"]) == (400, False), (payload, status, out)
        assert why in out["error"], (payload, out)
    raw = b'{"webhookTimestamp": 1e999}'
    h = {"Linear-Signature": hmac.new(LINEAR_SECRET.encode(), raw, hashlib.sha256).hexdigest()}
    assert (await post(bot, "/hooks/linear?team=T0001", raw, h))[0] == 400
    # Another entity (a Comment) needs only the envelope: ignored, 200.
    comment = {**good, "type": "Comment", "data": {"id": "c1", "body": "hi"}}
    assert (await post(bot, "/hooks/linear?team=T0001", *linear(LINEAR_SECRET, comment)))[0] == 200
    assert (await statuses(db))[LINEAR] == "planned"


async def test_a_replayed_close_ships_nothing_not_even_a_newer_improvement(fake, bot, db):
    await setup(db)
    secret = await trackers.ensure_secret(bot.runtime.services, ds.TEAM)
    closed_at = utcnow() - dt.timedelta(hours=1)
    async with transaction(db) as s:  # the improvement existed before the issue was closed
        await s.execute(update(Improvement).values(created_at=closed_at - dt.timedelta(days=1)))
    body, headers = github(secret, "issues", closed_issue(ISSUE, closed_at=closed_at))
    status, out = await post(bot, HOOK, body, headers)
    assert status == 200 and len(out["shipped"]) == 1
    dms = len(fake.calls_to("chat.postMessage"))

    # Someone starts a new improvement linking the same issue.
    async with db() as s:
        first = (await s.scalars(select(Improvement).where(Improvement.link == ISSUE))).one()
    async with transaction(db) as s:
        newer = await ImprovementRepository(s).create(
            ds.TEAM, process_id=first.process_id, title="Second try", description="", owner_user_id=BOB,
            proposed_by=BOB, link=ISSUE, remark_ids=[], at=utcnow())
    # The same delivery again; the same body under a new delivery id; the same close
    # re-serialised (other bytes, same closed_at): none ships the newer improvement.
    replays = [(body, headers), (body, {**headers, "X-GitHub-Delivery": str(uuid.uuid4())}),
               github(secret, "issues", {**closed_issue(ISSUE, closed_at=closed_at), "extra": 1})]
    answers = [await post(bot, HOOK, b, h) for b, h in replays]
    assert [a[1]["result"] for a in answers[:2]] == ["already handled", "already handled"]
    assert answers[2][0] == 200 and answers[2][1]["shipped"] == []
    assert "1 created after the event left as they are" in answers[2][1]["result"]
    async with db() as s:
        assert (await s.get(Improvement, newer.id, populate_existing=True)).status == "planned"
    assert len(fake.calls_to("chat.postMessage")) == dms
    # A close that happens after it does ship it.
    status, out = await post(bot, HOOK, *github(secret, "issues", closed_issue(ISSUE)))
    assert out["shipped"] == [newer.id]


async def test_copies_of_one_delivery_at_once_ship_once(fake, bot, db):
    await setup(db)
    secret = await trackers.ensure_secret(bot.runtime.services, ds.TEAM)
    body, headers = github(secret, "pull_request", merged_pr(PR))
    answers = await asyncio.gather(*(post(bot, HOOK, body, headers) for _ in range(6)))
    assert sorted(a[1]["result"] for a in answers) == ["already handled"] * 5 + ["shipped 1"]
    assert {a[0] for a in answers} == {200}
    async with db() as s:
        assert len((await s.scalars(select(TrackerDelivery))).all()) == 1


async def test_a_close_older_than_the_replay_window_is_ignored_and_old_deliveries_are_pruned(bot, db):
    await setup(db)
    secret = await trackers.ensure_secret(bot.runtime.services, ds.TEAM)
    old = closed_issue(ISSUE, closed_at=utcnow() - trackers.REPLAY_WINDOW - dt.timedelta(minutes=1))
    status, out = await post(bot, HOOK, *github(secret, "issues", old))
    assert status == 200 and out["shipped"] == [] and "more than 7 days ago" in out["result"]
    assert (await post(bot, HOOK, *github(secret, "issues", closed_issue(ISSUE))))[1]["shipped"]
    services = bot.runtime.services
    later = utcnow() + trackers.KEEP_DELIVERIES + dt.timedelta(minutes=1)
    await DigestScheduler(services, now=lambda: utcnow() + dt.timedelta(days=1)).retention()
    async with db() as s:
        assert len((await s.scalars(select(TrackerDelivery))).all()) == 1  # within the window: kept
    await DigestScheduler(services, now=lambda: later).retention()
    async with db() as s:
        assert (await s.scalars(select(TrackerDelivery))).all() == []


async def test_linear_never_takes_the_github_secret(bot, db):
    await setup(db)
    github_secret = await trackers.ensure_secret(bot.runtime.services, ds.TEAM)
    await trackers.set_linear_secret(bot.runtime.services, ds.TEAM, LINEAR_SECRET)
    status, out = await post(bot, "/hooks/linear?team=T0001", *linear(github_secret, linear_issue(LINEAR)))
    assert (status, out) == (401, {"ok": False, "error": "invalid signature"})
    # Nor GitHub's hook Linear's.
    body, headers = github(LINEAR_SECRET, "issues", closed_issue(ISSUE))
    assert (await post(bot, HOOK, body, headers))[0] == 401
    assert set((await statuses(db)).values()) == {"planned"}


async def test_which_workspaces_use_earshot_is_not_told_to_an_unsigned_request(fake, two):
    """OAuth mode, two workspaces: an installed one, one uninstalled, one with no secret, one
    unknown: a request not signed with the workspace's secret gets the same 401 for each."""
    from tests.e2e.test_oauth_installs import A, B

    bot, db = two
    for team in (A, B):
        assert (await fake.install(bot.base_url, team=team)).status == 200
    services = bot.runtime.services
    secret_a = await trackers.ensure_secret(services, A)
    secret_b = await trackers.ensure_secret(services, B)
    await ds.workspace(db, team_id="T0003")  # known, no secret
    sim_b = fake.simulator(bot.url, workspace=fake.workspace(B))
    assert (await sim_b.uninstall()).status == 200

    body = json.dumps(closed_issue(ISSUE)).encode()
    answers = set()
    for team, key in ((A, "guess"), (B, "guess"), ("T0003", "guess"), ("T0NOPE", "guess"),
                      ("T0NOPE", secret_a), ("T0003", secret_a), (B, secret_a)):
        status, out = await post(bot, f"/hooks/github?team={team}", *signed(key, "issues", body))
        answers.add((status, json.dumps(out, sort_keys=True)))
        status, out = await post(bot, f"/hooks/linear?team={team}", *linear(key, linear_issue(LINEAR)))
        answers.add((status, json.dumps(out, sort_keys=True)))
    assert answers == {(401, json.dumps({"error": "invalid signature", "ok": False}, sort_keys=True))}
    # Only the holder of B's secret learns that B no longer has Earshot installed.
    status, out = await post(bot, f"/hooks/github?team={B}", *signed(secret_b, "issues", body))
    assert status == 404 and "not installed" in out["error"]
    status, out = await post(bot, f"/hooks/github?team={A}", *signed(secret_a, "issues", body))
    assert status == 200
