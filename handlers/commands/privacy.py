"""``/feedback erase @person``: an admin removes one person's authored text and identity."""

from __future__ import annotations

import re

from bot.domain.privacy import retention
from handlers.commands.router import Call, Reply, file_as_text, reply, subcommand

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|^([UW][A-Z0-9]{2,})$")


def user_refs(text: str) -> list[str]:
    """User ids from ``<@U123>`` mentions or bare ids, in order, without repeats."""
    ids: list[str] = []
    for word in text.split():
        m = _USER.search(word)
        uid = (m.group(1) or m.group(2)) if m else None
        if uid and uid not in ids:
            ids.append(uid)
    return ids


@subcommand("erase", usage="/feedback erase @person",
            summary="remove one person's text and name from Earshot, counts kept (admins)", order=90)
async def erase(call: Call) -> Reply:
    if call.text.strip() and not user_refs(call.text):
        return await file_as_text(call)  # "/feedback Erase the double charge" is feedback
    users = user_refs(call.text)
    if not users:
        return reply("Say whom to erase: `/feedback erase @person`. Remarks they wrote lose "
                     "their text, and they are replaced by an anonymous stand-in wherever they "
                     "captured or decided something; counts stay.")
    done = []
    for user in users:
        if not await retention.holds_user(call.services.sessions, call.team_id, user, asker=call.asker):
            done.append(f"<@{user}>: Earshot holds nothing of theirs, nothing changed")
            continue
        counts = await retention.erase_user(call.services.sessions, call.team_id, user,
                                            now=call.services.clock(), asker=call.asker)
        done.append(f"<@{user}>: {counts.get('remarks_authored', 0)} remark(s) they wrote lost "
                    f"their text, {counts.get('captures', 0)} capture(s) anonymised")
    if all("holds nothing" in d for d in done):
        return reply(":information_source: Nobody was erased. " + "; ".join(done) + ".")
    return reply(":wastebasket: Erased from Earshot. " + "; ".join(done) + ".")
