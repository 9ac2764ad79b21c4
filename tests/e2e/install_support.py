"""An Earshot in OAuth mode with its operator named, for the Add to Slack page tests."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import Settings
from bot.fakeslack import FakeSlack
from bot.fakeslack.state import Workspace as FakeWorkspace
from tests.conftest import SECRET, RunningBot, start_bot
from tests.e2e.test_durability import free_port

B = "T0002"
OPERATOR = {"operator_name": "Northwind Traders", "operator_contact": "privacy@northwind.example",
            "privacy_policy_url": "https://northwind.example/privacy?from=earshot&x=1"}


@pytest.fixture
async def oauth_bot(fake: FakeSlack, database_url: str, db: Any) -> AsyncIterator[tuple[RunningBot, Settings]]:
    """Earshot in OAuth mode at a known port (PUBLIC_URL), with a second workspace in the stand-in."""
    fake.add_workspace(FakeWorkspace.default(team_id=B, team_name="Beta Bank", domain="beta-bank"))
    port = free_port()
    settings = Settings(_env_file=None, slack_signing_secret=SECRET,  # type: ignore[call-arg]
                        slack_client_id=fake.api.client_id, slack_client_secret=fake.api.client_secret,
                        slack_api_url=fake.api_url, database_url=database_url, log_level="DEBUG",
                        public_url=f"http://127.0.0.1:{port}", remark_text_retention_days=365,
                        uninstall_grace_days=14, redact="email,card", **OPERATOR)
    running, stop = await start_bot(settings, port=port)
    yield running, settings
    await stop()


def style_of(page: str) -> str:
    """The inline stylesheet of a page."""
    return re.search(r"<style>(.*?)</style>", page, re.S).group(1)  # type: ignore[union-attr]
