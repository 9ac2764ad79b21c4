"""Issue 21 item 2, *Did it work?* as people read it: scores sent through the intake API
with their own ``said_at`` either side of a shipped improvement, then the digest preview
(`/feedback digest`, as Slack sends the command). The section compares CSAT (stars folded
in) and NPS before and after with the complaint share's rules: an interval for the change,
and *too early to tell* with fewer than 10 answers on a side."""

from __future__ import annotations

import datetime as dt

from storage.db import transaction
from storage.models import Improvement, utcnow
from tests.e2e import digest_support as ds
from tests.e2e.queries import CARLA, SUPPORT, TEAM
from tests.e2e.test_intake_api import token
from tests.e2e.test_scores_in_digest import scored, send


async def digest(slack) -> str:
    body = (await slack.slash(CARLA, SUPPORT, "digest")).json()
    return (body.get("text", "") + str(body.get("blocks", ""))).replace("\\n", "\n")


async def test_the_digest_says_whether_scores_moved_after_a_ship(slack, bot, db):
    await ds.workspace(db)
    pid = await ds.process(db, "Refunds Desk")
    other = await ds.process(db, "Onboarding")
    secret = await token(db, "survey")
    ship = utcnow() - dt.timedelta(days=21)
    before, after = ship - dt.timedelta(days=10), ship + dt.timedelta(days=10)
    # Refunds: CSAT 2/12 satisfied before (stars among them), 11/12 after.
    await send(bot, secret, scored("csat", [1, 2, 1, 2, 3, 1, 2, 5, 1, 2], process="Refunds Desk",
                                   at=before, prefix="b")
               + scored("stars", [4, 1], process="Refunds Desk", at=before, prefix="bs")
               + scored("csat", [5, 5, 4, 5, 4, 5, 5, 4, 1, 5, 5, 4], process="Refunds Desk",
                        at=after, prefix="a"))
    # Onboarding: NPS, only 4 answers after the ship: too early to tell.
    await send(bot, secret, scored("nps", [2, 3, 9, 10, 6, 5, 4, 8, 7, 3], process="Onboarding",
                                   at=before, prefix="ob")
               + scored("nps", [10, 9, 10, 9], process="Onboarding", at=after, prefix="oa"))
    async with transaction(db) as s:
        s.add_all([Improvement(team_id=TEAM, process_id=pid, title="Refunds in 2 days", proposed_by=CARLA,
                               status="shipped", shipped_at=ship),
                   Improvement(team_id=TEAM, process_id=other, title="Kickoff checklist", proposed_by=CARLA,
                               status="shipped", shipped_at=ship)])
    await slack.slash(CARLA, SUPPORT, "The refund took three weeks again")
    shown = await digest(slack)
    assert "Refunds in 2 days" in shown and "Kickoff checklist" in shown
    assert ":white_check_mark: CSAT improved: 17 % [" in shown and "], n=12 → 92 % [" in shown
    assert "NPS too early to tell: -40 [" in shown and "], n=10 → +100 [" in shown and "], n=4" in shown
