from __future__ import annotations

from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, BOT, CARLA, FEEDBACK, GENERAL, SUPPORT, remarks
from tests.unit.apps import posts


def answer(delivery) -> str:
    return (delivery.json() or {}).get("text", "")


async def test_sources_per_route(fake, slack, bot, db):
    a = fake.state.post_message(SUPPORT, CARLA, "The invoice PDF is blank for Globex")
    await slack.react(ALICE, SUPPORT, a["ts"], "memo")
    b = fake.state.post_message(SUPPORT, CARLA, "Refunds take three weeks for Initech")
    await slack.forward(ALICE, SUPPORT, b["ts"], "dm")
    c = fake.state.post_message(SUPPORT, CARLA, "The mobile app logs me out every hour")
    await slack.say(ALICE, SUPPORT, f"<@{BOT}> from the call", thread_ts=c["ts"])
    d = fake.state.post_message(SUPPORT, CARLA, "Search does not find archived orders")
    await slack.shortcut(ALICE, SUPPORT, d["ts"], "file_feedback")
    await fake.wait_for("views.open")
    await slack.submit_view(ALICE, {"process": "unfiled", "sentiment": "complaint"})
    await slack.slash(BOB, SUPPORT, "Onboarding emails arrive in spam for Acme")
    assert "Now watching" in answer(await slack.slash(ALICE, GENERAL, f"watch <#{FEEDBACK}> bots"))
    await slack.say(CARLA, FEEDBACK, "The export to Excel breaks accents")
    await slack.app_post(FEEDBACK, name="Zendesk", text=posts.ZENDESK_NEW["text"], attachments=posts.ZENDESK_NEW["attachments"])
    solved = await slack.app_post(FEEDBACK, name="Zendesk", attachments=posts.ZENDESK_SOLVED["attachments"])
    plus = await slack.say(CARLA, FEEDBACK, "+1")
    await settled(bot)
    print(sorted((r.source, r.text[:30]) for r in await remarks(db)))
    status = answer(await slack.slash(ALICE, GENERAL, f"watch status <#{FEEDBACK}>"))
    print(status)
    await slack.react(ALICE, FEEDBACK, solved["ts"], "memo")
    await slack.react(BOB, FEEDBACK, plus["ts"], "memo")
    await settled(bot)
    print(sorted((r.source, r.text[:40]) for r in await remarks(db)))
    print(answer(await slack.slash(BOB, GENERAL, "sources")))
    body = (await slack.slash(CARLA, SUPPORT, "digest")).json()
    print([l for l in str(body.get("text")).splitlines() if "source" in l])
