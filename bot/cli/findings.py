"""What ``earshot doctor`` found: one line each, with how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Finding:
    ok: bool
    what: str
    fix: str = ""
    fatal: bool = True  # would something break (exit 1), or is it a warning
    skipped: bool = False  # not checked: an earlier check it needs failed (``fix`` says which)


def skipped(what: str, why: str) -> Finding:
    return Finding(False, what, why, fatal=False, skipped=True)
