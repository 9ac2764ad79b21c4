"""The message shortcut "File customer feedback" and the filing modal, end to end:
signed message_action / view_submission payloads to the running bot."""

from __future__ import annotations

import json

from storage.models import Process
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, CARLA, GENERAL, SUPPORT, captures, process_id, remarks


async def opened_view(fake, count: int = 1) -> dict:
    calls = await fake.wait_for("views.open", count=count)
    view = calls[count - 1].params["view"]
    return view if isinstance(view, dict) else json.loads(view)


def blocks_by_id(view: dict) -> dict:
    return {b.get("block_id"): b for b in view["blocks"]}


async def test_shortcut_opens_a_modal_prefilled_from_the_message(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "We were charged twice for the March invoice, very annoying")
    answer = await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    assert answer.status == 200
    view = await opened_view(fake)
    assert view["callback_id"] == "file_feedback" and view["type"] == "modal"
    by_id = blocks_by_id(view)
    preview = by_id["preview"]["text"]["text"]
    assert f"<@{CARLA}>" in preview and f"<#{SUPPORT}>" in preview and "charged twice" in preview
    assert by_id["process"]["element"]["initial_option"]["value"] == str(await process_id(db, "Billing"))
    # The tone is left automatic (a score given in the form sets it); Earshot's reading is a hint.
    assert by_id["sentiment"]["element"]["initial_option"]["value"] == "auto"
    assert "(now: Complaint)" in by_id["sentiment"]["hint"]["text"]
    assert "initial_value" not in by_id["customer"]["element"]  # Carla is one of us
    meta = json.loads(view["private_metadata"])
    assert (meta["channel_id"], meta["ts"], meta["author_user_id"]) == (SUPPORT, msg["ts"], CARLA)
    assert await remarks(db) == []  # nothing is filed until the modal is submitted


async def test_submitting_files_the_message_with_the_persons_choices_and_confirms(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "We were charged twice for the March invoice")
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    await opened_view(fake)
    support = await process_id(db, "Support")
    answer = await slack.submit_view(ALICE, {"process": str(support), "sentiment": "neutral",
                                             "customer": "  Acme   Corp ", "note": "said on the QBR call"})
    assert answer.status == 200 and not answer.body  # the modal closes
    [remark] = await remarks(db)
    assert remark.source_key == f"{SUPPORT}:{msg['ts']}"
    assert (remark.text, remark.author_user_id, remark.channel_id) == (msg["text"], CARLA, SUPPORT)
    assert remark.permalink and remark.permalink.startswith("https://")
    assert (remark.process_id, remark.process_decided_by) == (support, ALICE)
    assert (remark.sentiment, remark.sentiment_decided_by) == ("neutral", ALICE)
    assert (remark.customer, remark.customer_decided_by) == ("Acme Corp", ALICE)
    [capture] = await captures(db)
    assert (capture.user_id, capture.route, capture.note) == (ALICE, "shortcut", "said on the QBR call")
    [confirm] = await fake.wait_for("chat.postEphemeral")
    assert confirm.params["user"] == ALICE and confirm.params["channel"] == SUPPORT
    assert "charged twice" in str(confirm.params["blocks"]) and "remark_undo" in str(confirm.params["blocks"])


async def test_unfiled_choice_keeps_the_remark_unfiled(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "The invoice PDF is missing our VAT number")
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    await opened_view(fake)
    await slack.submit_view(ALICE, {"process": "unfiled", "sentiment": "complaint"})
    [remark] = await remarks(db)
    assert remark.process_id is None and remark.process_decided_by == ALICE


async def test_other_without_a_name_is_an_inline_error_and_files_nothing(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Shipping took ages")
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    await opened_view(fake)
    answer = await slack.submit_view(ALICE, {"process": "other", "sentiment": "complaint"})
    body = answer.json()
    assert body["response_action"] == "errors" and "process_other" in body["errors"]
    wrong = (await slack.submit_view(ALICE, {"process": "other", "process_other": "delivry",
                                              "sentiment": "complaint"})).json()
    assert "Did you mean Delivery?" in wrong["errors"]["process_other"]
    assert await remarks(db) == [] and fake.calls_to("chat.postEphemeral") == []
    ok = await slack.submit_view(ALICE, {"process": "other", "process_other": "DELIVERY",
                                         "sentiment": "complaint"})
    assert not ok.body
    [remark] = await remarks(db)
    assert remark.process_id == await process_id(db, "Delivery")


async def test_process_archived_while_the_modal_was_open_is_an_inline_error(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "The parcel arrived damaged")
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    await opened_view(fake)
    delivery = await process_id(db, "Delivery")
    async with db() as s, s.begin():
        (await s.get(Process, delivery)).archived = True
    body = (await slack.submit_view(ALICE, {"process": str(delivery), "sentiment": "complaint"})).json()
    assert body["response_action"] == "errors" and "archived" in body["errors"]["process"]
    assert await remarks(db) == []


async def test_replayed_submission_files_nothing_twice(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Love the new dashboard")
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    await opened_view(fake)
    first = await slack.submit_view(ALICE, {"process": "unfiled", "sentiment": "praise"})
    again = await slack.deliverer.send_interaction(first.payload)
    assert again.status == 200
    await settled(bot)
    assert len(await remarks(db)) == 1 and len(await captures(db)) == 1
    assert len(fake.calls_to("chat.postEphemeral")) == 1


async def test_filing_the_same_message_again_says_nothing_changed(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Love the new dashboard")
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    await opened_view(fake)
    await slack.submit_view(ALICE, {"process": "unfiled", "sentiment": "praise"})
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    view = await opened_view(fake, count=2)
    assert "1 teammate has filed this already" in str(view["blocks"])
    body = (await slack.submit_view(ALICE, {"process": "unfiled", "sentiment": "praise"})).json()
    assert body["response_action"] == "update" and "nothing changed" in str(body["view"])
    assert len(await captures(db)) == 1 and len(fake.calls_to("chat.postEphemeral")) == 1


async def test_teammates_shortcut_on_a_captured_message_endorses_and_corrects(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Support took four days to answer")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    [before] = await remarks(db)
    await slack.shortcut(BOB, SUPPORT, msg["ts"], "file_feedback")
    view = await opened_view(fake)
    by_id = blocks_by_id(view)
    current = by_id["process"]["element"]["initial_option"]["value"]
    assert current == (str(before.process_id) if before.process_id else "unfiled")
    billing = await process_id(db, "Billing")
    await slack.submit_view(BOB, {"process": str(billing), "sentiment": "complaint", "customer": "Globex"})
    [remark] = await remarks(db)
    assert remark.endorsements == 2 and remark.process_id == billing and remark.process_decided_by == BOB
    assert remark.customer == "Globex"
    assert sorted((c.user_id, c.route) for c in await captures(db)) == [(ALICE, "reaction"), (BOB, "shortcut")]


async def test_confirming_the_classifiers_choices_records_them_as_a_persons(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "We were charged twice for the March invoice")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    [before] = await remarks(db)
    assert before.process_decided_by is None and before.sentiment_decided_by is None
    await slack.shortcut(BOB, SUPPORT, msg["ts"], "file_feedback")
    await opened_view(fake)
    same = str(before.process_id) if before.process_id else "unfiled"
    await slack.submit_view(BOB, {"process": same, "sentiment": before.sentiment})
    [after] = await remarks(db)
    assert (after.process_id, after.process_decided_by) == (before.process_id, BOB)
    assert (after.sentiment, after.sentiment_decided_by) == (before.sentiment, BOB)
    # Recorded, the choice outlives an edit that would read differently.
    await slack.edit(CARLA, SUPPORT, msg["ts"], "Onboarding was lovely, the kickoff call was spot on")
    await settled(bot)
    [edited] = await remarks(db)
    assert edited.text.startswith("Onboarding was lovely")
    assert (edited.process_id, edited.sentiment) == (before.process_id, before.sentiment)


async def test_shortcut_on_earshots_own_message_gets_a_friendly_notice(fake, slack, bot, db):
    # Another app's post opens the form (tests/e2e/test_app_posts.py); Earshot's own does not.
    msg = fake.state.post_message(SUPPORT, None, "This week's digest is ready", bot=True)
    answer = await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    assert answer.status == 200
    [note] = await fake.wait_for("response_url")
    assert "my own messages" in str(note.params) and note.params.get("response_type", "ephemeral") == "ephemeral"
    assert fake.calls_to("views.open") == [] and await remarks(db) == []


async def test_shortcut_on_a_forward_files_the_original(fake, slack, bot, db):
    original = fake.state.post_message(GENERAL, CARLA, "Onboarding was the smoothest we have had")
    fwd = await slack.forward(BOB, GENERAL, original["ts"], SUPPORT, comment="look at this")
    await settled(bot)
    await slack.shortcut(ALICE, SUPPORT, fwd["ts"], "file_feedback")
    view = await opened_view(fake)
    assert "smoothest" in blocks_by_id(view)["preview"]["text"]["text"]
    await slack.submit_view(ALICE, {"process": str(await process_id(db, "Onboarding")), "sentiment": "praise"})
    remark = next(r for r in await remarks(db) if r.source_key == f"{GENERAL}:{original['ts']}")
    assert remark.author_user_id == CARLA and remark.text == original["text"]
    # Confirmed where Alice used the shortcut.
    [confirm] = await fake.wait_for("chat.postEphemeral")
    assert confirm.params["channel"] == SUPPORT


async def test_slack_connect_author_prefills_their_organisation(fake, slack, bot, db):
    fake.state.add_team("T0GLOBEX01", "Globex Corporation", "globex")
    fake.state.add_user("U0EXT00001", "erin", team_id="T0GLOBEX01")
    shared = fake.state.add_channel("globex-shared", id="C0SHARED01", is_ext_shared=True,
                                    members=[ALICE, "U0EXT00001"], shared_team_ids=["T0GLOBEX01"])
    msg = fake.state.post_message(shared.id, "U0EXT00001", "Your support team is wonderful")
    await slack.shortcut(ALICE, shared.id, msg["ts"], "file_feedback")
    view = await opened_view(fake)
    assert blocks_by_id(view)["customer"]["element"]["initial_value"] == "Globex Corporation"


async def test_long_message_is_read_again_on_submit_and_stored_whole(fake, slack, bot, db):
    text = ("The export times out on large accounts. " * 900).strip()  # ~36,000 characters
    msg = fake.state.post_message(SUPPORT, CARLA, text)
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    view = await opened_view(fake)
    assert len(view["private_metadata"]) <= 3000
    assert all(len(b["text"]["text"]) <= 3000 for b in view["blocks"] if b["type"] == "section")
    await slack.submit_view(ALICE, {"process": "unfiled", "sentiment": "complaint"})
    [remark] = await remarks(db)
    assert remark.text == text
    [confirm] = await fake.wait_for("chat.postEphemeral")
    assert all(len(b["text"]["text"]) <= 3000 for b in confirm.params["blocks"] if b["type"] == "section")


async def test_confirmation_falls_back_to_a_dm_when_the_bot_is_not_in_the_channel(fake, slack, bot, db):
    fake.state.add_channel("sales", id="C0SALES001", members=[ALICE, CARLA], bot_member=False)
    msg = fake.state.post_message("C0SALES001", CARLA, "They loved the demo")
    await slack.shortcut(ALICE, "C0SALES001", msg["ts"], "file_feedback")
    await opened_view(fake)
    await slack.submit_view(ALICE, {"process": "unfiled", "sentiment": "praise"})
    [remark] = await remarks(db)
    assert remark.text == "They loved the demo"
    [dm] = await fake.wait_for("chat.postMessage")
    assert dm.params["channel"].startswith("D") and "They loved the demo" in str(dm.params["blocks"])


async def test_modal_from_slash_command_files_typed_text(fake, slack, bot, db):
    await slack.slash(ALICE, SUPPORT, "")
    view = await opened_view(fake)
    assert "remark" in blocks_by_id(view)
    empty = (await slack.submit_view(ALICE, {"remark": "   ", "process": "unfiled", "sentiment": "neutral"})).json()
    assert empty["response_action"] == "errors" and "remark" in empty["errors"]
    billing = await process_id(db, "Billing")
    answer = await slack.submit_view(ALICE, {"remark": "Invoice arrived twice <@U0BOB00001> :tada:",
                                             "process": str(billing), "sentiment": "complaint",
                                             "customer": "Acme"})
    assert not answer.body
    [remark] = await remarks(db)
    assert remark.source_key == f"typed:view:{view_id(fake)}"
    assert remark.text == "Invoice arrived twice <@U0BOB00001> :tada:"
    assert (remark.process_id, remark.customer, remark.channel_id) == (billing, "Acme", SUPPORT)
    [capture] = await captures(db)
    assert capture.route == "command"
    [confirm] = await fake.wait_for("chat.postEphemeral")
    assert confirm.params["channel"] == SUPPORT and confirm.params["user"] == ALICE


def view_id(fake) -> str:
    return fake.state.last_view(user=ALICE, type="modal")["id"]


async def test_payloads_missing_optional_fields_never_raise(fake, slack, bot, db):
    from bot.fakeslack import payloads

    msg = fake.state.post_message(SUPPORT, CARLA, "x")
    bare = payloads.message_action("file_feedback", {"type": "message", "ts": msg["ts"]}, {},
                                   {"id": ALICE}, fake.state.issue_trigger_id(ALICE), "",
                                   team={"id": fake.state.team.id})
    bare.pop("channel")
    bare.pop("response_url")
    assert (await slack.deliverer.send_interaction(bare)).status == 200
    await slack.slash(ALICE, SUPPORT, "")
    view = await opened_view(fake)
    odd = payloads.view_submission({**view, "id": "V0ODD", "private_metadata": "not json"}, {},
                                   user={"id": ALICE}, team={"id": fake.state.team.id},
                                   api_app_id=fake.state.app_id, trigger_id="1.2.x")
    answer = await slack.deliverer.send_interaction(odd)
    assert answer.status == 200 and answer.json()["response_action"] == "update"
    ours = payloads.view_submission({**view, "id": "V0ODD2"}, {"remark": {}},
                                    user={"id": ALICE}, team={"id": fake.state.team.id},
                                    api_app_id=fake.state.app_id, trigger_id="1.3.x")
    body = (await slack.deliverer.send_interaction(ours)).json()
    assert body["response_action"] == "errors"
    assert await remarks(db) == []


async def test_global_shortcut_opens_the_typed_form_and_confirms_by_dm(fake, slack, bot, db):
    await slack.global_shortcut(ALICE, "file_feedback")
    view = await opened_view(fake)
    assert "remark" in blocks_by_id(view)
    await slack.submit_view(ALICE, {"remark": "Renewal pricing was clear", "process": "unfiled",
                                    "sentiment": "praise"})
    [remark] = await remarks(db)
    assert remark.channel_id is None and remark.text == "Renewal pricing was clear"
    [dm] = await fake.wait_for("chat.postMessage")
    assert dm.params["channel"].startswith("D")


async def test_shortcut_on_a_thread_reply_confirms_in_that_thread(fake, slack, bot, db):
    parent = fake.state.post_message(SUPPORT, BOB, "Call recap with Acme")
    reply = fake.state.post_message(SUPPORT, CARLA, "They said billing was confusing", thread_ts=parent["ts"])
    await slack.shortcut(ALICE, SUPPORT, reply["ts"], "file_feedback")
    await opened_view(fake)
    await slack.submit_view(ALICE, {"process": "unfiled", "sentiment": "complaint"})
    [remark] = await remarks(db)
    assert (remark.message_ts, remark.thread_ts) == (reply["ts"], parent["ts"])
    [confirm] = await fake.wait_for("chat.postEphemeral")
    assert confirm.params["thread_ts"] == parent["ts"]


async def test_a_score_entered_in_the_form_is_stored_and_the_persons_tone_wins(fake, slack, bot, db):
    msg = fake.state.post_message(SUPPORT, CARLA, "Gave us 2 out of 5 but said the agent was kind")
    await slack.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    await opened_view(fake)
    answer = await slack.submit_view(ALICE, {"process": "unfiled", "sentiment": "praise", "score": "csat:2"})
    assert answer.status == 200 and not answer.body
    [remark] = await remarks(db)
    assert (remark.score_kind, remark.score_value, remark.sentiment, remark.source) == (
        "csat", 2, "praise", "shortcut")
