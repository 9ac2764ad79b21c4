"""Intercom's Slack app: conversation notifications ("New conversation from Jane Doe" or
"Jane Doe (Acme) replied", the customer's message, a "View in Intercom" link to
``https://app.intercom.com/a/apps/<app>/inbox/.../conversation/<id>``) and conversation
ratings ("Jane Doe rated the conversation: 🙁 Bad", with the remark).

Taken: the customer's message (or the rating's remark). Dropped: the header, the link
button, "Assigned to" fields. Customer: the Company field or "Name (Company)" in the
header, else the email domain. Score: the rating on Intercom's five-point scale.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.slack.app_post import AppPost
from bot.slack.apps import helpdesk, scores
from bot.slack.apps.post import View, domain_of, email_in, unmark

NAME = "Intercom"
SITES = ("app.intercom.com/a/", "app.intercom.io/a/")
# "New conversation from Jane Doe (Acme)", "Jane Doe (Acme) replied", "Jane Doe rated ...".
_PERSON = r"([^()\n:]{2,60}?)\s*(?:\(([^()\n]{2,60})\))?\s*"
_FROM = re.compile(r"\bfrom\s+" + _PERSON + r"(?:$|:)", re.I)
_WHO = re.compile(r"^" + _PERSON + r"(?:replied|rated|wrote|started)\b", re.I)


# The same header as a Block Kit section's first line: only the rating's wording, so that a
# customer's "We started getting errors" is never taken for a header.
_RATED = re.compile(r"^" + _PERSON + r"rated (?:the|this|your) conversation\b", re.I)


def extract(view: View) -> AppPost:
    score = scores.first(view, ("rating", "rated", "csat"), scores.csat_words)
    first = next((unmark(b).splitlines()[0] for b in view.bodies[:1] if b.strip()), "")
    rated = _RATED.match(first)
    heads = [*view.heads, *([first] if rated else [])]
    if score is None:
        for line in heads:
            if "rated" in line.lower():
                score = scores.csat_words(line.split("rated", 1)[1])
                break
    post = helpdesk.ticket(view, source=NAME, sites=SITES, score=score)
    if rated and post.text.startswith(first):
        post = replace(post, text=post.text[len(first):].strip())
    # "Jane Doe rated the conversation 🙁 Bad" as the message's own text: the header, not words.
    kept = [line for line in post.text.splitlines() if not _RATED.match(unmark(line))]
    if len(kept) < len(post.text.splitlines()):
        post = replace(post, text="\n".join(kept).strip())
    for head in heads:
        # The header names the person and their company: better than an email and its domain.
        m = _FROM.search(unmark(head)) or _WHO.match(unmark(head))
        if m:
            post = replace(post, contact=m.group(1).strip())
        # "(jane@acme.com)" names the person's address, not their company: its domain is
        # the customer (before, the whole address was taken for the company's name).
        if m and m.group(2) and (email := email_in(m.group(2))):
            post = replace(post, customer=post.customer or domain_of(email))
        elif m and m.group(2):
            post = replace(post, customer=m.group(2).strip())
    return post
