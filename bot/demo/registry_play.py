"""Playing the story's first step: the admin imports the demo company's customer registry
with the code `earshot customers import FILE` runs (bot.domain.customers.file), owners checked
with Slack's users.info as the command checks them (here, the stand-in's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.demo import story as s
from bot.domain.customers.file import import_customers


@dataclass
class ImportAnswer:
    """The command's report, shown like a reply in the demo's output."""

    text: str
    status: int = 200

    def json(self) -> dict[str, Any]:
        return {"text": self.text}


async def import_registry(demo: Any, step: s.Registry) -> ImportAnswer:
    client = AsyncWebClient(token=demo.fake.bot_token, base_url=demo.fake.api_url)

    async def known(user_id: str) -> bool:
        try:
            user = (await client.users_info(user=user_id)).get("user") or {}
        except SlackApiError:
            return False
        return not user.get("deleted") and not user.get("is_bot")

    report = await import_customers(demo.runtime.services.sessions, demo.team_id, step.text,
                                    csv_format=False, known_user=known)
    return ImportAnswer(f"{demo.team_id}: {report.summary()}.")
