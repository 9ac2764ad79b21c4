"""Bolt listeners, one module per Slack surface. ``register`` wires them all."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers import (
    actions,
    commands,
    digest_actions,
    home,
    improvements,
    lifecycle,
    loop,
    mentions,
    messages,
    reactions,
    shortcuts,
    themes,
    views,
)


def register(app: AsyncApp) -> None:
    for module in (reactions, messages, mentions, commands, shortcuts, actions, views, home,
                   digest_actions, improvements, loop, themes, lifecycle):
        module.register(app)
