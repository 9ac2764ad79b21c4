"""Remarks Earshot cannot read (issue 23, item 3): a French complaint captured by reaction is
left unfiled for a person with its language, and says so in the confirmation, App Home, the
export and the digest; short English remarks stay English. Payloads are the Events API's
``reaction_added`` and ``app_home_opened`` and a ``block_actions`` click, signed as Slack signs
them (https://api.slack.com/events/reaction_added, /events/app_home_opened,
/reference/interaction-payloads/block-actions), sent by the stand-in (bot/fakeslack)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from bot.cli.main import main
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, TEAM, process_named, remarks

FRENCH = "Le service client ne répond jamais et la facture est encore fausse, c'est inadmissible."
ENGLISH = "The invoice arrived twice this month, again."


async def capture(fake, slack, bot, user: str, text: str) -> None:
    msg = fake.state.post_message(SUPPORT, CARLA, text)
    delivery = await slack.react(user, SUPPORT, msg["ts"], "memo")
    assert delivery.status == 200
    await settled(bot, timeout=60)  # the first capture builds the workspace's model


async def test_a_french_complaint_waits_for_a_person_and_says_its_language_everywhere(
    fake, slack, bot, db, database_url, tmp_path: Path
):
    await capture(fake, slack, bot, ALICE, FRENCH)
    await capture(fake, slack, bot, BOB, ENGLISH)
    french, english = await remarks(db)
    assert (french.language, french.process_id, french.sentiment) == ("fr", None, "neutral")
    assert (
        english.language == "en" and english.process_id == (await process_named(db, "Billing")).id
    )

    # The capturer's private confirmation says why it is not filed.
    [confirm] = [c for c in fake.calls_to("chat.postEphemeral") if c.params["user"] == ALICE]
    shown = json.dumps(confirm.params["blocks"], ensure_ascii=False)
    assert "Filed for a person*: Earshot reads English only; this looks French (fr)" in shown

    # App Home's triage lists it with its language; a person files it by hand as before.
    await slack.open_home(ALICE)
    [home] = await fake.wait_for("views.publish")
    view = json.dumps(home.params["view"], ensure_ascii=False)
    assert "Needs a process" in view and "this looks French (fr)" in view
    support = await process_named(db, "Support")
    await slack.click(ALICE, "remark_process", value=str(support.id))
    await fake.wait_for("views.publish", count=2)
    french, _ = await remarks(db)
    assert (french.process_id, french.process_decided_by, french.language) == (
        support.id,
        ALICE,
        "fr",
    )

    # The export carries the language, in CSV and JSON Lines.
    out = tmp_path / "r.csv"
    res = await asyncio.to_thread(
        CliRunner().invoke,
        main,
        ["export", "--team", TEAM, "--format", "csv", "--out", str(out)],
        env={"DATABASE_URL": database_url},
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["language"] for r in rows] == ["fr", "en"]
    res = await asyncio.to_thread(
        CliRunner().invoke,
        main,
        ["export", "--team", TEAM, "--format", "jsonl"],
        env={"DATABASE_URL": database_url},
        catch_exceptions=False,
    )
    assert [json.loads(x)["language"] for x in res.output.splitlines() if x.startswith("{")] == [
        "fr",
        "en",
    ]

    # The digest (the private preview of the period so far) counts remarks per language.
    preview = await slack.slash(CARLA, SUPPORT, "digest")
    assert preview.status == 200
    text = json.dumps(preview.json(), ensure_ascii=False)
    assert "By language: 1 English · 1 French (fr)" in text


async def test_short_english_remarks_stay_english_and_are_filed_as_before(fake, slack, bot, db):
    for text in ("ok thanks", "SSO pls", "pls fix SSO asap, the login page is down again"):
        await capture(fake, slack, bot, ALICE, text)
    stored = await remarks(db)
    assert [r.language for r in stored] == ["en", "en", "en"]
    confirmations = json.dumps([c.params["blocks"] for c in fake.calls_to("chat.postEphemeral")])
    assert "English only" not in confirmations
    # A workspace with no remark in another language has no language line in its digest.
    preview = await slack.slash(CARLA, SUPPORT, "digest")
    assert "By language" not in json.dumps(preview.json())


async def test_a_short_remark_in_another_language_waits_for_a_person_and_says_so(
    fake, slack, bot, db
):
    """"très lent" and "danke" have too few letters for the detector's old rule, which read
    them as English and let the English model file them; their words are not English."""
    await capture(fake, slack, bot, ALICE, "très lent")
    await capture(fake, slack, bot, BOB, "danke")
    await capture(fake, slack, bot, CARLA, "still waiting")
    stored = await remarks(db)
    assert [(r.language, r.process_id, r.sentiment) for r in stored[:2]] == [
        ("fr", None, "neutral"), ("de", None, "neutral")]
    assert stored[2].language == "en"
    shown = {c.params["user"]: json.dumps(c.params["blocks"], ensure_ascii=False)
             for c in fake.calls_to("chat.postEphemeral")}
    assert "Earshot reads English only; this looks French (fr)" in shown[ALICE]
    assert "Earshot reads English only; this looks German (de)" in shown[BOB]
    assert "English only" not in shown[CARLA]


async def test_feedback_typed_in_another_language_is_answered_with_its_language(
    fake, slack, bot, db
):
    """/feedback's reply is the confirmation: it names the language, short remark or long."""
    await slack.slash(BOB, SUPPORT, "warm up the workspace")
    await settled(bot, timeout=60)
    for text, shown in (("sehr langsam", "German (de)"), (FRENCH, "French (fr)")):
        answer = await slack.slash(ALICE, SUPPORT, text)
        assert answer.status == 200
        body = json.dumps(answer.json(), ensure_ascii=False)
        assert f"Earshot reads English only; this looks {shown}" in body
    stored = await remarks(db)
    assert [(r.language, r.process_id) for r in stored[1:]] == [("de", None), ("fr", None)]
