"""Optional redaction at capture (``REDACT=email,phone,card,iban``).

The stored text gets placeholders instead: ``[email]``, ``[phone]``, ``[card]``, ``[iban]``.
Card numbers must pass the Luhn check and IBANs the ISO 13616 mod-97 check, so order
numbers and other long digit runs are left alone. Slack's own markup for e-mail links
(``<mailto:a@b.c|a@b.c>``) is replaced whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = ["KINDS", "iban_ok", "luhn_ok", "redact"]

from bot.config import REDACT_KINDS as KINDS

_EMAIL = re.compile(
    r"<mailto:[^|>\s]+(?:\|[^>]*)?>|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
# 13-19 digits, optionally grouped by single spaces or dashes.
_CARD = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
# Country code, two check digits, 11-30 alphanumerics, optionally in groups of four.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
# International (+...) or national numbers of 7-15 digits with common separators.
_PHONE = re.compile(r"(?<![\w+(])(?:\+|00|\()?\d[\d ().\-]{5,18}\d(?![\w-])")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(candidate: str) -> bool:
    s = candidate.replace(" ", "").upper()
    if not 15 <= len(s) <= 34 or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    moved = s[4:] + s[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


def _card(m: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", m.group(0))
    return "[card]" if 13 <= len(digits) <= 19 and luhn_ok(digits) else m.group(0)


def _iban(m: re.Match[str]) -> str:
    return "[iban]" if iban_ok(m.group(0)) else m.group(0)


def _phone(m: re.Match[str]) -> str:
    raw = m.group(0)
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:
        return raw
    # A bare run of digits without separators or a leading + is more likely an id.
    if not raw.startswith(("+", "00", "(")) and not re.search(r"[ ().\-]", raw):
        return raw
    # Dates and times (2026-12-01, 10.12.2026) are not phone numbers.
    if re.fullmatch(r"\d{1,4}[.\-/]\d{1,2}[.\-/]\d{1,4}", raw):
        return raw
    return "[phone]"


_STEPS: dict[str, Callable[[str], str]] = {
    "email": lambda t: _EMAIL.sub("[email]", t),
    "iban": lambda t: _IBAN.sub(_iban, t),
    "card": lambda t: _CARD.sub(_card, t),
    "phone": lambda t: _PHONE.sub(_phone, t),
}


def redact(text: str, kinds: Iterable[str]) -> str:
    """``text`` with every enabled kind replaced by its placeholder (IBAN and card before
    phone, so their digits are not taken for a phone number)."""
    wanted = set(kinds)
    for kind in ("email", "iban", "card", "phone"):
        if kind in wanted:
            text = _STEPS[kind](text)
    return text
