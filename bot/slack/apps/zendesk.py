"""Zendesk's Slack integration: ticket notifications from a trigger ("New ticket #4821
from Jane Doe"; the subject as a link to the ticket; the customer's message; the fields
the trigger chose: Requester, Organization, Status, Priority, Assignee, Satisfaction).

Taken: the subject and the message (a Description or Latest comment field when there is
one). Dropped: the header, the ticket's status fields, the footer. Customer: the
Organization field, else the requester's email domain. Score: the satisfaction rating
(good/bad, read as 5/1 on the CSAT scale, or a number). Status notices ("Ticket #4821 was
solved") carry no words.
"""

from __future__ import annotations

from bot.slack.app_post import AppPost
from bot.slack.apps import helpdesk, scores
from bot.slack.apps.post import View

NAME = "Zendesk"
SITES = (".zendesk.com/agent/tickets/", ".zendesk.com/hc/", ".zendesk.com/tickets/")


def extract(view: View) -> AppPost:
    score = scores.first(view, ("satisfaction", "csat", "rating"),
                         lambda v: scores.number(v, "csat") or scores.good_or_bad(v))
    return helpdesk.ticket(view, source=NAME, sites=SITES, score=score)
