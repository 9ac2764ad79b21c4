"""Outbound webhooks' settings (docs/webhooks-and-exports.md#outbound-webhooks), a part of
``Settings`` kept apart because bot/config.py is full. Field names map to upper-case
environment variables, as in ``Settings``."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class HookSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # Receivers must be https:// and resolve to public addresses; a test or an operator with an
    # internal receiver may allow plain http and private/loopback addresses (never by default).
    webhooks_allow_http: bool = False
    webhooks_allow_private: bool = False
    # A receiver that has not answered by then failed this attempt (a slow one is not waited on).
    webhooks_timeout_seconds: float = Field(10.0, gt=0, le=60)
    # The first retry after a failure; each next one waits twice as long, at most an hour.
    webhooks_retry_seconds: float = Field(10.0, gt=0, le=3600)
    # A delivery is given up this long after its event (its retries keep failing).
    webhooks_give_up_hours: float = Field(24.0, gt=0, le=24 * 14)
    # A subscription is paused after this many failed attempts in a row (30: about a day of
    # retries at the default pace); its creator is told by DM, once.
    webhooks_pause_after_failures: int = Field(30, ge=1, le=10_000)
    # How often an idle sender looks for deliveries that are due.
    webhooks_poll_seconds: float = Field(2.0, gt=0, le=600)
    # After `hooks out rotate`, the old secret still signs beside the new one this long, so a
    # receiver can switch without missing an event (0: the old one stops at once).
    webhooks_rotate_grace_hours: float = Field(24.0, ge=0, le=24 * 14)
    # While a subscription is paused its events wait, but at most this many (the oldest beyond
    # it are dropped and counted), and none older than the give-up window.
    webhooks_paused_keep: int = Field(1000, ge=1, le=1_000_000)
