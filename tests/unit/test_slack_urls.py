"""Only Slack's hosts are ever posted to: hooks.slack.com over https, or SLACK_API_URL's own
scheme, host and port (the stand-in's when it replaces Slack)."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.domain.workspace.replies import is_slack_url


@pytest.mark.parametrize(("url", "ok"), [
    ("https://hooks.slack.com/actions/T0001/123/abc", True),
    ("https://hooks.slack.com:443/commands/T0001/1/x", True),
    ("http://hooks.slack.com/actions/T0001/123/abc", False),
    ("https://hooks.slack.com.evil.example/actions", False),
    ("https://evil.example/hooks.slack.com/actions", False),
    ("https://hooks.slack.com@evil.example/actions", False),
    ("https://user:pw@hooks.slack.com/actions", False),
    ("https://hooks.slack.com:8443/actions", False),
    ("http://127.0.0.1:9999/response/x", True),  # SLACK_API_URL's host and port: the stand-in
    ("http://127.0.0.1:9998/steal", False),
    ("http://localhost:9999/response/x", False),
    ("https://127.0.0.1:9999/response/x", False),
    ("http://127.0.0.1:bad/x", False),
    ("https://hooks.slack.com/" + "x" * 600, False),
    (None, False),
    (42, False),
])
def test_only_slacks_hosts_are_posted_to(url, ok):
    settings = Settings(_env_file=None, slack_signing_secret="s", slack_bot_token="xoxb-1",  # type: ignore[call-arg]
                        slack_api_url="http://127.0.0.1:9999/api/")
    assert is_slack_url(url, settings) is ok
