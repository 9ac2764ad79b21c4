"""Tracker webhooks over HTTP: GitHub (X-Hub-Signature-256) and Linear (Linear-Signature,
webhookTimestamp) ship the improvement that links to the closed issue; anything forged,
stale or unknown is refused with a 4xx and changes nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import aiohttp
from sqlalchemy import select

from bot.domain.loop import trackers
from bot.server.scheduler import DigestScheduler, build_digest_client
from storage.db import transaction
from storage.models import Improvement, Workspace, utcnow
from storage.repositories.improvements import ImprovementRepository
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT

ISSUE = "https://github.com/acme/billing/issues/42"
PR = "https://github.com/acme/billing/pull/7"
LINEAR = "https://linear.app/acme/issue/BIL-12/one-invoice-per-order"
LINEAR_SECRET = "lin_wh_0123456789abcdef0123"


async def post(bot, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http:
        async with http.post(bot.base_url + path, data=body,
                             headers={"Content-Type": "application/json", **headers}) as resp:
            return resp.status, await resp.json()


def github(secret: str, event: str, payload: dict) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    sig = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"X-Hub-Signature-256": sig, "X-GitHub-Event": event,
                  "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958"}


def linear(secret: str, payload: dict) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    return body, {"Linear-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
                  "Linear-Event": "Issue"}


def closed_issue(url: str, action: str = "closed") -> dict:
    return {"action": action, "issue": {"number": 42, "html_url": url, "state": "closed"},
            "repository": {"full_name": "acme/billing"}}


def linear_issue(url: str, state: str = "completed", *, at_ms: int | None = None) -> dict:
    return {"action": "update", "type": "Issue", "webhookTimestamp": at_ms or int(time.time() * 1000),
            "data": {"id": "9f1c", "identifier": "BIL-12", "url": url,
                     "state": {"name": "Done", "type": state}}}


async def statuses(db) -> dict[str, str]:
    async with db() as s:
        return {i.link: i.status for i in (await s.scalars(
            select(Improvement).execution_options(populate_existing=True))).all()}


async def setup(db) -> None:
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    remark = await ds.remark(db, process_id=billing, sentiment="complaint", at=utcnow(),
                             text="Invoice came twice", captures=3)
    async with transaction(db) as s:
        repo = ImprovementRepository(s)
        for link in (ISSUE, PR, LINEAR):
            await repo.create(ds.TEAM, process_id=billing, title=f"Fix {link[-6:]}", description="",
                              owner_user_id=BOB, proposed_by=BOB, link=link, remark_ids=[remark],
                              at=utcnow())


async def test_hooks_command_shows_and_rotates_the_secret_for_admins_only(slack, db):
    await ds.workspace(db)
    refused = (await slack.slash(CARLA, SUPPORT, "hooks")).json()
    assert "Only workspace admins" in refused["text"]
    shown = (await slack.slash(ALICE, SUPPORT, "hooks")).json()["text"]
    async with db() as s:
        secret = (await s.get(Workspace, ds.TEAM)).hook_secret
    assert secret and secret in shown and "/hooks/github?team=T0001" in shown and "/hooks/linear?team=T0001" in shown
    assert secret in (await slack.slash(ALICE, SUPPORT, "hooks")).json()["text"]  # stable
    rotated = (await slack.slash(ALICE, SUPPORT, "hooks rotate")).json()["text"]
    async with db() as s:
        new = (await s.get(Workspace, ds.TEAM, populate_existing=True)).hook_secret
    assert new and new != secret and new in rotated


async def test_github_closed_issue_and_merged_pr_ship_their_improvements(fake, slack, bot, db):
    await setup(db)
    secret = await trackers.ensure_secret(bot.runtime.services, ds.TEAM)

    # Forged, unknown workspace, no team: refused, nothing changes.
    body, headers = github("wrong-secret", "issues", closed_issue(ISSUE))
    assert (await post(bot, "/hooks/github?team=T0001", body, headers))[0] == 401
    body, headers = github(secret, "issues", closed_issue(ISSUE))
    assert (await post(bot, "/hooks/github?team=T0NOPE", body, headers))[0] == 404
    assert (await post(bot, "/hooks/github", body, headers))[0] == 400
    tampered = body.replace(b"closed", b"reopened", 1)
    assert (await post(bot, "/hooks/github?team=T0001", tampered, headers))[0] == 401
    # Not a close, or a close of an issue nothing links to: 2xx, nothing changes.
    for event, payload in (("issues", closed_issue(ISSUE, "opened")),
                           ("issues", closed_issue("https://github.com/acme/billing/issues/99")),
                           ("pull_request", {"action": "closed", "pull_request": {"html_url": PR, "merged": False}})):
        status, out = await post(bot, "/hooks/github?team=T0001", *github(secret, event, payload))
        assert status == 200 and out["shipped"] == []
    assert set((await statuses(db)).values()) == {"planned"}
    assert fake.calls_to("chat.postMessage") == []

    status, out = await post(bot, "/hooks/github?team=T0001", body, headers)
    assert status == 200 and len(out["shipped"]) == 1
    assert (await statuses(db))[ISSUE] == "shipped"
    told = sorted(c.params["channel"] for c in fake.calls_to("chat.postMessage"))
    assert told == sorted([ALICE, CARLA])  # capturers; Bob, the owner, shipped it
    # GitHub redelivers, the scheduler sweeps: nothing more (and still nothing to Bob).
    status, out = await post(bot, "/hooks/github?team=T0001", body, headers)
    assert status == 200 and out["shipped"] == []
    await DigestScheduler(bot.runtime.services, build_digest_client(bot.runtime.services)).owner_alerts()
    assert [c.params["channel"] for c in fake.calls_to("chat.postMessage")
            if "has shipped" in c.params["text"]] == told
    assert "<@U0BOB00001>" in str(fake.calls_to("chat.postMessage")[0].params["blocks"])

    merged = {"action": "closed", "pull_request": {"html_url": PR, "merged": True}}
    status, out = await post(bot, "/hooks/github?team=T0001", *github(secret, "pull_request", merged))
    assert status == 200 and len(out["shipped"]) == 1
    assert (await statuses(db))[PR] == "shipped"


async def test_linear_completed_issue_ships_and_stale_or_forged_is_refused(fake, slack, bot, db):
    await setup(db)
    assert "saved" in (await slack.slash(ALICE, SUPPORT, f"hooks linear {LINEAR_SECRET}")).json()["text"]
    stale = linear_issue(LINEAR, at_ms=int(time.time() * 1000) - 120_000)
    assert (await post(bot, "/hooks/linear?team=T0001", *linear(LINEAR_SECRET, stale)))[0] == 401
    assert (await post(bot, "/hooks/linear?team=T0001", *linear("not-the-secret", linear_issue(LINEAR))))[0] == 401
    status, out = await post(bot, "/hooks/linear?team=T0001", *linear(LINEAR_SECRET, linear_issue(LINEAR, "started")))
    assert status == 200 and out["shipped"] == []
    assert (await statuses(db))[LINEAR] == "planned"

    status, out = await post(bot, "/hooks/linear?team=T0001", *linear(LINEAR_SECRET, linear_issue(LINEAR)))
    assert status == 200 and len(out["shipped"]) == 1
    assert (await statuses(db)) == {ISSUE: "planned", PR: "planned", LINEAR: "shipped"}
