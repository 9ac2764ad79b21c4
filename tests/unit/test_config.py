"""Settings: defaults, normalisation, and one actionable line for a bad value."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import Settings, SettingsError, load_settings

BASE = {"slack_bot_token": "xoxb-1", "slack_signing_secret": "s", "_env_file": None}


def test_defaults():
    s = Settings(**BASE)
    assert s.port == 3000
    assert s.database_url == "sqlite+aiosqlite:///earshot.db"
    assert s.capture_emoji_set == {"memo", "speech_balloon"}
    assert s.slack_api_url == "https://slack.com/api/"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5432/d", "postgresql+asyncpg://u:p@h:5432/d"),
        ("postgresql://u@h/d", "postgresql+asyncpg://u@h/d"),
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_database_url_forms_are_normalised(given, expected):
    assert Settings(**BASE, database_url=given).database_url == expected


def test_emoji_list_accepts_colons_and_spaces():
    assert Settings(**BASE, capture_emoji=" :memo:, eyes ").capture_emoji_set == {"memo", "eyes"}


@pytest.mark.parametrize(
    ("override", "name"),
    [
        ({"slack_bot_token": "xoxp-1"}, "SLACK_BOT_TOKEN"),
        ({"port": "eighty"}, "PORT"),
        ({"database_url": "mysql://x"}, "DATABASE_URL"),
        ({"capture_emoji": "not an emoji!"}, "CAPTURE_EMOJI"),
        ({"log_level": "LOUD"}, "LOG_LEVEL"),
        ({"slack_api_url": "ftp://x"}, "SLACK_API_URL"),
    ],
)
def test_bad_values_name_the_variable_and_the_fix(override, name):
    with pytest.raises(SettingsError) as e:
        load_settings(Settings, **{**BASE, **override})
    message = str(e.value)
    assert message.startswith(name) and "\n" not in message and ": " in message


def test_missing_token_stops_the_command_with_one_line(tmp_path):
    env = {"PATH": "", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "SLACK_BOT_TOKEN is missing" in result.stderr
    assert "Traceback" not in result.stderr
