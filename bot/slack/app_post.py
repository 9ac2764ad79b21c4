"""What Earshot reads from another app's Slack post (a ticket, a survey response, a review):
the shape bot.slack.apps returns and bot.slack.text's ``Original`` carries. It imports
nothing of Slack's parsing, so the two can use it without importing each other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

RatingKind = Literal["csat", "nps", "stars"]


@dataclass(frozen=True)
class Rating:
    """A score the post carries: CSAT 1-5, NPS 0-10 or stars 1-5."""

    kind: RatingKind
    value: int


@dataclass(frozen=True)
class AppPost:
    """A remark read from another app's post (``bot.domain.capture`` maps it to an Origin).

    ``text`` is the customer's own words, "" when the post carries none (a status notice:
    "Ticket #4821 was solved"); ``notice`` is the whole post as plain lines, what a person
    who flags such a post explicitly gets filed instead.
    """

    source: str
    text: str
    notice: str = ""
    customer: str | None = None  # a company name, or the requester's email domain
    contact: str | None = None  # the customer's person: a name or an email, never a Slack user
    link: str | None = None  # https only
    score: Rating | None = None
    said_at: dt.datetime | None = None

    @property
    def words(self) -> str:
        """What an explicit capture files: the feedback, else the whole notice."""
        return self.text or self.notice
