"""Bad input to export and erasure: a non-admin asking in Slack gets a private (ephemeral)
refusal and nothing is sent or changed; an id Earshot holds nothing of, or one that is not a
Slack user id, gets a clear message and exit status from `earshot workspace erase-user`, and
nobody is erased (not even the other ids given with it)."""

from __future__ import annotations

import json

from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, TEAM, captures, remarks
from tests.e2e.test_data_trust import MARKER, captured, cli, everything

NOBODY = "U0NOBODY01"


async def data(db) -> list[str]:
    """Every stored row but the deliveries (a command's own delivery is stored as it comes)."""
    return [line for line in (await everything(db)).splitlines() if not line.startswith("deliveries:")]


async def test_a_non_admin_asking_for_an_erasure_is_told_privately_and_nothing_changes(fake, slack, bot, db):
    await captured(fake, slack, bot, f"{MARKER} from Carla")
    before = await data(db)
    denied = await slack.slash(BOB, SUPPORT, f"erase <@{CARLA}>")
    assert denied.status == 200
    body = denied.json()
    assert body["response_type"] == "ephemeral" and "Only workspace admins" in json.dumps(body)
    await settled(bot)
    [r] = await remarks(db)
    assert r.text.startswith(MARKER) and r.author_user_id == CARLA
    assert not fake.calls_to("chat.postMessage")
    assert MARKER in "".join(before) and await data(db) == before


async def test_a_non_admin_asking_for_an_export_is_told_privately_and_gets_no_file(fake, slack, bot, db):
    await captured(fake, slack, bot, f"{MARKER} from Carla")
    denied = await slack.slash(BOB, SUPPORT, "export csv")
    body = denied.json()
    assert body["response_type"] == "ephemeral" and "Only workspace admins" in json.dumps(body)
    await settled(bot)
    assert not [c for c in fake.calls if c.method.startswith("files.") or c.method == "upload"]


async def test_erasing_someone_earshot_holds_nothing_of_says_so(fake, slack, bot, db):
    await captured(fake, slack, bot, f"{MARKER} from Carla")
    said = await slack.slash(ALICE, SUPPORT, f"erase <@{NOBODY}>")
    assert "Earshot holds nothing of theirs" in json.dumps(said.json())
    assert "Erased from Earshot" not in json.dumps(said.json())


async def test_erase_user_with_an_unknown_id_exits_1_and_erases_nobody(fake, slack, bot, db, database_url):
    await captured(fake, slack, bot, f"{MARKER} from Carla")
    before = await everything(db)
    result = await cli(database_url, "workspace", "erase-user", "--team", TEAM, CARLA, NOBODY)
    assert result.exit_code == 1
    assert f"Earshot holds nothing of {NOBODY} in {TEAM}" in result.output
    assert "nothing was erased" in result.output
    assert await everything(db) == before  # Carla, named beside it, is untouched too
    [r] = await remarks(db)
    assert r.author_user_id == CARLA and {c.user_id for c in await captures(db)} == {ALICE}


async def test_erase_user_with_something_that_is_not_a_user_id_exits_2(fake, slack, bot, db, database_url):
    await captured(fake, slack, bot, f"{MARKER} from Carla")
    before = await everything(db)
    result = await cli(database_url, "workspace", "erase-user", "--team", TEAM, "carla")
    assert result.exit_code == 2
    assert "'carla': not a Slack user id" in result.output
    assert await everything(db) == before


async def test_erase_user_in_an_unknown_workspace_exits_2(db, database_url):
    result = await cli(database_url, "workspace", "erase-user", "--team", "T0NOWHERE1", CARLA)
    assert result.exit_code == 2 and "no workspace T0NOWHERE1" in result.output
