"""A Slack stand-in for tests and `earshot demo`: Web API fake, signed deliveries, simulator.

    async with FakeSlack(bot_token="xoxb-test", signing_secret="secret") as fake:
        client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)   # the bot's client
        sim = fake.simulator("http://127.0.0.1:3000/slack/events")          # the bot's endpoint
        msg = await sim.say("U0BOB00001", "support", "exports are broken")
        await sim.react("U0ALICE001", "support", msg["ts"], "eyes")
        await fake.wait_for("chat.postMessage")

Modules: `state/` (workspace model), `webapi/` (/api/{method}, one module per API family),
`signing`, `payloads/` (pure builders: events, interactivity, view state), `deliver` (signed
HTTP delivery), `simulator` (people acting), `server` (FakeSlack).
"""

from .deliver import Delivery, SlackDeliverer
from .server import DEFAULT_SIGNING_SECRET, FakeSlack
from .signing import signed_headers
from .simulator import SlackSimulator
from .state import SlackError, Workspace
from .webapi import FakeWebAPI, RecordedCall

__all__ = [
    "DEFAULT_SIGNING_SECRET",
    "Delivery",
    "FakeSlack",
    "FakeWebAPI",
    "RecordedCall",
    "SlackDeliverer",
    "SlackError",
    "SlackSimulator",
    "Workspace",
    "signed_headers",
]
