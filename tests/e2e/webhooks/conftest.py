"""Fixtures of the outbound webhook tests: the bot with quick retries and plain-HTTP,
private receivers allowed (``support.FAST``), and a receiver standing in for the
subscriber's endpoint (hook_receiver.py, written from the Standard Webhooks spec).

A module that needs more overrides ``settings`` (asking for this one) or
``receiver_options`` (keyword arguments for ``Receiver``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import Settings
from tests.e2e.webhooks.hook_receiver import Receiver
from tests.e2e.webhooks.support import FAST


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update=FAST)


@pytest.fixture
def receiver_options() -> dict[str, Any]:
    return {}


@pytest.fixture
async def receiver(receiver_options: dict[str, Any]) -> AsyncIterator[Receiver]:
    async with Receiver(**receiver_options) as r:
        yield r
