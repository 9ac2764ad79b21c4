"""Nothing a member can do to an improvement through a crafted click or form (issue 20, item 1):
Edit, the status buttons and *Reply in threads* are for the improvement's owner, the process
owner and admins; changing the owner or the process takes the right on both sides; a shipped
improvement's remarks and owner are frozen until an admin reopens it. Each attack is a real
Slack payload (a button from a card someone else was shown, clicked by another person; a
modal opened for one person, submitted by another), signed and delivered over HTTP as Slack
does (api.slack.com/reference/interaction-payloads/block-actions, /view-submission). Every
refusal is private (an ephemeral reply through response_url, or the modal's inline errors)
and changes nothing: no row, no DM, no thread reply."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from storage.db import transaction
from storage.models import (
    Improvement,
    ImprovementNotice,
    ImprovementRemark,
    ImprovementStatusChange,
    LoopClaim,
    utcnow,
)
from storage.repositories.improvements import ImprovementRepository
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, CARLA, DAN, SUPPORT
from tests.e2e.test_oauth_installs import A, B, two  # noqa: F401 - the fixture

TABLES = (Improvement, ImprovementRemark, ImprovementStatusChange, ImprovementNotice, LoopClaim)


async def snapshot(db) -> dict[str, list[str]]:
    """Every row of the loop's tables, as text: equal snapshots mean nothing changed."""
    out = {}
    async with db() as s:
        for model in TABLES:
            rows = (await s.execute(select(model.__table__))).mappings().all()
            out[model.__tablename__] = sorted(repr(dict(r)) for r in rows)
    return out


def posts_to_others(fake, actor: str) -> list:
    """Messages Earshot posted anywhere but the actor's own DM (other people's DMs, threads)."""
    return [c for c in fake.calls_to("chat.postMessage") if c.ok and c.params["channel"] != actor]


async def billing_and_support(db) -> tuple[int, int, list[int]]:
    """Billing (Bob owns it) with three complaints; Support (Carla owns it). Alice is the admin."""
    await ds.workspace(db)
    billing = await ds.process(db, "Billing", owner=BOB)
    support = await ds.process(db, "Support", owner=CARLA)
    at = utcnow() - dt.timedelta(days=1)
    ids = [await ds.remark(db, process_id=billing, sentiment="complaint", at=at, text=t, captures=c)
           for t, c in (("Invoice came twice", 1), ("Refund never arrived", 3), ("Card declined", 2))]
    return billing, support, ids


async def improvement(db, process_id: int, remark_ids: list[int], *, status: str = "planned",
                      owner: str = BOB) -> int:
    async with transaction(db) as s:
        repo = ImprovementRepository(s)
        imp = await repo.create(ds.TEAM, process_id=process_id, title="One invoice per order",
                                description="", owner_user_id=owner, proposed_by=owner, link=None,
                                remark_ids=remark_ids, at=utcnow() - dt.timedelta(days=2))
        if status != "planned":
            await repo.set_status(ds.TEAM, imp.id, status, by=owner, at=utcnow())
        return imp.id


async def cards(slack, user: str) -> list[dict]:
    """The blocks of ``/feedback improvements`` as ``user`` sees them."""
    return (await slack.slash(user, SUPPORT, "improvements")).json()["blocks"]


async def edit_form(fake, slack, user: str, blocks: list[dict]) -> dict:
    """``user`` presses Edit on ``blocks``: the modal Earshot opened for them."""
    before = len(fake.calls_to("views.open"))
    await slack.click_ephemeral(user, blocks, "improvement_edit", channel=SUPPORT)
    opened = await fake.wait_for("views.open", count=before + 1)
    return opened[-1].response["view"]


async def test_a_member_cannot_take_over_a_shipped_improvement(fake, slack, bot, db):
    """The issue's attack: Edit on a shipped improvement, make oneself its owner, tick more
    remarks; then Reply in threads as its owner."""
    billing, _, (single, loud, double) = await billing_and_support(db)
    imp_id = await improvement(db, billing, [loud], status="shipped")
    bobs = await cards(slack, BOB)
    assert "improvement_edit" in json.dumps(bobs) and "improvement_reply" in json.dumps(bobs)
    # Dan sees the card without its buttons.
    dans = json.dumps(await cards(slack, DAN))
    assert "One invoice per order" in dans and "improvement_edit" not in dans
    before = await snapshot(db)

    # A crafted Edit click: refused privately, no form opens.
    await slack.click_ephemeral(DAN, bobs, "improvement_edit", channel=SUPPORT)
    [refused] = await fake.wait_for("response_url")
    assert refused.params["response_type"] == "ephemeral" and ":lock:" in refused.params["text"]
    assert "<@U0BOB00001>" in refused.params["text"] and not fake.calls_to("views.open")

    # The form Bob opened, submitted by Dan with himself as owner and every remark ticked.
    view = await edit_form(fake, slack, BOB, bobs)
    taken = await slack.submit_view(DAN, {"imp_process": str(billing), "imp_title": "Mine now",
                                          "imp_owner": DAN, "imp_remarks_0": [single, loud, double]},
                                    view_id=view["id"])
    assert taken.status == 200 and ":lock:" in json.loads(taken.body)["errors"]["imp_process"]

    # Reply in threads as if he owned it: the button, then the form Bob would have sent.
    await slack.click_ephemeral(DAN, bobs, "improvement_reply", channel=SUPPORT)
    await fake.wait_for("response_url", count=2)
    assert len(fake.calls_to("views.open")) == 1
    await slack.click_ephemeral(BOB, bobs, "improvement_reply", channel=SUPPORT)
    [_, reply_form] = await fake.wait_for("views.open", count=2)
    replied = await slack.submit_view(DAN, {"reply_text": "Dan says: we are closing your account"},
                                      view_id=reply_form.response["view"]["id"])
    assert replied.status == 200
    await settled(bot)
    told = await fake.wait_for("chat.postMessage")
    assert told[-1].params["channel"] == DAN and "Only the improvement's owner" in told[-1].params["text"]
    assert posts_to_others(fake, DAN) == []
    assert await snapshot(db) == before
    async with db() as s:
        imp = await s.get(Improvement, imp_id)
    assert (imp.owner_user_id, imp.status) == (BOB, "shipped")


async def test_an_owner_of_another_process_cannot_move_or_ship_it(fake, slack, bot, db):
    billing, support, (single, loud, _) = await billing_and_support(db)
    imp_id = await improvement(db, billing, [single, loud])
    bobs = await cards(slack, BOB)
    before = await snapshot(db)
    # Carla owns Support: moving Billing's improvement into it is refused, inline.
    view = await edit_form(fake, slack, BOB, bobs)
    moved = await slack.submit_view(CARLA, {"imp_process": str(support), "imp_title": "One invoice per order",
                                            "imp_owner": BOB, "imp_remarks_0": [single, loud]},
                                    view_id=view["id"])
    assert ":lock:" in json.loads(moved.body)["errors"]["imp_process"]
    # Nor may she ship or drop it: the refusal is ephemeral; nobody is told anything.
    for status in ("shipped", "dropped"):
        await slack.click_ephemeral(CARLA, bobs, f"improvement_status:{status}", channel=SUPPORT)
    refusals = await fake.wait_for("response_url", count=2)
    assert all(r.params["response_type"] == "ephemeral" and ":lock:" in r.params["text"] for r in refusals)
    await settled(bot)
    assert posts_to_others(fake, CARLA) == []
    assert await snapshot(db) == before
    # The admin may move it (she has the right on both sides).
    view = await edit_form(fake, slack, ALICE, await cards(slack, ALICE))
    ok = await slack.submit_view(ALICE, {"imp_process": str(support), "imp_title": "One invoice per order",
                                         "imp_owner": BOB, "imp_remarks_0": [single, loud]}, view_id=view["id"])
    assert ok.status == 200 and not ok.body, ok.body
    async with db() as s:
        assert (await s.get(Improvement, imp_id)).process_id == support


async def test_changing_the_owner_takes_the_right_before_and_after(fake, slack, bot, db):
    billing, _, (single, loud, _) = await billing_and_support(db)
    imp_id = await improvement(db, billing, [loud])
    # The process owner hands it to Carla: allowed.
    view = await edit_form(fake, slack, BOB, await cards(slack, BOB))
    ok = await slack.submit_view(BOB, {"imp_process": str(billing), "imp_title": "One invoice per order",
                                       "imp_owner": CARLA, "imp_remarks_0": [loud]}, view_id=view["id"])
    assert ok.status == 200 and not ok.body, ok.body
    # Carla, its owner now, may edit it and move it on, but not hand it to Dan.
    carlas = await cards(slack, CARLA)
    view = await edit_form(fake, slack, CARLA, carlas)
    before = await snapshot(db)
    handed = await slack.submit_view(CARLA, {"imp_process": str(billing), "imp_title": "One invoice per order",
                                             "imp_owner": DAN, "imp_remarks_0": [loud]}, view_id=view["id"])
    assert "Only the owner of Billing" in json.loads(handed.body)["errors"]["imp_process"]
    assert await snapshot(db) == before
    view = await edit_form(fake, slack, CARLA, carlas)
    more = await slack.submit_view(CARLA, {"imp_process": str(billing), "imp_title": "Invoices, once",
                                           "imp_owner": CARLA, "imp_remarks_0": [single, loud]},
                                   view_id=view["id"])
    assert more.status == 200 and not more.body, more.body
    async with db() as s:
        imp = await s.get(Improvement, imp_id)
        assert (imp.title, imp.owner_user_id) == ("Invoices, once", CARLA)


async def test_a_shipped_improvement_is_frozen_until_an_admin_reopens_it(fake, slack, bot, db):
    billing, _, (_, loud, double) = await billing_and_support(db)
    imp_id = await improvement(db, billing, [loud], status="shipped")
    bobs = await cards(slack, BOB)
    assert "Reopen" not in json.dumps(bobs)  # Bob is not an admin
    view = await edit_form(fake, slack, BOB, bobs)
    assert "stay as they are" in json.dumps(view["blocks"])
    before = await snapshot(db)
    frozen = await slack.submit_view(BOB, {"imp_process": str(billing), "imp_title": "One invoice per order",
                                           "imp_owner": BOB, "imp_remarks_0": [loud, double]},
                                     view_id=view["id"])
    assert "It is shipped" in json.loads(frozen.body)["errors"]["imp_process"]
    assert await snapshot(db) == before
    # Its wording can still change.
    view = await edit_form(fake, slack, BOB, bobs)
    worded = await slack.submit_view(BOB, {"imp_process": str(billing), "imp_title": "One invoice, always",
                                           "imp_owner": BOB, "imp_remarks_0": [loud]}, view_id=view["id"])
    assert worded.status == 200 and not worded.body, worded.body
    # Reopen is the admin's; a crafted click by Bob is refused.
    alices = await cards(slack, ALICE)
    assert "Reopen" in json.dumps(alices)
    await slack.click_ephemeral(BOB, alices, "improvement_status:in_progress", channel=SUPPORT)
    [refused] = await fake.wait_for("response_url", count=1)
    assert "Only a workspace admin can reopen" in refused.params["text"]
    async with db() as s:
        assert (await s.get(Improvement, imp_id)).status == "shipped"
    await slack.click_ephemeral(ALICE, alices, "improvement_status:in_progress", channel=SUPPORT)
    await fake.wait_for("response_url", count=2)
    async with db() as s:
        assert (await s.get(Improvement, imp_id)).status == "in_progress"
    view = await edit_form(fake, slack, BOB, await cards(slack, BOB))
    ok = await slack.submit_view(BOB, {"imp_process": str(billing), "imp_title": "One invoice, always",
                                       "imp_owner": BOB, "imp_remarks_0": [loud, double]}, view_id=view["id"])
    assert ok.status == 200 and not ok.body, ok.body
    async with db() as s:
        attached = set((await s.scalars(select(ImprovementRemark.remark_id)
                                        .where(ImprovementRemark.improvement_id == imp_id))).all())
    assert attached == {loud, double}


async def test_a_proposal_by_a_member_is_owned_by_the_process_owner(fake, slack, bot, db):
    billing, support, (single, loud, _) = await billing_and_support(db)
    other = await ds.remark(db, process_id=support, sentiment="complaint", at=utcnow(), text="Hold music")
    await slack.slash(DAN, SUPPORT, "improve [Billing]")
    [opened] = await fake.wait_for("views.open")
    view_id = opened.response["view"]["id"]
    # Naming himself the owner, or ticking another process's remark, is refused inline.
    mine = await slack.submit_view(DAN, {"imp_process": str(billing), "imp_title": "Mine",
                                         "imp_owner": DAN, "imp_remarks_0": [loud]}, view_id=view_id)
    assert "Only the owner of Billing" in json.loads(mine.body)["errors"]["imp_process"]
    crafted = await slack.submit_view(DAN, {"imp_process": str(billing), "imp_title": "Mine",
                                            "imp_owner": BOB, "imp_remarks_0": [loud]}, view_id=view_id)
    assert crafted.status == 200 and not crafted.body, crafted.body
    async with db() as s:
        [imp] = (await s.scalars(select(Improvement))).all()
        assert (imp.owner_user_id, imp.proposed_by) == (BOB, DAN)
    # A form whose ticks name a remark of another process (Slack would only send the offered ones).
    await slack.slash(DAN, SUPPORT, "improve [Billing]")
    [_, opened] = await fake.wait_for("views.open", count=2)
    view = opened.response["view"]
    forged = [b for b in view["blocks"] if b.get("block_id") == "imp_remarks_0"][0]["element"]
    forged["options"].append({"text": {"type": "plain_text", "text": "Hold music"}, "value": str(other)})
    bad = await slack.submit_view(DAN, {"imp_process": str(billing), "imp_title": "Also mine",
                                        "imp_remarks_0": [single, other]}, view_id=view["id"])
    assert "not filed under Billing" in json.loads(bad.body)["errors"]["imp_process"]
    async with db() as s:
        assert len((await s.scalars(select(Improvement))).all()) == 1

async def test_a_members_proposal_on_a_process_without_owner_has_no_owner(fake, slack, bot, db):
    await billing_and_support(db)
    await ds.process(db, "Exports")
    out = (await slack.slash(DAN, SUPPORT, "improve [Exports] Faster exports")).json()
    assert "Improvement started" in json.dumps(out) and "improvement_status:" not in json.dumps(out)
    async with db() as s:
        [imp] = (await s.scalars(select(Improvement))).all()
    assert (imp.owner_user_id, imp.proposed_by) == (None, DAN)
    # So he cannot ship it (and tell everyone) from a card an admin was shown.
    before = await snapshot(db)
    await slack.click_ephemeral(DAN, await cards(slack, ALICE), "improvement_status:shipped", channel=SUPPORT)
    [refused] = await fake.wait_for("response_url")
    assert ":lock:" in refused.params["text"] and refused.params["response_type"] == "ephemeral"
    assert await snapshot(db) == before


def button(action_id: str, value: str) -> list[dict]:
    """A control as a crafted payload would carry it (an actions block with one button)."""
    return [{"type": "actions", "block_id": "crafted", "elements": [
        {"type": "button", "action_id": action_id, "value": value,
         "text": {"type": "plain_text", "text": "Click"}}]}]


async def test_one_workspace_cannot_act_on_anothers_improvement_or_remarks(fake, two, db):  # noqa: F811
    """OAuth mode, two workspaces with the same people: ids of A's improvement and remarks,
    clicked in B, name nothing there; A is left as it was."""
    bot, _ = two
    billing, _, (single, loud, _) = await billing_and_support(db)  # in A (T0001)
    for team in (A, B):
        assert (await fake.install(bot.base_url, team=team)).status == 200
    imp_id = await improvement(db, billing, [single, loud])
    before = await snapshot(db)
    sb = fake.simulator(bot.url, workspace=fake.workspace(B))
    try:
        # Bob owns Billing in A; in B he is nobody's owner, and B has no such improvement.
        await sb.click_ephemeral(BOB, button("improvement_status:shipped", str(imp_id)), "improvement_status:shipped",
                                 channel=SUPPORT)
        await sb.click_ephemeral(BOB, button("improvement_edit", str(imp_id)), "improvement_edit", channel=SUPPORT)
        await sb.click_ephemeral(BOB, button("remark_same", f"{loud}:{single}"), "remark_same", channel=SUPPORT)
        answers = await fake.wait_for("response_url", count=3)
    finally:
        await sb.close()
    await settled(bot)
    assert "no longer exists" in answers[0].params["text"] and "no longer exists" in answers[1].params["text"]
    assert all(a.params.get("response_type") == "ephemeral" or a.params.get("replace_original") for a in answers)
    assert await snapshot(db) == before
    assert not fake.calls_to("views.open") and not fake.calls_to("chat.postMessage")
    async with db() as s:
        assert {r for r in (await s.scalars(select(ImprovementRemark.remark_id))).all()} == {single, loud}
