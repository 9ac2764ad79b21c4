"""Tests of the Slack stand-in (bot.fakeslack) driven by the real slack_sdk / slack_bolt."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs

import pytest
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.fakeslack import FakeSlack, payloads
from bot.fakeslack.signing import signed_headers

TOKEN = "xoxb-test"
SECRET = "s3cr3t"
ALICE, BOB, CARLA = "U0ALICE001", "U0BOB00001", "U0CARLA001"
GENERAL, SUPPORT, FEEDBACK = "C0GENERAL1", "C0SUPPORT1", "C0FEEDBAK1"


@pytest.fixture
async def fake():
    async with FakeSlack(bot_token=TOKEN, signing_secret=SECRET) as f:
        yield f


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=fake.api_url)


async def expect_error(coro, error: str) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        await coro
    assert info.value.response["ok"] is False
    assert info.value.response["error"] == error
    return info.value


# ---------------------------------------------------------------------- Web API
async def test_api_url_and_auth_test(fake: FakeSlack, client: AsyncWebClient) -> None:
    assert fake.api_url.startswith("http://127.0.0.1:") and fake.api_url.endswith("/api/")
    assert fake.port > 0
    resp = await client.auth_test()
    assert resp["ok"] is True
    assert resp["team_id"] == "T0001"
    assert resp["team"] == "Acme Support Co"
    assert resp["user_id"] == fake.state.bot_user_id
    assert resp["bot_id"] == fake.state.bot_id
    assert resp["url"] == "https://acme-support.slack.com/"
    assert resp["is_enterprise_install"] is False
    assert fake.last("auth.test").ok


async def test_auth_errors(fake: FakeSlack) -> None:
    await expect_error(
        AsyncWebClient(token="xoxb-wrong", base_url=fake.api_url).auth_test(), "invalid_auth"
    )
    await expect_error(AsyncWebClient(base_url=fake.api_url).auth_test(), "not_authed")


async def test_team_and_users_info(fake: FakeSlack, client: AsyncWebClient) -> None:
    team = (await client.team_info())["team"]
    assert team["id"] == "T0001" and team["domain"] == "acme-support"
    user = (await client.users_info(user=ALICE))["user"]
    assert user["id"] == ALICE and user["team_id"] == "T0001"
    assert user["tz"] == "Europe/Berlin" and user["is_admin"] is True and user["is_bot"] is False
    assert user["profile"]["real_name"] == "Alice Moreau"
    await expect_error(client.users_info(user="U0NOBODY00"), "user_not_found")
    partner = fake.state.add_team("T0PARTNER1", "Globex", "globex")
    ext = fake.state.add_user("U0EXT00001", "erin", "Erin Globex", team_id=partner.id)
    assert (await client.users_info(user=ext.id))["user"]["team_id"] == "T0PARTNER1"
    assert fake.state.is_external(ext.id)


async def test_conversations_info_members_open(fake: FakeSlack, client: AsyncWebClient) -> None:
    info = (await client.conversations_info(channel=SUPPORT))["channel"]
    assert info["name"] == "support" and info["is_member"] is True and info["is_channel"] is True
    await expect_error(client.conversations_info(channel="C0MISSING1"), "channel_not_found")
    members = (await client.conversations_members(channel=SUPPORT))["members"]
    assert ALICE in members and fake.state.bot_user_id in members
    opened = await client.conversations_open(users=BOB)
    dm = opened["channel"]["id"]
    assert dm.startswith("D")
    again = await client.conversations_open(users=BOB)
    assert again["channel"]["id"] == dm and again["already_open"] is True
    dm_info = (await client.conversations_info(channel=dm))["channel"]
    assert dm_info["is_im"] is True and dm_info["user"] == BOB


async def test_post_message_and_errors(fake: FakeSlack, client: AsyncWebClient) -> None:
    resp = await client.chat_postMessage(channel=SUPPORT, text="hello")
    assert resp["channel"] == SUPPORT
    assert resp["message"]["bot_id"] == fake.state.bot_id and resp["message"]["text"] == "hello"
    assert fake.state.get_message(SUPPORT, resp["ts"])["text"] == "hello"
    # by name, and to a user id (lands in the DM)
    assert (await client.chat_postMessage(channel="#general", text="x"))["channel"] == GENERAL
    assert (await client.chat_postMessage(channel=BOB, text="psst"))["channel"].startswith("D")
    await expect_error(client.chat_postMessage(channel="C0MISSING1", text="x"), "channel_not_found")
    fake.state.add_channel("random", id="C0RANDOM01", members=[ALICE], bot_member=False)
    await expect_error(client.chat_postMessage(channel="C0RANDOM01", text="x"), "not_in_channel")
    fake.state.add_channel("old", id="C0OLD00001", is_archived=True)
    await expect_error(client.chat_postMessage(channel="C0OLD00001", text="x"), "is_archived")
    await expect_error(client.chat_postMessage(channel=SUPPORT, text="x" * 40_001), "msg_too_long")
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}] * 51
    err = await expect_error(
        client.chat_postMessage(channel=SUPPORT, text="x", blocks=blocks), "invalid_blocks"
    )
    assert err.response["errors"]
    big = [{"type": "section", "text": {"type": "mrkdwn", "text": "y" * 3001}}]
    await expect_error(
        client.chat_postMessage(channel=SUPPORT, text="x", blocks=big), "invalid_blocks"
    )
    header = [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]
    await expect_error(
        client.chat_postMessage(channel=SUPPORT, text="x", blocks=header), "invalid_blocks"
    )
    ok_blocks = [{"type": "header", "text": {"type": "plain_text", "text": "Weekly digest"}}]
    posted = await client.chat_postMessage(channel=SUPPORT, text="digest", blocks=ok_blocks)
    assert posted["message"]["blocks"][0]["type"] == "header"


async def test_history_and_replies_semantics(fake: FakeSlack, client: AsyncWebClient) -> None:
    s = fake.state
    m1 = s.post_message(SUPPORT, ALICE, "one")
    m2 = s.post_message(SUPPORT, BOB, "two (root)")
    r1 = s.post_message(SUPPORT, ALICE, "reply 1", thread_ts=m2["ts"])
    m3 = s.post_message(SUPPORT, CARLA, "three")
    r2 = s.post_message(SUPPORT, BOB, "reply 2", thread_ts=m2["ts"])
    assert m1["ts"] < m2["ts"] < r1["ts"] < m3["ts"] < r2["ts"]

    hist = await client.conversations_history(channel=SUPPORT)
    assert [m["ts"] for m in hist["messages"]] == [
        m3["ts"],
        m2["ts"],
        m1["ts"],
    ]  # newest first, no replies
    root = hist["messages"][1]
    assert (
        root["reply_count"] == 2
        and root["thread_ts"] == m2["ts"]
        and root["latest_reply"] == r2["ts"]
    )
    assert set(root["reply_users"]) == {ALICE, BOB}

    exclusive = await client.conversations_history(
        channel=SUPPORT, oldest=m1["ts"], latest=m3["ts"]
    )
    assert [m["ts"] for m in exclusive["messages"]] == [m2["ts"]]
    inclusive = await client.conversations_history(
        channel=SUPPORT, oldest=m1["ts"], latest=m3["ts"], inclusive=True
    )
    assert len(inclusive["messages"]) == 3
    page = await client.conversations_history(channel=SUPPORT, limit=2)
    assert page["has_more"] is True and len(page["messages"]) == 2
    rest = await client.conversations_history(
        channel=SUPPORT, limit=2, cursor=page["response_metadata"]["next_cursor"]
    )
    assert [m["ts"] for m in rest["messages"]] == [m1["ts"]] and rest["has_more"] is False

    replies = await client.conversations_replies(channel=SUPPORT, ts=m2["ts"])
    assert [m["ts"] for m in replies["messages"]] == [m2["ts"], r1["ts"], r2["ts"]]
    assert (
        replies["messages"][1]["thread_ts"] == m2["ts"]
        and replies["messages"][1]["parent_user_id"] == BOB
    )
    by_reply = await client.conversations_replies(channel=SUPPORT, ts=r1["ts"])
    assert [m["ts"] for m in by_reply["messages"]] == [m2["ts"], r1["ts"], r2["ts"]]
    after = await client.conversations_replies(channel=SUPPORT, ts=m2["ts"], oldest=r1["ts"])
    assert [m["ts"] for m in after["messages"]] == [m2["ts"], r2["ts"]]
    single = await client.conversations_replies(channel=SUPPORT, ts=m1["ts"])
    assert [m["ts"] for m in single["messages"]] == [m1["ts"]]
    await expect_error(
        client.conversations_replies(channel=SUPPORT, ts="1.000001"), "thread_not_found"
    )

    fake.state.add_channel("secret-ops", id="C0NOTBOT01", members=[ALICE], bot_member=False)
    await expect_error(client.conversations_history(channel="C0NOTBOT01"), "not_in_channel")
    await expect_error(client.conversations_history(channel="C0MISSING1"), "channel_not_found")


async def test_permalinks(fake: FakeSlack, client: AsyncWebClient) -> None:
    root = fake.state.post_message(SUPPORT, ALICE, "root", ts="1764160000.000100")
    reply = fake.state.post_message(SUPPORT, BOB, "reply", thread_ts=root["ts"])
    link = await client.chat_getPermalink(channel=SUPPORT, message_ts=root["ts"])
    assert (
        link["permalink"] == f"https://acme-support.slack.com/archives/{SUPPORT}/p1764160000000100"
    )
    rlink = (await client.chat_getPermalink(channel=SUPPORT, message_ts=reply["ts"]))["permalink"]
    assert rlink == (
        f"https://acme-support.slack.com/archives/{SUPPORT}/p{reply['ts'].replace('.', '')}"
        f"?thread_ts={root['ts']}&cid={SUPPORT}"
    )
    await expect_error(
        client.chat_getPermalink(channel=SUPPORT, message_ts="1.000002"), "message_not_found"
    )


async def test_update_delete_ephemeral(fake: FakeSlack, client: AsyncWebClient) -> None:
    posted = await client.chat_postMessage(channel=SUPPORT, text="v1")
    upd = await client.chat_update(channel=SUPPORT, ts=posted["ts"], text="v2")
    assert upd["text"] == "v2" and fake.state.get_message(SUPPORT, posted["ts"])["text"] == "v2"
    human = fake.state.post_message(SUPPORT, ALICE, "mine")
    await expect_error(
        client.chat_update(channel=SUPPORT, ts=human["ts"], text="x"), "cant_update_message"
    )
    await expect_error(
        client.chat_update(channel=SUPPORT, ts="1.000003", text="x"), "message_not_found"
    )
    await client.chat_delete(channel=SUPPORT, ts=posted["ts"])
    assert fake.state.find_message(SUPPORT, posted["ts"]) is None
    eph = await client.chat_postEphemeral(channel=SUPPORT, user=ALICE, text="only you")
    assert eph["message_ts"] and fake.state.ephemeral[-1]["user"] == ALICE
    outsider = fake.state.add_user("U0OUT00001", "olga")
    await expect_error(
        client.chat_postEphemeral(channel=SUPPORT, user=outsider.id, text="x"),
        "user_not_in_channel",
    )


async def test_reactions(fake: FakeSlack, client: AsyncWebClient) -> None:
    msg = fake.state.post_message(SUPPORT, ALICE, "react to me")
    await client.reactions_add(channel=SUPPORT, timestamp=msg["ts"], name="eyes")
    assert msg["reactions"] == [{"name": "eyes", "users": [fake.state.bot_user_id], "count": 1}]
    await expect_error(
        client.reactions_add(channel=SUPPORT, timestamp=msg["ts"], name="eyes"), "already_reacted"
    )
    await expect_error(
        client.reactions_add(channel=SUPPORT, timestamp="1.000004", name="eyes"),
        "message_not_found",
    )
    await expect_error(
        client.reactions_add(channel=SUPPORT, timestamp=msg["ts"], name="Not Valid!"),
        "invalid_name",
    )
    await client.reactions_remove(channel=SUPPORT, timestamp=msg["ts"], name="eyes")
    assert "reactions" not in msg
    await expect_error(
        client.reactions_remove(channel=SUPPORT, timestamp=msg["ts"], name="eyes"), "no_reaction"
    )


MODAL = {
    "type": "modal",
    "callback_id": "file_feedback",
    "title": {"type": "plain_text", "text": "File feedback"},
    "submit": {"type": "plain_text", "text": "Save"},
    "private_metadata": "meta",
    "blocks": [
        {
            "type": "input",
            "block_id": "process",
            "label": {"type": "plain_text", "text": "Process"},
            "element": {
                "type": "static_select",
                "action_id": "pick",
                "options": [
                    {"text": {"type": "plain_text", "text": "Billing"}, "value": "billing"},
                    {"text": {"type": "plain_text", "text": "Onboarding"}, "value": "onboarding"},
                ],
            },
        },
        {
            "type": "input",
            "block_id": "note",
            "label": {"type": "plain_text", "text": "Note"},
            "element": {"type": "plain_text_input", "action_id": "text"},
        },
    ],
}


async def test_views_open_once_per_trigger_update_publish(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    trigger = fake.issue_trigger_id(ALICE)
    opened = (await client.views_open(trigger_id=trigger, view=MODAL))["view"]
    assert opened["id"].startswith("V") and opened["hash"] and opened["state"] == {"values": {}}
    assert opened["callback_id"] == "file_feedback" and opened["private_metadata"] == "meta"
    await expect_error(client.views_open(trigger_id=trigger, view=MODAL), "expired_trigger_id")
    await expect_error(
        client.views_open(trigger_id="123.456.abc", view=MODAL), "expired_trigger_id"
    )
    bad_title = {**MODAL, "title": {"type": "plain_text", "text": "x" * 25}}
    await expect_error(
        client.views_open(trigger_id=fake.issue_trigger_id(), view=bad_title), "invalid_arguments"
    )

    updated = (await client.views_update(view_id=opened["id"], view=MODAL, hash=opened["hash"]))[
        "view"
    ]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    await expect_error(
        client.views_update(view_id=opened["id"], view=MODAL, hash=opened["hash"]), "hash_conflict"
    )
    await expect_error(client.views_update(view_id="V0NOPE0000", view=MODAL), "not_found")

    pushed = (await client.views_push(trigger_id=fake.issue_trigger_id(ALICE), view=MODAL))["view"]
    assert pushed["previous_view_id"] == opened["id"] and pushed["root_view_id"] == opened["id"]

    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
    }
    pub = (await client.views_publish(user_id=ALICE, view=home))["view"]
    assert pub["type"] == "home" and fake.state.home_views[ALICE] == pub["id"]
    assert fake.state.last_view(user=ALICE, type="home")["id"] == pub["id"]


async def test_files_upload_v2_shares_in_channel(fake: FakeSlack, client: AsyncWebClient) -> None:
    resp = await client.files_upload_v2(
        channel=FEEDBACK,
        content=b"a,b\n1,2\n",
        filename="digest.csv",
        title="Digest",
        initial_comment="This week",
    )
    assert resp["ok"] is True
    f = resp["file"]
    assert f["name"] == "digest.csv" and f["title"] == "Digest" and FEEDBACK in f["channels"]
    stored = fake.state.files[f["id"]]
    assert stored["content"] == b"a,b\n1,2\n"
    up = fake.last("files.getUploadURLExternal").response["upload_url"]
    assert up.startswith(fake.base_url)
    msg = fake.state.top_level(FEEDBACK)[-1]
    assert (
        msg["subtype"] == "file_share"
        and msg["text"] == "This week"
        and msg["files"][0]["id"] == f["id"]
    )


async def test_rate_limit_429_retry_after_handled_by_sdk(fake: FakeSlack) -> None:
    handlers: list[AsyncRetryHandler] = [AsyncRateLimitErrorRetryHandler(max_retry_count=1)]
    client = AsyncWebClient(token=TOKEN, base_url=fake.api_url, retry_handlers=handlers)
    fake.fail_next("chat.postMessage", retry_after=0)
    resp = await client.chat_postMessage(channel=SUPPORT, text="after retry")
    assert resp["ok"] is True
    calls = fake.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[0].response == {"ok": False, "error": "ratelimited"}

    fake.fail_next("chat.postMessage", retry_after=7)
    bare = AsyncWebClient(token=TOKEN, base_url=fake.api_url)
    err = await expect_error(bare.chat_postMessage(channel=SUPPORT, text="x"), "ratelimited")
    assert err.response.status_code == 429 and err.response.headers["Retry-After"] == "7"


async def test_fail_next_times_fail_always_and_reset(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    fake.fail_next("users.info", "fatal_error", times=2)
    await expect_error(client.users_info(user=ALICE), "fatal_error")
    await expect_error(client.users_info(user=ALICE), "fatal_error")
    assert (await client.users_info(user=ALICE))["ok"]
    fake.fail_always("auth.test", "account_inactive")
    for _ in range(3):
        await expect_error(client.auth_test(), "account_inactive")
    fake.reset_failures()
    assert (await client.auth_test())["ok"]
    fake.fail_next("auth.test", "internal_error", status=500)
    with pytest.raises(SlackApiError):
        await AsyncWebClient(token=TOKEN, base_url=fake.api_url, retry_handlers=[]).auth_test()
    assert fake.last("auth.test").status == 500


async def test_wait_for(fake: FakeSlack, client: AsyncWebClient) -> None:
    import asyncio

    async def later() -> None:
        await asyncio.sleep(0.02)
        await client.chat_postMessage(channel=SUPPORT, text="late")

    task = asyncio.create_task(later())
    calls = await fake.wait_for("chat.postMessage", timeout=2)
    assert calls[0].params["text"] == "late"
    await task
    with pytest.raises(TimeoutError):
        await fake.wait_for("views.open", timeout=0.05)
    fake.clear_calls()
    assert fake.calls == []


# ---------------------------------------------------------------------- signing & payloads
def test_signed_headers_verify_with_sdk() -> None:
    body = '{"type":"event_callback"}'
    now = int(time.time())
    headers = signed_headers(body, SECRET, timestamp=now)
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(body, headers)
    assert verifier.is_valid(body, str(now), headers["X-Slack-Signature"])
    assert not SignatureVerifier("other").is_valid_request(body, headers)
    retry = signed_headers(body.encode(), SECRET, retry_num=1, retry_reason="http_timeout")
    assert retry["X-Slack-Retry-Num"] == "1" and retry["X-Slack-Retry-Reason"] == "http_timeout"
    assert verifier.is_valid_request(body.encode(), retry)


def test_event_envelope_parsed_by_bolt(fake: FakeSlack) -> None:
    msg = fake.state.post_message(SUPPORT, BOB, "hello <@U0BOT00001>")
    event = payloads.message_event(msg, SUPPORT, "channel")
    envelope = payloads.event_envelope(event, team_id="T0001", api_app_id="A0APP00001")
    body = json.dumps(envelope)
    req = AsyncBoltRequest(body=body, headers=signed_headers(body, SECRET))
    assert req.context.team_id == "T0001"
    assert req.context.user_id == BOB
    assert req.context.channel_id == SUPPORT
    assert req.body["event"]["text"] == "hello <@U0BOT00001>"
    assert (
        envelope["event_id"].startswith("Ev")
        and envelope["authorizations"][0]["user_id"] == "U0BOT00001"
    )
    assert envelope["event_context"].startswith("4-")
    assert "reply_count" not in event and event["blocks"][0]["type"] == "rich_text"


def test_slash_and_interactive_bodies_parsed_by_bolt() -> None:
    body = payloads.slash_command_body(
        "/feedback",
        "billing is slow",
        user_id=ALICE,
        channel_id=SUPPORT,
        team_id="T0001",
        trigger_id="1.2.abc",
        response_url="https://hooks.slack.com/commands/T0001/1/x",
    )
    fields = parse_qs(body)
    assert fields["command"] == ["/feedback"] and fields["text"] == ["billing is slow"]
    req = AsyncBoltRequest(
        body=body,
        headers=signed_headers(body, SECRET, content_type="application/x-www-form-urlencoded"),
    )
    assert (
        req.context.team_id == "T0001"
        and req.context.user_id == ALICE
        and req.context.channel_id == SUPPORT
    )

    message = {"type": "message", "user": BOB, "text": "hi", "ts": "1764160000.000100"}
    action = payloads.message_action(
        "file_feedback",
        message,
        {"id": SUPPORT, "name": "support"},
        payloads.user_ref(ALICE, "alice", "T0001"),
        "1.2.abc",
        "https://hooks.slack.com/app/x",
        team=payloads.team_ref("T0001", "acme-support"),
    )
    ibody = payloads.interactive_body(action)
    assert ibody.startswith("payload=")
    req = AsyncBoltRequest(
        body=ibody, headers={"content-type": ["application/x-www-form-urlencoded"]}
    )
    assert req.body["type"] == "message_action" and req.body["callback_id"] == "file_feedback"
    assert (
        req.context.user_id == ALICE
        and req.context.team_id == "T0001"
        and req.context.channel_id == SUPPORT
    )

    values = payloads.view_state_values(MODAL, {"process": "billing", "note": "urgent"})
    assert values["process"]["pick"]["selected_option"]["value"] == "billing"
    assert values["note"]["text"] == {"type": "plain_text_input", "value": "urgent"}
    sub = payloads.view_submission(
        {**MODAL, "id": "V0001"},
        values,
        user=payloads.user_ref(ALICE, "alice", "T0001"),
        team=payloads.team_ref("T0001", "acme-support"),
        api_app_id="A0APP00001",
        trigger_id="1.2.abc",
    )
    req = AsyncBoltRequest(body=payloads.interactive_body(sub), headers={})
    assert req.body["view"]["state"]["values"]["note"]["text"]["value"] == "urgent"
    assert req.context.user_id == ALICE


def test_forward_and_delete_shapes(fake: FakeSlack) -> None:
    original = fake.state.post_message(SUPPORT, CARLA, "customer says onboarding is confusing")
    att = payloads.share_attachment(
        original,
        channel_id=SUPPORT,
        channel_name="support",
        channel_team="T0001",
        from_url=fake.state.permalink(SUPPORT, original["ts"]),
        author_name="Carla Reyes",
    )
    fwd = payloads.forwarded_message(ALICE, "", att, ts="1764160001.000100", team="T0001")
    a = fwd["attachments"][0]
    assert fwd["text"] == ""
    assert a["is_share"] is True and a["is_msg_unfurl"] is True
    assert a["author_id"] == CARLA and a["channel_id"] == SUPPORT and a["ts"] == original["ts"]
    assert a["text"] == original["text"] and a["from_url"].endswith(original["ts"].replace(".", ""))
    assert a["message_blocks"][0]["message"]["blocks"] == original["blocks"]

    root = fake.state.post_message(SUPPORT, ALICE, "root")
    fake.state.post_message(SUPPORT, BOB, "reply", thread_ts=root["ts"])
    previous, tomb = fake.state.delete_message(SUPPORT, root["ts"])
    assert (
        tomb is not None
        and tomb["subtype"] == "tombstone"
        and tomb["text"] == "This message was deleted."
    )
    ev = payloads.tombstone_changed(SUPPORT, tomb, previous, event_ts="1764160002.000100")
    assert (
        ev["subtype"] == "message_changed"
        and ev["hidden"] is True
        and ev["previous_message"]["text"] == "root"
    )
    plain = fake.state.post_message(SUPPORT, ALICE, "gone soon")
    prev, none = fake.state.delete_message(SUPPORT, plain["ts"])
    assert none is None
    dv = payloads.message_deleted(SUPPORT, prev, event_ts="1764160003.000100")
    assert (
        dv["deleted_ts"] == plain["ts"]
        and dv["hidden"] is True
        and dv["previous_message"]["text"] == "gone soon"
    )


# ---------------------------------------------------------------------- end to end with a Bolt app
@pytest.fixture
async def bolt_app(fake: FakeSlack):
    from aiohttp import web
    from slack_bolt.async_app import AsyncApp

    app = AsyncApp(client=fake.client(), signing_secret=SECRET)
    seen: dict[str, list] = {}

    def note(kind: str, value) -> None:
        seen.setdefault(kind, []).append(value)

    @app.event("message")
    async def on_message(event, ack) -> None:
        note("message", event)

    @app.event("app_mention")
    async def on_mention(event, say) -> None:
        note("app_mention", event)
        await say(text="on it", thread_ts=event["ts"])

    @app.event("reaction_added")
    async def on_reaction(event) -> None:
        note("reaction_added", event)

    @app.command("/feedback")
    async def on_command(ack, command, respond) -> None:
        await ack()
        note("command", command)
        await respond(text="thanks")

    @app.shortcut("file_feedback")
    async def on_shortcut(ack, shortcut, client) -> None:
        await ack()
        note("shortcut", shortcut)
        await client.views_open(trigger_id=shortcut["trigger_id"], view=MODAL)

    @app.view("file_feedback")
    async def on_submit(ack, view, body) -> None:
        await ack()
        note("submit", (body["user"]["id"], view["state"]["values"]))

    @app.action("ack_button")
    async def on_click(ack, body) -> None:
        await ack()
        note("click", body)

    @app.event("app_home_opened")
    async def on_home(event, client) -> None:
        note("home", event)
        await client.views_publish(
            user_id=event["user"],
            view={
                "type": "home",
                "blocks": [
                    {
                        "type": "section",
                        "block_id": "h1",
                        "text": {"type": "mrkdwn", "text": "Digest"},
                        "accessory": {
                            "type": "button",
                            "action_id": "home_button",
                            "value": "refresh",
                            "text": {"type": "plain_text", "text": "Refresh"},
                        },
                    }
                ],
            },
        )

    @app.action("home_button")
    async def on_home_click(ack, body) -> None:
        await ack()
        note("home_click", body)

    @app.view_closed("file_feedback")
    async def on_closed(ack, body) -> None:
        await ack()
        note("closed", body)

    runner = web.AppRunner(app.web_app(path="/slack/events"))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    sim = fake.simulator(f"http://127.0.0.1:{port}/slack/events")
    yield sim, seen
    await runner.cleanup()


async def test_simulator_drives_bolt_app(fake: FakeSlack, bolt_app) -> None:
    sim, seen = bolt_app
    msg = await sim.say(BOB, SUPPORT, "hey <@U0BOT00001> billing is broken")
    assert sim.deliveries[-1].status == 200
    reply = await fake.wait_for("chat.postMessage")
    assert reply[0].params["thread_ts"] == msg["ts"] and reply[0].params["text"] == "on it"
    assert seen["message"][0]["ts"] == msg["ts"] and seen["app_mention"][0]["user"] == BOB

    await sim.react(ALICE, SUPPORT, msg["ts"], "eyes")
    assert seen["reaction_added"][0]["item_user"] == BOB
    assert fake.state.get_message(SUPPORT, msg["ts"])["reactions"][0]["users"] == [ALICE]

    await sim.slash(ALICE, SUPPORT, "slow refunds")
    assert seen["command"][0]["text"] == "slow refunds" and seen["command"][0]["user_id"] == ALICE
    await fake.wait_for("response_url")
    assert fake.state.responses[-1]["text"] == "thanks"

    await sim.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    opened = await fake.wait_for("views.open")
    assert opened[0].ok and opened[0].params["view"]["callback_id"] == "file_feedback"
    await sim.submit_view(ALICE, {"process": "billing", "note": "refunds"})
    user_id, values = seen["submit"][0]
    assert user_id == ALICE and values["process"]["pick"]["selected_option"]["value"] == "billing"

    posted = await fake.client().chat_postMessage(
        channel=SUPPORT,
        text="ack?",
        blocks=[
            {
                "type": "actions",
                "block_id": "b1",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "ack_button",
                        "value": "42",
                        "text": {"type": "plain_text", "text": "Ack"},
                    }
                ],
            }
        ],
    )
    await sim.click(CARLA, "ack_button", channel=SUPPORT, ts=posted["ts"])
    click = seen["click"][0]
    assert click["actions"][0]["value"] == "42" and click["container"]["message_ts"] == posted["ts"]


async def test_simulator_forward_edit_delete_connect(fake: FakeSlack, bolt_app) -> None:
    sim, seen = bolt_app
    original = await sim.say(CARLA, SUPPORT, "client: exports time out")
    fwd = await sim.forward(ALICE, SUPPORT, original["ts"], "dm", comment="")
    ev = seen["message"][-1]
    assert (
        ev["channel_type"] == "im"
        and ev["text"] == ""
        and ev["attachments"][0]["text"] == original["text"]
    )
    assert fwd["attachments"][0]["author_id"] == CARLA

    await sim.edit(CARLA, SUPPORT, original["ts"], "client: exports time out daily")
    changed = seen["message"][-1]
    assert changed["subtype"] == "message_changed" and changed["message"]["edited"]["user"] == CARLA
    assert changed["previous_message"]["text"] == "client: exports time out"

    await sim.delete(CARLA, SUPPORT, original["ts"])
    assert seen["message"][-1]["subtype"] == "message_deleted"

    partner = fake.state.add_team("T0PARTNER1", "Globex", "globex")
    ext = fake.state.add_user("U0EXT00001", "erin", "Erin Globex", team_id=partner.id)
    shared = fake.state.add_channel(
        "globex-shared", id="C0SHARED01", members=[ALICE, ext.id], is_ext_shared=True
    )
    await sim.say(ext.id, shared.id, "your API is down")
    ev = seen["message"][-1]
    assert (
        ev["user_team"] == "T0PARTNER1"
        and ev["source_team"] == "T0PARTNER1"
        and ev["team"] == "T0PARTNER1"
    )
    assert sim.deliverer.last_envelope["is_ext_shared_channel"] is True


async def test_home_view_click_close_file_share_and_retries(fake: FakeSlack, bolt_app) -> None:
    sim, seen = bolt_app
    await sim.open_home(ALICE)
    await fake.wait_for("views.publish")
    assert seen["home"][0]["tab"] == "home" and seen["home"][0]["channel"].startswith("D")
    await sim.click(ALICE, "home_button")
    body = seen["home_click"][0]
    assert body["container"]["type"] == "view" and body["view"]["type"] == "home"
    assert body["actions"][0]["value"] == "refresh"

    trigger = fake.issue_trigger_id(BOB)
    await fake.client().views_open(trigger_id=trigger, view={**MODAL, "notify_on_close": True})
    await sim.close_view(BOB)
    assert seen["closed"][0]["type"] == "view_closed" and seen["closed"][0]["user"]["id"] == BOB

    msg = await sim.share_file(CARLA, SUPPORT, "logs.txt", b"boom", comment="see attached")
    ev = seen["message"][-1]
    assert (
        ev["subtype"] == "file_share"
        and ev["files"][0]["name"] == "logs.txt"
        and ev["ts"] == msg["ts"]
    )

    first_id = sim.deliverer.last_envelope["event_id"]
    again = await sim.deliverer.resend_last(retry_num=1)
    assert again.status == 200
    assert sim.deliverer.sent[-1]["headers"]["X-Slack-Retry-Num"] == "1"
    assert json.loads(sim.deliverer.sent[-1]["body"])["event_id"] == first_id

    challenge = await sim.deliverer.send_url_verification("abc123")
    assert challenge.status == 200 and "abc123" in challenge.body

    bad = await sim.deliverer.send_raw(
        json.dumps(payloads.url_verification("x")), {"Content-Type": "application/json"}
    )
    assert bad.status == 401  # unsigned requests are rejected by Bolt


async def test_echo_bot_messages(fake: FakeSlack, bolt_app) -> None:
    sim, _ = bolt_app
    echo = fake.simulator(sim.deliverer.app_url, echo_bot_messages=True)
    posted = await fake.client().chat_postMessage(channel=SUPPORT, text="digest ready")
    await fake.client().chat_update(channel=SUPPORT, ts=posted["ts"], text="digest ready (v2)")
    await fake.client().chat_delete(channel=SUPPORT, ts=posted["ts"])
    await echo.drain()
    events = [json.loads(s["body"])["event"] for s in echo.deliverer.sent]
    assert [e.get("subtype") for e in events] == [None, "message_changed", "message_deleted"]
    assert events[0]["bot_id"] == fake.state.bot_id
    assert events[1]["previous_message"]["text"] == "digest ready"
    assert events[2]["previous_message"]["text"] == "digest ready (v2)"


async def test_misc_methods(fake: FakeSlack, client: AsyncWebClient) -> None:
    assert (await client.users_lookupByEmail(email="alice@example.com"))["user"]["id"] == ALICE
    await expect_error(client.users_lookupByEmail(email="nobody@example.com"), "users_not_found")
    assert (await client.bots_info(bot=fake.state.bot_id))["bot"][
        "user_id"
    ] == fake.state.bot_user_id
    chans = (await client.users_conversations(types="public_channel,private_channel"))["channels"]
    assert {c["id"] for c in chans} >= {GENERAL, SUPPORT, FEEDBACK}
    fake.state.add_channel("lobby", id="C0LOBBY001", members=[ALICE], bot_member=False)
    await client.conversations_join(channel="C0LOBBY001")
    assert fake.state.bot_user_id in fake.state.channel("C0LOBBY001").members
    listed = (await client.conversations_list())["channels"]
    assert any(c["name"] == "lobby" for c in listed)
    # JSON-string blocks sent form-encoded are accepted as well
    resp = await client.api_call(
        "chat.postMessage",
        data={"channel": SUPPORT, "text": "t", "blocks": json.dumps([{"type": "divider"}])},
    )
    assert resp["message"]["blocks"] == [{"type": "divider"}]


async def test_delivery_result_unpacks_and_keeps_what_was_sent(fake: FakeSlack, bolt_app) -> None:
    sim, _ = bolt_app
    msg = fake.state.post_message(SUPPORT, BOB, "x")
    delivery = await sim.react(ALICE, SUPPORT, msg["ts"], "memo")
    status, body = delivery
    assert status == delivery.status == 200 and body == delivery.body
    assert delivery.envelope["event"]["type"] == "reaction_added"
    assert delivery.envelope["event"]["item"] == {
        "type": "message",
        "channel": SUPPORT,
        "ts": msg["ts"],
    }
    again = await sim.deliverer.send_envelope(
        delivery.envelope, retry_num=1, retry_reason="http_timeout"
    )
    assert again.request_headers["X-Slack-Retry-Reason"] == "http_timeout"
    shortcut = await sim.shortcut(ALICE, SUPPORT, msg["ts"], "file_feedback")
    assert (
        shortcut.payload["type"] == "message_action" and shortcut.payload["message_ts"] == msg["ts"]
    )
