"""`earshot socket`: the same handlers over Socket Mode, each envelope stored before its ack."""

from __future__ import annotations

from pydantic import SecretStr

from bot.fakeslack import payloads
from bot.server.runtime import Runtime
from bot.server.serve import shutdown
from bot.server.socket_mode import build_socket_client
from storage.models import Delivery, OwedEffect, Remark
from tests.conftest import eventually
from tests.e2e.queries import ALICE, CARLA, SUPPORT, count

APP_TOKEN = "xapp-1-test"


async def test_socket_mode_captures_a_reaction_and_answers_a_command(fake, settings, db):
    runtime = Runtime.create(settings.model_copy(update={"slack_app_token": SecretStr(APP_TOKEN)}))
    await runtime.start()
    client = build_socket_client(runtime, APP_TOKEN)
    await client.connect()
    socket = fake.api.socket_mode
    try:
        msg = fake.state.post_message(SUPPORT, CARLA, "The onboarding checklist was spot on")
        event = payloads.reaction_added(ALICE, "memo", SUPPORT, msg["ts"], CARLA, fake.state.next_ts())
        envelope = payloads.event_envelope(event, team_id="T0001", api_app_id=fake.state.app_id)
        ack = await socket.send("events_api", envelope)
        assert "payload" not in ack
        # Acknowledged means stored.
        assert await count(db, Delivery) == 1
        await fake.wait_for("chat.postEphemeral")
        await eventually(lambda: count(db, Remark))

        # Slack redelivers the same event (retry_attempt 1): nothing changes.
        await socket.send("events_api", envelope, retry_attempt=1)
        assert await count(db, Delivery) == 1
        assert await count(db, Remark) == 1

        command = {
            "token": "x", "team_id": "T0001", "team_domain": "acme-support", "channel_id": SUPPORT,
            "channel_name": "support", "user_id": ALICE, "user_name": "alice", "command": "/feedback",
            "text": "help", "api_app_id": fake.state.app_id, "is_enterprise_install": "false",
            "response_url": "https://hooks.slack.com/commands/T0001/1/x",
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        }
        ack = await socket.send("slash_commands", command)
        assert "/feedback" in str(ack["payload"])
    finally:
        await client.close()
        await runtime.stop()
        await runtime.services.close()


async def test_stopping_socket_mode_mid_capture_finishes_and_records_it(fake, settings, db):
    """`earshot socket` on SIGTERM: the connection closes, the capture in flight finishes its
    Slack calls and is recorded, so a restart repeats nothing (docs/durability.md)."""
    runtime = Runtime.create(settings.model_copy(update={"slack_app_token": SecretStr(APP_TOKEN)}))
    await runtime.start()
    client = build_socket_client(runtime, APP_TOKEN)
    await client.connect()
    fake.slow_down("reactions.add", 6)  # longer than a hasty stop would wait
    try:
        msg = fake.state.post_message(SUPPORT, CARLA, "The onboarding checklist was spot on")
        event = payloads.reaction_added(ALICE, "memo", SUPPORT, msg["ts"], CARLA, fake.state.next_ts())
        await fake.api.socket_mode.send("events_api", payloads.event_envelope(
            event, team_id="T0001", api_app_id=fake.state.app_id))
        await fake.wait_for("chat.postEphemeral")  # the mark is still on its way
        await shutdown(client.close(), runtime)
    finally:
        fake.slow_down("reactions.add", 0)
    assert await count(db, Delivery, Delivery.done_at.is_(None)) == 0
    assert await count(db, OwedEffect) == 0
    assert [c.ok for c in fake.calls_to("reactions.add")] == [True]


async def test_the_stand_in_refuses_a_wrong_app_token(fake):
    import pytest
    from slack_sdk.errors import SlackApiError

    with pytest.raises(SlackApiError) as e:
        await fake.client().apps_connections_open(app_token="xapp-wrong")
    assert e.value.response["error"] == "invalid_auth"
