"""Rotating an outbound webhook's secret, over HTTP and from the terminal: the new secret is
shown once and, as the Standard Webhooks spec allows ("Signature scheme": several
space-delimited signatures in ``webhook-signature``,
https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md),
each request is signed with both the old and the new secret during the grace period, so a
receiver (tests/e2e/webhooks/hook_receiver.py, written from the spec) verifies with either; after it,
with the new one only. Admins only, checked in the domain."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

from sqlalchemy import update

from storage.db import transaction
from storage.models import WebhookSubscription, utcnow
from storage.repositories.webhooks import WebhookRepository
from tests.conftest import eventually
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, CARLA, SUPPORT, TEAM
from tests.e2e.webhooks.hook_receiver import Received, Receiver, verify
from tests.e2e.webhooks.support import add, deliveries, subscription


async def captured(fake, slack, db, receiver: Receiver, text: str) -> Received:
    before = len(receiver.at("/ok"))
    msg = fake.state.post_message(SUPPORT, CARLA, text)
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    got = await eventually(lambda: receiver.at("/ok")[before:], timeout=15)
    await eventually(lambda: none_left(db))
    return got[-1]


async def none_left(db) -> bool:
    return not await deliveries(db)


async def end_grace(db, sub_id: int) -> None:
    """The grace period runs out (its end moved to the past, not waited for)."""
    async with transaction(db) as s:
        await s.execute(
            update(WebhookSubscription)
            .where(WebhookSubscription.id == sub_id)
            .values(previous_until=utcnow() - dt.timedelta(seconds=1))
        )


async def test_rotating_signs_with_both_secrets_during_the_grace_then_the_new_only(
    fake, slack, bot, db, receiver
):
    await ds.workspace(db)
    sub_id, old = await add(slack, receiver, "/ok")
    receiver.secrets.pop("/ok")  # verified here, secret by secret

    refused = (await slack.slash(CARLA, SUPPORT, f"hooks out rotate {sub_id}")).json()["text"]
    assert "Only workspace admins" in refused
    assert (await subscription(db, sub_id)).secret == old  # nothing changed

    answer = (await slack.slash(ALICE, SUPPORT, f"hooks out rotate {sub_id}")).json()
    assert answer["response_type"] == "ephemeral"
    found = re.search(r"whsec_[A-Za-z0-9+/=]+", answer["text"])
    assert found, answer["text"]
    new = found.group(0)
    assert new != old and "signed with both the old and the new secret" in answer["text"]
    stored = await subscription(db, sub_id)
    assert stored.secret == new and stored.previous_secret == old
    assert stored.previous_until is not None
    assert dt.timedelta(hours=23) < stored.previous_until - utcnow() <= dt.timedelta(hours=24)
    listed = (await slack.slash(ALICE, SUPPORT, "hooks out list")).json()["text"]
    assert new not in listed and old not in listed  # shown once
    assert "the old secret signs too until" in listed

    during = await captured(fake, slack, db, receiver, "The invoice arrived twice, again.")
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert verify(old, during.headers, during.body)  # a receiver not switched yet
    assert verify(new, during.headers, during.body)  # one switched already
    tested = (await slack.slash(ALICE, SUPPORT, f"hooks out test {sub_id}")).json()["text"]
    assert "Queued a signed" in tested
    await eventually(lambda: receiver.at("/ok")[-1].json["type"] == "webhook.test", timeout=10)
    test_event = receiver.at("/ok")[-1]
    assert verify(old, test_event.headers, test_event.body)
    assert verify(new, test_event.headers, test_event.body)

    await end_grace(db, sub_id)
    listed = (await slack.slash(ALICE, SUPPORT, "hooks out list")).json()["text"]
    assert "old secret" not in listed
    after = await captured(fake, slack, db, receiver, "Still two invoices.")
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    assert verify(new, after.headers, after.body)
    assert not verify(old, after.headers, after.body)


async def test_the_terminal_rotates_with_no_grace(fake, slack, bot, db, database_url, receiver):
    from click.testing import CliRunner

    from bot.cli.main import main

    async def cli(*args: str):
        env = {
            "DATABASE_URL": database_url,
            "WEBHOOKS_ALLOW_HTTP": "true",
            "WEBHOOKS_ALLOW_PRIVATE": "true",
        }
        return await asyncio.to_thread(
            CliRunner().invoke, main, ["hooks", "out", *args, "--team", TEAM], env=env
        )

    await ds.workspace(db)
    sub_id, old = await add(slack, receiver, "/ok")
    receiver.secrets.pop("/ok")
    bad = await cli("rotate", str(sub_id), "--grace-hours", "-1")
    assert bad.exit_code == 2 and (await subscription(db, sub_id)).secret == old
    missing = await cli("rotate", "99")
    assert missing.exit_code == 1 and "no webhook" in missing.output
    res = await cli("rotate", f"{receiver.base}/ok", "--grace-hours", "0")  # the old one leaked
    assert res.exit_code == 0, res.output
    new = res.stdout.strip().splitlines()[-1]
    assert new.startswith("whsec_") and new != old
    assert (await cli("test", str(sub_id))).exit_code == 0
    got = receiver.at("/ok")[-1]
    assert got.json["type"] == "webhook.test"
    assert verify(new, got.headers, got.body) and not verify(old, got.headers, got.body)
    # A rotation with the default grace keeps the one it replaces signing, not the oldest.
    again = await cli("rotate", str(sub_id))
    newest = again.stdout.strip().splitlines()[-1]
    assert again.exit_code == 0 and "Until " in again.stderr
    assert "old secret signs too until" in (await cli("list")).output
    assert (await cli("test", str(sub_id))).exit_code == 0
    got = receiver.at("/ok")[-1]
    assert verify(newest, got.headers, got.body) and verify(new, got.headers, got.body)
    assert not verify(old, got.headers, got.body)
    # Two rotations at once: the one that read a secret already replaced changes nothing.
    async with transaction(db) as s:
        lost = await WebhookRepository(s).rotate(
            TEAM, sub_id, secret="whsec_" + "B" * 44, previous=old, until=utcnow()
        )
    assert not lost and (await subscription(db, sub_id)).secret == newest
