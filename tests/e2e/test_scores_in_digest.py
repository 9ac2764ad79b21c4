"""Scores sent through the intake API (docs/api.md), then read as a person reads them: the
digest preview (`/feedback digest`, as Slack sends the command) shows CSAT and NPS per
process with their intervals and the week by source; *Did it work?* compares scores."""

from __future__ import annotations

import datetime as dt

import aiohttp
from sqlalchemy import insert

from bot.domain.loop import improvements
from bot.domain.workspace import api_tokens
from storage.db import transaction
from storage.models import Improvement, Remark, utcnow
from tests.e2e import digest_support as ds
from tests.e2e.queries import CARLA, SUPPORT, TEAM


async def send(bot, token: str, bodies: list[dict]) -> None:
    async with aiohttp.ClientSession() as http:
        for body in bodies:
            async with http.post(f"{bot.base_url}/api/v1/remarks", json=body,
                                 headers={"Authorization": f"Bearer {token}"}) as r:
                assert r.status == 201, await r.text()


def scored(kind: str, values: list[int], *, process: str, at: dt.datetime | None = None,
           prefix: str = "") -> list[dict]:
    return [{"text": f"{prefix}Answer {i}: about the refund", "source": "survey", "external_id": f"{prefix}{kind}{i}",
             "process": process, "score": {"kind": kind, "value": v},
             **({"said_at": at.isoformat()} if at else {})} for i, v in enumerate(values)]


async def test_the_digest_shows_csat_and_nps_per_process_and_the_week_by_source(slack, bot, db):
    await ds.workspace(db)
    await ds.process(db, "Refunds Desk")
    made = await api_tokens.create(db, TEAM, "zendesk", by="U0ALICE001", at=utcnow(), rate_per_minute=600)
    # CSAT: 8 of 10 satisfied (two of them stars); NPS: 5 promoters, 2 passives, 3 detractors.
    await send(bot, made.token, scored("csat", [5, 5, 4, 4, 4, 5, 1, 2], process="Refunds Desk")
               + scored("stars", [5, 4], process="Refunds Desk")
               + scored("nps", [10, 9, 9, 10, 9, 7, 8, 2, 5, 6], process="Refunds Desk"))
    await slack.slash(CARLA, SUPPORT, "Refunds are slow, the customer says")
    body = (await slack.slash(CARLA, SUPPORT, "digest")).json()
    out = body.get("text", "") + str(body.get("blocks", ""))
    assert "By source: api:zendesk 20 · command 1" in out
    assert "· 1 capturer ·" in out  # the API's captures are no teammate's
    # CSAT 8/10, Wilson 95 % [0.490, 0.943]; NPS +20, adjusted Wald: p' = 5.75/13, d' = 3.75/13.
    assert "*Refunds Desk*: CSAT 80 % [49–94 %], n=10 · NPS +20 [-30 to +61], n=10" in out


async def test_did_it_work_compares_scores_before_and_after_the_ship(bot, db):
    await ds.workspace(db)
    pid = await ds.process(db, "Refunds Desk")
    made = await api_tokens.create(db, TEAM, "survey", by="U0ALICE001", at=utcnow(), rate_per_minute=600)
    ship = utcnow() - dt.timedelta(days=21)
    before, after = ship - dt.timedelta(days=10), ship + dt.timedelta(days=10)
    await send(bot, made.token, scored("csat", [1, 2, 1, 2, 3, 1, 2, 5, 1, 2, 4, 1], process="Refunds Desk",
                                       at=before, prefix="b")
               + scored("csat", [5, 5, 4, 5, 4, 5, 5, 4, 1, 5, 5, 4], process="Refunds Desk",
                        at=after, prefix="a"))
    async with transaction(db) as s:
        imp = Improvement(team_id=TEAM, process_id=pid, title="Refunds in 2 days", proposed_by="U0ALICE001",
                          status="shipped", shipped_at=ship)
        s.add(imp)
    async with db() as s:
        result = await improvements.check(s, imp, utcnow())
    assert result is not None
    [csat] = result.scores
    assert csat.verdict == "improved" and csat.before.n == 12 and csat.after.n == 12
    assert "CSAT improved: 17 % [" in result.summary() and "→ 92 % [" in result.summary()


async def test_scores_no_process_took_are_an_unfiled_line(slack, bot, db):
    # Survey answers without a comment often match no process: their scores used to be left
    # out of the digest altogether.
    await ds.workspace(db)
    await ds.process(db, "Refunds Desk")
    now = utcnow()
    async with transaction(db) as s:
        await s.execute(insert(Remark), [
            {"team_id": TEAM, "source_key": f"survey:{i}", "text": f"Score: {v}", "source": "Delighted",
             "score_kind": "nps", "score_value": v, "said_at": now, "created_at": now, "updated_at": now}
            for i, v in enumerate([10, 10, 9, 3, 8])])
    await slack.slash(CARLA, SUPPORT, "Refunds are slow, the customer says")
    body = (await slack.slash(CARLA, SUPPORT, "digest")).json()
    out = body.get("text", "") + str(body.get("blocks", ""))
    assert "• *Unfiled*: NPS +40 [" in out and "], n=5" in out
