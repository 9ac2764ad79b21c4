"""`earshot hooks out add|list|test|remove` from the terminal: the same rules as in Slack, the
secret printed once, and a test event the receiver verifies as the Standard Webhooks spec says
(https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md;
tests/e2e/webhooks/hook_receiver.py)."""

from __future__ import annotations

import asyncio
import re

from tests.e2e import digest_support as ds
from tests.e2e.queries import TEAM
from tests.e2e.webhooks.hook_receiver import verify


async def test_the_terminal_adds_lists_tests_and_removes_webhooks(
    fake, slack, bot, db, database_url, receiver
):
    from click.testing import CliRunner

    from bot.cli.main import main

    async def cli(*args: str, allow: bool = True):
        env = {
            "DATABASE_URL": database_url,
            "WEBHOOKS_ALLOW_HTTP": str(allow).lower(),
            "WEBHOOKS_ALLOW_PRIVATE": str(allow).lower(),
        }
        return await asyncio.to_thread(
            CliRunner().invoke, main, list(args), env=env, catch_exceptions=False
        )

    await ds.workspace(db)
    refused = await cli(
        "hooks", "out", "add", f"{receiver.base}/ok", "remark.created", "--team", TEAM, allow=False
    )
    assert refused.exit_code == 1 and "https://" in refused.output
    bad = await cli("hooks", "out", "add", f"{receiver.base}/ok", "remark.made", "--team", TEAM)
    assert bad.exit_code == 1 and "Unknown event" in bad.output
    made = await cli(
        "hooks",
        "out",
        "add",
        f"{receiver.base}/ok",
        "remark.created",
        "digest.posted",
        "--team",
        TEAM,
    )
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    receiver.secrets["/ok"] = secret
    listed = await cli("hooks", "out", "list", "--team", TEAM)
    number = re.search(r"Webhook #(\d+):", made.output)
    assert number, made.output  # ids are not reset between tests: read it, never assume #1
    assert f"#{number.group(1)} " in listed.output
    assert "digest.posted" in listed.output and secret not in listed.output
    tested = await cli("hooks", "out", "test", f"{receiver.base}/ok", "--team", TEAM)
    assert tested.exit_code == 0 and "took the signed webhook.test event msg_" in tested.output
    # Sent by the command itself, or by the running bot's sender if it claimed it first.
    assert " ms." in tested.output or "sent by the running bot" in tested.output
    [got] = receiver.at("/ok")
    assert verify(secret, got.headers, got.body) and got.json["type"] == "webhook.test"
    assert (
        await cli("hooks", "out", "remove", f"{receiver.base}/ok", "--team", TEAM)
    ).exit_code == 0
    gone = await cli("hooks", "out", "test", f"{receiver.base}/ok", "--team", TEAM)
    assert gone.exit_code == 1 and "no webhook" in gone.output
