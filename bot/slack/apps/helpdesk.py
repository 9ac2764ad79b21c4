"""What helpdesk posts share (Zendesk, Freshdesk, HubSpot tickets, Intercom conversations):
a ticket or conversation header, its subject (the title), the customer's message (the
attachment or section text, or a Description/Comment field), labelled fields (requester,
organisation, status, priority, assignee) and a link to the ticket.

A post that only reports a change ("Ticket #4821 was solved", "status changed to Closed",
"assigned to Sam") has no customer words: its ``text`` is empty.
"""

from __future__ import annotations

import re

from bot.slack.app_post import AppPost, Rating
from bot.slack.apps import generic, scores
from bot.slack.apps.post import View, link_matching, notice_of, tidy, unmark

# "Ticket #4821 was solved", "#4821 has been closed by Sam", "Status changed from Open to Solved".
STATUS_ONLY = re.compile(
    r"^\s*(?::[a-z0-9_+\-]+:\s*)*(?:(?:ticket|conversation|case)\s*)?#?\s?\d*[^\n]{0,80}?\b"
    r"(?:was|has been|is now|got)\s+(?:solved|closed|resolved|assigned|reassigned|updated|"
    r"reopened|merged|snoozed|escalated|deleted|marked as spam|set to \w+)\b"
    r"|^\s*(?:status|priority|assignee|group)\s+(?:changed|updated|set)\b", re.I)
# "Ticket #4821: Subject", "#4821 Subject", "[#4821] Subject".
_TICKET_HEAD = re.compile(r"^\s*\[?(?:ticket|case|conversation)?\s*#\s?\d+\]?\s*[:\-–]?\s*", re.I)
_LINK_LABEL = re.compile(r"<https://[^|>]+\|([^>]+)>")
# Fields that describe the ticket, never the customer's words.
META = ("status", "priority", "assignee", "assigned", "group", "type", "source", "tags",
        "pipeline", "stage", "channel", "via", "brand", "sla", "due", "owner", "ticket id")


def subject_of(view: View) -> str:
    for title, _ in view.titles:
        subject = _TICKET_HEAD.sub("", unmark(title)).strip()
        if subject and not generic.is_boilerplate(subject) and not STATUS_ONLY.search(subject):
            return subject
    named = view.field("subject", "ticket name", "title")
    if named:
        return unmark(named).strip()
    for line in view.lines:  # a header whose ticket link carries the subject: "<url|#123 - Subject>"
        m = _LINK_LABEL.search(line)
        # Only a label that starts with the ticket's number: "<…/users/1|Priya Patel>" in
        # "New conversation from <…|Priya Patel>" names the person, not the subject.
        if m and generic.is_boilerplate(line) and re.match(r"\s*\[?(?:ticket|case)?\s*#\s?\d", unmark(m.group(1)), re.I):
            subject = _TICKET_HEAD.sub("", unmark(m.group(1))).strip()
            if subject and not STATUS_ONLY.search(subject):
                return subject
    return ""


def is_status_only(view: View, words: str) -> bool:
    """Only status lines (no body, no worded field), or words that are themselves a status line."""
    lines = [unmark(line) for line in view.lines if line.strip()]
    if words and not STATUS_ONLY.search(words):
        return False
    return bool(lines) and all(STATUS_ONLY.search(line) or generic.is_boilerplate(line) for line in lines)


def ticket(view: View, *, source: str, sites: tuple[str, ...],
           score: Rating | None = None) -> AppPost:
    words = generic.words_from(view, skip=META)
    subject = subject_of(view)
    contact, customer = generic.contact_and_customer(view)
    link = link_matching(view, *sites) or generic.link_of(view)
    if is_status_only(view, words):
        return AppPost(source=source, text="", notice=notice_of(view), customer=customer,
                       contact=contact, link=link, score=score or scores.labelled(view))
    if subject and not words.lower().startswith(subject.lower()[:40]):
        words = f"{subject}\n{words}" if words else subject
    return AppPost(source=source, text=tidy(words), notice=notice_of(view), customer=customer,
                   contact=contact, link=link, score=score or scores.labelled(view))
