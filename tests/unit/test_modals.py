"""The filing modal's builders and validation (pure: no Slack, no database)."""

from __future__ import annotations

import json

from bot.fakeslack.blockcheck import view_errors
from bot.fakeslack.payloads import view_state_values
from bot.slack import modals
from storage.models import Process


def procs(*names: str) -> list[Process]:
    return [Process(id=i + 1, name=n, archived=False) for i, n in enumerate(names)]


PROCESSES = procs("Billing", "Delivery", "Onboarding", "Support")


def message_origin(**kw) -> modals.Origin:
    base = dict(route="shortcut", channel_id="C1", ts="1700000000.000100", author_user_id="U1",
                text="hello", reply_channel="C1")
    return modals.Origin(**{**base, **kw})


def by_id(view: dict) -> dict:
    return {b.get("block_id"): b for b in view["blocks"]}


def submit(view: dict, values: dict) -> modals.Submission:
    return modals.read_submission(view_state_values(view, values))


def test_message_modal_is_valid_block_kit_with_guesses_preselected():
    view = modals.filing_modal(PROCESSES, message_origin(), modals.Prefill(process_id=2, sentiment="praise",
                                                                            customer="Acme"), preview="hello")
    assert view_errors(view) == []
    blocks = by_id(view)
    assert "remark" not in blocks and "<@U1>" in blocks["preview"]["text"]["text"]
    assert blocks["process"]["element"]["initial_option"]["value"] == "2"
    assert blocks["sentiment"]["element"]["initial_option"]["value"] == "praise"
    assert blocks["customer"]["element"]["initial_value"] == "Acme"
    values = [o["value"] for o in blocks["process"]["element"]["options"]]
    assert values[-2:] == ["unfiled", "other"]


def test_typed_modal_has_a_remark_input_and_unfiled_preselected():
    view = modals.filing_modal(PROCESSES, modals.Origin(route="command", channel_id="C1"), modals.Prefill())
    assert view_errors(view) == []
    blocks = by_id(view)
    assert blocks["remark"]["element"]["multiline"] is True
    assert blocks["process"]["element"]["initial_option"]["value"] == "unfiled"


def test_many_processes_and_long_names_stay_within_limits():
    many = procs(*[f"Process number {i} " + "x" * 100 for i in range(150)])
    huge = "word " * 8000
    view = modals.filing_modal(many, message_origin(text=huge), modals.Prefill(), preview=huge)
    assert view_errors(view) == []
    options = by_id(view)["process"]["element"]["options"]
    assert len(options) == 100 and all(len(o["text"]["text"]) <= 75 for o in options)
    assert len(view["private_metadata"]) <= 3000
    assert modals.Origin.from_metadata(view["private_metadata"]).text is None  # read again on submit


def test_metadata_round_trips_unicode_and_rejects_garbage():
    origin = message_origin(text="Grüße :tada: <@U2|bob> 日本")
    assert modals.Origin.from_metadata(origin.to_metadata()) == origin
    for raw in (None, "", "not json", "[]", '{"route":"evil"}', 5):
        assert modals.Origin.from_metadata(raw) is None


def test_submission_with_choices_is_decided():
    view = modals.filing_modal(PROCESSES, message_origin(), modals.Prefill())
    d = modals.decide(submit(view, {"process": "4", "sentiment": "complaint", "customer": " Acme  Corp ",
                                    "note": " call notes "}), PROCESSES, typed=False)
    assert d.errors == {}
    assert (d.process_id, d.sentiment, d.customer, d.note, d.text) == (4, "complaint", "Acme Corp", "call notes", None)


def test_unfiled_and_other_by_name():
    view = modals.filing_modal(PROCESSES, message_origin(), modals.Prefill())
    assert modals.decide(submit(view, {"process": "unfiled", "sentiment": "neutral"}), PROCESSES,
                         typed=False).process_id is None
    d = modals.decide(submit(view, {"process": "other", "process_other": "  onboarding ", "sentiment": "praise"}),
                      PROCESSES, typed=False)
    assert d.errors == {} and d.process_id == 3


def test_other_needs_a_known_name():
    view = modals.filing_modal(PROCESSES, message_origin(), modals.Prefill())
    missing = modals.decide(submit(view, {"process": "other", "sentiment": "praise"}), PROCESSES, typed=False)
    assert set(missing.errors) == {"process_other"}
    wrong = modals.decide(submit(view, {"process": "other", "process_other": "Deliverys", "sentiment": "praise"}),
                          PROCESSES, typed=False)
    assert "Did you mean Delivery?" in wrong.errors["process_other"]
    stray = modals.decide(submit(view, {"process": "1", "process_other": "Support", "sentiment": "praise"}),
                          PROCESSES, typed=False)
    assert set(stray.errors) == {"process_other"}


def test_vanished_process_and_missing_fields_are_errors_not_exceptions():
    assert modals.decide(modals.Submission(process="99", sentiment="praise"), PROCESSES,
                         typed=False).errors.keys() == {"process"}
    d = modals.decide(modals.read_submission(None), PROCESSES, typed=True)
    assert set(d.errors) == {"remark", "process", "sentiment"}
    odd = {"process": {"process_choice": {"type": "static_select", "selected_option": None}},
           "sentiment": {"sentiment_choice": "nonsense"}, "remark": []}
    assert set(modals.decide(modals.read_submission(odd), PROCESSES, typed=True).errors) == {
        "remark", "process", "sentiment"}


def test_typed_remark_is_required_and_kept_verbatim():
    view = modals.filing_modal(PROCESSES, modals.Origin(route="command"), modals.Prefill())
    blank = modals.decide(submit(view, {"remark": " \n ", "process": "unfiled", "sentiment": "neutral"}),
                          PROCESSES, typed=True)
    assert "remark" in blank.errors
    text = "line one <@U1|al> :tada:\n<https://x.io|link> &lt;3"
    ok = modals.decide(submit(view, {"remark": text, "process": "unfiled", "sentiment": "neutral"}),
                       PROCESSES, typed=True)
    assert ok.errors == {} and ok.text == text


def test_customer_too_long_is_an_error():
    d = modals.decide(modals.Submission(process="unfiled", sentiment="neutral", customer="x" * 256), PROCESSES,
                      typed=False)
    assert "customer" in d.errors


def test_notice_view_has_no_submit():
    view = modals.notice_view("A title that is much too long for Slack", "text")
    assert view_errors(view) == [] and "submit" not in view
    assert json.dumps(view)


def test_a_score_is_optional_and_only_one_of_the_list():
    from bot.slack.modals import BLOCK_SCORE, Submission, decide

    ok = decide(Submission(process="unfiled", sentiment="neutral", score="nps:9"), [], typed=False)
    assert ok.score == ("nps", 9) and not ok.errors
    none = decide(Submission(process="unfiled", sentiment="neutral"), [], typed=False)
    assert none.score is None and not none.errors
    bad = decide(Submission(process="unfiled", sentiment="neutral", score="nps:11"), [], typed=False)
    assert BLOCK_SCORE in bad.errors
