"""Freshdesk's Slack app: ticket notifications ("New ticket #123 - Subject" linked to
``https://<domain>.freshdesk.com/a/tickets/123``, the description, and the fields Requester,
Company, Status, Priority, Source, Type) and satisfaction survey results ("Customer
satisfaction rating: Extremely happy").

Taken: the subject and the description (or the survey's feedback). Dropped: the header,
status fields, the footer. Score: the satisfaction rating on Freshdesk's scale (extremely
unhappy 1 ... extremely happy 5) or a number.
"""

from __future__ import annotations

from bot.slack.app_post import AppPost
from bot.slack.apps import helpdesk, scores
from bot.slack.apps.post import View

NAME = "Freshdesk"
SITES = (".freshdesk.com/a/tickets/", ".freshdesk.com/helpdesk/tickets/", ".freshdesk.com/support/tickets/")


def extract(view: View) -> AppPost:
    score = scores.first(view, ("satisfaction", "csat", "rating"), scores.csat_words)
    return helpdesk.ticket(view, source=NAME, sites=SITES, score=score)
