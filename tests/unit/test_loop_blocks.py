"""The loop's Block Kit (bot/slack/loop.py) stays within Slack's limits, and reads back what
Slack sends."""

from __future__ import annotations

import datetime as dt

from bot.fakeslack.blockcheck import block_errors
from bot.slack import loop as ui
from storage.models import Improvement, Remark


def remark(i: int, *, text: str = "", channel: str = "C0SUPPORT1") -> Remark:
    return Remark(id=i, team_id="T1", source_key=f"k{i}", channel_id=channel, message_ts=f"{i}.0001",
                  permalink=f"https://x.slack.com/archives/{channel}/p{i}0001", text=text or f"remark {i} " * 40,
                  customer="Acme" if i % 2 else None, said_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC), endorsements=1)


IMP = Improvement(id=7, team_id="T1", process_id=1, title="T" * 150, description="d" * 3000, status="shipped",
                  owner_user_id="U1", proposed_by="U1")


def test_the_preview_of_many_replies_stays_within_slack_limits():
    targets = [ui.Target(remark(i, text="x" * 3000), "is_archived" if i % 3 == 0 else None, i % 2 == 0)
               for i in range(60)]
    view = ui.reply_modal(IMP, "Billing", targets, ui.default_reply(IMP))
    assert len(view["title"]["text"]) <= 24 and len(view["blocks"]) <= 50
    assert block_errors(view["blocks"]) == []
    assert all(len(b["text"]["text"]) <= 3000 for b in view["blocks"] if b["type"] == "section")
    reply = next(b for b in view["blocks"] if b.get("block_id") == ui.BLOCK_REPLY_TEXT)
    assert len(reply["element"]["initial_value"]) <= ui.REPLY_LIMIT
    text = str(view["blocks"])
    assert "Slack Connect" in text and "the channel is archived" in text and "…and 40 more." in text
    assert ui.reply_improvement_id(view) == 7


def test_submitted_values_are_read_back_and_a_foreign_view_is_refused():
    values = {ui.BLOCK_REPLY_TEXT: {ui.ACTION_REPLY_TEXT: {"type": "plain_text_input", "value": "  Fixed.  "}}}
    assert ui.reply_text(values) == "Fixed."
    assert ui.reply_text({}) == ""
    assert ui.reply_improvement_id({"private_metadata": "not json"}) is None
    assert ui.reply_improvement_id({"private_metadata": '{"improvement": "7"}'}) is None
    form = ui.read_thank({"private_metadata": '{"process": 3, "period": "2025-W10"}', "state": {"values": {
        ui.BLOCK_THANK_CHANNEL: {ui.ACTION_THANK_CHANNEL: {"type": "conversations_select",
                                                           "selected_conversation": "C0TEAM0001"}},
        ui.BLOCK_THANK_TEXT: {ui.ACTION_THANK_TEXT: {"type": "plain_text_input", "value": "Thanks!"}}}}})
    assert (form.process_id, form.period, form.channel, form.user, form.note) == (3, "2025-W10", "C0TEAM0001", None,
                                                                                 "Thanks!")
    assert ui.read_thank("junk").process_id is None


def test_the_outcome_names_each_skipped_message_and_why():
    out = ui.reply_outcome(IMP, posted=[remark(1)], queued=[], already=[remark(2)],
                           skipped=[(remark(3), "thread_not_found"), (remark(4), "not_in_channel"),
                                    (remark(5), "weird_error")])
    text = str(out["blocks"])
    assert "replied in 1 thread." in text and "1 had been replied to already" in text and "Skipped 3" in text
    assert "the message was deleted" in text and "Earshot is no longer in the channel" in text
    assert "Slack said `weird_error`" in text
    assert block_errors(out["blocks"]) == []


def test_the_praise_note_and_thanks_stay_within_limits():
    procs = [ui.PraisedProcess(i, f"Process {i}", [remark(j, text="great " * 600) for j in range(8)])
             for i in range(12)]
    note = ui.praise_note("2025-W10", procs)
    assert len(note["blocks"]) <= 50 and block_errors(note["blocks"]) == []
    assert "…and 3 more." in str(note["blocks"]) and f"{ui.ACTION_THANK}0" in str(note["blocks"])
    modal = ui.thank_modal(3, "2025-W10", "Onboarding", [remark(j) for j in range(9)])
    assert len(modal["title"]["text"]) <= 24 and block_errors(modal["blocks"]) == []
    post = ui.thank_post("Onboarding", "n" * 2000, [remark(j) for j in range(9)], by="U1")
    assert block_errors(post["blocks"]) == [] and len(post["text"]) <= 300
