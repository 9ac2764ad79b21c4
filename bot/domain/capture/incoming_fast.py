"""The acknowledged API path's check of a body, decoded and checked in one pass (msgspec).

``check_body(raw, now=...)`` returns what ``incoming.check(json.loads(raw), now=...)`` would
for a body that passes, or None when it cannot say so cheaply: not valid UTF-8 JSON as
msgspec reads it, a field of the wrong type, a value some check refuses. The caller then
runs the full path (json + pydantic, incoming.check), which alone builds the detailed
answer (400/422 naming every bad field), so answers to bad bodies stay exactly as they were.
It only ever accepts what the full path accepts: the same rules (incoming's own checkers),
and msgspec reads JSON as json.loads does wherever it accepts it (a repeated key: the last).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import msgspec

from bot.domain.capture.incoming import (
    EPOCH,
    FUTURE_SKEW,
    KINDS,
    MAX_TEXT,
    Checked,
    check_text,
    check_url,
    when,
)
from bot.domain.capture.scores import out_of_range


class _Score(msgspec.Struct, forbid_unknown_fields=True):
    kind: str
    value: int | str


class _Remark(msgspec.Struct, forbid_unknown_fields=True):
    # The same fields and JSON types as incoming._Remark (strict: no coercion; a bool is not
    # an int, a float is neither); test_intake_fast_path.py checks the field lists agree.
    text: str
    source: str
    external_id: str | int | None = None
    customer: str | None = None
    contact: str | None = None
    url: str | None = None
    said_at: str | None = None
    process: str | None = None
    score: _Score | None = None
    note: str | None = None


_DECODER = msgspec.json.Decoder(_Remark)
FIELDS = _Remark.__struct_fields__


def check_body(raw: bytes, *, now: dt.datetime | Callable[[], dt.datetime]) -> Checked | None:
    """The checked remark, or None: let the full path decide (and say why). ``now`` may be
    the clock itself, read only for a body with ``said_at``."""
    try:
        m = _DECODER.decode(raw)
        return _checked(m, now)
    except Exception:  # msgspec's errors, a checker's ValueError, anything odd: the full path
        return None


def _checked(m: _Remark, now: dt.datetime | Callable[[], dt.datetime]) -> Checked | None:
    check_text(m.text, MAX_TEXT)
    if len(m.source) > 60:
        return None
    source = check_text(m.source, 60)
    ext: Any = m.external_id
    if isinstance(ext, str):
        check_text(ext, 255)
    elif ext is not None and len(str(ext)) > 255:
        return None
    check_text(m.customer, 255, blank_ok=True)
    check_text(m.contact, 255, blank_ok=True)
    check_url(m.url)
    if m.said_at is not None:
        at = when(m.said_at)
        if callable(now):
            now = now()
        if at > now + FUTURE_SKEW or at < EPOCH:
            return None
    process = check_text(m.process, 80, blank_ok=True)
    check_text(m.note, 2000, blank_ok=True)
    if m.score is not None and not _score_ok(m.score):
        return None
    assert source is not None  # not blank_ok: a blank source raised
    return Checked(source.strip(), str(ext) if ext is not None else None,
                   process.strip() if process is not None else None)


def _score_ok(s: _Score) -> bool:
    kind = s.kind.lower()
    if kind not in KINDS:
        return False
    v = s.value
    if isinstance(v, str):
        if not (v.strip().lstrip("-").isdigit() and len(v.strip()) <= 3):
            return False
        v = int(v.strip())
    return out_of_range(kind, v) is None
