"""An admin's `hooks out resume` while the sender records what it just sent: neither waits
for the other in a circle.

The sender records a batch in one transaction: its deliveries (delete the sent ones), then
their subscription (``succeeded``: failures back to 0). `resume` used to update the
subscription first and its deliveries after, so with the sender between the two on
PostgreSQL each held a row the other wanted: one was cancelled as a deadlock victim (the
sender's, in CI: its deliveries stayed leased, then went out a second time). Here the
sender is held just before its subscription update, with its deliveries locked, while the
admin resumes; both must finish, the batch sent once. (SQLite runs one writer at a time:
the resume waits for the sender's commit, and the same assertions hold.)
"""

from __future__ import annotations

import asyncio

from bot.domain.workspace import hooks_admin
from bot.domain.workspace.hooks_send import Sender
from storage.repositories.webhooks import WebhookRepository
from tests.conftest import eventually
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, CARLA, SUPPORT, TEAM
from tests.e2e.webhooks.support import add, deliveries


async def test_resume_while_the_sender_records_a_batch_finishes_both_and_sends_once(
    fake, slack, bot, db, receiver, monkeypatch
):
    services = bot.runtime.services
    await ds.workspace(db)
    sub_id, _ = await add(slack, receiver, "/ok", "remark.created")

    entered, gate = asyncio.Event(), asyncio.Event()
    real_succeeded = WebhookRepository.succeeded

    async def held_succeeded(self, sub_id, *, at):
        if not entered.is_set():  # the first batch: its deliveries are locked by now
            entered.set()
            await gate.wait()
        await real_succeeded(self, sub_id, at=at)

    failures: list[BaseException] = []
    real_record = Sender._record

    async def recorded(self, claimed, errors, took):
        try:
            await real_record(self, claimed, errors, took)
        except BaseException as e:  # a deadlock victim: the sender's loop only logs it
            failures.append(e)
            raise

    monkeypatch.setattr(WebhookRepository, "succeeded", held_succeeded)
    monkeypatch.setattr(Sender, "_record", recorded)

    for words in ("The invoice arrived twice this month.", "Refunds take three weeks."):
        msg = fake.state.post_message(SUPPORT, CARLA, words)
        await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await asyncio.wait_for(entered.wait(), timeout=15)

    resumed = asyncio.create_task(hooks_admin.resume(services, TEAM, str(sub_id)))
    await asyncio.sleep(0.5)  # the resume is now waiting on a row the sender holds
    gate.set()
    back = await asyncio.wait_for(resumed, timeout=15)

    assert back.subscription.id == sub_id
    await eventually(lambda: _none_left(db), timeout=10)
    assert failures == []
    await asyncio.sleep(0.3)  # nothing goes out a second time
    assert len({r.msg_id for r in receiver.at("/ok")}) == len(receiver.at("/ok"))


async def _none_left(db) -> bool:
    return not await deliveries(db)
