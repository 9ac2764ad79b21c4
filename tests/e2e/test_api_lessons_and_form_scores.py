"""Two gaps of issue 21, end to end.

* A process named by the intake API (filed or ``Prefer: respond-async``) or by an import is
  the sender's decision, a lesson as a person's filing is: the workspace's model version is
  bumped (the model is rebuilt with it), once per batch or import, not once per row.
* A score entered in the filing form is stored on a remark that was filed already (by a
  teammate's earlier capture), not only on a new one.

API requests are shaped as in test_intake_api.py (a Zendesk webhook: JSON with a bearer
token, https://support.zendesk.com/hc/en-us/articles/4408839108378); the form as Slack sends
a message_action and its view_submission (bot/fakeslack/simulator.py).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli.main import main
from storage.db import transaction
from storage.models import Workspace
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, TEAM, remarks
from tests.e2e.test_intake_api import post, token
from tests.e2e.test_shortcut_modal import opened_view


async def model_version(db) -> int:
    async with transaction(db) as s:
        return int(
            await s.scalar(select(Workspace.model_version).where(Workspace.team_id == TEAM)) or 0
        )


async def test_a_process_named_by_the_api_is_a_lesson_and_an_automatic_filing_is_not(bot, db):
    tok = await token(db)
    refunds = await ds.process(db, "Refunds Desk")
    status, _, first = await post(
        bot, {"text": "Where is my money", "source": "zendesk", "external_id": "Z-0"}, tok
    )
    assert status == 201 and first["filed_as"] != "given"
    before = await model_version(db)
    status, _, _ = await post(
        bot, {"text": "The printer jams", "source": "zendesk", "external_id": "Z-9"}, tok
    )
    assert (
        status == 201 and await model_version(db) == before
    )  # the classifier's own filing teaches nothing
    status, _, answer = await post(
        bot,
        {
            "text": "Refunds take weeks",
            "source": "zendesk",
            "external_id": "Z-1",
            "process": "Refunds Desk",
        },
        tok,
    )
    assert status == 201 and answer["filed_as"] == "given"
    assert await model_version(db) == before + 1
    [r] = [r for r in await remarks(db) if r.external_id == "Z-1"]
    assert (r.process_id, r.process_decided_by) == (
        refunds,
        "api:zendesk",
    )  # what the model learns from


async def test_a_process_named_in_an_acknowledged_request_is_a_lesson_once_filed(bot, db):
    tok = await token(db)
    await ds.process(db, "Refunds Desk")
    await post(bot, {"text": "warm up", "source": "zendesk", "external_id": "W"}, tok)
    before = await model_version(db)
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{bot.base_url}/api/v1/remarks",
            json={
                "text": "Refunds take weeks",
                "source": "zendesk",
                "external_id": "A-1",
                "process": "Refunds Desk",
            },
            headers={"Authorization": f"Bearer {tok}", "Prefer": "respond-async"},
        ) as resp,
    ):
        assert resp.status == 202
    await settled(bot)
    assert await model_version(db) == before + 1


async def test_an_import_naming_processes_bumps_the_model_once(db, database_url, tmp_path: Path):
    await ds.workspace(db)
    await ds.process(db, "Refunds Desk")
    before = await model_version(db)
    path = tmp_path / "backlog.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(
                {"text": f"Refund {i} took weeks", "external_id": i, "process": "Refunds Desk"}
            )
            for i in range(600)
        )
        + "\n",
        encoding="utf-8",
    )
    res = await asyncio.to_thread(
        CliRunner().invoke,
        main,
        ["import", str(path), "--team", TEAM, "--source", "helpdesk"],
        env={"DATABASE_URL": database_url},
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    assert await model_version(db) == before + 1  # three batches of rows, one rebuild
    rows = await remarks(db)
    assert len(rows) == 600 and {r.process_decided_by for r in rows} == {"import"}
    # Without a named process an import teaches nothing.
    path.write_text(
        json.dumps({"text": "Another remark", "external_id": "x"}) + "\n", encoding="utf-8"
    )
    await asyncio.to_thread(
        CliRunner().invoke,
        main,
        ["import", str(path), "--team", TEAM, "--source", "helpdesk"],
        env={"DATABASE_URL": database_url},
        catch_exceptions=False,
    )
    assert await model_version(db) == before + 1


async def test_a_score_in_the_form_is_stored_on_a_remark_filed_already(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Gave us 1 out of 5, the export keeps failing")
    await slack.shortcut(BOB, SUPPORT, msg["ts"], "file_feedback")
    await opened_view(fake)
    answer = await slack.submit_view(BOB, {"process": "unfiled", "sentiment": "complaint"})
    assert answer.status == 200
    [remark] = await remarks(db)
    assert remark.score_kind is None
    # Alice files the same message with the score the customer gave.
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    await opened_view(fake, count=2)
    answer = await slack.submit_view(
        ALICE, {"process": "unfiled", "sentiment": "complaint", "score": "csat:1"}
    )
    assert answer.status == 200 and not answer.body  # filed (changed), not "already filed"
    [remark] = await remarks(db)
    assert (remark.score_kind, remark.score_value, remark.sentiment) == ("csat", 1, "complaint")
    # The same form again changes nothing and says so.
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    await opened_view(fake, count=3)
    answer = await slack.submit_view(
        ALICE, {"process": "unfiled", "sentiment": "complaint", "score": "csat:1"}
    )
    assert "Already filed" in json.dumps(answer.body)
    # A later score replaces it; the tone stays the person's.
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    await opened_view(fake, count=4)
    await slack.submit_view(
        ALICE, {"process": "unfiled", "sentiment": "complaint", "score": "csat:5"}
    )
    [remark] = await remarks(db)
    assert (remark.score_kind, remark.score_value, remark.sentiment) == ("csat", 5, "complaint")
