"""Issue 21 item 2, after the first filing: a score keeps informing the tone when the remark
changes later, and a changed score is stored.

* Another app edits its post (Delighted's response gains or changes its comment; the score
  line is part of the post): the remark's words follow the edit, and its tone still follows
  the score, the one the edited post now carries (docs/sources.md, "Scores"). Before, the
  edit re-read the words only: an NPS 3 whose comment was edited to read kindly turned into
  praise, and a score edited from 3 to 10 stayed 3 (a complaint).
* The intake API (or an import) sends a known remark again with a changed score: the answer
  is updated like a changed text (a respondent who changes their NPS answer). Before, the
  score changed only with the words, and a changed text with a new score took the new
  score's tone but kept the old score.

Posts are shaped as in tests/unit/apps/posts.py (Delighted's response, with its source);
the app's edit is delivered as Slack delivers chat.update by another app
(``message_changed`` with the app's ``bot_id``)."""

from __future__ import annotations

import asyncio

import aiohttp
from click.testing import CliRunner

from bot.cli.main import main
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import FEEDBACK, TEAM, remarks
from tests.e2e.test_app_posts import one_remark, watch_with_bots
from tests.e2e.test_intake_api import token
from tests.unit.apps import posts


def delighted(score: int, comment: str) -> list[dict]:
    return [dict(posts.DELIGHTED["attachments"][0], text=f"Score: {score}\n\"{comment}\"")]


async def test_an_app_edit_keeps_the_scores_tone_and_takes_a_changed_score(fake, slack, bot, db):
    await watch_with_bots(slack)
    msg = await slack.app_post(FEEDBACK, name="Delighted", attachments=delighted(3, "Too many clicks."))
    await settled(bot, timeout=60)  # the first filing loads the classifier: slow on a loaded machine
    remark = await one_remark(db)
    assert (remark.score_kind, remark.score_value, remark.sentiment) == ("nps", 3, "complaint")
    # The comment is edited to words that read as praise; the score (a detractor) still decides.
    await slack.app_edit(FEEDBACK, msg["ts"], attachments=delighted(
        3, "I love the team, you are wonderful and great, thanks so much!"))
    await settled(bot, timeout=60)  # the first filing loads the classifier: slow on a loaded machine
    remark = await one_remark(db)
    assert remark.text == "I love the team, you are wonderful and great, thanks so much!"
    assert (remark.score_value, remark.sentiment) == (3, "complaint")
    # The score itself is edited: 3 -> 10, a promoter.
    await slack.app_edit(FEEDBACK, msg["ts"], attachments=delighted(
        10, "I love the team, you are wonderful and great, thanks so much!"))
    await settled(bot, timeout=60)  # the first filing loads the classifier: slow on a loaded machine
    remark = await one_remark(db)
    assert (remark.score_kind, remark.score_value, remark.sentiment) == ("nps", 10, "praise")


async def send(bot, secret: str, body: dict) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http, http.post(
            f"{bot.base_url}/api/v1/remarks", json=body,
            headers={"Authorization": f"Bearer {secret}"}) as r:
        return r.status, await r.json()


async def test_the_api_sending_a_changed_score_updates_the_remark(bot, db):
    secret = await token(db, "survey")
    body = {"text": "The onboarding call was fine", "source": "survey", "external_id": "resp-1",
            "score": {"kind": "nps", "value": 3}}
    status, first = await send(bot, secret, body)
    assert status == 201 and first["sentiment"] == "complaint"
    # The respondent changes their answer to 10: the same words, a new score.
    status, again = await send(bot, secret, {**body, "score": {"kind": "nps", "value": 10}})
    assert status == 200 and again["id"] == first["id"]
    [remark] = await remarks(db)
    assert (remark.score_value, remark.sentiment) == (10, "praise")
    assert again["sentiment"] == "praise"
    # Changed words and a changed score together: both are stored.
    status, third = await send(bot, secret, {**body, "text": "The onboarding call was fine, mostly",
                                             "score": {"kind": "nps", "value": 2}})
    assert status == 200
    [remark] = await remarks(db)
    assert (remark.text, remark.score_value, remark.sentiment) == (
        "The onboarding call was fine, mostly", 2, "complaint")
    # Sent again unchanged: nothing changes.
    status, same = await send(bot, secret, {**body, "text": "The onboarding call was fine, mostly",
                                            "score": {"kind": "nps", "value": 2}})
    assert status == 200 and same["sentiment"] == "complaint"


async def test_an_import_sending_a_changed_score_updates_the_remark(db, database_url, tmp_path):
    await ds.workspace(db)
    survey = tmp_path / "survey.csv"

    async def run(value: int) -> None:
        survey.write_text(f"external_id,text,score_kind,score_value\nr1,The onboarding call was fine,csat,{value}\n",
                          encoding="utf-8")
        res = await asyncio.to_thread(CliRunner().invoke, main, ["import", str(survey), "--team", TEAM,
                                                                "--source", "survey"],
                                      env={"DATABASE_URL": database_url})
        assert res.exit_code == 0, res.output

    await run(1)
    [remark] = await remarks(db)
    assert (remark.score_value, remark.sentiment) == (1, "complaint")
    await run(5)  # the survey export again, the respondent's answer changed
    [again] = await remarks(db)
    assert again.id == remark.id and (again.score_value, again.sentiment) == (5, "praise")
