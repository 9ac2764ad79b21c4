"""Listeners for this Slack surface (filled in as the feature lands)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    return None
