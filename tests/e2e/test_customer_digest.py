"""The digest and the customer registry: which tiers and how much yearly value each Improve
and Consolidate item's remarks come from, and `/feedback digest weigh off|tier|value`."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from bot.digest import stats
from bot.domain.customers import registry as reg
from bot.domain.customers import rules
from storage.models import utcnow
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB
from tests.e2e.test_digest_commands import say, texts, ws


async def seed(db) -> None:
    """Billing: 3 complaints from nobody registered. Shipping: 2 from Acme (Enterprise, 500k).
    Unweighted, Billing ranks first (more complaints); weighed by tier or value, Shipping does."""
    await ds.workspace(db)
    await reg.change(db, ds.TEAM, None, reg.Add(rules.Entry(
        name="Acme Corp", aliases=("Acme",), tier="Enterprise", yearly_value=500_000)))
    await reg.change(db, ds.TEAM, None, reg.Add(rules.Entry(name="Initech", tier="SMB", yearly_value=10_000)))
    billing = await ds.process(db, "Billing")
    shipping = await ds.process(db, "Shipping")
    at = utcnow() - dt.timedelta(minutes=5)
    for i in range(3):
        await ds.remark(db, process_id=billing, sentiment="complaint", at=at, text=f"billing {i}")
    await ds.remark(db, process_id=shipping, sentiment="complaint", at=at, customer="Acme Corp")
    await ds.remark(db, process_id=shipping, sentiment="complaint", at=at, customer="acme")  # an alias


def order(out: str) -> list[str]:
    """The two processes in the order the digest's Improve items show them."""
    return sorted(("Billing", "Shipping"), key=lambda n: out.index(f". {n}*"))


async def test_items_show_tiers_and_value_and_weighing_changes_the_ranking(fake, slack, db):
    await seed(db)
    out = texts(await say(slack, BOB, "digest"))
    assert order(out) == ["Billing", "Shipping"]  # off by default: every remark alike
    assert "complaints from Enterprise 2 · 500,000/year across 1 customer" in out
    billing_item = out[out.index(". Billing*"):out.index(". Shipping*")]
    assert ":office:" not in billing_item  # nobody registered complained about Billing

    assert "Only workspace admins" in texts(await say(slack, BOB, "digest weigh tier"))
    assert (await ws(db)).digest_weigh == "off"
    assert "weighs each remark by its customer's tier" in texts(await say(slack, ALICE, "digest weigh tier"))
    assert order(texts(await say(slack, BOB, "digest"))) == ["Shipping", "Billing"]
    await say(slack, ALICE, "digest weigh value")
    assert (await ws(db)).digest_weigh == "value"
    assert order(texts(await say(slack, BOB, "digest"))) == ["Shipping", "Billing"]
    await say(slack, ALICE, "digest weigh off")
    assert order(texts(await say(slack, BOB, "digest"))) == ["Billing", "Shipping"]
    assert "Use `/feedback digest weigh off`" in texts(await say(slack, ALICE, "digest weigh loudest"))


def test_weights_follow_the_documented_formula():
    assert [stats.tier_weight(t) for t in ("Enterprise", "mid-market", "SMB", "Gold", None)] == [3, 2, 1, 1, 1]
    assert stats.value_weight(500_000, 255_000) == 1 + 500_000 / 255_000
    assert stats.value_weight(None, 255_000) == 1.0
    c = stats.Counts(complaint=2)
    unweighted, lower = stats.share_score(c, "complaint")
    weighted, same_lower = stats.share_score(c, "complaint", volume=6.0)
    assert same_lower == lower  # the certainty is not weighted
    assert weighted / unweighted == pytest.approx(math.log2(7) / math.log2(3))
