"""The customer registry end to end: `/feedback customer ...`, then every capture route
finds its customer in it (Slack Connect team, channel-name rule, alias typed by a person)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.customers.connect import clear_cache
from storage.models import Customer, UserPrefs, Workspace
from tests.conftest import settled
from tests.e2e.queries import ALICE, BOB, CARLA, GENERAL, SUPPORT, remarks

HANK = "U0HANK0001"


@pytest.fixture(autouse=True)
def _fresh_customer_cache():
    clear_cache()


@pytest.fixture
def globex(fake):
    team = fake.state.add_team("T0GLOBEX01", "Globex Corporation", "globex")
    fake.state.add_user(HANK, "hank", "Hank Scorpio", team_id=team.id)
    return fake.state.add_channel("globex-acme", id="C0SHARED01", members=[ALICE, BOB, HANK],
                                  is_ext_shared=True, shared_team_ids=[fake.state.team.id, team.id])


def answer(delivery) -> str:
    assert delivery.status == 200
    body = delivery.json() or {}
    assert body.get("response_type", "ephemeral") == "ephemeral"
    return body.get("text", "")


async def customer(slack, text: str, user: str = ALICE) -> str:
    return answer(await slack.slash(user, GENERAL, f"customer {text}"))


async def stored(db) -> dict[str, Customer]:
    async with db() as s:
        return {c.name: c for c in (await s.scalars(select(Customer))).all()}


async def version(db) -> int:
    async with db() as s:
        return int(await s.scalar(select(Workspace.customers_version)) or 0)


# ------------------------------------------------------------------ the command


async def test_admin_builds_a_customer_and_anyone_lists_it(fake, slack, bot, db):
    assert "Added the customer *Acme Corp*" in await customer(slack, "add Acme Corp")
    assert "also known as ACME, Acme Inc" in await customer(slack, "alias Acme Corp ACME, Acme Inc")
    assert "tier is Enterprise" in await customer(slack, "tier acme corp Enterprise")
    assert "120,000" in await customer(slack, "value Acme Corp $120k")
    assert f"<@{BOB}>" in await customer(slack, f"owner Acme Corp <@{BOB}|bob>")
    text = await customer(slack, "connect Acme Corp T0ACME0001 #ext-acme-*")
    assert "T0ACME0001" in text and "`ext-acme-*`" in text
    acme = (await stored(db))["Acme Corp"]
    assert (acme.aliases, acme.tier, acme.yearly_value, acme.owner_user_id) == (
        ["ACME", "Acme Inc"], "Enterprise", 120_000, BOB)
    assert (acme.connect_team_ids, acme.channel_rules) == (["T0ACME0001"], ["ext-acme-*"])
    assert await version(db) == 6  # every change tells every process to reload
    listing = await customer(slack, "list", user=BOB)
    assert "*Acme Corp* · Enterprise · 120,000/year" in listing and "aka ACME, Acme Inc" in listing
    assert "Only workspace admins" in await customer(slack, "tier Acme Corp SMB", user=BOB)
    assert (await stored(db))["Acme Corp"].tier == "Enterprise"
    assert "no longer recognised by T0ACME0001" in await customer(slack, "disconnect Acme Corp T0ACME0001")
    assert "Removed the customer *Acme Corp*" in await customer(slack, "remove Acme Corp")
    assert await stored(db) == {}


async def test_bad_input_is_refused_with_a_reason_and_changes_nothing(fake, slack, bot, db):
    await customer(slack, "add Acme Corp")
    await customer(slack, "add Initech")
    assert "listed twice" in await customer(slack, "add acme corp")
    text = await customer(slack, "alias Initech ACME CORP")
    assert "collides with “Acme Corp”" in text
    assert "is not a yearly value" in await customer(slack, "value Initech lots")
    assert "is not a Slack team id" not in await customer(slack, "connect Initech ext-ini-*")
    assert "already “Initech”'s" in await customer(slack, "connect Acme Corp ext-ini-*")
    assert "no customer called “Umbrella”" in await customer(slack, "tier Umbrella SMB")
    assert "Slack knows no user" in await customer(slack, "owner Initech <@U0NOBODY99>")
    assert "not a person" in await customer(slack, "owner Initech alice")
    rows = await stored(db)
    assert rows["Initech"].aliases == [] and rows["Initech"].yearly_value is None
    assert rows["Initech"].owner_user_id is None and rows["Acme Corp"].channel_rules == []


async def test_alerts_off_is_remembered_per_person(fake, slack, bot, db):
    assert "no longer hear" in await customer(slack, "alerts off", user=BOB)
    async with db() as s:
        prefs = await s.get(UserPrefs, ("T0001", BOB))
    assert prefs is not None and prefs.customer_alerts is False


# ------------------------------------------------------------------ capture finds the customer


async def test_slack_connect_team_in_the_registry_names_the_customer(fake, slack, bot, db, globex):
    await customer(slack, "add Globex")
    await customer(slack, "connect Globex T0GLOBEX01")
    await slack.slash(ALICE, GENERAL, f"watch <#{globex.id}|globex-acme>")
    await slack.say(HANK, globex.id, "The export keeps timing out")
    await settled(bot)
    [remark] = await remarks(db)
    assert (remark.customer, remark.customer_decided_by) == ("Globex", None)
    assert fake.calls_to("team.info") == []  # the registry knew the team: no lookup


async def test_slack_connect_team_name_matching_an_alias_is_normalised(fake, slack, bot, db, globex):
    await customer(slack, "add Globex")
    await customer(slack, 'alias Globex "Globex corporation"')
    msg = await slack.say(HANK, globex.id, "Invoices arrive twice")
    await slack.react(ALICE, globex.id, msg["ts"], "memo")
    await settled(bot)
    [remark] = await remarks(db)
    assert remark.customer == "Globex" and remark.customer_decided_by is None


async def test_a_typed_alias_becomes_the_canonical_name(fake, slack, bot, db):
    await customer(slack, "add Acme Corp")
    await customer(slack, "alias Acme Corp ACME")
    await slack.slash(BOB, SUPPORT, "(acme) invoice arrived twice")
    await slack.slash(BOB, SUPPORT, "(Umbrella) the dashboard is slow")
    first, second = await remarks(db)
    assert (first.customer, first.customer_decided_by) == ("Acme Corp", BOB)
    assert second.customer == "Umbrella"  # not in the registry: kept as typed


async def test_a_channel_rule_names_the_customer_on_every_route(fake, slack, bot, db):
    ext = fake.state.add_channel("ext-acme-support", members=[ALICE, BOB, CARLA])
    await customer(slack, "add Acme Corp")
    msg = await slack.say(CARLA, ext.id, "The API returns 500 on bulk uploads")
    await slack.react(BOB, ext.id, msg["ts"], "memo")
    await slack.slash(BOB, ext.id, "they want SSO next quarter")
    await slack.say(CARLA, SUPPORT, "A different channel altogether")
    await settled(bot)
    before = await remarks(db)
    assert [r.customer for r in before] == [None, None]  # no rule yet
    await customer(slack, "connect Acme Corp ext-acme-*")  # the version moves: reloaded
    msg = await slack.say(CARLA, ext.id, "Exports are slow again")
    await slack.react(BOB, ext.id, msg["ts"], "memo")
    await settled(bot)
    asked = fake.calls_to("conversations.info")
    await slack.slash(BOB, ext.id, "onboarding was smooth")
    other = await slack.say(CARLA, SUPPORT, "The support queue is long")
    await slack.react(BOB, SUPPORT, other["ts"], "memo")
    await settled(bot)
    after = (await remarks(db))[2:]
    assert [r.customer for r in after] == ["Acme Corp", "Acme Corp", None]
    assert all(r.customer_decided_by is None for r in after)
    # The channel's name is asked once, then remembered however many remarks come from it.
    assert [c.params["channel"] for c in asked] == [ext.id]
    assert len(fake.calls_to("conversations.info")) == 2  # once more: the #support channel


async def test_a_registered_customer_named_in_the_text_is_the_customer(fake, slack, bot, db):
    """Issue 22 item 9: a third of the demo's remarks had no customer though the text named a
    registered one ("Call with Brightline Foods just now: …")."""
    await customer(slack, "add Brightline Foods")
    await customer(slack, "alias Brightline Foods Brightline")
    await customer(slack, "add Target")
    said = [
        "Call with Brightline Foods just now: the training was excellent",  # by name
        "Jonas followed up with Brightline the next morning",  # by alias
        "They moved the target date for the rollout again",  # a word, not the customer
        "Brightline says Target got the same invoice twice",  # two customers: cannot tell
    ]
    for text in said:
        msg = fake.state.post_message(SUPPORT, CARLA, text)
        await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await slack.slash(BOB, SUPPORT, "Brightline Foods asked about the roadmap")  # typed, no (Customer)
    await slack.slash(BOB, SUPPORT, "(Umbrella) Brightline Foods recommended us")  # the person's word wins
    await settled(bot)
    got = {r.text: r for r in await remarks(db)}
    assert [(got[t].customer, got[t].customer_decided_by) for t in said] == [
        ("Brightline Foods", None), ("Brightline Foods", None), (None, None), (None, None)]
    assert got["Brightline Foods asked about the roadmap"].customer == "Brightline Foods"
    assert got["Brightline Foods recommended us"].customer == "Umbrella"


async def test_a_corrected_customer_that_is_an_alias_becomes_the_canonical_name(fake, slack, bot, db):
    await customer(slack, "add Globex Corporation")
    await customer(slack, "alias Globex Corporation Globex, GBX")
    msg = fake.state.post_message(SUPPORT, CARLA, "Shipping took three weeks")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await fake.wait_for("chat.postEphemeral")
    await settled(bot)
    blocks = fake.calls_to("chat.postEphemeral")[-1].params["blocks"]
    await slack.click_ephemeral(ALICE, blocks, "remark_customer", channel=SUPPORT)
    await fake.wait_for("views.open")
    assert (await slack.submit_view(ALICE, {"customer": "gbx"})).status == 200
    await fake.wait_for("response_url")
    [remark] = await remarks(db)
    assert (remark.customer, remark.customer_decided_by) == ("Globex Corporation", ALICE)
