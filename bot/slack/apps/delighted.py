"""Delighted's Slack integration: a response with its score ("Score: 3", or "3 - Detractor"),
the person's comment (often quoted), the person's email (and name), properties such as
Company, and a link to the response on delighted.com.

Taken: the comment. Dropped: the header, the score line, properties. Score: NPS 0-10 by
default; CSAT 1-5 when the post names a satisfaction survey; stars for a 5-star survey.
"""

from __future__ import annotations

import re

from bot.slack.app_post import AppPost, Rating
from bot.slack.apps import generic, scores, survey
from bot.slack.apps.post import View, link_matching, notice_of, tidy, unmark

NAME = "Delighted"
SITES = ("delighted.com/",)
_SCORE_LINE = re.compile(r"^\s*(?:score|rating|nps|csat)\s*[:=]?\s*\*?\s*(\d{1,2})\b|^\s*(\d{1,2})\s*[-–]\s*"
                         r"(?:promoter|passive|detractor)", re.I)


def _kind(view: View) -> str:
    text = view.everything().lower()
    if "csat" in text or "satisf" in text:
        return "csat"
    if "5-star" in text or "star rating" in text:
        return "stars"
    return "nps"


def _score(view: View) -> Rating | None:
    kind = _kind(view)
    rated = view.field("score", "rating", "nps", "csat")
    if rated:
        return scores.number(rated, kind)  # type: ignore[arg-type]
    for line in view.lines:
        m = _SCORE_LINE.match(unmark(line))
        if m:
            return scores.in_range(kind, int(m.group(1) or m.group(2)))  # type: ignore[arg-type]
    return None


def extract(view: View) -> AppPost:
    comment = view.field("comment", "feedback", "response", "answer")
    if comment:
        text = unmark(comment).strip().strip("\"“”")
    else:
        lines = [unmark(line).strip().strip("\"“”") for line in view.lines
                 if not _SCORE_LINE.match(unmark(line)) and not generic.is_boilerplate(line)
                 and survey.is_written(line)]
        text = "\n".join(lines)
    contact, customer = survey.people(view)
    if not contact or not customer:
        g_contact, g_customer = generic.contact_and_customer(view)
        contact, customer = contact or g_contact, customer or g_customer
    return AppPost(source=NAME, text=tidy(text), notice=notice_of(view), customer=customer,
                   contact=contact, link=link_matching(view, *SITES) or generic.link_of(view),
                   score=_score(view))
