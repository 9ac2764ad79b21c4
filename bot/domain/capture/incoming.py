"""What the intake API and `earshot import` take, validated whole (pure; docs/api.md).

``parse(data, now=...)`` returns an ``Incoming`` or every problem at once, each naming
its field (``score.value``, ``said_at``), so a sender can fix a request in one go.
Pydantic does the checking: it is made for this, and says per field what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from bot.domain.capture.origin import Score
from bot.domain.capture.scores import out_of_range

MAX_TEXT = 20_000  # characters; a helpdesk ticket's words fit, a pasted log does not
FUTURE_SKEW = dt.timedelta(minutes=5)  # senders' clocks drift; "the future" is past this
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass(frozen=True)
class Incoming:
    text: str
    source: str
    external_id: str | None = None
    customer: str | None = None
    contact: str | None = None
    url: str | None = None
    said_at: dt.datetime | None = None
    process: str | None = None
    score: Score | None = None
    note: str | None = None


KINDS = ("csat", "nps", "stars")


class _Score(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    kind: Literal["csat", "nps", "stars"]  # in any case ("CSAT", "Nps"); stored lower case
    # A whole number; "4" too, since no-code tools (Zapier, n8n) send every field as text.
    value: Any

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, v: Any) -> Any:
        if isinstance(v, str) and v.lower() in KINDS:
            return v.lower()
        raise ValueError(f"must be one of {', '.join(KINDS)} (in any case)")

    @field_validator("value")
    @classmethod
    def _range(cls, v: Any, info: ValidationInfo) -> int:
        if isinstance(v, str) and v.strip().lstrip("-").isdigit() and len(v.strip()) <= 3:
            v = int(v.strip())
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError("must be a whole number")
        kind = info.data.get("kind")
        why = out_of_range(kind, v) if kind else None
        if why:
            raise ValueError(why)
        return v


def check_text(v: str | None, limit: int, *, blank_ok: bool = False) -> str | None:
    """A text field's rules: ``v``, None (blank where ``blank_ok``), or ValueError saying why."""
    if v is None:
        return None
    if "\x00" in v:
        raise ValueError("must not contain a NUL character")
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (\ud800) no database can store
        raise ValueError("must be valid Unicode text (it has a lone surrogate)") from None
    if len(v) > limit:
        raise ValueError(f"must be at most {limit:,} characters (it has {len(v):,})")
    if not v.strip():
        if blank_ok:
            return None
        raise ValueError("must not be empty or only whitespace")
    return v


def _text(limit: int, *, blank_ok: bool = False) -> Any:
    def check(v: str | None) -> str | None:
        return check_text(v, limit, blank_ok=blank_ok)
    return check


def check_url(v: str | None) -> str | None:
    """The url field's rules (blank is None), or ValueError saying why."""
    v = check_text(v, 1024, blank_ok=True)
    if v is not None and not v.lower().startswith(("https://", "http://")):
        raise ValueError("must be an http(s) URL")
    if v is not None and not _HOST.match(v):
        raise ValueError("must be an http(s) URL with a host")
    return v


_HOST = re.compile(r"https?://[^/\s?#]+", re.I)


class _Remark(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    text: str
    source: str  # up to 60 characters: _text(60) says so in the API's words
    external_id: str | int | None = None
    customer: str | None = None
    contact: str | None = None
    url: str | None = None
    said_at: str | None = None
    process: str | None = None
    score: _Score | None = None
    note: str | None = None

    _t = field_validator("text")(_text(MAX_TEXT))
    _s = field_validator("source")(_text(60))
    _c = field_validator("customer", "contact")(_text(255, blank_ok=True))
    _p = field_validator("process")(_text(80, blank_ok=True))
    _n = field_validator("note")(_text(2000, blank_ok=True))

    @field_validator("external_id", mode="before")
    @classmethod
    def _external_id(cls, v: Any) -> str | int | None:
        # One message for the field (not one per member of the union: "external_id.str").
        if isinstance(v, str):
            return _text(255)(v)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError("must be a string or a whole number")
        if len(str(v)) > 255:
            raise ValueError("must be at most 255 characters")
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        return check_url(v)

    @field_validator("said_at")
    @classmethod
    def _said_at(cls, v: str | None, info: ValidationInfo) -> str | None:
        # "" is a no-code tool's unmapped field (Zapier, n8n), as for the other optional
        # strings: absent, so the remark is said now.
        if v is not None and not v.strip():
            return None
        if v is not None:
            at, now = when(v), (info.context or {}).get("now")
            if now is not None and at > now + FUTURE_SKEW:
                raise ValueError("must not be in the future")
            if at < EPOCH:  # no feedback predates Unix time; week arithmetic on year 1 overflows
                raise ValueError("must be a time after 1970")
        return v


# A leap second ("23:59:60", RFC 3339 5.6), which a datetime cannot hold: its second before.
_LEAP = re.compile(r"(T\d{2}:\d{2}:)60(?=[.,Z+-]|$)")


def when(value: str) -> dt.datetime:
    """An ISO-8601 time as UTC; one without an offset is taken as UTC. RFC 3339's lower-case
    ``t`` and ``z`` are taken, and a leap second is read as the second before it."""
    try:
        at = dt.datetime.fromisoformat(_LEAP.sub(r"\g<1>59", value.strip().upper()))
        # An offset can carry year 1 or 9999 past what a datetime holds (OverflowError).
        at = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
    except ValueError:
        raise ValueError("must be an ISO-8601 time, e.g. 2025-03-01T14:30:00Z") from None
    except OverflowError:
        raise ValueError("is out of range") from None
    return at


class Checked(NamedTuple):
    """What the acknowledged path needs of a checked remark (the worker parses it whole)."""

    source: str
    external_id: str | None
    process: str | None


def check(data: Any, *, now: dt.datetime) -> Checked | list[Problem]:
    """The same checks as ``parse``, and the same problems, without building the
    ``Incoming``: the acknowledged API path stores the body as sent and needs only these."""
    m = _validated(data, now)
    if isinstance(m, list):
        return m
    return Checked(m.source.strip(), str(m.external_id) if m.external_id is not None else None,
                   _strip(m.process))


def _validated(data: Any, now: dt.datetime) -> _Remark | list[Problem]:
    if not isinstance(data, dict):
        return [Problem("(body)", f"must be a JSON object, not {_kind(data)}")]
    try:
        return _Remark.model_validate(data, context={"now": now})
    except ValidationError as e:
        return [Problem(_field(err["loc"]), _message(err)) for err in e.errors()]


def parse(data: Any, *, now: dt.datetime) -> Incoming | list[Problem]:
    """``data`` (decoded JSON, or a CSV row as a dict) as an ``Incoming``, or its problems."""
    m = _validated(data, now)
    if isinstance(m, list):
        return m
    said_at = when(m.said_at) if m.said_at is not None else None
    external = str(m.external_id) if m.external_id is not None else None
    return Incoming(
        text=m.text, source=m.source.strip(), external_id=external, customer=_strip(m.customer),
        contact=_strip(m.contact), url=_strip(m.url), said_at=said_at, process=_strip(m.process),
        score=Score(m.score.kind, int(m.score.value)) if m.score else None, note=m.note,
    )


def _strip(v: str | None) -> str | None:
    return v.strip() if v is not None else None


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(body)"


def _message(err: Any) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "is not a field Earshot knows (see /api/v1/openapi.json)"
    if kind == "missing":
        return "is required"
    if kind in ("model_type", "dict_type"):
        return "must be an object"
    if kind == "string_type":  # pydantic's "Input should be a valid string", in the API's words
        return f"must be a string, not {_kind(err.get('input'))}"
    msg = str(err.get("msg", "is not valid"))
    return msg.removeprefix("Value error, ")


def _kind(data: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null",
            dict: "an object"}.get(type(data), "a number")


FIELDS = tuple(_Remark.model_fields)  # what a body may hold (the OpenAPI document lists the same)
REQUIRED = tuple(n for n, f in _Remark.model_fields.items() if f.is_required())
