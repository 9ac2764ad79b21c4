"""Issue 21 item 6, every route at once: a remark by each of reaction, forward, watch,
mention, shortcut, command, another app's post, the intake API and an import records that
source; `/feedback sources` lists each with its volume, the digest's headline breaks the
week down by source, and the CSV export (sent in Slack) carries source, contact and score
with formula cells guarded. Each route is driven as Slack (or the API's caller) sends it."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import aiohttp
from click.testing import CliRunner

from bot.cli.main import main
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, BOT, CARLA, FEEDBACK, GENERAL, SUPPORT, TEAM, remarks
from tests.e2e.test_app_posts import post, watch_with_bots
from tests.e2e.test_intake_api import token
from tests.e2e.test_shortcut_modal import opened_view
from tests.unit.apps import posts


def answer(delivery) -> str:
    return (delivery.json() or {}).get("text", "")


async def test_each_route_records_its_source_and_every_view_shows_it(
        fake, slack, bot, db, database_url, tmp_path: Path):
    await ds.workspace(db)
    reacted = await slack.say(CARLA, SUPPORT, "Reacted: the invoice PDF is blank")
    await slack.react(ALICE, SUPPORT, reacted["ts"], "memo")
    forwarded = await slack.say(CARLA, SUPPORT, "Forwarded: the app logs me out hourly")
    await slack.forward(BOB, SUPPORT, forwarded["ts"], "dm", comment="")
    parent = await slack.say(CARLA, SUPPORT, "Mentioned: the search ignores accents")
    await slack.say(ALICE, SUPPORT, f"<@{BOT}>", thread_ts=parent["ts"])
    shortcut = fake.state.post_message(SUPPORT, CARLA, "Shortcut: the calendar sync double-books")
    await slack.shortcut(BOB, SUPPORT, shortcut["ts"], "file_feedback")
    await opened_view(fake)
    await slack.submit_view(BOB, {"process": "unfiled", "sentiment": "complaint", "score": "csat:2"})
    await slack.slash(BOB, GENERAL, "Command: the onboarding emails arrive twice")
    await watch_with_bots(slack)
    await slack.say(CARLA, FEEDBACK, "Watched: exports time out after a minute")
    await post(slack, FEEDBACK, posts.ZENDESK_NEW)
    await settled(bot, timeout=60)  # the first filing loads the classifier: slow on a loaded machine
    secret = await token(db, "helpdesk")
    async with aiohttp.ClientSession() as http, http.post(
            f"{bot.base_url}/api/v1/remarks", headers={"Authorization": f"Bearer {secret}"},
            json={"text": "=HYPERLINK(\"http://evil.example\",\"API: refund\")", "source": "helpdesk",
                  "contact": "@ann", "score": {"kind": "nps", "value": 3}}) as r:
        assert r.status == 201, await r.text()
    survey = tmp_path / "survey.csv"
    survey.write_text("text,contact,score_kind,score_value\nImported: the mobile app is slow,bo@initech.com,csat,5\n",
                      encoding="utf-8")
    res = await asyncio.to_thread(CliRunner().invoke, main, ["import", str(survey), "--team", TEAM,
                                                            "--source", "survey"],
                                  env={"DATABASE_URL": database_url})
    assert res.exit_code == 0, res.output

    got = {r.text.split(":")[0].removeprefix("=HYPERLINK(\"http"): r.source for r in await remarks(db)}
    assert got == {"Reacted": "reaction", "Forwarded": "forward", "Mentioned": "mention",
                   "Shortcut": "shortcut", "Command": "command", "Watched": "watch",
                   "Export to CSV drops the last column\nEvery export since Tuesday is missing the totals "
                   "column. We rely on it for our monthly close, please fix this soon.": "Zendesk",
                   "": "api:helpdesk", "Imported": "import"}, got

    listed = answer(await slack.slash(BOB, GENERAL, "sources"))
    for source in ("reaction", "forward", "mention", "shortcut", "command", "watch", "Zendesk",
                   "api:helpdesk", "import"):
        assert f"*{source}*: 1 this week, 1 in 4 weeks" in listed, (source, listed)

    body = (await slack.slash(CARLA, SUPPORT, "digest")).json()
    shown = body.get("text", "") + str(body.get("blocks", ""))
    line = next(x for x in shown.replace("\\n", "\n").splitlines() if "By source:" in x)
    # Nine sources of one remark each: the busiest eight by name, the ninth summed up.
    assert line.startswith("By source: Zendesk 1 · api:helpdesk 1 · command 1 · forward 1 · import 1 · "
                           "mention 1 · reaction 1 · shortcut 1 · and 1 more source: 1"), line

    await slack.slash(ALICE, SUPPORT, "export csv")
    await settled(bot, timeout=60)  # the first filing loads the classifier: slow on a loaded machine
    await fake.wait_for("files.completeUploadExternal")
    [f] = [f for f in fake.state.files.values() if f["name"].endswith(".csv")]
    content = f["content"].decode() if isinstance(f["content"], bytes) else f["content"]
    rows = {row["source"]: row for row in csv.DictReader(io.StringIO(content))}
    assert set(rows) == set(got.values())
    api = rows["api:helpdesk"]
    assert (api["contact"], api["score_kind"], api["score_value"]) == ("'@ann", "nps", "3")
    assert api["text"].startswith("'=HYPERLINK(")  # shown as text, never run
    assert (rows["shortcut"]["score_kind"], rows["shortcut"]["score_value"]) == ("csat", "2")
    assert (rows["import"]["contact"], rows["import"]["score_value"]) == ("bo@initech.com", "5")
    assert rows["Zendesk"]["contact"] == "Jane Doe"
