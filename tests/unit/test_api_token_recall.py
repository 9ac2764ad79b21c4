"""``api_tokens.recall_cached``: a batch's tokens from the process's memory alone, or None
when one must be read from the database first (then the acceptor takes the pooled path)."""

from __future__ import annotations

import datetime as dt

from bot.domain.workspace import api_tokens

NOW = dt.datetime(2026, 12, 7, 9, 30, 15, tzinfo=dt.UTC)
ONE, TWO = api_tokens.PREFIX + "a" * 43, api_tokens.PREFIX + "b" * 43


def cache_with(*tokens: str) -> api_tokens.TokenCache:
    cache = api_tokens.TokenCache()
    for i, t in enumerate(tokens, 1):
        cache.known[api_tokens.hash_of(t)] = api_tokens.Known(i, "T1", f"t{i}", 60)
    return cache


def test_every_token_known_gives_the_batch_recall_would():
    cache = cache_with(ONE, TWO)
    batch = api_tokens.recall_cached(cache, [TWO, ONE, TWO, "not-a-token"], now=NOW)
    assert batch is not None
    assert [k.id if k else None for k in batch.known] == [2, 1, 2, None]  # a malformed one needs no read
    assert batch.ranks == [1, 1, 2, 0]
    assert batch.spends == {1: 1, 2: 2}
    assert batch.window == int(NOW.timestamp()) // 60
    assert batch.touch == {1, 2}  # never touched by this process yet


def test_a_token_not_known_yet_needs_the_database():
    assert api_tokens.recall_cached(cache_with(ONE), [ONE, TWO], now=NOW) is None
