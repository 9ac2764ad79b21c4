"""Sealed ``private_metadata``: what Earshot put in a view comes back signed, so a submission
naming something else (another message, another channel, another workspace) is refused.

A view's metadata returns in its submission; Earshot treats it as a claim. The seal is an
HMAC-SHA256 (the standard library's ``hmac``) over the metadata's JSON, the workspace and
the person the view was opened for, under a key derived from the signing secret
(``Settings.metadata_key``), kept in the JSON itself under ``sig``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

SIG = "sig"
SIG_CHARS = 32  # 128 bits of the MAC, hex


def _mac(data: dict[str, Any], key: bytes, scope: str) -> str:
    body = json.dumps({k: v for k, v in data.items() if k != SIG}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, f"{scope}\n{body}".encode(), hashlib.sha256).hexdigest()[:SIG_CHARS]


def seal(data: dict[str, Any], *, key: bytes, scope: str) -> dict[str, Any]:
    """``data`` with its seal for ``scope`` (``"<team>:<user>"``)."""
    return {**data, SIG: _mac(data, key, scope)}


def is_sealed(data: dict[str, Any], *, key: bytes, scope: str) -> bool:
    """Whether ``data`` carries a seal Earshot made for exactly this content and scope."""
    sig = data.get(SIG)
    return isinstance(sig, str) and hmac.compare_digest(sig, _mac(data, key, scope))


def scope_of(team_id: str, user_id: str) -> str:
    return f"{team_id}:{user_id}"
