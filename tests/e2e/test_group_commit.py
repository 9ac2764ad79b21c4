"""Group commit of the durable inbox: concurrent deliveries share commits, and every
request is answered only after its own row is committed (or fails with it)."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import text

from bot.fakeslack.signing import signed_headers
from storage.db import is_sqlite
from storage.models import Delivery
from tests.conftest import SECRET
from tests.e2e.queries import count
from tests.e2e.test_http import post, reaction_envelope

# An emoji Earshot does not capture with: the deliveries are stored and finished quickly.
IGNORED = "tada"


async def test_concurrent_deliveries_are_all_stored_once(fake, bot, db):
    envelopes = [reaction_envelope(fake, IGNORED) for _ in range(60)]
    # Every fifth one also arrives as a Slack retry, in the same burst.
    sends = [json.dumps(env) for env in envelopes] + [json.dumps(env) for env in envelopes[::5]]
    answers = await asyncio.gather(*(post(bot.url, body, signed_headers(body, SECRET)) for body in sends))
    assert [status for status, _ in answers] == [200] * len(sends)
    assert await count(db, Delivery) == len(envelopes)
    # And once more after they are stored: still one row each.
    again = [json.dumps(env) for env in envelopes[:10]]
    answers = await asyncio.gather(*(post(bot.url, body, signed_headers(body, SECRET)) for body in again))
    assert [status for status, _ in answers] == [200] * len(again)
    assert await count(db, Delivery) == len(envelopes)


async def test_a_failing_commit_fails_every_request_of_the_group(fake, bot, db, settings):
    refuse, allow = _refusing_trigger(settings.database_url)
    async with db() as session, session.begin():
        for statement in refuse:
            await session.execute(text(statement))
    try:
        sends = [json.dumps(reaction_envelope(fake, IGNORED)) for _ in range(30)]
        answers = await asyncio.gather(*(post(bot.url, body, signed_headers(body, SECRET)) for body in sends))
        assert [status for status, _ in answers] == [503] * len(sends)
        assert all("retry" in reply for _, reply in answers)
        assert await count(db, Delivery) == 0
    finally:
        async with db() as session, session.begin():
            for statement in allow:
                await session.execute(text(statement))
    # The writer is not stuck: the next burst is stored.
    sends = [json.dumps(reaction_envelope(fake, IGNORED)) for _ in range(10)]
    answers = await asyncio.gather(*(post(bot.url, body, signed_headers(body, SECRET)) for body in sends))
    assert [status for status, _ in answers] == [200] * len(sends)
    assert await count(db, Delivery) == len(sends)


async def test_a_lost_database_connection_is_replaced_without_a_refusal(fake, bot, db, settings):
    if is_sqlite(settings.database_url):
        pytest.skip("PostgreSQL: the inbox writer keeps a connection of its own")
    first = json.dumps(reaction_envelope(fake, IGNORED))
    assert (await post(bot.url, first, signed_headers(first, SECRET)))[0] == 200
    async with db() as session:  # what a server restart or a failover does to the bot
        await session.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    # Alone, so no neighbour's one-by-one fallback can hide a refusal.
    alone = json.dumps(reaction_envelope(fake, IGNORED))
    assert (await post(bot.url, alone, signed_headers(alone, SECRET)))[0] == 200
    sends = [json.dumps(reaction_envelope(fake, IGNORED)) for _ in range(10)]
    answers = await asyncio.gather(*(post(bot.url, body, signed_headers(body, SECRET)) for body in sends))
    assert [status for status, _ in answers] == [200] * len(sends)
    assert await count(db, Delivery) == 2 + len(sends)


def _refusing_trigger(database_url: str) -> tuple[list[str], list[str]]:
    """Statements that make every INSERT into deliveries fail, and that undo it."""
    if is_sqlite(database_url):
        return ([
            "CREATE TRIGGER refuse_deliveries BEFORE INSERT ON deliveries "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
        ], ["DROP TRIGGER refuse_deliveries"])
    return ([
        "CREATE FUNCTION refuse_deliveries() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
        "CREATE TRIGGER refuse_deliveries BEFORE INSERT ON deliveries "
        "FOR EACH ROW EXECUTE FUNCTION refuse_deliveries()",
    ], ["DROP TRIGGER refuse_deliveries ON deliveries", "DROP FUNCTION refuse_deliveries()"])
