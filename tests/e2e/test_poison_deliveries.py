"""Poison deliveries fail alone: odd shapes leased beside valid reaction captures.

The valid captures are filed; every odd delivery ends finished (done, or given up with its
error) within ``MAX_ATTEMPTS`` attempts, and never holds back the rest of its batch.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from bot.fakeslack import payloads
from storage.models import Delivery, utcnow
from storage.repositories import InboxRepository
from storage.repositories.inbox import MAX_ATTEMPTS
from tests.conftest import eventually
from tests.e2e.queries import ALICE, CARLA, SUPPORT, remarks
from tests.fuzz import draw, odd_json, put_at

EVENT_PATHS = ["event.item", "event.item.ts", "event.item.channel", "event.item.type", "event",
               "event.user", "event.reaction", "event.type", "event.message", "event.channel",
               "event.event_ts", "team_id", "authorizations", "event_id"]

NOT_JSON = ["", "{", "not json", "[1, 2", "{\"a\": \"\\ud800", "{\"a\": NaN", "[" * 5000, "null", "[]", "42",
            "\"string\""]


def row(team: str, key: str, body: str) -> dict[str, object]:
    return {"team_id": team, "delivery_key": key, "kind": "event", "body": body,
            "received_at": utcnow(), "attempts": 0, "lease_until": None}


async def test_poison_deliveries_are_given_up_alone_and_valid_ones_beside_them_are_filed(fake, slack, bot, db):
    team = fake.state.team.id
    messages = [fake.state.post_message(SUPPORT, CARLA, f"Remark {i}: the export times out") for i in range(6)]
    valid = [slack.deliverer.envelope(payloads.reaction_added(ALICE, "memo", SUPPORT, m["ts"], CARLA,
                                                             fake.state.next_ts()))
             for m in messages]
    template = valid[0]
    shapes = draw(st.tuples(st.sampled_from(EVENT_PATHS), odd_json), 40)
    rows = []
    for i, env in enumerate(valid):
        rows.append(row(team, f"ev:{env['event_id']}", json.dumps(env)))
        for path, odd in shapes[i * 7:(i + 1) * 7]:  # poison interleaved with the valid ones
            fuzzed = put_at(template, path, odd)
            rows.append(row(team, f"ev:poison-{len(rows)}", json.dumps(fuzzed)))
    for i, body in enumerate(NOT_JSON):
        rows.append(row(team, f"ev:notjson-{i}", body))
    # One transaction: the worker sees them all at once and leases them in one batch.
    async with db() as s, s.begin():
        await InboxRepository(s).add_many(rows)
    bot.runtime.worker.wake()

    async def all_finished() -> bool:
        try:
            async with db() as s, s.begin():
                # Time passes: failed attempts become due again at once (the backoff is minutes).
                await s.execute(update(Delivery).where(Delivery.done_at.is_(None)).values(lease_until=None))
                pending = await InboxRepository(s).pending_count()
        except DBAPIError as e:
            # This whole-table UPDATE can deadlock on PostgreSQL with the worker renewing its
            # leases on the same rows (only the test's shortcut does that): poll again.
            if "deadlock" not in str(e):
                raise
            return False
        bot.runtime.worker.wake()
        return pending == 0

    await eventually(all_finished, timeout=60, interval=0.2)

    assert sorted(r.message_ts for r in await remarks(db)) == sorted(m["ts"] for m in messages)
    async with db() as s:
        stored = {d.delivery_key: d for d in (await s.scalars(select(Delivery))).all()}
    assert len(stored) == len(rows)
    for d in stored.values():
        assert d.done_at is not None and 1 <= d.attempts <= MAX_ATTEMPTS, (d.delivery_key, d.attempts)
    for env in valid:
        assert stored[f"ev:{env['event_id']}"].last_error is None
    for i in range(len(NOT_JSON)):
        d = stored[f"ev:notjson-{i}"]
        assert d.attempts == 1 and d.last_error and "JSON" in d.last_error, (d.body[:20], d.last_error)
