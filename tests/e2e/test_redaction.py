"""REDACT=email,phone,card,iban: captured text is stored with placeholders, edits too."""

from __future__ import annotations

import pytest

from bot.config import Settings
from tests.conftest import settled
from tests.e2e.queries import ALICE, CARLA, SUPPORT, remarks


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"redact": "email,phone,card,iban"})


async def test_captured_text_is_stored_redacted(fake, slack, bot, db):
    msg = fake.state.post_message(
        SUPPORT, CARLA, "Jane (jane.doe@acme.io, +49 30 1234567) paid with 4111 1111 1111 1111 "
                        "from DE89 3704 0044 0532 0130 00; order 12345678901 is late")
    await slack.react(ALICE, SUPPORT, msg["ts"], "memo")
    await settled(bot)
    [r] = await remarks(db)
    assert r.text == ("Jane ([email], [phone]) paid with [card] from [iban]; "
                      "order 12345678901 is late")
    await slack.edit(CARLA, SUPPORT, msg["ts"], "Correction: mail <mailto:j@acme.io|j@acme.io> instead")
    await settled(bot)
    [r] = await remarks(db)
    assert r.text == "Correction: mail [email] instead"


async def test_typed_remarks_are_redacted_too(slack, bot, db):
    delivery = await slack.slash(ALICE, SUPPORT, "Acme: call me on (555) 123-4567, the invoice is wrong")
    assert delivery.status == 200
    await settled(bot)
    [r] = await remarks(db)
    assert "555" not in r.text and "[phone]" in r.text
