"""The intake API's media-type check (bot/server/api/remarks.py, json_type): the header as
nearly every sender writes it is taken without aiohttp's parse; every other spelling must
still be read as aiohttp reads it (parameters dropped, any case), or a sender that adds a
charset would be refused 415."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import make_mocked_request

from bot.server.api.remarks import json_type


@pytest.mark.parametrize(("header", "expected"), [
    ("application/json", "application/json"),  # the fast path
    ("application/json; charset=utf-8", "application/json"),  # a parameter: parsed, dropped
    ("Application/JSON", "application/json"),  # capitals: parsed, lower-cased
    (" application/json", "application/json"),  # a stray space: parsed
    ("application/jsonx", "application/jsonx"),  # a look-alike is not JSON
    ("text/plain", "text/plain"),
    (None, "application/octet-stream"),  # none: RFC 9110's default, as aiohttp says
])
def test_the_media_type_is_read_as_aiohttp_reads_it(header, expected):
    headers = {} if header is None else {"Content-Type": header}
    request = make_mocked_request("POST", "/api/v1/remarks", headers=headers)
    assert json_type(request) == expected
    assert json_type(request) == request.content_type.lower()
