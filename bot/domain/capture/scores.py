"""Scores as formal feedback (issue 21): their ranges, and the tone a score tells.

A score informs the tone unless a person decided it: CSAT 1-2, stars 1-2 and NPS 0-6 (a
detractor) are complaints; CSAT 5, stars 5 and NPS 9-10 (a promoter) are praise. The
middle (CSAT and stars 3-4, NPS 7-8, a passive) says nothing clear, so the classifier
reads the words. Stars are read as CSAT: both are 1-5 ratings of one experience.
"""

from __future__ import annotations

from typing import Any

from bot.domain.services import Services
from storage.db import transaction
from storage.models import Remark
from storage.repositories import RemarkRepository

RANGES: dict[str, tuple[int, int]] = {"csat": (1, 5), "nps": (0, 10), "stars": (1, 5)}


def out_of_range(kind: str, value: int) -> str | None:
    """Why ``kind``/``value`` is not a score (None when it is one)."""
    if kind not in RANGES:
        return f"kind must be one of {', '.join(RANGES)}"
    low, high = RANGES[kind]
    if not low <= value <= high:
        return f"a {kind} score is a whole number from {low} to {high}"
    return None


def tone(kind: str, value: int) -> str | None:
    """The sentiment a score tells, or None where it tells nothing clear."""
    if kind == "nps":
        return "complaint" if value <= 6 else "praise" if value >= 9 else None
    return "complaint" if value <= 2 else "praise" if value >= 5 else None


async def set_score(services: Services, *, team_id: str, remark_id: int, kind: str, value: int,
                    by: str) -> Remark | None:
    """Store a score a person gave for a remark already filed (the filing form on a known
    remark): the remark keeps one score, the latest given. Its tone follows the score only
    where no person decided the tone. None if the remark is gone."""
    if (why := out_of_range(kind, value)) is not None:
        raise ValueError(why)
    async with transaction(services.sessions) as session:
        remarks = RemarkRepository(session)
        remark = await remarks.get(team_id, remark_id)
        if remark is None:
            return None
        if (remark.score_kind, remark.score_value) == (kind, value):
            return remark
        values: dict[str, Any] = {"score_kind": kind, "score_value": value}
        if remark.sentiment_decided_by is None and (told := tone(kind, value)) is not None:
            values["sentiment"] = told
        return await remarks.update_fields(remark, **values)
