"""Where a remark came from when it is more than a teammate's click on a human message:
another app's post in Slack (a helpdesk ticket, a survey response, a store review), the
intake API, or an import. The capture path stores it with the remark (issue 21)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.domain.capture.scores import tone
from bot.slack.app_post import Rating, RatingKind

# A formal rating (CSAT 1-5, NPS 0-10, stars 1-5): the one an app's post carries, the
# API's or an import's, is the same small value.
Score = Rating
ScoreKind = RatingKind


@dataclass(frozen=True)
class Origin:
    """What the capture path knows about a remark's origin beyond its route."""

    source: str  # the app's name ("Zendesk"), "api:<token name>", or "import"
    contact: str | None = None  # the customer's person (requester name or email), never a Slack user
    customer: str | None = None  # a company name, alias or email domain, matched against the registry
    link: str | None = None  # the original outside Slack: the ticket, the survey response, the review
    score: Score | None = None
    said_at: dt.datetime | None = None  # when the customer said it, if not the message's own time
    external_id: str | None = None  # the source's own id for it (API, import)


def origin_values(origin: Origin) -> dict[str, Any]:
    """The remark columns an origin fills. Its score informs the tone (CSAT 1-2 or NPS 0-6 a
    complaint, CSAT 5 or NPS 9-10 praise; bot/domain/capture/scores.py); a person's
    decision, applied after this, still wins."""
    values: dict[str, Any] = {"source": origin.source[:80], "contact": origin.contact,
                              "link": origin.link, "external_id": origin.external_id}
    if origin.said_at is not None:
        values["said_at"] = origin.said_at
    if origin.score is not None:
        values.update(score_kind=origin.score.kind, score_value=origin.score.value)
        if (told := tone(origin.score.kind, origin.score.value)) is not None:
            values["sentiment"] = told
    return values
