"""Tracker webhooks over HTTP: GitHub (X-Hub-Signature-256) and Linear (Linear-Signature,
webhookTimestamp) ship the improvement that links to the closed issue; anything forged,
stale or unknown is refused with a 4xx and changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

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


def github(secret: str, event: str, payload: dict, *, delivery: str | None = None) -> tuple[bytes, dict[str, str]]:
    """Signed and headed as GitHub sends it ("Validating webhook deliveries" and "Webhook events
    and payloads", delivery headers: each event has its own X-GitHub-Delivery GUID)."""
    body = json.dumps(payload).encode()
    sig = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"X-Hub-Signature-256": sig, "X-GitHub-Event": event,
                  "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
                  "User-Agent": "GitHub-Hookshot/044aadd"}


def linear(secret: str, payload: Any) -> tuple[bytes, dict[str, str]]:
    """Signed and headed as Linear's "Webhooks" page describes (Linear-Signature: HMAC-SHA256
    hex of the raw body; Linear-Delivery; Linear-Event)."""
    body = json.dumps(payload).encode()
    kind = payload.get("type") if isinstance(payload, dict) else None
    return body, {"Linear-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
                  "Linear-Event": kind if isinstance(kind, str) else "Issue",
                  "Linear-Delivery": str(uuid.uuid4())}


def stamp(at: dt.datetime | None = None) -> str:
    return (at or utcnow()).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def closed_issue(url: str, action: str = "closed", *, closed_at: dt.datetime | None = None) -> dict:
    """GitHub's ``issues`` event (docs: "Webhook events and payloads", issues, action closed), trimmed."""
    when = stamp(closed_at) if action == "closed" else None
    return {"action": action,
            "issue": {"number": 42, "html_url": url, "state": "closed" if when else "open",
                      "state_reason": "completed" if when else None, "closed_at": when,
                      "updated_at": stamp(), "title": "Invoices come twice", "user": {"login": "bob"}},
            "repository": {"full_name": "acme/billing"}, "sender": {"login": "bob"}}


def merged_pr(url: str, *, merged: bool = True, at: dt.datetime | None = None) -> dict:
    """GitHub's ``pull_request`` event, action closed (merged or not), trimmed."""
    return {"action": "closed", "number": 7,
            "pull_request": {"html_url": url, "state": "closed", "merged": merged,
                             "merged_at": stamp(at) if merged else None, "closed_at": stamp(at)},
            "repository": {"full_name": "acme/billing"}, "sender": {"login": "bob"}}


def linear_issue(url: str, state: str = "completed", *, at_ms: int | None = None) -> dict:
    """Linear's Issue update (its schema's EntityWebhookPayload with IssueWebhookPayload data)."""
    ms = at_ms or int(time.time() * 1000)
    return {"action": "update", "type": "Issue", "createdAt": stamp(), "organizationId": "3f1c",
            "url": url, "webhookId": "b7a0e5f2-hook", "webhookTimestamp": ms,
            "data": {"id": "9f1c", "identifier": "BIL-12", "url": url, "updatedAt": stamp(),
                     "state": {"id": "s1", "name": "Done", "color": "#5e6ad2", "type": state}},
            "updatedFrom": {"stateId": "s0"}}


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

    # Forged, unknown workspace, no team: refused, nothing changes; an unknown workspace gets
    # exactly the answer a wrong signature gets.
    body, headers = github("wrong-secret", "issues", closed_issue(ISSUE))
    forged = await post(bot, "/hooks/github?team=T0001", body, headers)
    assert forged == (401, {"ok": False, "error": "invalid signature"})
    body, headers = github(secret, "issues", closed_issue(ISSUE))
    assert await post(bot, "/hooks/github?team=T0NOPE", body, headers) == forged
    assert (await post(bot, "/hooks/github", body, headers))[0] == 400
    tampered = body.replace(b"closed", b"reopened", 1)
    assert await post(bot, "/hooks/github?team=T0001", tampered, headers) == forged
    # Not a close, or a close of an issue nothing links to: 2xx, nothing changes.
    for event, payload in (("issues", closed_issue(ISSUE, "opened")),
                           ("issues", closed_issue("https://github.com/acme/billing/issues/99")),
                           ("pull_request", merged_pr(PR, merged=False)),
                           ("ping", {"zen": "Keep it logically awesome.", "hook_id": 1})):
        status, out = await post(bot, "/hooks/github?team=T0001", *github(secret, event, payload))
        assert status == 200 and out["shipped"] == []
    assert set((await statuses(db)).values()) == {"planned"}
    assert fake.calls_to("chat.postMessage") == []

    status, out = await post(bot, "/hooks/github?team=T0001", body, headers)
    assert status == 200 and len(out["shipped"]) == 1
    assert (await statuses(db))[ISSUE] == "shipped"
    told = sorted(c.params["channel"] for c in fake.calls_to("chat.postMessage"))
    assert told == sorted([ALICE, CARLA])  # capturers; Bob, the owner, shipped it
    # GitHub redelivers (same X-GitHub-Delivery), the scheduler sweeps: nothing more.
    status, out = await post(bot, "/hooks/github?team=T0001", body, headers)
    assert (status, out["result"], out["shipped"]) == (200, "already handled", [])
    await DigestScheduler(bot.runtime.services, build_digest_client(bot.runtime.services)).owner_alerts()
    assert [c.params["channel"] for c in fake.calls_to("chat.postMessage")
            if "has shipped" in c.params["text"]] == told
    assert "<@U0BOB00001>" in str(fake.calls_to("chat.postMessage")[0].params["blocks"])

    status, out = await post(bot, "/hooks/github?team=T0001", *github(secret, "pull_request", merged_pr(PR)))
    assert status == 200 and len(out["shipped"]) == 1
    assert (await statuses(db))[PR] == "shipped"


async def test_linear_completed_issue_ships_and_stale_or_forged_is_refused(fake, slack, bot, db):
    await setup(db)
    github_secret = await trackers.ensure_secret(bot.runtime.services, ds.TEAM)
    # No Linear secret yet: a body signed with the GitHub secret is not Linear's.
    forged = await post(bot, "/hooks/linear?team=T0001", *linear(github_secret, linear_issue(LINEAR)))
    assert forged == (401, {"ok": False, "error": "invalid signature"})
    assert "saved" in (await slack.slash(ALICE, SUPPORT, f"hooks linear {LINEAR_SECRET}")).json()["text"]
    assert await post(bot, "/hooks/linear?team=T0001", *linear(github_secret, linear_issue(LINEAR))) == forged
    assert await post(bot, "/hooks/linear?team=T0NOPE", *linear(LINEAR_SECRET, linear_issue(LINEAR))) == forged
    stale = linear_issue(LINEAR, at_ms=int(time.time() * 1000) - 120_000)
    assert (await post(bot, "/hooks/linear?team=T0001", *linear(LINEAR_SECRET, stale)))[0] == 401
    assert await post(bot, "/hooks/linear?team=T0001", *linear("not-the-secret", linear_issue(LINEAR))) == forged
    status, out = await post(bot, "/hooks/linear?team=T0001", *linear(LINEAR_SECRET, linear_issue(LINEAR, "started")))
    assert status == 200 and out["shipped"] == []
    assert (await statuses(db))[LINEAR] == "planned"

    body, headers = linear(LINEAR_SECRET, linear_issue(LINEAR))
    status, out = await post(bot, "/hooks/linear?team=T0001", body, headers)
    assert status == 200 and len(out["shipped"]) == 1
    assert (await statuses(db)) == {ISSUE: "planned", PR: "planned", LINEAR: "shipped"}
    # Within Linear's minute, the same body again (under a new Linear-Delivery too): handled.
    for again in (headers, {**headers, "Linear-Delivery": str(uuid.uuid4())}):
        assert (await post(bot, "/hooks/linear?team=T0001", body, again))[1]["result"] == "already handled"
