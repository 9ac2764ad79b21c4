"""Redaction rules: checksums decide what is a card or an IBAN."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.domain.privacy.redact import KINDS, iban_ok, luhn_ok, redact


@pytest.mark.parametrize("number,ok", [("4111111111111111", True), ("4111111111111112", False),
                                       ("5555555555554444", True), ("378282246310005", True)])
def test_luhn(number: str, ok: bool) -> None:
    assert luhn_ok(number) is ok


@pytest.mark.parametrize("iban,ok", [("GB82 WEST 1234 5698 7654 32", True), ("DE89370400440532013000", True),
                                     ("DE89370400440532013001", False), ("FR14", False)])
def test_iban(iban: str, ok: bool) -> None:
    assert iban_ok(iban) is ok


@pytest.mark.parametrize("text,expected", [
    ("write to a.b+c@example.co.uk today", "write to [email] today"),
    ("card 4111-1111-1111-1111.", "card [card]."),
    ("card 4111 1111 1111 1112 fails Luhn", "card 4111 1111 1111 1112 fails Luhn"),
    ("IBAN GB82WEST12345698765432", "IBAN [iban]"),
    ("ring 020 7946 0958 or +1 (555) 123-4567", "ring [phone] or [phone]"),
    ("ticket 20261201 on 2026-12-01 at 10:30, v1.2.3", "ticket 20261201 on 2026-12-01 at 10:30, v1.2.3"),
])
def test_redact(text: str, expected: str) -> None:
    assert redact(text, KINDS) == expected


def test_only_the_chosen_kinds() -> None:
    assert redact("jane@acme.io, 020 7946 0958", {"email"}) == "[email], 020 7946 0958"


def test_setting_is_validated() -> None:
    base = {"slack_bot_token": "xoxb-1", "slack_signing_secret": "s", "_env_file": None}
    assert Settings(**base, redact="IBAN, email").redact_kinds == {"iban", "email"}  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown kind"):
        Settings(**base, redact="email,ssn")  # type: ignore[arg-type]
