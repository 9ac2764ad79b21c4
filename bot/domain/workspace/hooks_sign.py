"""Signing outbound webhooks as the Standard Webhooks spec says
(https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):

* ``webhook-id``: the message's id, the same on every retry so a receiver can de-duplicate;
* ``webhook-timestamp``: seconds since the epoch of this attempt;
* ``webhook-signature``: ``v1,<base64 of HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>``;
* a secret is ``whsec_`` and the base64 of 24 to 64 random bytes (we make 32).

The HMAC itself is the spec authors' library (``standardwebhooks``), so what we send is
what their verifiers in every language check."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
from collections.abc import Sequence
from typing import Any

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def new_msg_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


def body(event_type: str, at: dt.datetime, data: dict[str, Any]) -> bytes:
    """The request body: ``{"type", "timestamp", "data"}``, as the spec's payload structure."""
    stamp = at.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return json.dumps(
        {"type": event_type, "timestamp": stamp, "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")


def signature(secret: str, msg_id: str, at: dt.datetime, payload: bytes) -> str:
    return Webhook(secret).sign(msg_id, at, payload)


def signing_secrets(
    secret: str, previous: str | None, until: dt.datetime | None, now: dt.datetime
) -> list[str]:
    """What signs a request sent at ``now``: the secret, and after a rotation the one it
    replaced, until the end of its grace period."""
    if previous and until is not None and now < until:
        return [secret, previous]
    return [secret]


def headers(
    secret: str | Sequence[str], msg_id: str, at: dt.datetime, payload: bytes
) -> dict[str, str]:
    """``secret``: one, or several (a rotation's grace): then ``webhook-signature`` carries one
    signature per secret, space-separated, as the spec allows; a receiver accepts any of them."""
    keys = [secret] if isinstance(secret, str) else list(secret)
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signature(k, msg_id, at, payload) for k in keys),
        "user-agent": "Earshot-Webhooks/1",
    }
