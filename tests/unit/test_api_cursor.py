"""The read API's cursors: sealed to one workspace and one set of filters, refused when
edited; and its query string: unknown and repeated parameters named."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import make_mocked_request
from multidict import CIMultiDict

from bot.server.api import cursor, params

KEY = b"k" * 32


def test_a_cursor_gives_back_its_position_to_the_same_workspace_and_filters():
    c = cursor.encode(
        KEY,
        team_id="T1",
        query="remarks?sentiment=praise",
        position=["2025-03-01T00:00:00+00:00", 7],
    )
    assert cursor.decode(KEY, c, team_id="T1", query="remarks?sentiment=praise") == [
        "2025-03-01T00:00:00+00:00",
        7,
    ]


@pytest.mark.parametrize("why", ["team", "query", "key", "body", "mac", "shape"])
def test_a_cursor_for_another_workspace_other_filters_or_edited_is_refused(why):
    c = cursor.encode(KEY, team_id="T1", query="q", position=[1])
    body, _, mac = c.partition(".")
    team, query, key = "T1", "q", KEY
    if why == "team":
        team = "T2"
    elif why == "query":
        query = "q2"
    elif why == "key":
        key = b"x" * 32
    elif why == "body":
        c = cursor.encode(KEY, team_id="T1", query="q", position=[2]).partition(".")[0] + "." + mac
    elif why == "mac":
        c = body + "." + ("A" * len(mac))
    else:
        c = "no-dot-here"
    with pytest.raises(cursor.CursorError):
        cursor.decode(key, c, team_id=team, query=query)


def test_unknown_and_repeated_parameters_are_named_and_the_limit_checked():
    request = make_mocked_request(
        "GET", "/api/v1/remarks?sentiment=a&sentiment=b&colour=red&limit=201", headers=CIMultiDict()
    )
    given, problems = params.read(request, ["sentiment"])
    assert {p.field for p in problems} == {"sentiment", "colour"}
    assert params.limit_of(given, problems) == params.DEFAULT_LIMIT
    assert {p.field for p in problems} == {"sentiment", "colour", "limit"}
    assert params.canonical({"b": "2", "a": "1", "limit": "5"}, ["a", "b"]) == "a=1&b=2"
