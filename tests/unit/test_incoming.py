"""The intake API's body, validated whole: every problem named by its field (docs/api.md)."""

from __future__ import annotations

import datetime as dt

from bot.domain.capture.incoming import Checked, Incoming, check, parse
from bot.domain.capture.origin import Score

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def fields(result) -> set[str]:
    assert isinstance(result, list)
    return {p.field for p in result}


def test_a_full_body_is_read_with_its_types():
    got = parse({"text": "Slow refunds", "source": "zendesk", "external_id": 42, "customer": " Acme ",
                 "said_at": "2025-02-01T10:00:00+01:00", "score": {"kind": "stars", "value": 2}}, now=NOW)
    assert isinstance(got, Incoming)
    assert (got.external_id, got.customer, got.score) == ("42", "Acme", Score("stars", 2))
    assert got.said_at == dt.datetime(2025, 2, 1, 9, 0, tzinfo=dt.UTC)


def test_every_problem_is_named_at_once():
    assert fields(parse({"text": "", "score": {"kind": "nps"}, "said_at": "2025-03-02T12:00:00Z",
                         "extra": 1}, now=NOW)) == {"text", "source", "score.value", "said_at", "extra"}


def test_wrong_types_are_refused_not_coerced():
    assert fields(parse({"text": 5, "source": ["z"], "score": {"kind": "csat", "value": 4.5},
                         "said_at": 1700000000}, now=NOW)) == {"text", "source", "score.value", "said_at"}
    assert fields(parse({"text": "a", "source": "z", "score": {"kind": "csat", "value": "four"}},
                        now=NOW)) == {"score.value"}
    # No-code tools send numbers as text: a whole number in a string is taken.
    got = parse({"text": "a", "source": "z", "score": {"kind": "nps", "value": " 9 "}}, now=NOW)
    assert isinstance(got, Incoming) and got.score == Score("nps", 9)
    assert fields(parse({"text": "a", "source": "z", "score": {"kind": "csat", "value": True}},
                        now=NOW)) == {"score.value"}


def test_a_few_minutes_of_clock_drift_are_not_the_future():
    assert isinstance(parse({"text": "a", "source": "z", "said_at": "2025-03-01T12:04:00Z"}, now=NOW), Incoming)
    assert fields(parse({"text": "a", "source": "z", "said_at": "2025-03-01T12:06:00Z"}, now=NOW)) == {"said_at"}


def test_text_no_database_can_store_is_refused_by_field():
    bad = parse({"text": "ok \ud800", "source": "z", "contact": "a\x00b", "external_id": 10 ** 300}, now=NOW)
    assert fields(bad) == {"text", "contact", "external_id"}


def test_not_an_object():
    assert [p.message for p in parse([1], now=NOW)] == ["must be a JSON object, not an array"]
    assert [p.field for p in parse(None, now=NOW)] == ["(body)"]


def test_check_refuses_what_parse_refuses_and_keeps_what_the_acknowledged_path_needs():
    # check() is parse() without building the Incoming (the acknowledged API path stores
    # the body as sent); the problems must be the same, word for word.
    bad = [{"text": "", "score": {"kind": "nps"}, "said_at": "2025-03-02T12:00:00Z", "extra": 1},
           ["an", "array"], {"text": "ok", "source": "s", "external_id": True},
           {"text": "ok", "source": "s", "score": {"kind": "CSAT", "value": "9"}}]
    for body in bad:
        assert check(body, now=NOW) == parse(body, now=NOW)
    good = {"text": "Slow refunds", "source": " zendesk ", "external_id": 42, "process": " Billing "}
    assert check(good, now=NOW) == Checked("zendesk", "42", "Billing")
    full = parse(good, now=NOW)
    assert isinstance(full, Incoming)
    assert check(good, now=NOW) == Checked(full.source, full.external_id, full.process)
    assert check({"text": "x", "source": "s"}, now=NOW) == Checked("s", None, None)
