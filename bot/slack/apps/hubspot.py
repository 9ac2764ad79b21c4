"""HubSpot's Slack app: ticket notifications ("New ticket: Subject" with Ticket name,
Pipeline, Ticket status, Priority, Contact, Company fields and a "View ticket" link to
``https://app.hubspot.com/contacts/<portal>/ticket/<id>``) and feedback survey responses
("New NPS survey response" / "New customer satisfaction survey response" with the rating
and the contact's written feedback).

Taken: the ticket's name and description, or the survey's written feedback. Dropped: the
header, pipeline/status fields, the link button. Score: the survey's rating (NPS 0-10 or
CSAT 1-5 by the survey type the header names).
"""

from __future__ import annotations

from bot.slack.app_post import AppPost, Rating
from bot.slack.apps import helpdesk, scores
from bot.slack.apps.post import View

NAME = "HubSpot"
SITES = ("app.hubspot.com/", "app-eu1.hubspot.com/")


def _survey_score(view: View) -> Rating | None:
    # The survey's kind is in the header, or in the first section when it is Block Kit.
    head = " ".join([*view.heads, *view.bodies[:1], *(t for t, _ in view.titles)]).lower()
    rated = view.field("rating", "score", "nps", "csat", "satisf")
    if not rated:
        return None
    if "nps" in head or "net promoter" in head:
        return scores.number(rated, "nps")
    if "satisfaction" in head or "csat" in head:
        return scores.csat_words(rated)
    return scores.labelled(view)


def extract(view: View) -> AppPost:
    return helpdesk.ticket(view, source=NAME, sites=SITES, score=_survey_score(view))
