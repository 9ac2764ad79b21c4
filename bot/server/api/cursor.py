"""Opaque page cursors for the read API, sealed to one workspace and one set of filters.

A cursor carries where the last page ended (a keyset position) and a digest of the query
it was made for, sealed with an HMAC whose key is derived from the signing secret (as
``Settings.metadata_key`` is), over the workspace's team id too. So a cursor edited by
hand, made for another workspace, or replayed with other filters is refused (400) instead
of quietly reading from the wrong place; a deployment's processes all share the key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from bot.config import Settings

MAC_BYTES = 16


class CursorError(ValueError):
    """The cursor cannot be used; the message says why."""


def key_of(settings: Settings) -> bytes:
    secret = settings.slack_signing_secret.get_secret_value().encode()
    return hmac.new(secret, b"earshot api cursor", hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _digest(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()[:16]


def _mac(key: bytes, team_id: str, body: str) -> bytes:
    return hmac.new(key, f"{team_id}\n{body}".encode(), hashlib.sha256).digest()[:MAC_BYTES]


def encode(key: bytes, *, team_id: str, query: str, position: list[Any]) -> str:
    """The cursor after ``position``, for ``team_id`` and the query described by ``query``."""
    body = _b64(json.dumps({"p": position, "q": _digest(query)}, separators=(",", ":")).encode())
    return f"{body}.{_b64(_mac(key, team_id, body))}"


def decode(key: bytes, cursor: str, *, team_id: str, query: str) -> list[Any]:
    """The position ``cursor`` carries; ``CursorError`` if it is not one this workspace was
    given for this query."""
    body, dot, mac = cursor.strip().partition(".")
    if not dot or len(cursor) > 1000:
        raise CursorError("is not a cursor this API gave (use next_cursor as it was given)")
    try:
        given = _unb64(mac)
    except (binascii.Error, ValueError):
        raise CursorError(
            "is not a cursor this API gave (use next_cursor as it was given)"
        ) from None
    if not hmac.compare_digest(given, _mac(key, team_id, body)):
        raise CursorError(
            "is not valid for this workspace (altered, or given to another token's workspace)"
        )
    try:
        data = json.loads(_unb64(body))
        position, digest = data["p"], data["q"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise CursorError("is not a cursor this API gave") from None
    if digest != _digest(query) or not isinstance(position, list):
        raise CursorError(
            "was made for other filters: send the same filters with it, or start again without it"
        )
    return position
