"""Settings: every environment variable Earshot reads, its default and its validation.

Nothing else in the code base reads ``os.environ``. Values come from the environment and
from a ``.env`` file in the working directory (twelve-factor style).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import cached_property
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.scopes import BOT_SCOPES
from bot.settings.hooks import HookSettings
from storage.db import normalise_database_url

_EMOJI_NAME = re.compile(r"^[a-z0-9_+\-']{1,100}$")
REDACT_KINDS = ("email", "phone", "card", "iban")
_SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_TEAM_ID = re.compile(r"^T[A-Z0-9]{2,}$")
_SCOPE = re.compile(r"^[a-z_]+(:[a-z_.]+)*$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_HTTP_URL = re.compile(r"^https?://[^\s/<>\"']+[^\s<>\"']*$")

# What each variable is for, used to tell a person how to fix a bad value in one line.
HINTS: dict[str, str] = {
    "SLACK_BOT_TOKEN": "set it to the app's Bot User OAuth Token (xoxb-...) from OAuth & Permissions "
                       "(one workspace), or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET instead for "
                       "OAuth installs (Add to Slack, any number of workspaces)",
    "SLACK_CLIENT_ID": "set it to the Client ID from the app's Basic Information page (OAuth installs)",
    "SLACK_CLIENT_SECRET": "set it to the Client Secret from the app's Basic Information page (OAuth installs)",
    "SLACK_SCOPES": "use a comma-separated list of bot scopes, e.g. chat:write,commands (default: the manifest's)",
    "OAUTH_STATE_SECONDS": "use a number of seconds, e.g. 600",
    "SLACK_SIGNING_SECRET": "set it to the Signing Secret from the app's Basic Information page",
    "SLACK_APP_TOKEN": "set it to an app-level token (xapp-...) with connections:write, for Socket Mode",
    "DATABASE_URL": "use sqlite+aiosqlite:///earshot.db or postgresql://user@host/db",
    "PORT": "use a TCP port number between 1 and 65535",
    "SLACK_API_URL": "use an http(s) URL ending in /api/, e.g. https://slack.com/api/",
    "CAPTURE_EMOJI": "use a comma-separated list of emoji names without colons, e.g. memo,speech_balloon",
    "CAPTURED_EMOJI": "use one emoji name without colons, e.g. inbox_tray",
    "LOG_LEVEL": "use one of DEBUG, INFO, WARNING, ERROR",
    "ADMIN_USERS": "use a comma-separated list of workspace:user pairs, e.g. T012AB3CD:U045EF6GH "
                   "(bare user ids such as U045EF6GH only with SLACK_BOT_TOKEN, one workspace)",
    "CLASSIFY_THRESHOLD": "use a number between 0 and 1",
    "RUN_SCHEDULER": "use true or false",
    "DIGEST_GRACE_HOURS": "use a whole number of hours, e.g. 24",
    "DEFAULT_TIMEZONE": "use an IANA time zone name such as Europe/Berlin or UTC",
    "DIGEST_POLL_SECONDS": "use a number of seconds, e.g. 30",
    "OWNER_ALERT_POLL_SECONDS": "use a number of seconds, e.g. 300",
    "CLOCK_OFFSET_SECONDS": "use a number of seconds (test/demo only), e.g. 0",
    "INBOX_LEASE_SECONDS": "use a number of seconds, e.g. 30",
    "REMARK_TEXT_RETENTION_DAYS": "use a whole number of days (e.g. 365), or leave it empty to keep text",
    "UNINSTALL_GRACE_DAYS": "use a whole number of days, e.g. 30",
    "REDACT": "use a comma-separated list of email, phone, card, iban (or leave it empty)",
    "RETENTION_POLL_SECONDS": "use a number of seconds, e.g. 3600",
    "SLACK_HISTORY_TIER": "use tier3 (installed by the company itself, or from the Marketplace) or "
                          "limited (distributed outside the Marketplace: 1 history call a minute)",
    "BACKFILL_CALLS_PER_MINUTE": "use a number of calls a minute, e.g. 40 (or leave it empty)",
    "BACKFILL_POLL_SECONDS": "use a number of seconds, e.g. 10",
    "BACKFILL_PROGRESS_PAGES": "use a whole number of pages, e.g. 5",
    "BACKFILL_LEASE_SECONDS": "use a number of seconds, e.g. 120",
    "OPERATOR_NAME": "use the name of the company or person running this Earshot (shown on the install page)",
    "OPERATOR_CONTACT": "use an e-mail address or an https:// URL where installers can reach you",
    "PRIVACY_POLICY_URL": "use the https:// URL of your privacy policy (shown on the install page)",
}


class DatabaseSettings(BaseSettings):
    """What commands that only touch the database need (``earshot migrate``, ...)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_url: str = "sqlite+aiosqlite:///earshot.db"

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, v: str) -> str:

        return normalise_database_url(v)


class ReadSettings(DatabaseSettings):
    """What commands that read a workspace's data without Slack need (``earshot digest
    --preview``): the database, and the clock and time zone the digest is built with."""

    default_timezone: str = "UTC"
    # Test/demo only: shifts the scheduler's "now" so a slot can be reached without waiting.
    clock_offset_seconds: float = 0.0

    @field_validator("default_timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError("unknown time zone") from e
        return v


class Settings(ReadSettings, HookSettings):
    """Earshot's configuration. Field names map to upper-case environment variables."""

    # Single-token mode: one workspace, one bot token. OAuth mode (many workspaces, Add to
    # Slack): SLACK_CLIENT_ID + SLACK_CLIENT_SECRET and no SLACK_BOT_TOKEN.
    slack_bot_token: SecretStr | None = Field(None, description="Bot token (xoxb-...), single-token mode")
    slack_client_id: str = ""
    slack_client_secret: SecretStr | None = None
    # The bot scopes an OAuth install asks for (empty: the manifest's, BOT_SCOPES).
    slack_scopes: str = ""
    # How long an OAuth `state` (the Add to Slack click) stays valid.
    oauth_state_seconds: int = Field(600, ge=60, le=86400)
    slack_signing_secret: SecretStr = Field(..., description="Signing secret for requests")
    slack_app_token: SecretStr | None = Field(None, description="App token (xapp-...), Socket Mode only")
    port: int = Field(3000, ge=1, le=65535)
    host: str = "0.0.0.0"
    slack_api_url: str = "https://slack.com/api/"
    public_url: str = ""  # e.g. https://earshot.example.com: shown in /feedback hooks
    capture_emoji: str = "memo,speech_balloon"
    captured_emoji: str = "inbox_tray"
    log_level: str = "INFO"
    admin_users: str = ""
    classify_threshold: float | None = Field(None, ge=0.0, le=1.0)
    # Run the clock (digests, alerts, retention) inside `earshot serve` and `earshot socket`,
    # so one process is a whole Earshot; the Procfile's web process says --no-clock and
    # leaves it to `earshot clock`. Several clocks are safe (every post is claimed first).
    run_scheduler: bool = True
    digest_grace_hours: int = Field(24, ge=0, le=24 * 14)
    # How often the scheduler re-reads digest settings (changes apply without a restart)
    # and catches up missed periods; and how often owner alerts are batched.
    digest_poll_seconds: float = Field(30.0, gt=0, le=3600)
    owner_alert_poll_seconds: float = Field(300.0, gt=0, le=3600)
    # How long a delivery being worked on is reserved before another run may take it over
    # (after a crash). Short enough that a restart finishes the work promptly.
    inbox_lease_seconds: float = Field(30.0, gt=0, le=3600)
    # How long a graceful stop (SIGTERM, Ctrl-C) lets the work in flight finish and be
    # recorded before the process exits: under the 30 s Heroku waits before SIGKILL.
    shutdown_grace_seconds: float = Field(25.0, gt=0, le=600)
    # Remarks said longer ago than this lose their text (filing and counts stay).
    # None keeps text forever.
    remark_text_retention_days: int | None = Field(None, ge=1, le=36500)
    # An uninstalled workspace's data is deleted this many days after the uninstall.
    uninstall_grace_days: int = Field(30, ge=0, le=3650)
    # What to replace with placeholders before a remark's text is stored.
    redact: str = ""
    # How often the clock runs the retention and purge jobs (and writes its heartbeat).
    retention_poll_seconds: float = Field(3600.0, gt=0, le=86400)
    # Where stored events are worked through: "inline" (in `earshot serve` itself, for
    # single-process setups) or "separate" (`earshot serve` only verifies, stores and
    # acknowledges; an `earshot worker` process leases and runs the deliveries).
    worker: Literal["inline", "separate"] = "inline"
    # How often an idle worker looks for new deliveries (a separate worker is not woken
    # by the web process, so this bounds how long a quiet period's first event waits).
    worker_poll_seconds: float = Field(1.0, gt=0, le=60)
    # How much `earshot worker` lowers its own CPU priority (Unix niceness, 0 to 19) so
    # that, on a machine it shares with web processes, acknowledgements run first.
    worker_nice: int = Field(10, ge=0, le=19)
    api_async_max_lag_seconds: float = Field(5.0, ge=0, le=60)  # a burst's filing lag, at most (docs/api.md)
    # Slack's limit for reading channel history (conversations.history): "tier3" for an app a
    # company installs itself or a Marketplace app; "limited" (1 call a minute, 15 messages)
    # for an app distributed commercially outside the Marketplace (bot.domain.workspace.pacing).
    slack_history_tier: Literal["tier3", "limited"] = "tier3"
    # Backfills: calls a minute (empty: the tier's), how often an idle runner looks for a
    # job, and how often (in pages) the progress message is updated.
    backfill_calls_per_minute: float | None = Field(None, gt=0, le=6000)
    backfill_poll_seconds: float = Field(10.0, gt=0, le=3600)
    backfill_progress_pages: int = Field(5, ge=1, le=1000)
    # How long a process holds a backfill it works on; a killed one's job is taken over after.
    backfill_lease_seconds: float = Field(120.0, ge=1, le=3600)
    # The intake API (docs/api.md): requests a new token may make per minute (each token
    # keeps the figure it was made with), and the largest remark text it takes.
    api_rate_per_minute: int = Field(600, ge=1, le=1_000_000)
    # Who runs this deployment, shown on the Add to Slack page so an admin knows whom they
    # trust with their workspace's data (OAuth mode; `earshot doctor` warns when unset).
    operator_name: str = Field("", max_length=100)
    operator_contact: str = ""
    privacy_policy_url: str = ""

    @field_validator("operator_name")
    @classmethod
    def _operator(cls, v: str) -> str:
        return " ".join(v.split())

    @field_validator("operator_contact")
    @classmethod
    def _contact(cls, v: str) -> str:
        v = v.strip()
        if v and not (_EMAIL.match(v) or _HTTP_URL.match(v)):
            raise ValueError("must be an e-mail address or an http(s) URL")
        return v

    @field_validator("privacy_policy_url")
    @classmethod
    def _privacy(cls, v: str) -> str:
        v = v.strip()
        if v and not _HTTP_URL.match(v):
            raise ValueError("must be an http(s) URL")
        return v

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, v: SecretStr | None) -> SecretStr | None:
        if v is None or not v.get_secret_value():
            return None
        if not v.get_secret_value().startswith("xoxb-"):
            raise ValueError("must start with xoxb-")
        return v

    @field_validator("slack_client_secret")
    @classmethod
    def _client_secret(cls, v: SecretStr | None) -> SecretStr | None:
        return v if v is not None and v.get_secret_value().strip() else None

    @field_validator("slack_scopes")
    @classmethod
    def _scopes(cls, v: str) -> str:
        scopes = [s.strip() for s in v.split(",") if s.strip()]
        if not all(_SCOPE.match(s) for s in scopes):
            raise ValueError("must be scope names such as chat:write")
        return ",".join(scopes)

    @model_validator(mode="before")
    @classmethod
    def _one_mode(cls, data: Any) -> Any:
        # Checked before the fields, and reported under the variable that is missing, so the
        # one-line message names it first.
        if not isinstance(data, dict):
            return data

        def given(name: str) -> bool:
            v = data.get(name)
            return bool(v.get_secret_value() if isinstance(v, SecretStr) else str(v or "").strip())

        if not given("slack_bot_token") and not (given("slack_client_id") and given("slack_client_secret")):
            if given("slack_client_id"):
                raise ValueError("SLACK_CLIENT_SECRET")
            if given("slack_client_secret"):
                raise ValueError("SLACK_CLIENT_ID")
            raise ValueError("SLACK_BOT_TOKEN")
        return data

    @field_validator("slack_signing_secret")
    @classmethod
    def _secret(cls, v: SecretStr) -> SecretStr:
        if not v.get_secret_value().strip():
            raise ValueError("must not be empty")
        return v

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and v.get_secret_value() and not v.get_secret_value().startswith("xapp-"):
            raise ValueError("must start with xapp-")
        return v or None

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, v: str) -> str:
        if not re.match(r"^https?://[^/\s]+", v):
            raise ValueError("must be an http(s) URL")
        return v if v.endswith("/") else v + "/"

    @field_validator("capture_emoji")
    @classmethod
    def _emoji_list(cls, v: str) -> str:
        names = [n.strip().strip(":") for n in v.split(",") if n.strip()]
        if not names or not all(_EMOJI_NAME.match(n) for n in names):
            raise ValueError("must be emoji names")
        return ",".join(names)

    @field_validator("captured_emoji")
    @classmethod
    def _emoji(cls, v: str) -> str:
        v = v.strip().strip(":")
        if not _EMOJI_NAME.match(v):
            raise ValueError("must be an emoji name")
        return v

    @field_validator("log_level")
    @classmethod
    def _level(cls, v: str) -> str:
        v = v.upper()
        if v not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("unknown level")
        return v

    @field_validator("admin_users")
    @classmethod
    def _admins(cls, v: str, info: ValidationInfo) -> str:
        entries = [i.strip() for i in v.split(",") if i.strip()]
        for entry in entries:
            team, _, user = entry.rpartition(":")
            if not _SLACK_ID.match(user) or (team and not _TEAM_ID.match(team)) or entry.count(":") > 1:
                raise ValueError(f"`{entry}` is neither a user id (U…) nor a workspace:user pair (T…:U…)")
            # With OAuth installs one deployment serves many workspaces: a bare user id would
            # make that person an admin wherever a request names them, so it must say where.
            if not team and info.data.get("slack_bot_token") is None:
                raise ValueError(f"`{entry}` names no workspace; with OAuth installs write "
                                 f"workspace:user, e.g. T012AB3CD:{entry}")
        return ",".join(entries)

    @field_validator("remark_text_retention_days", mode="before")
    @classmethod
    def _retention(cls, v: object) -> object:
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("redact")
    @classmethod
    def _redact(cls, v: str) -> str:
        kinds = {k.strip().lower() for k in v.split(",") if k.strip()}
        unknown = kinds - set(REDACT_KINDS)
        if unknown:
            raise ValueError(f"unknown kind(s) {', '.join(sorted(unknown))}")
        return ",".join(k for k in REDACT_KINDS if k in kinds)

    @property
    def oauth(self) -> bool:
        """OAuth mode (many workspaces installed through Add to Slack), not single-token."""
        return self.slack_bot_token is None

    @property
    def bot_token(self) -> str:
        """The one bot token (single-token mode only)."""
        assert self.slack_bot_token is not None, "single-token mode only"
        return self.slack_bot_token.get_secret_value()

    @cached_property
    def bot_scopes(self) -> list[str]:
        return self.slack_scopes.split(",") if self.slack_scopes else list(BOT_SCOPES)

    @property
    def oauth_authorize_url(self) -> str:
        """Slack's authorize page beside SLACK_API_URL (https://slack.com/oauth/v2/authorize)."""
        base = self.slack_api_url[: -len("api/")] if self.slack_api_url.endswith("/api/") else self.slack_api_url
        return base + "oauth/v2/authorize"

    @cached_property
    def capture_emoji_set(self) -> frozenset[str]:
        return frozenset(self.capture_emoji.split(","))

    @property
    def main_capture_emoji(self) -> str:
        """The capture emoji Earshot suggests to people (the first one configured)."""
        return self.capture_emoji.split(",")[0]

    @cached_property
    def redact_kinds(self) -> frozenset[str]:
        return frozenset(k for k in self.redact.split(",") if k)

    @cached_property
    def admin_entries(self) -> frozenset[tuple[str, str]]:
        """(workspace, user) pairs; a bare user id (single-token mode only) has workspace ""."""
        return frozenset((e.rpartition(":")[0], e.rpartition(":")[2]) for e in self.admin_users.split(",") if e)

    @cached_property
    def metadata_key(self) -> bytes:
        """Seals what Earshot puts in a view's private_metadata (bot.slack.sealed); derived
        from the signing secret, so every process of a deployment shares it."""
        secret = self.slack_signing_secret.get_secret_value().encode()
        return hmac.new(secret, b"earshot private_metadata", hashlib.sha256).digest()

    def listed_admins(self, team_id: str) -> list[str]:
        """The ADMIN_USERS of ``team_id``: its workspace:user pairs, and in single-token mode
        (one workspace) the bare user ids too."""
        return sorted(u for t, u in self.admin_entries if t == team_id or (not t and not self.oauth))


S = TypeVar("S", bound=DatabaseSettings)


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line a person can act on."""


def load_settings(cls: type[S] = Settings, **overrides: object) -> S:  # type: ignore[assignment]  # mypy cannot check a default for a TypeVar'd type[S]; Settings is a DatabaseSettings
    """Read settings, turning validation errors into one actionable line."""
    try:
        return cls(**overrides)  # type: ignore[arg-type]  # pydantic validates the values; mypy sees only `object`
    except ValidationError as e:
        err = e.errors()[0]
        name = str(err["loc"][0]).upper() if err["loc"] else "settings"
        problem = "is missing" if err["type"] == "missing" else f"is invalid ({err['msg']})"
        if not err["loc"] and err["type"] == "value_error":  # _one_mode names what is missing
            name, problem = str((err.get("ctx") or {}).get("error")), "is missing"
        hint = HINTS.get(name, "see the configuration table in docs/running.md")
        raise SettingsError(f"{name} {problem}: {hint}.") from None
