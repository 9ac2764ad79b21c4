"""Account owners: a CRM owner's email to a Slack user with ``users.lookupByEmail``
(api.slack.com/methods/users.lookupByEmail: ``users_not_found`` when nobody has it; needs the
``users:read.email`` scope), asked once per email and sync."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

# email -> (Slack user id, or None and why not)
OwnerLookup = Callable[[str], Awaitable[tuple[str | None, str | None]]]


def slack_owners(client: AsyncWebClient) -> OwnerLookup:
    cache: dict[str, tuple[str | None, str | None]] = {}

    async def owner(email: str) -> tuple[str | None, str | None]:
        key = email.strip().casefold()
        if key not in cache:
            try:
                user = (await client.users_lookupByEmail(email=email.strip())).get("user") or {}
            except SlackApiError as e:
                error = e.response.get("error")
                cache[key] = (
                    None,
                    f"no Slack user has the owner's email {email}"
                    if error == "users_not_found"
                    else f"Slack's users.lookupByEmail failed for {email} ({error})",
                )
            else:
                if user.get("deleted") or user.get("is_bot") or not user.get("id"):
                    cache[key] = (
                        None,
                        f"the Slack user with the owner's email {email} is deactivated",
                    )
                else:
                    cache[key] = (str(user["id"]), None)
        return cache[key]

    return owner


def no_slack(reason: str) -> OwnerLookup:
    async def owner(email: str) -> tuple[str | None, str | None]:
        return None, reason

    return owner
