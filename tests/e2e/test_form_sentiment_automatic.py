"""The filing form's *Sentiment* is "Automatic (from the words or score)" unless a person
decided (issue 21 item 2: a score informs the tone unless a person decided).

Before, the form preselected Earshot's guess, and Slack submits an untouched element's
initial option as the selected one, so every filing counted as the person's decision and a
score given in the form never set the tone. The submissions here are shaped as Slack sends
a ``view_submission`` (api.slack.com/reference/interaction-payloads/views): ``view.state.
values[block_id][action_id]`` with ``{"type": "radio_buttons", "selected_option": ...}``
for the radio buttons (the initial option when the person left it alone) and
``{"type": "static_select", "selected_option": ...}`` for the menus; delivered signed to
the running app, against the stand-in."""

from __future__ import annotations

from typing import Any

from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, remarks
from tests.e2e.test_shortcut_modal import blocks_by_id, opened_view


def selected(view: dict, block_id: str, value: str | None = None) -> dict[str, Any]:
    """Slack's state entry for a select or radio element: the option picked (by value), or
    the element's initial option when the person left it alone (as Slack reports it)."""
    element = blocks_by_id(view)[block_id]["element"]
    if value is None:
        option = element.get("initial_option")
    else:
        [option] = [o for o in element["options"] if o["value"] == value]
    return {element["action_id"]: {"type": element["type"], "selected_option": option}}


async def test_a_score_sets_the_tone_when_the_person_leaves_sentiment_alone(fake, slack, bot, db):
    # Kind words, a low score: the score tells the tone.
    msg = fake.state.post_message(SUPPORT, CARLA, "The agent was lovely and kind, thank you so much")
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    view = await opened_view(fake)
    sentiment = blocks_by_id(view)["sentiment"]
    assert sentiment["element"]["initial_option"]["value"] == "auto"
    assert sentiment["element"]["initial_option"]["text"]["text"] == "Automatic (from the words or score)"
    answer = await slack.submit_view(ALICE, {
        "process": selected(view, "process", "unfiled"),
        "sentiment": selected(view, "sentiment"),  # untouched: Slack sends the initial option
        "score": selected(view, "score", "csat:1"),
    })
    assert answer.status == 200 and not answer.body
    [remark] = await remarks(db)
    assert (remark.score_kind, remark.score_value) == ("csat", 1)
    assert (remark.sentiment, remark.sentiment_decided_by) == ("complaint", None)
    assert remark.process_decided_by == ALICE  # the process menu is still the person's choice


async def test_a_typed_remark_takes_its_scores_tone(fake, slack, bot, db):
    await slack.slash(ALICE, SUPPORT, "")
    view = await opened_view(fake)
    assert blocks_by_id(view)["sentiment"]["element"]["initial_option"]["value"] == "auto"
    await slack.submit_view(ALICE, {
        "remark": {"remark_text": {"type": "plain_text_input", "value": "Renewal call went fine"}},
        "process": selected(view, "process", "unfiled"),
        "sentiment": selected(view, "sentiment"),
        "score": selected(view, "score", "nps:10"),
    })
    [remark] = await remarks(db)
    assert (remark.sentiment, remark.sentiment_decided_by, remark.score_value) == ("praise", None, 10)


async def test_a_persons_pick_still_wins_over_the_score(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Gave us 1 out of 5 but said the agent was kind")
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    view = await opened_view(fake)
    await slack.submit_view(ALICE, {
        "process": selected(view, "process", "unfiled"),
        "sentiment": selected(view, "sentiment", "praise"),
        "score": selected(view, "score", "csat:1"),
    })
    [remark] = await remarks(db)
    assert (remark.sentiment, remark.sentiment_decided_by, remark.score_value) == ("praise", ALICE, 1)
    # Opened again, the form shows the person's decision, not "Automatic".
    await slack.shortcut(BOB, SUPPORT, msg["ts"], "file_feedback")
    again = await opened_view(fake, count=2)
    assert blocks_by_id(again)["sentiment"]["element"]["initial_option"]["value"] == "praise"


async def test_a_score_given_on_a_remark_filed_already_sets_its_tone(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Support answered our question about the export")
    await slack.react(BOB, SUPPORT, msg["ts"], "memo")
    await settled(bot, timeout=60)  # the first filing loads the classifier
    [before] = await remarks(db)
    assert before.sentiment_decided_by is None and before.sentiment != "complaint"
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    view = await opened_view(fake)
    assert blocks_by_id(view)["sentiment"]["element"]["initial_option"]["value"] == "auto"
    answer = await slack.submit_view(ALICE, {
        "process": selected(view, "process"),
        "sentiment": selected(view, "sentiment"),
        "score": selected(view, "score", "nps:3"),
    })
    assert answer.status == 200 and not answer.body
    [remark] = await remarks(db)
    assert (remark.sentiment, remark.sentiment_decided_by) == ("complaint", None)
    assert (remark.score_kind, remark.score_value, remark.endorsements) == ("nps", 3, 2)
