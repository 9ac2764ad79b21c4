"""Erasing a person also removes their ``<@U…>`` mentions from other people's stored text."""

from __future__ import annotations

from typing import Any

from tests.conftest import settled
from tests.e2e import test_data_trust as trust
from tests.e2e.queries import ALICE, BOB, CARLA, DAN, SUPPORT, TEAM, remarks


async def test_erasure_replaces_mentions_in_other_peoples_remarks(fake: Any, slack: Any, bot: Any, db: Any,
                                                                  database_url: str) -> None:
    msg = fake.state.post_message(SUPPORT, BOB, f"Customer says <@{CARLA}> promised a refund, ask <@{CARLA}|carla>")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    other = fake.state.post_message(SUPPORT, BOB, f"<@{DAN}> fixed the export")
    await slack.react(ALICE, SUPPORT, other["ts"], "memo")
    await settled(bot)
    result = await trust.cli(database_url, "workspace", "erase-user", "--team", TEAM, CARLA)
    assert result.exit_code == 0, result.output
    assert CARLA not in await trust.everything(db)
    by_ts = {r.message_ts: r for r in await remarks(db)}
    kept = by_ts[msg["ts"]].text
    assert kept.startswith("Customer says @erased-") and "promised a refund, ask @erased-" in kept
    assert by_ts[other["ts"]].text == f"<@{DAN}> fixed the export"
