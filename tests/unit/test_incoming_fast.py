"""The acknowledged path's one-pass check (msgspec) accepts only what the full check
(json + pydantic, incoming.check) accepts, with the same result; everything else it hands to
the full path, which alone says what is wrong (docs/api.md, Throughput)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.capture import incoming, incoming_fast
from bot.domain.capture.incoming import Checked

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def full(raw: bytes) -> Checked | None:
    """What the full path makes of ``raw``: the checked remark, or None for any answer but 2xx."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except ValueError:
        return None
    got = incoming.check(data, now=NOW)
    return got if isinstance(got, Checked) else None


GOOD = [
    b'{"text": "Refunds take weeks", "source": "zendesk"}',
    b'{"text": "a", "source": " Zendesk ", "external_id": 42, "process": " Billing "}',
    b'{"text": "a", "source": "z", "external_id": "T-1", "customer": "Acme", "contact": "x@acme.com",'
    b' "url": "https://acme.zendesk.com/t/1", "said_at": "2025-02-01T10:00:00+01:00", "note": "n",'
    b' "score": {"kind": "NPS", "value": " 9 "}}',
    b'{"text": "a", "source": "z", "score": {"kind": "csat", "value": 5}, "process": "  ", "customer": ""}',
    b'{"text": "a", "source": "z", "said_at": "2025-03-01T12:04:00Z", "score": null, "url": " "}',
    b'{"text": "\\ud83d\\ude00 emoji by escapes", "source": "z", "text": "the last one counts"}',
    b' \r\n{"text": "a", "source": "z", "external_id": -0}\n',
]

BAD = [
    b'\xef\xbb\xbf{"text": "a BOM: the full path takes it", "source": "z"}',
    b'{"text": "", "source": "z"}', b'{"text": " ", "source": "z"}', b'{"text": "a"}',
    b'{"text": "a\\u0000", "source": "z"}', b'{"text": "\\ud800", "source": "z"}',
    b'{"text": "a", "source": "' + b"s" * 61 + b'"}', b'{"text": "a", "source": "z", "colour": 1}',
    b'{"text": "a", "source": "z", "external_id": true}', b'{"text": "a", "source": "z", "external_id": 1.0}',
    b'{"text": "a", "source": "z", "external_id": ' + b"9" * 256 + b"}",
    b'{"text": "a", "source": "z", "external_id": ""}',
    b'{"text": "a", "source": "z", "url": "ftp://x"}', b'{"text": "a", "source": "z", "url": "https://"}',
    b'{"text": "a", "source": "z", "said_at": "yesterday"}',
    b'{"text": "a", "source": "z", "said_at": "2025-03-01T12:06:00Z"}',
    b'{"text": "a", "source": "z", "said_at": "1969-12-31T23:59:59Z"}',
    b'{"text": "a", "source": "z", "score": {"kind": "csat", "value": 6}}',
    b'{"text": "a", "source": "z", "score": {"kind": "nps", "value": "-1"}}',
    b'{"text": "a", "source": "z", "score": {"kind": "stars", "value": true}}',
    b'{"text": "a", "source": "z", "score": {"kind": "ces", "value": 1}}',
    b'{"text": "a", "source": "z", "score": {"kind": "csat", "value": 3, "max": 5}}',
    b'{"text": "a", "source": "z", "score": {"kind": "csat", "value": "\xc2\xb2"}}',
    b'{"text": "a", "source": "z", "process": "' + b"p" * 81 + b'"}',
    b'{"text": "a", "source": "z", "text": ""}', b'{"text": "a", "source": "z"} x',
    b'{"text": "a\\tb", "source": "z", "external_id": NaN}', b'[{"text": "a", "source": "z"}]',
    b'"a"', b"", b'{"text": "\xff", "source": "z"}', b'{"text": "a\nb", "source": "z"}',
]


@pytest.mark.parametrize("raw", GOOD)
def test_a_good_body_is_checked_in_one_pass_as_the_full_path_checks_it(raw):
    got = incoming_fast.check_body(raw, now=NOW)
    assert got is not None and got == full(raw)


@pytest.mark.parametrize("raw", BAD)
def test_a_body_the_full_path_refuses_or_reads_differently_goes_to_it(raw):
    assert incoming_fast.check_body(raw, now=NOW) is None
    if not raw.startswith(b"\xef\xbb\xbf"):
        assert full(raw) is None


def test_the_fields_are_the_full_paths():
    assert set(incoming_fast.FIELDS) == set(incoming.FIELDS)


_values = st.one_of(st.none(), st.booleans(), st.integers(-20, 20), st.floats(allow_nan=False),
                    st.text(max_size=8), st.sampled_from(["csat", "NPS", "stars", " 4", "2025-02-01T10:00:00Z",
                                                          "https://x.io", "", " "]))
_scores = st.one_of(_values, st.fixed_dictionaries({}, optional={"kind": _values, "value": _values,
                                                                 "max": _values}))
_bodies = st.fixed_dictionaries({}, optional={**{f: _values for f in incoming.FIELDS if f != "score"},
                                              "score": _scores, "colour": _values})


@settings(max_examples=300, deadline=None)
@given(_bodies)
def test_it_never_accepts_what_the_full_path_refuses_nor_differs_from_it(data):
    raw = json.dumps(data).encode()
    got = incoming_fast.check_body(raw, now=NOW)
    assert got is None or got == full(raw)


def test_the_clock_is_read_only_for_a_time_to_check():
    read: list[int] = []

    def clock() -> dt.datetime:
        read.append(1)
        return NOW

    assert incoming_fast.check_body(GOOD[0], now=clock) == full(GOOD[0]) and not read
    assert incoming_fast.check_body(b'{"text": "a", "source": "z", "said_at": "2025-03-01T12:06:00Z"}',
                                    now=clock) is None and read == [1]
