"""`/feedback`, end to end: signed slash commands to the running bot; the answer is the
command's own response (shown to the caller at once), the effects are stored rows."""

from __future__ import annotations

import json
import time

from sqlalchemy import select

from storage.models import Process
from tests.conftest import settled, start_bot
from tests.e2e.queries import ALICE, BOB, CARLA, SUPPORT, captures, process_named, remarks


async def opened_view(fake) -> dict:
    [call] = await fake.wait_for("views.open")
    view = call.params["view"]
    return view if isinstance(view, dict) else json.loads(view)


def text_of(answer) -> str:
    body = answer.json() or {}
    return body.get("text", "") + " " + str(body.get("blocks", ""))


async def test_typed_remark_is_filed_classified_and_confirmed_in_the_reply(fake, slack, bot, db):
    started = time.monotonic()
    answer = await slack.slash(ALICE, SUPPORT, "The invoice arrived twice and we were charged double")
    elapsed = time.monotonic() - started
    assert answer.status == 200 and elapsed < 3
    body = answer.json()
    assert body["response_type"] == "ephemeral"
    assert "Filed as customer feedback" in body["blocks"][0]["text"]["text"]
    # The confirmation carries the standard correction controls.
    actions = body["blocks"][-1]
    assert {e["action_id"] for e in actions["elements"]} >= {"remark_process", "remark_sentiment",
                                                              "remark_undo"}
    [remark] = await remarks(db)
    assert remark.text == "The invoice arrived twice and we were charged double"
    assert remark.source_key == f"typed:{slack.last_trigger_id}"
    assert remark.channel_id == SUPPORT and remark.message_ts is None and remark.permalink is None
    assert remark.author_user_id is None
    assert remark.process_id == (await process_named(db, "Billing")).id
    assert remark.process_decided_by is None  # automatic
    assert remark.sentiment == "complaint"
    [capture] = await captures(db)
    assert (capture.user_id, capture.route, capture.channel_id) == (ALICE, "command", SUPPORT)
    # The answer is the confirmation: no Web API call was needed.
    assert fake.calls_to("chat.postEphemeral") == []


async def test_process_and_customer_named_inline_are_a_persons_decision(fake, slack, bot, db):
    answer = await slack.slash(ALICE, SUPPORT, "[support] (Acme Corp) invoice arrived twice")
    assert answer.status == 200
    [remark] = await remarks(db)
    assert remark.text == "invoice arrived twice"
    assert remark.process_id == (await process_named(db, "Support")).id
    assert remark.process_decided_by == ALICE and remark.process_confidence == 1.0
    assert remark.customer == "Acme Corp" and remark.customer_decided_by == ALICE
    assert "set by a person" in text_of(answer) and "Acme Corp" in text_of(answer)


async def test_unknown_process_suggests_close_matches_and_files_nothing(fake, slack, bot, db):
    answer = await slack.slash(ALICE, SUPPORT, "[Biling] (Acme) invoice arrived twice")
    assert answer.status == 200
    body = answer.json()
    assert body["response_type"] == "ephemeral"
    assert "No process called *Biling*" in body["text"] and "Did you mean: *Billing*" in body["text"]
    assert "/feedback processes" in body["text"]
    assert await remarks(db) == [] and await captures(db) == []


async def test_archived_process_is_refused(fake, slack, bot, db):
    await slack.slash(BOB, SUPPORT, "warm up the workspace")
    async with db() as s, s.begin():
        p = await s.scalar(select(Process).where(Process.name == "Delivery"))
        p.archived = True
    answer = await slack.slash(ALICE, SUPPORT, "[Delivery] the parcel was late")
    assert "archived" in answer.json()["text"]
    assert len(await remarks(db)) == 1


async def test_share_flag_posts_the_confirmation_in_channel(fake, slack, bot, db):
    answer = await slack.slash(ALICE, SUPPORT, "(Globex) onboarding was a breeze, thank you +share")
    body = answer.json()
    assert body["response_type"] == "in_channel"
    assert f"<@{ALICE}> filed customer feedback" in body["blocks"][0]["text"]["text"]
    [remark] = await remarks(db)
    assert remark.text == "onboarding was a breeze, thank you" and remark.customer == "Globex"


async def test_mentions_links_emoji_and_unicode_are_stored_as_slack_sent_them(fake, slack, bot, db):
    raw = "<@U0BOB00001|bob> says :tada: the <https://acme.io/x?a=1&amp;b=2|new dashboard> is grand, 日本語 &lt;3 <#C0SUPPORT1|support>"
    answer = await slack.slash(ALICE, SUPPORT, raw)
    [remark] = await remarks(db)
    assert remark.text == raw
    # Shown safely: the mention and the link read as words (no ping, no hidden address), the
    # entities stay escaped.
    shown = answer.json()["blocks"][0]["text"]["text"]
    assert ("@bob says :tada: the new dashboard (https://acme.io/x?a=1&amp;b=2) is grand, 日本語 &lt;3 #support"
            in shown)
    assert "<@U0BOB00001" not in shown


async def test_replayed_command_files_nothing_twice(fake, slack, bot, db):
    first = await slack.slash(ALICE, SUPPORT, "Support answered within minutes, brilliant")
    again = await slack.deliverer.send_signed(slack.deliverer.last_command_body,
                                              "application/x-www-form-urlencoded")
    assert again.status == 200
    await settled(bot)
    assert "Filed as customer feedback" in first.json()["blocks"][0]["text"]["text"]
    assert len(await remarks(db)) == 1 and len(await captures(db)) == 1
    assert [c.method for c in fake.calls if c.method.startswith("chat.")] == []


async def test_same_text_typed_twice_is_two_remarks(fake, slack, bot, db):
    await slack.slash(ALICE, SUPPORT, "Export is slow")
    await slack.slash(ALICE, SUPPORT, "Export is slow")
    assert len(await remarks(db)) == 2


async def test_long_remark_is_stored_whole_and_shown_truncated(fake, slack, bot, db):
    raw = ("The export keeps failing. " * 1500).strip()  # ~39,000 characters
    answer = await slack.slash(ALICE, SUPPORT, raw)
    [remark] = await remarks(db)
    assert remark.text == raw
    for block in answer.json()["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


async def test_over_long_text_is_refused(fake, slack, bot, db):
    answer = await slack.slash(ALICE, SUPPORT, "x" * 40_001)
    assert "Nothing was filed" in answer.json()["text"]
    assert await remarks(db) == []


async def test_empty_or_blank_text_opens_the_modal(fake, slack, bot, db):
    answer = await slack.slash(ALICE, SUPPORT, "   ")
    assert answer.status == 200 and not answer.body
    view = await opened_view(fake)
    assert view["callback_id"] == "file_feedback"
    assert any(b.get("block_id") == "remark" for b in view["blocks"])
    assert await remarks(db) == []


async def test_options_without_text_open_the_modal_prefilled(fake, slack, bot, db):
    await slack.slash(ALICE, SUPPORT, "[Billing] (Acme Corp)")
    view = await opened_view(fake)
    by_id = {b.get("block_id"): b for b in view["blocks"]}
    assert by_id["process"]["element"]["initial_option"]["text"]["text"] == "Billing"
    assert by_id["customer"]["element"]["initial_value"] == "Acme Corp"


async def test_help_and_unknown_subcommands(fake, slack, bot, db):
    help_ = (await slack.slash(ALICE, SUPPORT, "help")).json()
    assert help_["response_type"] == "ephemeral"
    assert "[Process] (Customer)" in help_["text"] and "/feedback recent" in help_["text"]
    typo = (await slack.slash(ALICE, SUPPORT, "hlep")).json()
    assert "Did you mean `/feedback help`?" in typo["text"] and "/feedback -- hlep" in typo["text"]
    other = (await slack.slash(ALICE, SUPPORT, "frobnicate")).json()
    assert "isn't a command" in other["text"] and "Did you mean" not in other["text"]
    assert await remarks(db) == []


async def test_double_dash_files_a_single_word_or_leading_brackets(fake, slack, bot, db):
    await slack.slash(ALICE, SUPPORT, "-- Fantastic")
    await slack.slash(ALICE, SUPPORT, "-- [sic] the app said 'eror'")
    assert [r.text for r in await remarks(db)] == ["Fantastic", "[sic] the app said 'eror'"]


async def test_malformed_options_explain_and_file_nothing(fake, slack, bot, db):
    body = (await slack.slash(ALICE, SUPPORT, "[Billing the invoice")).json()
    assert "closing `]`" in body["text"] and "Nothing was filed" in body["text"]
    assert await remarks(db) == []


async def test_recent_lists_the_callers_last_ten_with_links(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Refund took three weeks")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    for i in range(11):
        await slack.slash(ALICE, SUPPORT, f"remark number {i} about the dashboard")
    await slack.slash(BOB, SUPPORT, "bob's own remark")
    body = (await slack.slash(ALICE, SUPPORT, "recent")).json()
    assert body["response_type"] == "ephemeral"
    text = str(body["blocks"])
    assert "last 10 captured remarks" in text
    assert "remark number 10" in text and "remark number 1 " in text
    assert "remark number 0 " not in text and "Refund took" not in text  # older than the last 10
    assert "bob's own remark" not in text
    assert "typed in <#C0SUPPORT1>" in text
    assert len(body["blocks"]) == 11
    assert all(len(b["text"]["text"]) <= 3000 for b in body["blocks"])


async def test_recent_shows_permalinks_and_handles_nothing_yet(fake, slack, bot, db):
    empty = (await slack.slash(ALICE, SUPPORT, "recent")).json()
    assert "haven't captured any remarks yet" in empty["text"]
    msg = fake.state.post_message(SUPPORT, CARLA, "Refund took three weeks")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    body = (await slack.slash(ALICE, SUPPORT, "recent +share")).json()
    assert body["response_type"] == "in_channel"
    assert "|View message>" in str(body["blocks"]) and "Refund took three weeks" in str(body["blocks"])


async def test_recent_followed_by_words_is_a_remark(fake, slack, bot, db):
    await slack.slash(ALICE, SUPPORT, "recent changes broke the export")
    [remark] = await remarks(db)
    assert remark.text == "recent changes broke the export"


async def test_help_and_how_tos_name_the_configured_capture_emoji(fake, settings, db):
    running, stop = await start_bot(settings.model_copy(update={"capture_emoji": "eyes,memo"}))
    sim = fake.simulator(running.url)
    try:
        help_reply = (await sim.slash(ALICE, SUPPORT, "help")).json()["text"]
        await sim.say(ALICE, "dm", "hello?")
        [howto] = await fake.wait_for("chat.postEphemeral")
    finally:
        await sim.close()
        await stop()
    assert ":eyes:" in help_reply and ":memo:" not in help_reply
    assert ":eyes:" in howto.params["text"] and ":memo:" not in howto.params["text"]
