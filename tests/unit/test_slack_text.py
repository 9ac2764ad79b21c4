"""Pulling remarks out of real Slack payload shapes (forwards, unfurls, rich text, subtypes)."""

from __future__ import annotations

import copy

import pytest

from bot.slack.text import (
    MAX_TEXT,
    escape,
    is_human_post,
    is_thread_reply,
    mentions,
    message_text,
    shared_original,
    shown,
    without_mention,
)

# A message forwarded with "Forward message…", as the Events API delivers it: the top-level
# text is only the forwarder's comment; the original lives in attachments[0].
FORWARD = {
    "type": "message",
    "text": "from the Globex call",
    "user": "U0ALICE001",
    "ts": "1764160100.000200",
    "team": "T0001",
    "blocks": [{"type": "rich_text", "block_id": "a1", "elements": [
        {"type": "rich_text_section", "elements": [{"type": "text", "text": "from the Globex call"}]}]}],
    "attachments": [{
        "ts": "1764160000.000100",
        "author_id": "U0CARLA001",
        "channel_id": "C0SUPPORT1",
        "channel_team": "T0001",
        "is_msg_unfurl": True,
        "is_share": True,
        "message_blocks": [{
            "team": "T0001", "channel": "C0SUPPORT1", "ts": "1764160000.000100",
            "message": {"blocks": [{"type": "rich_text", "block_id": "xY1", "elements": [
                {"type": "rich_text_section", "elements": [
                    {"type": "text", "text": "Invoices arrive twice, "},
                    {"type": "user", "user_id": "U0BOB00001"},
                    {"type": "text", "text": " see "},
                    {"type": "link", "url": "https://acme.example/inv/42", "text": "INV-42"},
                    {"type": "text", "text": " "},
                    {"type": "emoji", "name": "sob"},
                ]}]}]},
        }],
        "id": 1,
        "original_url": "https://acme-support.slack.com/archives/C0SUPPORT1/p1764160000000100",
        "fallback": "[November 26, 2025 12:26 PM] Carla Reyes: Invoices arrive twice",
        "text": "Invoices arrive twice, <@U0BOB00001> see <https://acme.example/inv/42|INV-42> :sob:",
        "author_name": "Carla Reyes",
        "author_link": "https://acme-support.slack.com/team/U0CARLA001",
        "author_icon": "https://secure.gravatar.com/avatar/x.jpg?s=48",
        "author_subname": "carla",
        "mrkdwn_in": ["text"],
        "footer": "Posted in #support",
        "from_url": "https://acme-support.slack.com/archives/C0SUPPORT1/p1764160000000100",
        "channel_name": "support",
    }],
}


def test_forward_original_comes_from_the_share_attachment():
    original = shared_original(FORWARD)
    assert original is not None
    assert (original.channel_id, original.ts, original.user_id) == ("C0SUPPORT1", "1764160000.000100", "U0CARLA001")
    assert original.text == "Invoices arrive twice, <@U0BOB00001> see <https://acme.example/inv/42|INV-42> :sob:"
    assert original.permalink == "https://acme-support.slack.com/archives/C0SUPPORT1/p1764160000000100"
    assert original.thread_ts is None


def test_forward_whose_text_lives_only_in_message_blocks():
    msg = copy.deepcopy(FORWARD)
    msg["attachments"][0]["text"] = ""
    original = shared_original(msg)
    assert original is not None
    # Rebuilt from rich text in Slack's own markup: mention, link and emoji kept as sent.
    assert original.text == "Invoices arrive twice, <@U0BOB00001> see <https://acme.example/inv/42|INV-42> :sob:"


def test_forward_with_only_a_fallback_keeps_the_words_not_the_header():
    msg = copy.deepcopy(FORWARD)
    att = msg["attachments"][0]
    att.pop("text")
    att.pop("message_blocks")
    original = shared_original(msg)
    assert original is not None and original.text == "Invoices arrive twice"


def test_forward_of_a_thread_reply_knows_its_thread():
    msg = copy.deepcopy(FORWARD)
    msg["attachments"][0]["from_url"] = (
        "https://acme-support.slack.com/archives/C0SUPPORT1/p1764160000000100"
        "?thread_ts=1764150000.000001&cid=C0SUPPORT1"
    )
    original = shared_original(msg)
    assert original is not None and original.thread_ts == "1764150000.000001"


def test_pasted_message_link_unfurl_is_not_a_forward_when_asked():
    msg = copy.deepcopy(FORWARD)
    del msg["attachments"][0]["is_share"]
    assert shared_original(msg) is not None
    assert shared_original(msg, include_unfurls=False) is None


def test_ordinary_attachments_and_odd_shapes_are_not_forwards():
    assert shared_original({"text": "hi"}) is None
    assert shared_original({"attachments": None}) is None
    assert shared_original({"attachments": "nope"}) is None
    assert shared_original({"attachments": ["x", 3, None]}) is None
    legacy = {"attachments": [{"fallback": "Build passed", "color": "good", "text": "Build passed"}]}
    assert shared_original(legacy) is None
    missing_ts = copy.deepcopy(FORWARD)
    del missing_ts["attachments"][0]["ts"]
    assert shared_original(missing_ts) is None


def test_message_text_prefers_text_then_blocks_and_keeps_markup():
    assert message_text({"text": "<!here> :tada: <#C0SUPPORT1|support>"}) == "<!here> :tada: <#C0SUPPORT1|support>"
    msg = {"text": "", "blocks": FORWARD["attachments"][0]["message_blocks"][0]["message"]["blocks"]}
    assert message_text(msg) == "Invoices arrive twice, <@U0BOB00001> see <https://acme.example/inv/42|INV-42> :sob:"
    assert message_text({}) == "" and message_text({"blocks": None, "text": None}) == ""


def test_long_remarks_are_kept_whole_up_to_slacks_limit():
    text = ("The export is slow. " * 2000)[:MAX_TEXT]
    assert len(text) == 40_000
    assert message_text({"text": text}) == text
    assert len(message_text({"text": text + "more"})) == 40_000


def test_human_posts_versus_bots_and_system_subtypes():
    assert is_human_post({"user": "U1", "text": "hi"})
    assert is_human_post({"user": "U1", "subtype": "file_share", "text": ""})
    assert is_human_post({"user": "U1", "subtype": "me_message", "text": "waves"})
    assert not is_human_post({"subtype": "bot_message", "bot_id": "B1", "text": "deployed"})
    assert not is_human_post({"user": "U0BOT00001", "bot_id": "B0BOT00001", "text": "filed"})
    for subtype in ("channel_join", "channel_leave", "channel_topic", "thread_broadcast",
                    "message_changed", "message_deleted", "some_future_subtype"):
        assert not is_human_post({"user": "U1", "subtype": subtype, "text": "x"})
    assert not is_human_post({"text": "no user (a file share without one)", "subtype": "file_share"})


def test_thread_reply_and_mentions():
    assert is_thread_reply({"ts": "2.0", "thread_ts": "1.0"})
    assert not is_thread_reply({"ts": "1.0", "thread_ts": "1.0"})
    assert not is_thread_reply({"ts": "1.0"})
    assert mentions("hey <@U0BOT00001> look", "U0BOT00001")
    assert mentions("hey <@U0BOT00001|earshot>", "U0BOT00001")
    assert not mentions("hey <@U0BOT000012>", "U0BOT00001")
    assert not mentions(None, "U0BOT00001") and not mentions("x", None)
    assert without_mention("<@U0BOT00001> they   love <@U0BOB00001>'s demo", "U0BOT00001") == (
        "they love <@U0BOB00001>'s demo"
    )
    assert without_mention("<@U0BOT00001|earshot>", "U0BOT00001") == ""
    assert without_mention(None, "U0BOT00001") == ""


# -- escaping outside text (Slack: "Formatting text for app surfaces", Escaping text) --------

def test_escape_turns_the_three_control_characters_into_entities() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape("<!channel>") == "&lt;!channel&gt;"


@pytest.mark.parametrize(("raw", "safe"), [
    ("<!channel> refunds are late", "@channel refunds are late"),
    ("<!here|here> and <!everyone>", "@here and @everyone"),
    ("ask <@U123ABC> about it", "ask @Ana about it"),
    ("see <#C42|billing>", "see #billing"),
    ("log in at <https://evil.example|Acme portal>", "log in at Acme portal (https://evil.example)"),
    ("<https://acme.example>", "https://acme.example"),
    ("<mailto:ana@acme.example|ana@acme.example>", "ana@acme.example"),
    ("fish &amp; chips &lt;3", "fish &amp; chips &lt;3"),
    ("typed < raw > & text", "typed &lt; raw &gt; &amp; text"),
    ("<!subteam^S1|@support> look", "@support look"),
])
def test_shown_text_cannot_ping_or_disguise_a_link(raw: str, safe: str) -> None:
    out = shown(raw, {"U123ABC": "Ana"})
    assert out == safe
    assert "<" not in out and ">" not in out
