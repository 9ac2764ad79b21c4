"""`hooks out test` goes through the outbound webhook outbox like any event: a signed
`webhook.test` delivery row, retried with the same webhook-id, deleted after its 2xx (so taken
once), and the admin told privately how it went: its first failure, then its success. The
receiver is our own, written from the Standard Webhooks spec
(https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md;
tests/e2e/webhooks/hook_receiver.py); the slash command is Slack-signed and Slack-shaped, and the
private answers are the `chat.postEphemeral` calls the Slack stand-in records."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.conftest import eventually
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, SUPPORT, TEAM
from tests.e2e.webhooks.hook_receiver import verify
from tests.e2e.webhooks.support import add, deliveries


@pytest.fixture
def receiver_options() -> dict[str, Any]:
    return {"flaky_failures": 1}  # /flaky: one 500, then 204


def _told(fake) -> list[dict]:
    return [
        c.params
        for c in fake.calls_to("chat.postEphemeral")
        if "test event" in str(c.params.get("text", ""))
    ]


async def test_a_ping_that_gets_a_500_is_retried_with_its_id_and_the_admin_hears_both(
    fake, slack, bot, db, receiver
):
    await ds.workspace(db)
    sub_id, secret = await add(slack, receiver, "/flaky")
    answer = (await slack.slash(ALICE, SUPPORT, f"hooks out test {sub_id}")).json()
    assert answer["response_type"] == "ephemeral"
    assert "Queued a signed `webhook.test` event `msg_" in answer["text"]

    first, second = await eventually(
        lambda: len(receiver.at("/flaky")) >= 2 and receiver.at("/flaky"), timeout=10
    )
    assert first.msg_id == second.msg_id and first.msg_id in answer["text"]
    assert all(verify(secret, r.headers, r.body) for r in (first, second))
    assert second.json["type"] == "webhook.test"
    assert second.json["data"] == {"subscription_id": sub_id, "team_id": TEAM}
    failed, took = await eventually(lambda: len(_told(fake)) >= 2 and _told(fake), timeout=10)
    assert "did not take the test event" in failed["text"] and "HTTP 500" in failed["text"]
    assert "took the signed test event" in took["text"] and "(attempt 2)" in took["text"]
    assert " ms " in took["text"]
    assert all(t["user"] == ALICE and t["channel"] == SUPPORT for t in (failed, took))
    await eventually(lambda: _none_left(db))
    await asyncio.sleep(0.5)  # room for a (wrong) third request or a second "took"
    assert len(receiver.at("/flaky")) == 2 and len(_told(fake)) == 2


async def test_a_ping_reaches_a_paused_webhook_while_its_events_wait(
    fake, slack, bot, db, receiver
):
    # Fix the receiver, test it, then resume: the ping must not wait behind the pause.
    await ds.workspace(db)
    sub_id, secret = await add(slack, receiver, "/held", "*")
    msg = fake.state.post_message(SUPPORT, ALICE, "The invoice arrived twice.")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await eventually(lambda: _paused(db), timeout=15)
    waiting = len(await deliveries(db))
    before = len(receiver.at("/held"))
    receiver.open.set()
    await slack.slash(ALICE, SUPPORT, f"hooks out test {sub_id}")
    [got] = await eventually(lambda: receiver.at("/held")[before:], timeout=10)
    assert got.json["type"] == "webhook.test" and verify(secret, got.headers, got.body)
    await eventually(lambda: _told(fake))
    await eventually(lambda: _count(db, waiting))  # the ping is gone; the remark's event waits
    await asyncio.sleep(0.3)
    assert [r.json["type"] for r in receiver.at("/held")[before:]] == ["webhook.test"]
    await slack.slash(ALICE, SUPPORT, f"hooks out resume {sub_id}")
    await eventually(lambda: "remark.created" in [r.json["type"] for r in receiver.at("/held")])


async def _count(db, n: int) -> bool:
    return len(await deliveries(db)) == n


async def test_the_terminal_waits_for_the_first_attempt_and_leaves_a_failed_ping_queued(
    fake, slack, bot, db, database_url, receiver, monkeypatch
):
    from click.testing import CliRunner

    from bot.cli.main import main

    await ds.workspace(db)
    sub_id, _ = await add(slack, receiver, "/flaky")
    env = {
        "DATABASE_URL": database_url,
        "WEBHOOKS_ALLOW_HTTP": "true",
        "WEBHOOKS_ALLOW_PRIVATE": "true",
        "WEBHOOKS_RETRY_SECONDS": "0.05",  # the retry it schedules, as the bot's FAST settings
    }
    # The running bot's sender sits out while the terminal sends: otherwise, on a busy machine,
    # it may claim the ping first and retry it before the terminal looks (a path of its own).
    sender = bot.runtime.hooks.sender

    async def sit_out() -> int:
        return 0

    monkeypatch.setattr(sender, "run_once", sit_out)
    out = await asyncio.to_thread(
        CliRunner().invoke,
        main,
        ["hooks", "out", "test", str(sub_id), "--team", TEAM],
        env=env,
        catch_exceptions=False,
    )
    monkeypatch.undo()
    assert out.exit_code == 1 and "HTTP 500" in out.output and "stays queued" in out.output
    # The running bot retries it, with the same id, once.
    first, second = await eventually(
        lambda: len(receiver.at("/flaky")) >= 2 and receiver.at("/flaky"), timeout=10
    )
    assert first.msg_id == second.msg_id and first.msg_id in out.output
    await eventually(lambda: _none_left(db))
    await asyncio.sleep(0.3)
    assert len(receiver.at("/flaky")) == 2
    assert not _told(fake)  # nobody in Slack asked


async def _none_left(db) -> bool:
    return not await deliveries(db)


async def _paused(db) -> bool:
    from sqlalchemy import select

    from storage.models import WebhookSubscription

    async with db() as s:
        sub = (await s.scalars(select(WebhookSubscription))).one()
    return sub.paused_at is not None


async def test_the_redo_of_a_test_command_finds_its_ping_instead_of_queuing_another(
    fake, slack, bot, db, receiver
):
    # After a crash the inbox runs the stored command again; its trigger_id names the ping.
    from bot.domain.workspace import hooks_admin

    await ds.workspace(db)
    sub_id, _ = await add(slack, receiver, "/held")  # 503: the ping stays queued
    services = bot.runtime.services
    trigger = "13345224609.738474920.8088930838d88f008e0"  # Slack's trigger_id shape
    first = await hooks_admin.test(services, TEAM, str(sub_id), request=trigger)
    again = await hooks_admin.test(services, TEAM, str(sub_id), request=trigger)
    assert (again.msg_id, again.delivery_id) == (first.msg_id, first.delivery_id)
    assert [d.msg_id for d in await deliveries(db)] == [first.msg_id]
    other = await hooks_admin.test(services, TEAM, str(sub_id), request=trigger + "1")
    assert other.msg_id != first.msg_id and len(await deliveries(db)) == 2
