"""Sign deliveries to the app exactly as Slack does (v0 HMAC-SHA256 request signatures)."""

from __future__ import annotations

import hashlib
import hmac
import time

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def signature(body: bytes | str, signing_secret: str, timestamp: int) -> str:
    """`v0=<hex>` of HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    raw = body.encode() if isinstance(body, str) else body
    base = b"v0:" + str(timestamp).encode() + b":" + raw
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: bytes | str,
    signing_secret: str,
    *,
    timestamp: int | None = None,
    content_type: str = JSON,
    retry_num: int | None = None,
    retry_reason: str | None = None,
) -> dict[str, str]:
    """Headers Slack sends with an Events API / interactivity / slash command request.

    Adds `X-Slack-Retry-Num` / `X-Slack-Retry-Reason` when this is a retry
    (Slack's reasons: http_timeout, http_error, connection_failed, ssl_error, too_many_redirects, unknown_error).
    """
    ts = int(time.time()) if timestamp is None else int(timestamp)
    headers = {
        "Content-Type": content_type,
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        "Accept": "application/json,*/*",
        "Accept-Encoding": "gzip,deflate",
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": signature(body, signing_secret, ts),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    return headers
