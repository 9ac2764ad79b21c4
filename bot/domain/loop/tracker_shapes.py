"""The tracker webhook bodies Earshot reads, checked field by field before any is used.

Shapes as each service documents them:

* GitHub, "Webhook events and payloads" (https://docs.github.com/en/webhooks/webhook-events-and-payloads):
  ``issues`` (``action``; ``issue.html_url``, ``issue.closed_at``) and ``pull_request``
  (``action``; ``pull_request.html_url``, ``.merged``, ``.merged_at``). Any other event
  (``ping`` when the hook is created, say) only has to be a JSON object.
* Linear, "Webhooks" (https://linear.app/developers/webhooks) and its GraphQL schema's
  ``EntityWebhookPayload`` (``action``, ``type``, ``data``, ``webhookId``,
  ``webhookTimestamp``: ms when it was sent) and ``IssueWebhookPayload`` (``url``,
  ``state.type``).

Types are strict (``"42"`` is not a number, ``"true"`` not a boolean, ``"issue": "x"`` not an
issue); fields Earshot does not read are not looked at. A body that does not fit raises
:class:`BadShape`, whose message names the field, for a 400. Bodies are parsed by pydantic's
JSON parser, which refuses nesting past its recursion limit and numbers out of range as
invalid JSON instead of failing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

# A time in ms since 1970, before the year 10000 (what a datetime can hold).
Millis = Annotated[float, Field(gt=0, lt=253_402_300_800_000, allow_inf_nan=False)]
Text = Annotated[str, Field(max_length=2048)]
# An issue's address: http(s), no spaces or control characters (a NUL cannot even be stored).
Url = Annotated[str, Field(max_length=2048, pattern=r"^https?://[^\x00-\x20\x7f]+$")]
# Linear's webhook id (a UUID): printable ASCII, since it may become the delivery id.
Id = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$")]


class BadShape(ValueError):
    """The body is not the documented shape; the message names the field."""


@dataclass(frozen=True)
class Closing:
    """A verified event that ships the improvements linking to ``url`` (and existing at ``at``)."""

    url: str
    at: dt.datetime  # when it happened: improvements created later are not its business


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class _AnyObject(_Strict):
    pass


class _GitHubIssue(_Strict):
    html_url: Url
    closed_at: AwareDatetime | None = None


class _IssuesEvent(_Strict):
    action: Text
    issue: _GitHubIssue


class _GitHubPull(_Strict):
    html_url: Url
    merged: bool | None = None
    merged_at: AwareDatetime | None = None


class _PullRequestEvent(_Strict):
    action: Text
    pull_request: _GitHubPull


class _LinearEnvelope(_Strict):
    action: Text
    type: Text
    webhookId: Id  # noqa: N815 - Linear's field name
    webhookTimestamp: Millis  # noqa: N815
    data: dict[str, Any]


class _LinearState(_Strict):
    type: Text


class _LinearIssue(_Strict):
    url: Url
    state: _LinearState


def _reason(e: ValidationError, prefix: str = "") -> str:
    err = e.errors(include_url=False, include_input=False)[0]
    if err["type"] == "json_invalid":
        return f"body is not valid JSON ({err['msg'].removeprefix('Invalid JSON: ')})"
    where = ".".join(str(p) for p in (prefix, *err["loc"]) if p != "") or "body"
    # The same words whether the object came from the JSON or from an object inside it.
    msg = "Input should be an object" if err["type"] in ("model_type", "dict_type") else err["msg"]
    return f"{where}: {msg}"


M = TypeVar("M", bound=_Strict)


def _parse(model: type[M], body: bytes | dict[str, Any], prefix: str = "") -> M:
    try:
        if isinstance(body, bytes):
            return model.model_validate_json(body)
        return model.model_validate(body)
    except ValidationError as e:
        raise BadShape(_reason(e, prefix)) from None


def github_closing(event: str, body: bytes) -> Closing | None:
    """The closed issue or merged pull request ``body`` reports; None for anything else."""
    if event == "issues":
        issues = _parse(_IssuesEvent, body)
        if issues.action != "closed":
            return None
        if issues.issue.closed_at is None:
            raise BadShape("issue.closed_at: a closed issue has the time it was closed")
        return Closing(issues.issue.html_url, issues.issue.closed_at)
    if event == "pull_request":
        pulls = _parse(_PullRequestEvent, body)
        if pulls.action != "closed" or pulls.pull_request.merged is not True:
            return None
        if pulls.pull_request.merged_at is None:
            raise BadShape("pull_request.merged_at: a merged pull request has the time it was merged")
        return Closing(pulls.pull_request.html_url, pulls.pull_request.merged_at)
    _parse(_AnyObject, body)
    return None


@dataclass(frozen=True)
class LinearDelivery:
    webhook_id: str
    sent_ms: float
    closing: Closing | None  # a completed issue, or None for anything else


def linear_delivery(body: bytes) -> LinearDelivery:
    """Linear's envelope, and the completed issue it reports (if it does)."""
    env = _parse(_LinearEnvelope, body)
    sent = dt.datetime.fromtimestamp(env.webhookTimestamp / 1000, dt.UTC)
    closing = None
    if env.type == "Issue":
        issue = _parse(_LinearIssue, env.data, prefix="data")
        if issue.state.type == "completed":
            closing = Closing(issue.url, sent)
    return LinearDelivery(env.webhookId, env.webhookTimestamp, closing)


__all__ = ["BadShape", "Closing", "LinearDelivery", "github_closing", "linear_delivery"]
