"""A capture in a workspace without outbound webhooks sends no subscription query: its write
reads the workspace row's ``webhook_count`` (kept by every add and remove) and stops at 0.
A webhook added by another process (a real `earshot hooks out add`) gets the next event.
Statements are counted with SQLAlchemy's ``before_cursor_execute`` event on the running
bot's engine; captures are Slack-signed reactions; the receiver is our own
(tests/e2e/webhooks/hook_receiver.py)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from sqlalchemy import event

from tests.conftest import eventually, settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, CARLA, SUPPORT, TEAM
from tests.e2e.webhooks.hook_receiver import verify
from tests.e2e.webhooks.support import deliveries


class Statements:
    """Every SQL statement the bot's engine sends, while attached."""

    def __init__(self, engine) -> None:
        self.engine = engine.sync_engine
        self.seen: list[str] = []

    def _note(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.seen.append(statement)

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._note)

    def naming(self, table: str) -> list[str]:
        return [s for s in self.seen if table in s]

    def subscription_lists(self) -> list[str]:
        # A workspace's subscriptions (what emit asks); not the sender's claim, which polls
        # deliveries joined to them on the same engine.
        return [
            s
            for s in self.seen
            if "FROM webhook_subscriptions" in s and "webhook_subscriptions.team_id =" in s
        ]


async def react(fake, slack, bot, text: str) -> None:
    msg = fake.state.post_message(SUPPORT, CARLA, text)
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)


async def test_a_capture_without_webhooks_queries_no_subscriptions_and_one_added_elsewhere_gets_the_next(
    fake, slack, bot, db, database_url, receiver, tmp_path
):
    await ds.workspace(db)
    with Statements(bot.runtime.services.engine) as sql:
        await react(fake, slack, bot, "The invoice arrived twice this month.")
    assert sql.naming("INSERT INTO remarks")  # it did see the capture's writes
    assert not sql.subscription_lists()

    # Another process adds a webhook: the terminal, as an operator would.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "WEBHOOKS_"))}
    env.update(DATABASE_URL=database_url, WEBHOOKS_ALLOW_HTTP="true", WEBHOOKS_ALLOW_PRIVATE="true")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "hooks",
        "out",
        "add",
        f"{receiver.base}/ok",
        "remark.created",
        "--team",
        TEAM,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    receiver.secrets["/ok"] = out.decode().strip().splitlines()[-1]

    with Statements(bot.runtime.services.engine) as sql:
        await react(fake, slack, bot, "Support took four days to answer.")
    assert len(sql.subscription_lists()) == 1  # now it must look, once
    [got] = await eventually(lambda: receiver.at("/ok"), timeout=10)
    assert verify(receiver.secrets["/ok"], got.headers, got.body)
    assert got.json["data"]["remark"]["text"] == "Support took four days to answer."
    await eventually(lambda: _none_left(db))

    # Removed (here): the count is back to 0 and captures stop asking.
    await slack.slash(ALICE, SUPPORT, f"hooks out remove {receiver.base}/ok")
    with Statements(bot.runtime.services.engine) as sql:
        await react(fake, slack, bot, "The export button does nothing.")
    assert sql.naming("INSERT INTO remarks") and not sql.subscription_lists()
    assert len(receiver.at("/ok")) == 1


async def _none_left(db) -> bool:
    return not await deliveries(db)
