"""Theme names in the bot: each theme named from its members' current words
(bot.classify.theme_labels), never with a customer's name: not the registry's names and
aliases (nor their distinctive words), not the customers named on the members, and not a
word the workspace's remarks capitalise as a name, however a member writes it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories.customers import CustomerRepository
from storage.repositories.themes import MemberRow, ThemeRepository

NO_WORDS = "(no words)"
SEEN = 3000  # the workspace's newest remarks read for the words it writes as names


async def customer_names(session: AsyncSession, team_id: str) -> list[str]:
    """Every name and alias of the workspace's registered customers: never a theme's name."""
    return [
        n
        for c in await CustomerRepository(session).list(team_id)
        for n in (c.name, *(c.aliases or ()))
    ]


async def names(session: AsyncSession, team_id: str, members: Sequence[MemberRow]) -> dict[int, str]:
    """Theme id -> its name, for the themes these members belong to. A word is taken for a
    name from how the whole workspace writes it, not only these members ("HubSpot" in one
    remark, "hubspot" in a theme's), so a theme has one name wherever it is shown."""
    if not members:
        return {}
    from bot.classify import theme_labels  # with the theme maths: loaded on first use

    customers = await customer_names(session, team_id)
    seen = await ThemeRepository(session).texts(team_id, limit=SEEN)
    by_process: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    named: set[str] = set(customers)
    for m in members:
        by_process[m.process_id][m.theme_id].append(m.text)
        if m.customer:
            named.add(m.customer)
    out: dict[int, str] = {}
    for groups in by_process.values():
        out.update(theme_labels.labels(groups, exclude=named, seen=seen))
    return out
